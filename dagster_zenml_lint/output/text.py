"""``--output-format text``: ``path:line:col: CODE [SEVERITY] message``, then a summary line.

Fixable findings carry ``[*]`` after the severity, like ruff, when fixes were worked
out (``--show-fixes``, ``show-fixes = true``, or a fix flag), and with ``--show-fixes`` a
finding the flags will not fix has an indented line saying why; without worked-out fixes
the summary only points to ``--show-fixes``. ``--statistics`` prints a count per rule
instead of the findings; ``--quiet`` drops the summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from dagster_zenml_lint.findings import Applicability, Finding
from dagster_zenml_lint.output import (
    OutputOptions,
    hidden_fixes_note,
    is_fixable,
    is_hidden_fix,
    statistics,
)
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.runner import FileResult
from dagster_zenml_lint.source import char_column


def format_finding_line(result: FileResult, finding: Finding, lines: Sequence[str], options: OutputOptions) -> str:
    """One finding as ``path:line:col: CODE [SEVERITY] [*] message``."""
    line = finding.line
    # the start of location(): a line shows no end, so the end's column is not worked out
    col = (char_column(lines[line - 1], finding.col) if 0 < line <= len(lines) else finding.col) + 1
    marker = " [*]" if finding.fix is not None and is_fixable(finding, options) else ""
    return f"{result.path}:{line}:{col}: {_label(finding.code)}{marker} {finding.message}"


@cache
def _label(code: str) -> str:
    """``CODE [SEVERITY]`` for a rule (the enum's ``name`` is a Python-level lookup: asked once per code)."""
    return f"{code} [{rules_by_code()[code].severity.name}]"


def fix_note(finding: Finding, options: OutputOptions) -> list[str]:
    """With ``--show-fixes``, the indented line under a finding the flags will not fix: why not."""
    fix = finding.fix
    if is_hidden_fix(finding, options) and fix is not None:
        return [f"    unsafe fix, applied only with `--unsafe-fixes`: {fix.description}"]
    if (fix is None or fix.applicability is Applicability.DISPLAY_ONLY) and finding.fix_blocker:
        return [f"    no automatic fix: {finding.fix_blocker}"]
    return []


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(results: Sequence[FileResult], options: OutputOptions) -> str:
    """The closing line: how many findings in how many files, and what the fix flags would fix.

    It counts only the fixes the given flags would apply (unsafe ones only with
    ``--unsafe-fixes``; the others are "hidden", as ruff says). Without worked-out fixes
    it gives no count: it cannot know which findings of rules with fixers are fixable.
    """
    total = sum(len(r.findings) for r in results)
    files = sum(1 for r in results if r.findings)
    if not options.rules_enabled:
        return f"No rule enabled: nothing was looked for ({_plural(len(results), 'file')} read)."
    if total == 0:
        return f"No Dagster patterns found ({_plural(len(results), 'file')} checked)."
    text = f"Found {_plural(total, 'finding')} in {_plural(files, 'file')} ({_plural(len(results), 'file')} checked)."
    if not options.fixes_computed:
        by_code = rules_by_code()
        if any(by_code[f.code].fixer is not None for r in results for f in r.findings):
            text += " `--show-fixes` marks the findings `--fix` can fix."
        return text
    fixable = sum(1 for r in results for f in r.findings if is_fixable(f, options))
    hidden = sum(1 for r in results for f in r.findings if is_hidden_fix(f, options))
    if fixable:
        text += f" [*] {fixable} fixable with `--fix`{' --unsafe-fixes' if options.unsafe_fixes else ''}"
        text += f" ({hidden_fixes_note(hidden)})." if hidden else "."
    elif hidden:
        text += f" No fixes available ({hidden_fixes_note(hidden)})."
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
            if not result.findings:  # (most files: their lines are not split)
                continue
            lines = result.lines
            for finding in result.findings:
                out.append(format_finding_line(result, finding, lines, options))
                if options.show_fixes:
                    out.extend(fix_note(finding, options))
    if not options.quiet:
        out.append(summary(results, options))
    return "\n".join(out) + "\n" if out else ""  # (each line ended, without a new string per line)
