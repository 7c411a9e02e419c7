"""``--output-format grouped``: findings under their file's name, as ruff's ``grouped`` format.

::

    pipelines/orders.py:
      7:2 DZ301 [HIGH] [*] @asset 'orders' uses partitions_def=...

A blank line follows each file; the summary line is the text format's.
"""

from __future__ import annotations

from collections.abc import Sequence

from dagster_zenml_lint.output import OutputOptions, is_fixable, location
from dagster_zenml_lint.output.text import render as render_text
from dagster_zenml_lint.output.text import summary
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.runner import FileResult


def render(results: Sequence[FileResult], options: OutputOptions) -> str:
    """Each file with findings, then its findings indented (``line:col`` aligned), then the summary."""
    if options.statistics:
        return render_text(results, options)
    by_code = rules_by_code()
    out: list[str] = []
    for result in results:
        if not result.findings:
            continue
        lines = result.lines
        places = [location(result, finding, lines) for finding in result.findings]
        width = max(len(f"{line}:{col}") for line, col, _, _ in places)
        out.append(f"{result.path}:")
        for finding, (line, col, _, _) in zip(result.findings, places, strict=True):
            marker = " [*]" if is_fixable(finding, options) else ""
            severity = by_code[finding.code].severity.name
            out.append(f"  {f'{line}:{col}':<{width}} {finding.code} [{severity}]{marker} {finding.message}")
        out.append("")
    if not options.quiet:
        out.append(summary(results, options))
    return "".join(line + "\n" for line in out)
