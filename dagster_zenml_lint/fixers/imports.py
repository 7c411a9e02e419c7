"""DZ104 import rewriting, shared by every fixer.

A fix asks an :class:`ImportPlan` for the ZenML (or standard library) names it needs and
gets back the local name to write; the plan turns those requests into edits that merge
into an existing ``from zenml import ...`` or add one statement after the module's
import block. :func:`removal_edits` deletes Dagster imports that a fix leaves unused,
and only those: a name still used anywhere outside the fix's edits stays imported.
"""

from __future__ import annotations

import ast
import bisect
import builtins
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Applicability, Edit, Fix
from dagster_zenml_lint.fixers.edits import insert_after_line, newline_of, per_file, remove_items, remove_statement
from dagster_zenml_lint.registry import FixOutcome
from dagster_zenml_lint.semantic import ImportRecord, is_dagster_module

if TYPE_CHECKING:
    from dagster_zenml_lint.engine import FileContext

# Prefix for an alias when the plain name is already taken in the file (``zenml_step``).
ALIAS_PREFIX = {"zenml": "zenml_", "zenml.config": "zenml_", "typing": "typing_"}


def taken_names(ctx: FileContext) -> set[str]:
    """Every name bound in any scope of the file or read anywhere in it, plus builtins."""
    names = set(dir(builtins))
    for scope in ctx.model.scopes.values():
        names.update(scope.bindings)  # assignments, definitions, imports and parameters
    names.update(node.id for node, _scope in ctx.name_loads)
    return names


def top_import_block_end(ctx: FileContext) -> ast.stmt | None:
    """The last statement of the module's leading import block (after a docstring)."""
    body = ctx.tree.body
    index = 0
    last: ast.stmt | None = None
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        last = body[0]
        index = 1
    for stmt in itertools.islice(body, index, None):
        if not isinstance(stmt, (ast.Import, ast.ImportFrom)):
            break
        last = stmt
    return last


def insertion_edit(ctx: FileContext, lines: str) -> Edit:
    """An edit adding whole lines after the module's import block (or at the top)."""
    anchor = per_file(ctx, "import block end", lambda: top_import_block_end(ctx))
    if anchor is not None:
        return insert_after_line(ctx.text, ctx.node_span(anchor)[1], lines)
    offset = per_file(ctx, "leading comments end", lambda: _leading_comments_end(ctx.text))
    return Edit(offset, offset, lines)


def _leading_comments_end(text: str) -> int:
    """Offset after the leading comment lines (shebang, coding cookie) of a text."""
    offset = 0
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        offset += len(line)
    return offset


@dataclass(frozen=True)
class _ModuleImports:
    """The module-level import statements of a file, indexed for :class:`ImportPlan`."""

    from_locals: dict[tuple[str, str], str]  # (module, name) -> local name of the first such import
    module_locals: dict[str, str]  # module -> local name of the first ``import`` binding it
    merge_targets: dict[str, ast.ImportFrom]  # module -> first ``from module import ...`` without ``*``


def _module_imports(ctx: FileContext) -> _ModuleImports:
    def compute() -> _ModuleImports:
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
        return _ModuleImports(from_locals, module_locals, merge_targets)

    return per_file(ctx, "module imports", compute)


