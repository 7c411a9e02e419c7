"""Marker comments for ``--add-markers`` (display-only fixes).

Above each HIGH finding: ``# TODO(migration): DZ304 dagster-sensor — <redesign hint>``;
above each approximate one: ``# Migration note: DZ201 dagster-asset — <what changes>``.
The comment is indented like the line it annotates and placed above the first line of a
backslash-continued statement. A marker already present in the comment block right
above the line is not added again, so running twice adds nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Applicability, Edit, Finding, Fix, Mapping, Severity
from dagster_zenml_lint.fixers.edits import LINE_END, newline_of, per_file
from dagster_zenml_lint.registry import rules_by_code

if TYPE_CHECKING:
    from dagster_zenml_lint.engine import FileContext


def marker_text(finding: Finding) -> str | None:
    """The marker comment for a finding (without indentation), or None when it gets none."""
    rule = rules_by_code().get(finding.code)
    if rule is None or finding.code == "DZ000":
        return None
    hint = " ".join(rule.hint.split())
    if rule.severity is Severity.HIGH:
        return f"# TODO(migration): {rule.code} {rule.symbol} — {hint}"
    if rule.mapping is Mapping.APPROXIMATE:
        return f"# Migration note: {rule.code} {rule.symbol} — {hint}"
    return None


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in LINE_END.finditer(text))]


def _lines(text: str) -> tuple[list[int], list[str]]:
    """The line starts of a text and its lines (with their endings)."""
    starts = _line_starts(text)
    ends = [*starts[1:], len(text)]
    return starts, [text[start:end] for start, end in zip(starts, ends, strict=True)]


def _comments_above(lines: list[str], index: int) -> set[str]:
    """The stripped comment lines directly above line ``index`` (0-based)."""
    found: set[str] = set()
    row = index - 1
    while row >= 0 and lines[row].strip().startswith("#"):
        found.add(lines[row].strip())
        row -= 1
    return found


def _string_interiors(ctx: FileContext) -> dict[int, int]:
    """0-based line index -> index of the line where the multi-line string covering it starts."""
    inside: dict[int, int] = {}
    for node in ast.walk(ctx.tree):
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and node.end_lineno and node.end_lineno > node.lineno:
            for row in range(node.lineno, node.end_lineno):
                inside.setdefault(row, node.lineno - 1)
    return inside


def marker_edits(ctx: FileContext, findings: Iterable[Finding]) -> list[Edit]:
    """One insertion per annotated line, holding every marker that line still lacks."""
    text = ctx.text
    # per file: marker_fix asks once per finding
    interiors = per_file(ctx, "string interiors", lambda: _string_interiors(ctx))
    starts, lines = per_file(ctx, "marker lines", lambda: _lines(text))
    newline = newline_of(text)
    wanted: dict[int, list[str]] = {}
    for finding in sorted(findings, key=lambda f: f.sort_key):
        marker = marker_text(finding)
        if marker is None:
            continue
        index = min(finding.line - 1, len(lines) - 1)
        moved = True
        while moved:
            moved = False
            if index in interiors:
                index, moved = interiors[index], True
            if index > 0 and lines[index - 1].rstrip("\r\n").endswith("\\"):
                index, moved = index - 1, True
        present = _comments_above(lines, index)
        if marker in present or marker in wanted.get(index, []):
            continue
        wanted.setdefault(index, []).append(marker)
    edits = []
    for index, markers in sorted(wanted.items()):
        line = lines[index]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        edits.append(Edit(starts[index], starts[index], "".join(f"{indent}{m}{newline}" for m in markers)))
    return edits


def marker_fix(ctx: FileContext, finding: Finding) -> Fix | None:
    """The display-only fix that adds one finding's marker (for front-ends that show fixes)."""
    edits = marker_edits(ctx, [finding])
    if not edits:
        return None
    return Fix(edits=tuple(edits), applicability=Applicability.DISPLAY_ONLY, description="Add a migration marker")
