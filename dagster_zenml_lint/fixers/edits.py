"""Text-edit building blocks shared by the fixers: lines, indentation, argument removal.

Every function works on character offsets of the decoded text (the offsets
:meth:`FileContext.node_span` returns) and touches nothing outside the span it edits.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from dagster_zenml_lint.findings import Applicability, Edit, Fix, ImportedOpNeed, ImporterNeed
from dagster_zenml_lint.registry import FixOutcome
from dagster_zenml_lint.source import LINE_END

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext
    from dagster_zenml_lint.semantic import Scope

T = TypeVar("T")


def edits_conflict(first: Edit, second: Edit) -> bool:
    """Whether two different edits cannot both be applied unambiguously.

    Two insertions at one offset conflict (their order is unknown); an insertion at the
    boundary of a replaced span does not.
    """
    if first == second:
        return False
    if first.start == first.end and second.start == second.end:
        return first.start == second.start
    if first.start == first.end:
        return second.start < first.start < second.end
    if second.start == second.end:
        return first.start < second.start < first.end
    return first.start < second.end and second.start < first.end


def has_conflicts(edits: Iterable[Edit]) -> bool:
    """Whether any two edits conflict (:func:`edits_conflict`), in O(n log n) instead of pairwise.

    Equal edits never conflict; distinct insertions at one offset do; an insertion
    conflicts with a replacement that strictly contains its offset; replacements conflict
    when they overlap.
    """
    insertions: dict[int, Edit] = {}
    replacements: list[Edit] = []
    for edit in set(edits):
        if edit.start == edit.end:
            if edit.start in insertions:
                return True
            insertions[edit.start] = edit
        else:
            replacements.append(edit)
    replacements.sort()
    starts = [edit.start for edit in replacements]
    furthest: list[int] = []  # furthest end among replacements[: i + 1]
    for edit in replacements:
        if furthest and edit.start < furthest[-1]:
            return True
        furthest.append(max(furthest[-1], edit.end) if furthest else edit.end)
    for offset in insertions:
        before = bisect.bisect_left(starts, offset)  # replacements starting before the insertion
        if before and furthest[before - 1] > offset:
            return True
    return False


class EditIndex:
    """A growing set of mutually non-conflicting edits that answers "does this edit conflict?" quickly.

    Kept edits never conflict with each other, so their replacements are disjoint and
    sorted by start their ends are sorted too: each question is a binary search.
    """

    def __init__(self) -> None:
        self.edits: list[Edit] = []  # in the order they were added
        self._members: set[Edit] = set()
        self._insertions: dict[int, Edit] = {}
        self._insertion_offsets: list[int] = []
        self._replacements: list[Edit] = []  # sorted, disjoint
        self._replacement_starts: list[int] = []

    def __contains__(self, edit: Edit) -> bool:
        return edit in self._members

    def conflicts(self, edit: Edit) -> bool:
        """Whether ``edit`` conflicts with a kept edit (:func:`edits_conflict`)."""
        if edit in self._members:
            return False
        if edit.start == edit.end:
            if edit.start in self._insertions:
                return True
            index = bisect.bisect_left(self._replacement_starts, edit.start) - 1
            return index >= 0 and self._replacements[index].end > edit.start
        after = bisect.bisect_right(self._insertion_offsets, edit.start)
        if after < len(self._insertion_offsets) and self._insertion_offsets[after] < edit.end:
            return True
        index = bisect.bisect_left(self._replacement_starts, edit.end) - 1
        return index >= 0 and self._replacements[index].end > edit.start

    def add(self, edit: Edit) -> None:
        """Keep an edit (the caller checked that it does not conflict)."""
        if edit in self._members:
            return
        self._members.add(edit)
        self.edits.append(edit)
        if edit.start == edit.end:
            self._insertions[edit.start] = edit
            bisect.insort(self._insertion_offsets, edit.start)
        else:
            index = bisect.bisect_left(self._replacement_starts, edit.start)
            self._replacements.insert(index, edit)
            self._replacement_starts.insert(index, edit.start)


def string_literal(value: str) -> str:
    """A Python string literal for ``value``: its ``repr``, in double quotes when no escape changes."""
    text = repr(value)
    if text.startswith("'") and '"' not in value and "'" not in value:
        return f'"{text[1:-1]}"'
    return text


def newline_of(text: str) -> str:
    """The file's newline style: its first line ending, ``"\\n"`` when it has none."""
    match = LINE_END.search(text)
    return match.group() if match else "\n"


def line_start(text: str, offset: int) -> int:
    """Offset of the first character of the line holding ``offset``."""
    newline = text.rfind("\n", 0, offset)
    # a carriage return before that newline cannot end a later line: look only after it
    return max(newline, text.rfind("\r", newline + 1, offset)) + 1