@dataclass
class ImportPlan:
    """The imports one fix needs; ask for names, then turn the requests into edits."""

    ctx: FileContext
    from_names: dict[str, dict[str, str]] = field(default_factory=dict)  # module -> name -> local
    modules: dict[str, str] = field(default_factory=dict)  # module -> local
    claimed: set[str] = field(default_factory=set)  # names this plan took (the file's own are shared)

    def is_taken(self, name: str) -> bool:
        """Whether a name is in use in the file or claimed by this plan."""
        return name in self.claimed or name in per_file(self.ctx, "taken names", lambda: taken_names(self.ctx))

    def free_name(self, name: str, prefix: str) -> str:
        """``name`` if nothing in the file uses it, else ``prefix + name`` (numbered if needed); claims it."""
        candidate = name
        counter = 1
        while self.is_taken(candidate):
            counter += 1
            candidate = f"{prefix}{name}" if counter == 2 else f"{prefix}{name}_{counter - 1}"
        self.claimed.add(candidate)
        return candidate

    def name(self, module: str, name: str) -> str:
        """The local name under which ``module.name`` is usable after the fix."""
        if name in self.from_names.get(module, {}):
            return self.from_names[module][name]
        existing = _module_imports(self.ctx).from_locals.get((module, name))
        if existing is not None:
            return existing
        local = self.free_name(name, ALIAS_PREFIX.get(module, f"{module.split('.')[0]}_"))
        self.from_names.setdefault(module, {})[name] = local
        return local

    def module(self, module: str) -> str:
        """The local name under which the module ``module`` is usable after the fix."""
        if module in self.modules:
            return self.modules[module]
        existing = _module_imports(self.ctx).module_locals.get(module)
        if existing is not None:
            return existing
        local = self.free_name(module, "std_")
        self.modules[module] = local
        return local

    def edits(self, extra_lines: str = "") -> list[Edit]:
        """Edits adding what was asked for; ``extra_lines`` go right after new imports."""
        newline = newline_of(self.ctx.text)
        edits: list[Edit] = []
        lines: list[str] = []
        for module in sorted(self.modules):
            local = self.modules[module]
            lines.append(f"import {module}" if local == module else f"import {module} as {local}")
        for module in sorted(self.from_names):
            wanted = self.from_names[module]
            spelled = [n if local == n else f"{n} as {local}" for n, local in sorted(wanted.items())]
            target = self._merge_target(module)
            if target is not None:
                end = self.ctx.node_span(target.names[-1])[1]
                edits.append(Edit(end, end, "".join(f", {s}" for s in spelled)))
            else:
                lines.append(f"from {module} import {', '.join(spelled)}")
        text = "".join(line + newline for line in lines) + extra_lines
        if text:
            edits.append(insertion_edit(self.ctx, text))
        return edits

    def _merge_target(self, module: str) -> ast.ImportFrom | None:
        return _module_imports(self.ctx).merge_targets.get(module)


def import_uses(ctx: FileContext) -> dict[tuple[int, str], list[ast.Name]]:
    """For each import binding (statement id, bound name): the names that read it."""
    return per_file(ctx, "import uses", lambda: _import_uses(ctx))


def _import_uses(ctx: FileContext) -> dict[tuple[int, str], list[ast.Name]]:
    model = ctx.model
    uses: dict[tuple[int, str], list[ast.Name]] = {}
    wanted = {record.name for record in model.imports}
    for name, scope in ctx.name_loads:
        if name.id not in wanted:
            continue
        binding = model.lookup(name.id, scope, (name.lineno, name.col_offset))
        if binding is not None and isinstance(binding.node, (ast.Import, ast.ImportFrom)):
            uses.setdefault((id(binding.node), name.id), []).append(name)
    return uses


@dataclass(frozen=True)
class _UseSpans:
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


def _use_spans(ctx: FileContext) -> dict[tuple[int, str], _UseSpans]:
    def compute() -> dict[tuple[int, str], _UseSpans]:
        spans: dict[tuple[int, str], _UseSpans] = {}
        for key, names in import_uses(ctx).items():
            ordered = sorted(ctx.node_span(n) for n in names)
            spans[key] = _UseSpans([start for start, _ in ordered], [end for _, end in ordered])
        return spans

    return per_file(ctx, "import use spans", compute)


def _alias_index(record: ImportRecord) -> int | None:
    for index, alias in enumerate(record.node.names):
        bound = alias.asname or (alias.name.split(".")[0] if isinstance(record.node, ast.Import) else alias.name)
        if bound == record.name:
            return index
    return None


def _siblings(ctx: FileContext, stmt: ast.stmt) -> list[ast.stmt]:
    parent = ctx.parent(stmt) or ctx.tree
    for field_name in ("body", "orelse", "finalbody"):
        block = getattr(parent, field_name, None)
        if isinstance(block, list) and any(s is stmt for s in block):
            return block
    for handler in getattr(parent, "handlers", []) or []:
        if any(s is stmt for s in handler.body):
            return handler.body
    return [stmt, stmt]  # unknown container: never collapse it to ``pass``


def removal_edits(ctx: FileContext, records: Iterable[ImportRecord]) -> list[Edit]:
    """Edits deleting the given import bindings (whole statements when all names go)."""
    by_statement: dict[int, tuple[ast.Import | ast.ImportFrom, set[int]]] = {}
    for record in records:
        index = _alias_index(record)
        if index is None:
            continue
        by_statement.setdefault(id(record.node), (record.node, set()))[1].add(index)
    edits: list[Edit] = []
    for stmt, drop in by_statement.values():
        if len(drop) == len(stmt.names):
            edits.append(remove_statement(ctx, stmt, _siblings(ctx, stmt)))
        else:
            edits.extend(remove_items(ctx, stmt.names, drop))
    return edits


ALL = "__all__"


