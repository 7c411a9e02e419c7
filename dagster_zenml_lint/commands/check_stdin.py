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
reports nothing, so a formatter pipeline never loses the buffer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import FileKind, classify, discover
from dagster_zenml_lint.fixers.files import options_from_args, unified_diff
from dagster_zenml_lint.output import get_renderer
from dagster_zenml_lint.runner import FileResult, lint_text
from dagster_zenml_lint.source import SourceError, SourceFile, decode_source

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
    data = sys.stdin.buffer.read()
    try:
        source = decode_source(data, path)
    except SourceError as exc:
        from dagster_zenml_lint.commands import UsageError

        raise UsageError(f"{path} (stdin): {exc}") from None
    options = options_from_args(args)
    kind = classify(Path(path), explicit=True) or FileKind.PYTHON
    excluded = args.stdin_filename is not None and _is_excluded(args.stdin_filename, config)
    if options.active or getattr(args, "fix_only", False):
        # only Python is fixed; a component file (defs.yaml) passes through as it came
        return _fix_stdin(args, config, source.text, path, excluded or kind is not FileKind.PYTHON)
    findings = () if excluded else tuple(lint_text(source.text, path, config, kind=kind, with_fixes=True))
    results = [FileResult(path=path, kind=kind, findings=findings, source=source)]
    write_output(args, get_renderer(args.output_format)(results, output_options(args, config)), config)
    return exit_code(args, results, config)


def _fix_stdin(args: argparse.Namespace, config: Config, text: str, path: str, excluded: bool) -> int:
    """``--fix``, ``--fix-only``, ``--diff``, ``--add-markers`` on the stdin text: the result goes to stdout."""
    from dagster_zenml_lint.commands.results import output_options
    from dagster_zenml_lint.fixers.apply import fix_text

    options = options_from_args(args)
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
    if getattr(args, "fix_only", False):
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
