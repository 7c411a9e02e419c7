"""What a file's import statements are, as the import fixes see them (isort sections and keys,
the leading block, the module-level imports, who reads each import binding).

Pure functions of one :class:`FileContext`; :class:`~.file_index.FileIndex` computes each
once per file, which is why this module sits below it and imports no other fixer module.
"""

from __future__ import annotations

import ast
import bisect
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from dagster_zenml_lint.fixers.edits import line_end, line_start
from dagster_zenml_lint.source import python_lines

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext

# isort's sections, in file order (ruff's defaults): the first-party one is told apart
# from the third-party one only by the layout of the existing imports (see read_import_block).
FUTURE, STANDARD_LIBRARY, THIRD_PARTY, FIRST_PARTY, LOCAL = range(5)
KNOWN_THIRD_PARTY = ("dagster", "zenml", "pydantic")
ImportKey = tuple[int, int, str]  # (section, 0 for ``import m`` / 1 for ``from m import``, module)
ImportBinding = tuple[int, str]  # (id of the import statement, the name it binds)


def section_of_module(module: str, level: int = 0) -> int:
    """The isort section of an absolute module name (unknown modules count as third party)."""
    top = module.split(".")[0]
    if level:
        return LOCAL
    if top == "__future__":
        return FUTURE
    if top in sys.stdlib_module_names:
        return STANDARD_LIBRARY
    return THIRD_PARTY


def import_key(module: str, kind: int, section: int) -> ImportKey:
    """How isort orders import statements (``import m`` before ``from m import``, then by module)."""
    return (section, kind, module.lower())


def _statement_key(stmt: ast.Import | ast.ImportFrom) -> ImportKey:
    if isinstance(stmt, ast.Import):
        module = stmt.names[0].name
        return import_key(module, 0, section_of_module(module))
    module = "." * stmt.level + (stmt.module or "")
    return import_key(module, 1, section_of_module(stmt.module or "", stmt.level))


def top_import_block(ctx: FileContext) -> list[ast.Import | ast.ImportFrom]:
    """The module's leading import statements (after a docstring)."""
    block: list[ast.Import | ast.ImportFrom] = []
    for stmt in ctx.tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            block.append(stmt)
        elif block or not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
            break
    return block


class ImportBlock(NamedTuple):
    """The leading import block: its statements, their isort keys and blank-line groups."""

    statements: list[ast.Import | ast.ImportFrom]
    keys: list[ImportKey]
    groups: list[int]


def read_import_block(ctx: FileContext) -> ImportBlock:
    """The module's leading import block, with first-party imports told from third-party ones.

    An isort-clean block separates sections by blank lines: a group of non-standard
    modules after the group holding a known third-party package (Dagster) is first party.
    """
    block = top_import_block(ctx)
    keys = [_statement_key(stmt) for stmt in block]
    group = 0
    groups = []
    previous_end = None
    for stmt in block:
        start = line_start(ctx.text, ctx.node_span(stmt)[0])
        between: list[str] = python_lines(ctx.text[previous_end:start]) if previous_end is not None else []
        if any(not line.strip() for line in between):
            group += 1  # a blank line starts a new group
        groups.append(group)
        previous_end = line_end(ctx.text, ctx.node_span(stmt)[1])
    known = [
        groups[i]
        for i, stmt in enumerate(block)
        if keys[i][0] == THIRD_PARTY and _statement_module(stmt).split(".")[0].startswith(KNOWN_THIRD_PARTY)
    ]
    if known:
        third_group = min(known)
        keys = [
            (FIRST_PARTY, k[1], k[2]) if k[0] == THIRD_PARTY and groups[i] > third_group else k
            for i, k in enumerate(keys)
        ]
    return ImportBlock(block, keys, groups)


def _statement_module(stmt: ast.Import | ast.ImportFrom) -> str:
    return stmt.names[0].name if isinstance(stmt, ast.Import) else stmt.module or ""


@dataclass(frozen=True)
class ModuleImports:
    """The module-level import statements of a file, indexed for ``imports.ImportPlan``."""

    from_locals: dict[tuple[str, str], str]  # (module, name) -> local name of the first such import
    module_locals: dict[str, str]  # module -> local name of the first ``import`` binding it
    merge_targets: dict[str, ast.ImportFrom]  # module -> first ``from module import ...`` without ``*``


def read_module_imports(ctx: FileContext) -> ModuleImports:
    """Index the absolute imports of the module's body."""
    from_locals: dict[tuple[str, str], str] = {}
    module_locals: dict[str, str] = {}
    merge_targets: dict[str, ast.ImportFrom] = {}
    for stmt in ctx.tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module is not None and not stmt.level:
            for alias in stmt.names:
                from_locals.setdefault((stmt.module, alias.name), alias.asname or alias.name)
            if not any(a.name == "*" for a in stmt.names):
                merge_targets.setdefault(stmt.module, stmt)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    module_locals.setdefault(alias.name, alias.asname)
                else:
                    top = alias.name.split(".")[0]
                    module_locals.setdefault(top, top)
    return ModuleImports(from_locals, module_locals, merge_targets)


def read_import_uses(ctx: FileContext) -> dict[ImportBinding, list[ast.Name]]:
    """For each import binding (statement id, bound name): the names that read it."""
    model = ctx.model
    uses: dict[ImportBinding, list[ast.Name]] = {}
    wanted = {record.name for record in model.imports}
    for name, scope in ctx.name_loads:
        if name.id not in wanted:
            continue
        binding = model.lookup(name.id, scope, (name.lineno, name.col_offset))
        if binding is not None and isinstance(binding.node, (ast.Import, ast.ImportFrom)):
            uses.setdefault((id(binding.node), name.id), []).append(name)
    return uses


@dataclass(frozen=True)
class UseSpans:
    """The spans of the names reading one import binding, sorted by start."""

    starts: list[int]
    ends: list[int]

    def count_inside(self, replaced: Sequence[tuple[int, int]]) -> int:
        """How many of the names lie entirely inside one of the ``replaced`` spans."""
        inside: set[int] = set()
        for start, end in replaced:
            if start >= end:
                continue
            index = bisect.bisect_left(self.starts, start)
            while index < len(self.starts) and self.starts[index] <= end:
                if self.ends[index] <= end:
                    inside.add(index)
                index += 1
        return len(inside)


def use_spans(ctx: FileContext, uses: dict[ImportBinding, list[ast.Name]]) -> dict[ImportBinding, UseSpans]:
    """The spans of the names in ``uses`` (:func:`read_import_uses`), per import binding."""
    spans: dict[ImportBinding, UseSpans] = {}
    for key, names in uses.items():
        ordered = sorted(ctx.node_span(n) for n in names)
        spans[key] = UseSpans([start for start, _ in ordered], [end for _, end in ordered])
    return spans