def line_end(text: str, offset: int) -> int:
    """Offset just after the line ending of the line holding ``offset`` (or the text's end)."""
    match = LINE_END.search(text, offset)
    return match.end() if match else len(text)


def indentation_at(text: str, offset: int) -> str:
    """The leading whitespace of the line holding ``offset``."""
    start = line_start(text, offset)
    end = start
    while end < len(text) and text[end] in " \t":
        end += 1
    return text[start:end]


def insert_after_line(text: str, offset: int, lines: str) -> Edit:
    """An edit inserting ``lines`` (each ending in a newline) after the line holding ``offset``.

    When that line is the last one and has no line ending, the inserted text starts with
    a newline instead of ending with one, so the file still ends without a newline.
    """
    end = line_end(text, offset)
    if end == len(text) and not text.endswith(("\n", "\r")):
        newline = newline_of(text)
        body = lines[: -len(newline)] if lines.endswith(newline) else lines
        return Edit(end, end, newline + body)
    return Edit(end, end, lines)


def statement_lines_span(ctx: FileContext, node: ast.stmt) -> tuple[int, int] | None:
    """The span of whole lines a statement occupies, or None when it shares a line."""
    start, end = ctx.node_span(node)
    first = line_start(ctx.text, start)
    if ctx.text[first:start].strip():
        return None
    last = line_end(ctx.text, end)
    tail = ctx.text[end:last]
    if tail.strip() and not tail.strip().startswith("#"):
        return None
    return first, last


def remove_statement(ctx: FileContext, node: ast.stmt, siblings: Sequence[ast.stmt]) -> Edit:
    """Delete a statement: its whole lines, or ``pass`` when it is the only one in its block."""
    start, end = ctx.node_span(node)
    if len(siblings) == 1:
        return Edit(start, end, "pass")
    span = statement_lines_span(ctx, node)
    if span is None:
        return Edit(start, end, "pass")
    return Edit(span[0], span[1], "")


def remove_items(ctx: FileContext, items: Sequence[ast.AST], drop: set[int]) -> list[Edit]:
    """Edits deleting the items at indexes ``drop`` from a comma-separated list.

    ``items`` are nodes in source order (call arguments, imported aliases). Each run of
    consecutive dropped items is removed together with the comma that separates it from
    its neighbour, so whatever lies outside the run (comments, layout, a trailing comma)
    stays. Dropping every item is the caller's business (the list becomes empty).
    """
    edits: list[Edit] = []
    index = 0
    count = len(items)
    while index < count:
        if index not in drop:
            index += 1
            continue
        first = index
        while index + 1 < count and index + 1 in drop:
            index += 1
        last = index
        if last + 1 < count:
            start = ctx.node_span(items[first])[0]
            end = ctx.node_span(items[last + 1])[0]
        elif first > 0 and _owns_its_lines(ctx, items[first], items[last]):
            # The last items, each on lines of their own: drop those lines and keep the
            # previous item's line (and its comment) as it is.
            end = ctx.node_span(items[last])[1]
            while end < len(ctx.text) and ctx.text[end] in " \t,":
                end += 1
            start = line_start(ctx.text, ctx.node_span(items[first])[0])
            end = line_end(ctx.text, end)
        elif first > 0:
            start = ctx.node_span(items[first - 1])[1]
            end = ctx.node_span(items[last])[1]
        else:
            start = ctx.node_span(items[first])[0]
            end = ctx.node_span(items[last])[1]
        edits.append(Edit(start, end, ""))
        index += 1
    return edits


def _owns_its_lines(ctx: FileContext, first: ast.AST, last: ast.AST) -> bool:
    """Whether a run of items starts its line and nothing but a comma or comment follows it."""
    start = ctx.node_span(first)[0]
    if ctx.text[line_start(ctx.text, start) : start].strip():
        return False
    end = ctx.node_span(last)[1]
    rest = ctx.text[end : line_end(ctx.text, end)].strip().removeprefix(",").strip()
    return rest == "" or rest.startswith("#")


def call_arguments(call: ast.Call) -> list[ast.AST]:
    """A call's positional and keyword arguments in source order."""
    args: list[ast.AST] = [*call.args, *call.keywords]
    return sorted(args, key=lambda n: (n.lineno, n.col_offset))  # type: ignore[attr-defined]


def keyword_name_span(ctx: FileContext, keyword: ast.keyword) -> tuple[int, int]:
    """The span of a keyword argument's name (``retry_policy`` in ``retry_policy=...``)."""
    start = ctx.node_span(keyword)[0]
    return start, start + len(keyword.arg or "")


def parameter_list(args: ast.arguments) -> list[ast.arg]:
    """A function's parameters in source order (without ``*args``/``**kwargs``)."""
    return [*args.posonlyargs, *args.args, *args.kwonlyargs]


