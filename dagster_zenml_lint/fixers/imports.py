"""DZ104 import rewriting, shared by every fixer.

A fix asks an :class:`ImportPlan` for the ZenML (or standard library) names it needs and
gets back the local name to write; the plan turns those requests into edits that merge
into an existing ``from zenml import ...`` or add one statement after the module's
import block. :func:`removal_edits` deletes Dagster imports that a fix leaves unused,
and only those: a name still used anywhere outside the fix's edits stays imported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Applicability, Edit, Fix
from dagster_zenml_lint.fixers.edits import (
    insert_after_line,
    line_end,
    line_start,
    newline_of,
    remove_items,
    remove_statement,
)
from dagster_zenml_lint.fixers.file_index import file_index
from dagster_zenml_lint.fixers.import_facts import ImportBlock, ImportKey, import_key, section_of_module
from dagster_zenml_lint.registry import FixOutcome
from dagster_zenml_lint.semantic import ImportRecord, is_dagster_module

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext

# Prefix for an alias when the plain name is already taken in the file (``zenml_step``).
ALIAS_PREFIX = {"zenml": "zenml_", "zenml.config": "zenml_", "typing": "typing_"}


def member_key(name: str) -> tuple[int, str]:
    """How isort orders the names of ``from m import ...``: constants, classes, then the rest."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    return (1 if name[:1].isupper() else 2, name.lower())


def placement_edits(
    ctx: FileContext,
    statements: list[tuple[ImportKey, str]],
    extra_lines: str = "",
    removed: frozenset[int] = frozenset(),
) -> list[Edit]:
    """Insertions putting new import statements where isort would, then ``extra_lines`` after the block.

    The place is worked out among the statements that stay (``removed``: ids of
    statements the same fix deletes). A statement whose section exists goes before the
    first statement of that section that sorts after it (or after the section's last
    one); a statement of a new section gets a section of its own, between blank lines.
    One edit per offset, so what is inserted at one place keeps the order written.
    """
    newline = newline_of(ctx.text)
    block = file_index(ctx).import_block
    staying = [i for i, stmt in enumerate(block.statements) if id(stmt) not in removed]
    if not staying:
        text = _render([(key, line, "alone") for key, line in sorted(statements)], newline)
        if block.statements:  # in the place of the removed block, whose blank lines stay after it
            offset = line_start(ctx.text, ctx.node_span(block.statements[0])[0])
            return [Edit(offset, offset, text + extra_lines)] if text + extra_lines else []
        if text:
            text += newline  # the import block ends with a blank line
        return [insertion_edit(ctx, text + extra_lines)] if text + extra_lines else []
    pieces: dict[int, list[tuple[ImportKey, str, str]]] = {}
    for key, line in sorted(statements):
        offset, mode = _place(ctx, block, staying, key)
        pieces.setdefault(offset, []).append((key, line, mode))
    end = line_end(ctx.text, ctx.node_span(block.statements[staying[-1]])[1])
    edits = []
    for offset, items in sorted(pieces.items()):
        text = _render(items, newline)
        if offset == end:
            text, extra_lines = text + extra_lines, ""
        edits.append(_insert_at(ctx.text, offset, text))
    if extra_lines:
        edits.append(_insert_at(ctx.text, end, extra_lines))
    return edits


def _insert_at(text: str, offset: int, lines: str) -> Edit:
    """Insert whole lines at a line start (or after the last line, which may lack its newline)."""
    if offset == len(text) and not text.endswith(("\n", "\r")):
        newline = newline_of(text)
        return Edit(offset, offset, newline + lines.removesuffix(newline))
    return Edit(offset, offset, lines)


def _place(ctx: FileContext, block: ImportBlock, staying: list[int], key: ImportKey) -> tuple[int, str]:
    """Where a statement with ``key`` goes among the ``staying`` statements: (a line start, how it joins)."""
    section = key[0]
    statements, keys = block.statements, block.keys
    for index in staying:
        if keys[index][0] == section and keys[index] > key:
            return line_start(ctx.text, ctx.node_span(statements[index])[0]), "in"
    same = [index for index in staying if keys[index][0] == section]
    if same:
        return line_end(ctx.text, ctx.node_span(statements[same[-1]])[1]), "in"
    later = next((index for index in staying if keys[index][0] > section), None)
    if later is not None:
        return line_start(ctx.text, ctx.node_span(statements[later])[0]), "before"
    return line_end(ctx.text, ctx.node_span(statements[staying[-1]])[1]), "after"