def exported_names(ctx: FileContext) -> frozenset[str] | None:
    """The names the module's ``__all__`` lists, or None when it is not built from string literals.

    An import named there is used by ``from module import *`` and by the module's public
    interface: no fix removes it (None: any import may be named, so none is removed).
    """

    def compute() -> frozenset[str] | None:
        names: set[str] = set()
        for stmt in ctx.tree.body:
            value = _all_value(stmt)
            if value is None:
                continue
            items = value.elts if isinstance(value, (ast.List, ast.Tuple, ast.Set)) else [value]
            for item in items:
                if not (isinstance(item, ast.Constant) and isinstance(item.value, str)):
                    return None
                names.add(item.value)
        return frozenset(names)

    return per_file(ctx, "exported names", compute)


def _all_value(stmt: ast.stmt) -> ast.expr | None:
    """What a module statement adds to ``__all__`` (``__all__ = [...]``, ``+=``, ``.extend``/``.append``)."""
    if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == ALL for t in stmt.targets):
        return stmt.value
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)) and isinstance(stmt.target, ast.Name):
        return stmt.value if stmt.target.id == ALL else None
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == ALL:
            return stmt.value.args[0] if len(stmt.value.args) == 1 else ast.Name(id="?")
    return None


def is_exported(ctx: FileContext, name: str) -> bool:
    """Whether ``__all__`` may name ``name`` (always, when ``__all__`` is computed)."""
    exported = exported_names(ctx)
    return exported is None or name in exported


def unused_after(ctx: FileContext, replaced: Sequence[tuple[int, int]]) -> list[ImportRecord]:
    """Dagster imports read inside ``replaced`` spans and nowhere else (the fix orphans them)."""
    spans = _use_spans(ctx)
    orphans = []
    for record in ctx.model.imports:
        if not is_dagster_module(record.qualname) or is_exported(ctx, record.name):
            continue
        uses = spans.get((id(record.node), record.name))
        if uses is not None and uses.count_inside(replaced) == len(uses.starts):
            orphans.append(record)
    return orphans


def used_imports(ctx: FileContext) -> set[tuple[str, str]]:
    """(bound name, qualified name) of every Dagster import the file reads."""
    uses = import_uses(ctx)
    return {
        (record.name, record.qualname)
        for record in ctx.model.imports
        if is_dagster_module(record.qualname) and uses.get((id(record.node), record.name))
    }


def orphaned_imports(ctx: FileContext, used_before: set[tuple[str, str]]) -> list[ImportRecord]:
    """Dagster imports that were read before the fixes and are read nowhere now."""
    uses = import_uses(ctx)
    return [
        record
        for record in ctx.model.imports
        if is_dagster_module(record.qualname)
        and (record.name, record.qualname) in used_before
        and not uses.get((id(record.node), record.name))
        and not is_exported(ctx, record.name)
    ]


def fix_unused_dagster_import(ctx: FileContext, match: object) -> FixOutcome:
    """DZ104 fixer: drop the names of a Dagster import that nothing in the file reads.

    Names still in use go away with the fixes that rewrite their uses (each fix removes
    what it orphans), so this only cleans up imports that are already dead.
    """
    node = getattr(match, "node", None)
    uses = import_uses(ctx)
    records = [r for r in ctx.model.imports if r.node is node and is_dagster_module(r.qualname)]
    unused = [r for r in records if not uses.get((id(r.node), r.name)) and not is_exported(ctx, r.name)]
    if not records or not unused:
        return FixOutcome(blocker="the imported names are still used; the fixes that rewrite those uses drop them")
    edits = removal_edits(ctx, unused)
    names = ", ".join(r.name for r in unused)
    return FixOutcome(
        fix=Fix(
            edits=tuple(sorted(edits)),
            applicability=Applicability.SAFE,
            description=f"Remove the unused Dagster import of {names}",
        )
    )


def replace_removed_import(ctx: FileContext, additions: list[Edit], removals: list[Edit]) -> list[Edit]:
    """Put new import lines where a removed Dagster import statement stood (not below the block).

    ``from dagster import job, op`` becomes ``from zenml import pipeline, step`` in place,
    instead of leaving a hole at the top and adding a line further down.
    """
    insertion = next((e for e in additions if e.start == e.end and e.replacement.endswith(("\n", "\r"))), None)
    whole_lines = [
        e
        for e in removals
        if e.replacement == ""
        and (e.start == 0 or ctx.text[e.start - 1] in "\r\n")
        and ctx.text[e.end - 1 : e.end] in ("\n", "\r")
    ]
    if insertion is None or not whole_lines:
        return [*additions, *removals]
    target = min(whole_lines, key=lambda e: e.start)
    moved = Edit(target.start, target.end, insertion.replacement)
    return [*(e for e in additions if e is not insertion), *(e for e in removals if e is not target), moved]
