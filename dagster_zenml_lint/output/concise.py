"""``--output-format concise``: ``path:line:col: CODE [*] message``, one line per finding (ruff's concise).

The text format without the severity, for tools and people that want the shortest line;
the summary line is the text format's (``--quiet`` drops it, ``--statistics`` applies).
"""

from __future__ import annotations

from collections.abc import Sequence

from dagster_zenml_lint.output import OutputOptions, is_fixable, location
from dagster_zenml_lint.output.text import render as render_text
from dagster_zenml_lint.output.text import summary
from dagster_zenml_lint.runner import FileResult


def render(results: Sequence[FileResult], options: OutputOptions) -> str:
    """One short line per finding, then the summary."""
    if options.statistics:
        return render_text(results, options)
    out: list[str] = []
    for result in results:
        lines = result.lines
        for finding in result.findings:
            line, col, _, _ = location(result, finding, lines)
            marker = " [*]" if is_fixable(finding, options) else ""
            out.append(f"{result.path}:{line}:{col}: {finding.code}{marker} {finding.message}")
    if not options.quiet:
        out.append(summary(results, options))
    return "".join(line + "\n" for line in out)