def _render(items: list[tuple[ImportKey, str, str]], newline: str) -> str:
    """Lines inserted at one place: a blank line between sections, and around a new section."""
    out: list[str] = []
    items = sorted(items)
    for index, (key, line, mode) in enumerate(items):
        starts_section = mode == "after" if index == 0 else key[0] != items[index - 1][0][0]
        if starts_section:
            out.append(newline)
        out.append(line + newline)
    if items and items[-1][2] == "before":
        out.append(newline)
    return "".join(out)


def _merge_members(ctx: FileContext, target: ast.ImportFrom, spelled: dict[str, str]) -> list[Edit]:
    """Edits adding names to an existing ``from m import ...``, each at its sorted place."""
    at: dict[int, list[str]] = {}
    appended: list[str] = []
    for name in sorted(spelled, key=member_key):
        following = next((a for a in target.names if member_key(a.name) > member_key(name)), None)
        if following is None:
            appended.append(spelled[name])
        else:
            at.setdefault(ctx.node_span(following)[0], []).append(spelled[name])
    edits = [Edit(offset, offset, "".join(f"{s}, " for s in names)) for offset, names in at.items()]
    if appended:
        end = ctx.node_span(target.names[-1])[1]
        edits.append(Edit(end, end, "".join(f", {s}" for s in appended)))
    return edits


def insertion_edit(ctx: FileContext, lines: str) -> Edit:
    """An edit adding whole lines after the module's import block (or at the top)."""
    anchor = file_index(ctx).import_block_end
    if anchor is not None:
        return insert_after_line(ctx.text, ctx.node_span(anchor)[1], lines)
    offset = file_index(ctx).leading_comments_end
    return Edit(offset, offset, lines)


@dataclass
class ImportPlan:
    """The imports one fix needs; ask for names, then turn the requests into edits."""

    ctx: FileContext
    from_names: dict[str, dict[str, str]] = field(default_factory=dict)  # module -> name -> local
    modules: dict[str, str] = field(default_factory=dict)  # module -> local
    claimed: set[str] = field(default_factory=set)  # names this plan took (the file's own are shared)

    def is_taken(self, name: str) -> bool:
        """Whether a name is in use in the file or claimed by this plan."""
        return name in self.claimed or name in file_index(self.ctx).taken_names

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
        existing = file_index(self.ctx).module_imports.from_locals.get((module, name))
        if existing is not None:
            return existing
        local = self.free_name(name, ALIAS_PREFIX.get(module, f"{module.split('.')[0]}_"))
        self.from_names.setdefault(module, {})[name] = local
        return local

    def module(self, module: str) -> str:
        """The local name under which the module ``module`` is usable after the fix."""
        if module in self.modules:
            return self.modules[module]
        existing = file_index(self.ctx).module_imports.module_locals.get(module)
        if existing is not None:
            return existing
        local = self.free_name(module, "std_")
        self.modules[module] = local
        return local

    def edits(self, extra_lines: str = "", removing: Iterable[ImportRecord] = ()) -> list[Edit]:
        """Edits adding what was asked for, each import where isort would put it.

        A new statement goes into the section it belongs to (standard library, third
        party...) at its sorted place; a name merged into an existing ``from m import
        ...`` goes at its sorted place among the names there. ``extra_lines`` (a module
        logger's definition) go after the import block. ``removing``: the Dagster imports
        the fix deletes (their removal edits are part of the answer).
        """
        edits: list[Edit] = []
        statements: list[tuple[ImportKey, str]] = []
        for module in sorted(self.modules):
            local = self.modules[module]
            text = f"import {module}" if local == module else f"import {module} as {local}"
            statements.append((import_key(module, 0, section_of_module(module)), text))
        for module in sorted(self.from_names):
            wanted = self.from_names[module]
            spelled = {n: n if local == n else f"{n} as {local}" for n, local in wanted.items()}
            target = self._merge_target(module)
            if target is not None:
                edits.extend(_merge_members(self.ctx, target, spelled))
            else:
                members = ", ".join(spelled[n] for n in sorted(spelled, key=member_key))
                statements.append((import_key(module, 1, section_of_module(module)), f"from {module} import {members}"))
        removals, removed = _removals(self.ctx, removing)
        edits.extend(placement_edits(self.ctx, statements, extra_lines, removed))
        return [*edits, *removals]

    def _merge_target(self, module: str) -> ast.ImportFrom | None:
        return file_index(self.ctx).module_imports.merge_targets.get(module)


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
    return _removals(ctx, records)[0]


