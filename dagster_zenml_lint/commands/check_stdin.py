"""``dagster-zenml-lint check -``: lint (or fix) the text on standard input, as ruff does.

Editors and formatter pipelines pipe a buffer in; ``--stdin-filename PATH`` says where
it lives, which decides the configuration (the nearest ``pyproject.toml`` of PATH), the
``exclude`` globs, the ``per-file-ignores`` and the path the findings name. Nothing is
written to disk:

* without a fix flag, the findings are printed as for a file (any ``--output-format``);
* ``--fix`` / ``--unsafe-fixes`` print the fixed text on stdout and the findings that
  remain on stderr; ``--fix-only`` prints only the fixed text (a pipeline step);
* ``--diff`` prints the unified diff of the fixes;
* ``--add-markers`` prints the text with the marker comments.

A path the ``exclude`` globs skip is passed through unchanged (with a fix flag) and
reports nothing, so a formatter pipeline never loses the buffer. A text over the size
limit of a file (``MAX_FILE_BYTES``) is the file's DZ000 ``file too large``: no more than
the limit is held in memory, and a fix flag passes the text through unchanged.
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import sys
from pathlib import Path

from dagster_zenml_lint.commands.options import fix_options
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import FileKind, classify, discover
from dagster_zenml_lint.fixers.files import unified_diff
from dagster_zenml_lint.output import get_renderer
from dagster_zenml_lint.runner import FileResult, lint_text, unreadable_result
from dagster_zenml_lint.source import MAX_FILE_BYTES, SourceError, SourceFile, decode_source, too_large_reason

STDIN_NAME = "-"


def _is_excluded(path: str, config: Config) -> bool:
    """Whether the file named by ``--stdin-filename`` is one the configuration skips."""
    if not Path(path).is_file():
        # discover() needs the file to exist; a buffer not yet saved is checked
        return False
    return not any(True for _ in discover([path], config))


def run_stdin(args: argparse.Namespace, config: Config) -> int:
    """Lint or fix the text on stdin; the exit code follows ``check``'s rules."""
    from dagster_zenml_lint.commands.results import exit_code, output_options, write_output

    path = args.stdin_filename or STDIN_NAME
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)  # one byte past the limit tells "too large"
    if len(data) > MAX_FILE_BYTES:
        return _too_large(args, config, path, data)
    try:
        source = decode_source(data, path)
    except SourceError as exc:
        from dagster_zenml_lint.commands import UsageError

        raise UsageError(f"{path} (stdin): {exc}") from None
    options = fix_options(args)
    kind = classify(Path(path), explicit=True) or FileKind.PYTHON
    excluded = args.stdin_filename is not None and _is_excluded(args.stdin_filename, config)
    if options.active:
        # only Python is fixed; a component file (defs.yaml) passes through as it came
        return _fix_stdin(args, config, source.text, path, excluded or kind is not FileKind.PYTHON)
    findings = () if excluded else tuple(lint_text(source.text, path, config, kind=kind, with_fixes=True))
    results = [FileResult(path=path, kind=kind, findings=findings, source=source)]
    write_output(args, get_renderer(args.output_format)(results, output_options(args, config)), config)
    return exit_code(args, results, config)


def _stdin_size() -> int | None:
    """The size of standard input when it is a file (``< file``); None for a pipe, never read to its end."""
    try:
        status = os.fstat(sys.stdin.fileno())
    except (OSError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _too_large(args: argparse.Namespace, config: Config, path: str, head: bytes) -> int:
    """A text over the size limit: the DZ000 a file that large gets, as the output it would get.

    A fix flag passes the text through unchanged (the pipeline keeps its buffer), streaming
    what was not read, and reports the DZ000 on stderr as the findings left after a fix.
    """
    from dagster_zenml_lint.commands.results import exit_code, output_options, write_output

    kind = classify(Path(path), explicit=True) or FileKind.PYTHON
    excluded = args.stdin_filename is not None and _is_excluded(args.stdin_filename, config)
    result = unreadable_result(path, kind, too_large_reason(_stdin_size()), config)
    if excluded:
        result = FileResult(path=path, kind=kind)
    options = fix_options(args)
    if not options.active:
        write_output(args, get_renderer(args.output_format)([result], output_options(args, config)), config)
        return exit_code(args, [result], config)
    if not options.diff:  # the unchanged text; a diff of no change is empty
        sys.stdout.flush()
        sys.stdout.buffer.write(head)
        shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    if options.only:
        return 0
    if result.findings:
        sys.stderr.write(get_renderer("text")([result], output_options(args, config)))
    if options.diff:  # as for a file: a diff that could not be made fails
        return 1 if result.findings else 0
    return exit_code(args, [result], config)


def _fix_stdin(args: argparse.Namespace, config: Config, text: str, path: str, excluded: bool) -> int:
    """``--fix``, ``--fix-only``, ``--diff``, ``--add-markers`` on the stdin text: the result goes to stdout."""
    from dagster_zenml_lint.commands.results import output_options
    from dagster_zenml_lint.fixers.apply import fix_text

    options = fix_options(args)
    if excluded:
        if not options.diff:
            sys.stdout.write(text)
        return 0
    fixed = fix_text(
        text, path, config, unsafe=options.unsafe, markers=options.markers, fixes=options.fix or options.diff
    )
    if options.diff:
        sys.stdout.write(unified_diff(path, text, fixed.text))
        return 1 if fixed.changed else 0
    sys.stdout.write(fixed.text)
    if options.only:
        return 0
    if fixed.remaining:
        remaining_source = SourceFile(path=path, text=fixed.text)
        result = FileResult(path=path, kind=FileKind.PYTHON, findings=fixed.remaining, source=remaining_source)
        sys.stderr.write(get_renderer("text")([result], output_options(args, config)))
    if getattr(args, "exit_non_zero_on_fix", False) and fixed.applied:
        return 1
    if args.exit_zero or config.exit_zero:
        return 0
    return 1 if fixed.remaining else 0
