"""Marker comments for ``--add-markers`` (display-only fixes).

For HIGH findings: ``# TODO(migration): DZ304 dagster-sensor — <redesign hint>``; for
approximate ones: ``# Migration note: DZ201 dagster-asset — <what changes>``.

One marker per object and rule: the findings inside a function or class (its
decorators included) share one marker per rule, placed above its first decorator (a
sensor's five findings give one TODO above ``@sensor``, never one inside its body); a
finding outside any function or class is marked above the statement that holds it.
Markers are wrapped at :data:`WIDTH` columns (continuation lines start with ``#   ``)
and indented like the line they annotate. A marker of the same rule already in the
comment block right above is not added again, so running twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Applicability, Edit, Finding, Fix, Mapping, Severity
from dagster_zenml_lint.fixers.edits import newline_of
from dagster_zenml_lint.fixers.file_index import file_index
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.rules import PARSE_ERROR

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext

WIDTH = 100  # columns a marker comment is wrapped at


def marker_text(finding: Finding) -> str | None:
    """The marker comment for a finding (without indentation), or None when it gets none."""
    rule = rules_by_code().get(finding.code)
    if rule is None or finding.code == PARSE_ERROR:
        return None
    hint = " ".join(rule.hint.split())
    if rule.severity is Severity.HIGH:
        return f"# TODO(migration): {rule.code} {rule.symbol} — {hint}"
    if rule.mapping is Mapping.APPROXIMATE:
        return f"# Migration note: {rule.code} {rule.symbol} — {hint}"
    return None


def marker_key(marker: str) -> str:
    """What identifies a marker in the code: its prefix, code and symbol (the text before the dash)."""
    return marker.split(" \u2014 ", 1)[0]


def wrapped(marker: str, indent: str) -> list[str]:
    """A marker as comment lines of at most :data:`WIDTH` columns (long words are never split)."""
    import textwrap

    lines = textwrap.wrap(
        marker,
        width=max(WIDTH - len(indent), 40),
        subsequent_indent="#   ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [f"{indent}{line}" for line in lines] or [f"{indent}{marker}"]


def anchor_line(ctx: FileContext, line: int) -> int | None:
    """The 1-based line a finding's marker goes above: its object's first decorator, else its statement."""
    objects, statements = file_index(ctx).marker_anchors
    inside = [first for first, last in objects if first <= line <= last]
    if inside:
        return max(inside)  # the innermost function or class
    return next((first for first, last in statements if first <= line <= last), None)


def _comments_above(lines: list[str], index: int) -> set[str]:
    """The stripped comment lines directly above line ``index`` (0-based): the block a marker would join."""
    found: set[str] = set()
    row = index - 1
    while row >= 0 and lines[row].strip().startswith("#"):
        found.add(lines[row].strip())
        row -= 1
    return found


def marker_edits(ctx: FileContext, findings: Iterable[Finding]) -> list[Edit]:
    """One insertion per annotated object or statement, holding every marker it still lacks (one per rule)."""
    text = ctx.text
    # per file: marker_fix asks once per finding
    interiors = file_index(ctx).string_interiors
    starts, lines = file_index(ctx).lines
    newline = newline_of(text)
    wanted: dict[int, list[str]] = {}
    for finding in sorted(findings, key=lambda f: f.sort_key):
        marker = marker_text(finding)
        if marker is None:
            continue
        anchor = anchor_line(ctx, finding.line)
        index = min((anchor if anchor is not None else finding.line) - 1, len(lines) - 1)
        moved = True
        while moved:
            moved = False
            if index in interiors:
                index, moved = interiors[index], True
            if index > 0 and lines[index - 1].rstrip("\r\n").endswith("\\"):
                index, moved = index - 1, True
        key = marker_key(marker)
        present = _comments_above(lines, index)
        if any(line.startswith(key) for line in (*present, *wanted.get(index, []))):
            continue
        wanted.setdefault(index, []).append(marker)
    edits = []
    for index, markers in sorted(wanted.items()):
        line = lines[index]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        comment = [row for marker in markers for row in wrapped(marker, indent)]
        edits.append(Edit(starts[index], starts[index], "".join(f"{row}{newline}" for row in comment)))
    return edits


def marker_fix(ctx: FileContext, finding: Finding) -> Fix | None:
    """The display-only fix that adds one finding's marker (for front-ends that show fixes)."""
    edits = marker_edits(ctx, [finding])
    if not edits:
        return None
    return Fix(edits=tuple(edits), applicability=Applicability.DISPLAY_ONLY, description="Add a migration marker")