def _removals(ctx: FileContext, records: Iterable[ImportRecord]) -> tuple[list[Edit], frozenset[int]]:
    """Edits deleting import bindings, and the ids of the statements deleted whole.

    A blank-line group of the leading import block that goes whole takes one of the
    blank lines around it along (the one below when an import stays below it, else the
    one above), so isort's single blank line between sections stays single.
    """
    by_statement: dict[int, tuple[ast.Import | ast.ImportFrom, set[int]]] = {}
    for record in records:
        index = _alias_index(record)
        if index is None:
            continue
        by_statement.setdefault(id(record.node), (record.node, set()))[1].add(index)
    whole = frozenset(key for key, (stmt, drop) in by_statement.items() if len(drop) == len(stmt.names))
    edits: list[Edit] = []
    for stmt, drop in by_statement.values():
        if len(drop) == len(stmt.names):
            edits.append(_with_blank_line(ctx, stmt, remove_statement(ctx, stmt, _siblings(ctx, stmt)), whole))
        else:
            edits.extend(remove_items(ctx, stmt.names, drop))
    return edits, whole


def _with_blank_line(ctx: FileContext, stmt: ast.stmt, removal: Edit, whole: frozenset[int]) -> Edit:
    """Widen the removal of the first or last statement of a block group that goes whole."""
    if removal.replacement:
        return removal
    block = file_index(ctx).import_block
    index = next((i for i, s in enumerate(block.statements) if s is stmt), None)
    if index is None:
        return removal
    group = [i for i, g in enumerate(block.groups) if g == block.groups[index]]
    if any(id(block.statements[i]) not in whole for i in group):
        return removal
    here = block.groups[index]
    pairs = list(zip(block.statements, block.groups, strict=True))
    staying_below = any(id(s) not in whole for s, g in pairs if g > here)
    staying_above = any(id(s) not in whole for s, g in pairs if g < here)
    text = ctx.text
    if staying_below and index == group[-1]:
        below_end = line_end(text, removal.end)
        if not text[removal.end : below_end].strip():
            return Edit(removal.start, below_end, "")
    elif not staying_below and staying_above and index == group[0] and removal.start:
        above_start = line_start(text, removal.start - 1)
        if not text[above_start : removal.start].strip():
            return Edit(above_start, removal.end, "")
    return removal


def is_exported(ctx: FileContext, name: str) -> bool:
    """Whether ``__all__`` may name ``name`` (always, when ``__all__`` is computed)."""
    exported = file_index(ctx).exported_names
    return exported is None or name in exported


def unused_after(ctx: FileContext, replaced: Sequence[tuple[int, int]]) -> list[ImportRecord]:
    """Dagster imports read inside ``replaced`` spans and nowhere else (the fix orphans them)."""
    return [
        record
        for record, uses in file_index(ctx).dagster_import_spans
        if uses.count_inside(replaced) == len(uses.starts)
    ]


def used_imports(ctx: FileContext) -> set[tuple[str, str]]:
    """(bound name, qualified name) of every Dagster import the file reads."""
    uses = file_index(ctx).import_uses
    return {
        (record.name, record.qualname)
        for record in ctx.model.imports
        if is_dagster_module(record.qualname) and uses.get((id(record.node), record.name))
    }


def orphaned_imports(ctx: FileContext, used_before: set[tuple[str, str]]) -> list[ImportRecord]:
    """Dagster imports that were read before the fixes and are read nowhere now."""
    uses = file_index(ctx).import_uses
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
    uses = file_index(ctx).import_uses
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
