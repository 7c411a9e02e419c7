"""``--output-format text``: ``path:line:col: CODE [SEVERITY] message``, then a summary line.

Fixable findings carry ``[*]`` after the severity, like ruff, when fixes were worked
out (``--show-fixes``, ``show-fixes = true``, or a fix flag); otherwise the summary says
how many findings are of rules with automatic fixes. ``--statistics`` prints a count per
rule instead of the findings; ``--quiet`` drops the summary.
"""

from __future__ import annotations

from collections.abc import Sequence

from dagster_zenml_lint.output import OutputOptions, is_fixable, location, statistics
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.runner import FileResult


def format_finding_line(result: FileResult, finding, lines: Sequence[str], options: OutputOptions) -> str:
    """One finding as ``path:line:col: CODE [SEVERITY] [*] message``."""
    rule = rules_by_code()[finding.code]
    line, col, _, _ = location(result, finding, lines)
    marker = " [*]" if is_fixable(finding, options) else ""
    return f"{result.path}:{line}:{col}: {finding.code} [{rule.severity.name}]{marker} {finding.message}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(results: Sequence[FileResult], options: OutputOptions) -> str:
    """The closing line: how many findings in how many files, and how many are fixable."""
    total = sum(len(r.findings) for r in results)
    files = sum(1 for r in results if r.findings)
    if total == 0:
        return f"No Dagster patterns found ({_plural(len(results), 'file')} checked)."
    text = f"Found {_plural(total, 'finding')} in {_plural(files, 'file')} ({_plural(len(results), 'file')} checked)."
    if not options.fixes_computed:
        by_code = rules_by_code()
        candidates = sum(1 for r in results for f in r.findings if by_code[f.code].fixer is not None)
        if candidates:
            text += (
                f" {candidates} of them are of rules with automatic fixes"
                " (`--show-fixes` marks the fixable ones, `--diff` shows the fixes)."
            )
        return text
    fixable = sum(1 for r in results for f in r.findings if is_fixable(f, options))
    if fixable:
        text += f" [*] {fixable} fixable with `--fix`{' --unsafe-fixes' if options.unsafe_fixes else ''}."
    return text


def render(results: Sequence[FileResult], options: OutputOptions) -> str:
    """Render the findings (or statistics) and the summary."""
    out: list[str] = []
    if options.statistics:
        rows = statistics(results, options)
        width = max((len(str(r.count)) for r in rows), default=1)
        for row in rows:
            fixable = f" ({row.fixable} fixable)" if row.fixable else ""
            out.append(f"{row.count:>{width}}\t{row.rule.code}\t[{row.rule.severity.name}]\t{row.rule.symbol}{fixable}")
    else:
        for result in results:
            lines = result.lines
            out.extend(format_finding_line(result, finding, lines, options) for finding in result.findings)
    if not options.quiet:
        out.append(summary(results, options))
    return "".join(line + "\n" for line in out)