@dataclass
class FixDraft:
    """Edits being collected for one fix, with why it is unsafe or impossible."""

    edits: list[Edit] = field(default_factory=list)
    unsafe_reasons: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    needs: list[ImportedOpNeed | ImporterNeed] = field(default_factory=list)  # answered by other files
    _unsafe_seen: set[str] = field(default_factory=set, repr=False, compare=False)

    def add(self, edit: Edit) -> None:
        """Add an edit."""
        self.edits.append(edit)

    def unsafe(self, reason: str) -> None:
        """Record why the fix changes behaviour (it becomes unsafe)."""
        if len(self._unsafe_seen) != len(self.unsafe_reasons):  # the list was changed directly
            self._unsafe_seen = set(self.unsafe_reasons)
        if reason not in self._unsafe_seen:
            self._unsafe_seen.add(reason)
            self.unsafe_reasons.append(reason)

    def require(self, need: ImportedOpNeed | ImporterNeed) -> None:
        """Record that the fix's safety depends on another file (settled by the front-end)."""
        if need not in self.needs:
            self.needs.append(need)

    def block(self, reason: str) -> None:
        """Record why no fix is possible."""
        if reason not in self.blockers:
            self.blockers.append(reason)

    @property
    def applicability(self) -> Applicability:
        """Safe unless something made it unsafe."""
        return Applicability.UNSAFE if self.unsafe_reasons else Applicability.SAFE

    def replaced_spans(self) -> list[tuple[int, int]]:
        """Spans the edits replace or delete (insertions replace nothing)."""
        return [(e.start, e.end) for e in self.edits if e.end > e.start]

    def outcome(self, description: str) -> FixOutcome:
        """The fixer's answer: a fix, or the reasons there is none."""
        if self.blockers:
            return FixOutcome(blocker="; ".join(self.blockers))
        if not self.edits:
            return FixOutcome(blocker="nothing to rewrite")
        if has_conflicts(_coalesce_insertions(self.edits)):
            return FixOutcome(blocker="the rewrite would need overlapping edits; convert by hand")
        note = f" (unsafe: {'; '.join(self.unsafe_reasons)})" if self.unsafe_reasons else ""
        fix = Fix(
            edits=tuple(sorted(set(self.edits))),
            applicability=self.applicability,
            description=description + note,
            requires=tuple(self.needs),
        )
        return FixOutcome(fix=fix, blocker="; ".join(self.unsafe_reasons) or None)


def _coalesce_insertions(edits: list[Edit]) -> list[Edit]:
    """Join insertions at one offset into one edit, in the order they were added."""
    merged: list[Edit] = []
    insertion_at: dict[int, int] = {}  # offset -> index in merged of the insertion there
    for edit in edits:
        if edit.start == edit.end:
            same = insertion_at.get(edit.start)
            if same is not None:
                if edit.replacement not in merged[same].replacement:
                    merged[same] = Edit(edit.start, edit.end, merged[same].replacement + edit.replacement)
                continue
            insertion_at[edit.start] = len(merged)
        merged.append(edit)
    return merged


def parent_of(ctx: FileContext, node: ast.AST) -> ast.AST | None:
    """The syntactic parent of any node (the engine's walk records every one)."""
    return ctx.parent(node)


def closing_paren_of_parameters(ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Offset of the ``)`` that closes a function's parameter list (strings and comments skipped)."""
    text = ctx.text
    position = text.index("(", ctx.offset(func.lineno, func.col_offset))
    depth = 0
    while position < len(text):
        char = text[position]
        if char in "'\"":
            quote = text[position : position + 3] if text[position : position + 3] in ("'''", '"""') else char
            position += len(quote)
            while position < len(text) and text[position : position + len(quote)] != quote:
                position += 2 if text[position] == "\\" else 1
            position += len(quote)
            continue
        if char == "#":
            position = line_end(text, position)
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    raise ValueError(f"no closing parenthesis for def {func.name}")


def scope_of_node(ctx: FileContext, node: ast.AST) -> Scope:
    """The innermost scope a node sits in (for name lookups at its position)."""
    current = parent_of(ctx, node)
    while current is not None:
        scope = ctx.model.scope_of(current)
        if scope is not None:
            return scope
        current = parent_of(ctx, current)
    return ctx.model.module_scope


def resolves_to(ctx: FileContext, node: ast.AST, *canonicals: str) -> bool:
    """Whether a name or attribute chain refers to one of the given public Dagster objects."""
    from dagster_zenml_lint.analysis.names import canonicalize

    qual = ctx.model.resolve(node, scope_of_node(ctx, node))
    if qual is None:
        return False
    canonical, attrs = canonicalize(qual)
    return ".".join([canonical, *attrs]) in canonicals


def original_name(node: ast.ImportFrom, bound: str) -> str:
    """The name a module defines for what ``from module import name as bound`` binds."""
    return next((alias.name for alias in node.names if (alias.asname or alias.name) == bound), bound)
