"""Fixing files on disk for ``check --fix`` / ``--diff`` / ``--add-markers``.

The CLI has already linted every file; this module re-reads each one that has something
to fix, applies :func:`~dagster_zenml_lint.fixers.apply.fix_text`, and either prints a
unified diff or writes the result back atomically in the file's own encoding, BOM and
line endings (a file that changed since it was linted is left alone).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from dagster_zenml_lint.commands.options import FixOptions, fix_options
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import FileKind
from dagster_zenml_lint.findings import Applicability, Finding, Fix
from dagster_zenml_lint.rules import PARSE_ERROR
from dagster_zenml_lint.runner import FileResult
from dagster_zenml_lint.source import SourceError, decode_source, python_lines

if TYPE_CHECKING:  # the fix machinery loads only when a file is fixed
    from dagster_zenml_lint.fixers.apply import FixResult
    from dagster_zenml_lint.fixers.crossfile import ProjectIndex


@dataclass(frozen=True)
class FileFix:
    """What fixing one file did."""

    path: str
    result: FixResult | None
    diff: str = ""
    written: bool = False
    error: str | None = None


def wants_work(result: FileResult, options: FixOptions) -> bool:
    """Whether a linted file has anything the options would change."""
    if result.source is None or result.kind is not FileKind.PYTHON:
        return False
    if options.markers:
        return bool(result.findings)
    from dagster_zenml_lint.fixers.apply import is_allowed

    return any(is_allowed(f.fix, unsafe=options.unsafe) for f in result.findings)


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff between two texts (line endings kept as they are)."""
    import difflib

    lines = difflib.unified_diff(
        python_lines(before, keepends=True),
        python_lines(after, keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def fix_file(result: FileResult, config: Config, options: FixOptions, project: ProjectIndex | None = None) -> FileFix:
    """Fix one linted file: compute the new text, then diff it or write it back."""
    from dagster_zenml_lint.fixers.apply import fix_text, write_atomically

    path = result.path
    try:
        before_stat = os.stat(path)
        data = Path(path).read_bytes()
        source = decode_source(data, path)
    except (OSError, SourceError) as exc:
        return FileFix(path, None, error=f"cannot read it again: {exc}")
    if result.source is not None and source.text != result.source.text:
        return FileFix(path, None, error="changed on disk while it was being checked; not fixed")
    try:
        fixed = fix_text(
            source.text,
            path,
            config,
            unsafe=options.unsafe,
            markers=options.markers,
            fixes=options.fix or options.diff,
            project=project,
        )
    except Exception as exc:  # a bug of ours leaves this file as it is, never ends the run
        from dagster_zenml_lint.analysis.facts import internal_error_finding

        return FileFix(path, None, error=f"not fixed: {internal_error_finding('the fixes', exc).message}")
    if not fixed.changed:
        return FileFix(path, fixed)
    if options.diff:
        return FileFix(path, fixed, diff=unified_diff(path, source.text, fixed.text))
    try:
        encoded = source.encode(fixed.text)
    except UnicodeEncodeError:
        return FileFix(path, fixed, error=f"the fixed text cannot be encoded as {source.encoding}; not written")
    try:
        write_atomically(path, encoded, before_stat, original_data=data)
    except OSError as exc:
        return FileFix(path, fixed, error=str(exc))
    return FileFix(path, fixed, written=True)


def fix_results(
    results: Sequence[FileResult], config: Config, options: FixOptions, project: ProjectIndex | None = None
) -> tuple[list[FileResult], list[FileFix]]:
    """Fix every file that needs it; results of changed files carry their remaining findings."""
    updated: list[FileResult] = []
    fixes: list[FileFix] = []
    for result in results:
        if not options.active or not wants_work(result, options):
            updated.append(result)
            continue
        outcome = fix_file(result, config, options, project)
        fixes.append(outcome)
        if outcome.written and outcome.result is not None and result.source is not None:
            new_source = replace(result.source, text=outcome.result.text.removeprefix("\ufeff"))
            updated.append(replace(result, findings=outcome.result.remaining, source=new_source))
        else:
            updated.append(result)
    return updated, fixes


def fix_report(
    fixes: Sequence[FileFix], *, show_fixes: bool, diff: bool, hidden: int = 0, quiet_when_none: bool = True
) -> tuple[str, str]:
    """(text for stdout, text for stderr) describing what was fixed, would be fixed, or failed.

    ``hidden`` is the number of unsafe fixes the flags leave out; when nothing is fixed
    and ``quiet_when_none`` is false (``--diff``, ``--fix-only``: no findings follow to
    say it), the report says so as ruff does: "No fixes available (N hidden fixes ...)".
    """
    out: list[str] = []
    err: list[str] = []
    count = 0
    files = 0
    markers = 0
    marked_files = 0
    for item in fixes:
        if item.diff:
            out.append(item.diff)
        if item.error:
            err.append(f"{item.path}: {item.error}")
        if item.result is None:
            continue
        for dropped in item.result.dropped:
            err.append(f"{item.path}:{dropped.finding.line}: {dropped.finding.code} fix not applied: {dropped.reason}")
        if item.written or item.diff:
            added = count_markers(item.result.text) - count_markers(item.result.original)
            markers += added
            marked_files += 1 if added else 0
            count += len(item.result.applied)
            files += 1 if item.result.applied else 0
            if show_fixes:
                out.extend(applied_fix_lines(item.path, item.result.applied))
    verb = "Would fix" if diff else "Fixed"
    if markers:
        added_verb = "Would add" if diff else "Added"
        line = f"{added_verb} {_plural(markers, 'marker')} to {_plural(marked_files, 'file')}.\n"
        (err if diff else out).append(line)
    if count:
        plural = "" if count == 1 else "s"
        summary = f"{verb} {count} finding{plural} in {files} file{'' if files == 1 else 's'}.\n"
        (err if diff else out).append(summary)
    elif not quiet_when_none:
        from dagster_zenml_lint.output import hidden_fixes_note

        note = f" ({hidden_fixes_note(hidden)})" if hidden else ""
        (err if diff else out).append(f"No fixes available{note}.\n")
    return "".join(out), "".join(line if line.endswith("\n") else line + "\n" for line in err)


MARKER_PREFIXES = ("# TODO(migration):", "# Migration note:")


def count_markers(text: str) -> int:
    """The marker comments in a text (a wrapped marker counts once: its continuation lines do not start so)."""
    return sum(1 for line in python_lines(text) if line.lstrip().startswith(MARKER_PREFIXES))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def applied_fix_lines(path: str, applied: Sequence[Finding]) -> list[str]:
    """One line per applied fix (a fix several findings share is listed once, with all their codes).

    Positions are where the first of its findings was in the original text.
    """
    grouped: dict[object, list[Finding]] = {}
    for finding in applied:
        key = finding.fix if finding.fix is not None else id(finding)
        grouped.setdefault(key, []).append(finding)
    lines = []
    for findings in grouped.values():
        first = min(findings, key=lambda f: (f.line, f.col))
        codes = ",".join(dict.fromkeys(f.code for f in sorted(findings, key=lambda f: (f.line, f.col))))
        description = first.fix.description if first.fix else ""
        lines.append((first.line, first.col, f"{path}:{first.line}:{first.col + 1}: {codes} {description}\n"))
    return [line for _, _, line in sorted(lines)]


@dataclass(frozen=True)
class FixRun:
    """What ``check``'s fix flags did: the results to report, each file's fix, and for ``--diff``
    how many files could not be analysed (the exit code depends on both)."""

    results: list[FileResult]
    fixes: tuple[FileFix, ...] = ()
    not_analysed: int = 0


def run_fixes(
    args: argparse.Namespace, results: list[FileResult], config: Config, project: ProjectIndex | None = None
) -> FixRun:
    """Apply (or diff) the fixes the flags ask for and print what happened.

    ``project`` is the index that settled the run's cross-file fixes (reused to fix them).
    """
    options = fix_options(args)
    if not options.active:
        return FixRun(results)
    hidden = 0 if options.unsafe else sum(1 for r in results for f in r.findings if _is_unsafe(f.fix))
    results, fixes = fix_results(results, config, options, project)
    failed = 0
    out, err = fix_report(
        fixes,
        show_fixes=bool(getattr(args, "show_fixes", False)),
        diff=options.diff,
        hidden=hidden,
        quiet_when_none=not (options.diff or options.only),
    )
    machine_output = getattr(args, "output_format", "text") != "text"
    if machine_output and not options.diff:
        err, out = out + err, ""
    if options.diff:  # the findings are not printed: say which files could not be diffed (ruff's words)
        failures = not_analysed(results)
        failed = len(failures)
        err = "".join(f"{line}\n" for line in failures) + err
    sys.stdout.write(out)
    sys.stderr.write(err)
    return FixRun(results, tuple(fixes), failed)


def not_analysed(results: Sequence[FileResult]) -> list[str]:
    """One ``error: Failed to parse PATH:LINE:COL: ...`` line per DZ000 finding (what a diff cannot show)."""
    lines = []
    for result in results:
        for finding in result.findings:
            if finding.code != PARSE_ERROR:
                continue
            what = "parse" if finding.message.startswith(("syntax error", "cannot parse")) else "analyse"
            lines.append(f"error: Failed to {what} {result.path}:{finding.line}:{finding.col + 1}: {finding.message}")
    return lines


def _is_unsafe(fix: Fix | None) -> bool:
    return fix is not None and fix.applicability is Applicability.UNSAFE


def fix_exit_code(args: argparse.Namespace, run: FixRun | None = None) -> int | None:
    """The exit code the fix flags decide (from what ``run`` did), or None to let the findings decide."""
    fixes = run.fixes if run is not None else ()
    if getattr(args, "diff", False):
        failed = run.not_analysed if run is not None else 0
        return 1 if failed or any(f.diff for f in fixes) else 0
    if getattr(args, "exit_non_zero_on_fix", False) and any(f.written and f.result and f.result.applied for f in fixes):
        return 1
    if fix_options(args).only:
        return 0
    return None
