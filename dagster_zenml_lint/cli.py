"""The ``dagster-zenml-lint`` command: dispatches to the modules in :mod:`dagster_zenml_lint.commands`.

Errors a user can cause (a missing path, a bad configuration key, an unknown rule) are
printed as one line on stderr with exit code 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

from dagster_zenml_lint import __version__
from dagster_zenml_lint.commands import COMMANDS, UsageError
from dagster_zenml_lint.config import ConfigError
from dagster_zenml_lint.discovery import DiscoveryError

PROG = "dagster-zenml-lint"
VERSION = f"{PROG} {__version__}"
GC_THRESHOLD = 50_000  # allocations between young-generation collections (Python's default: 700)
EXIT_USAGE = 2


def requested_command(argv: Sequence[str]) -> str | None:
    """The command named on the command line (the first word, when it is a known command), else None."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in COMMANDS else None


def build_parser(only: str | None = None) -> tuple[argparse.ArgumentParser, dict[str, object]]:
    """The argument parser with one subparser per command module; also returns name -> module.

    With ``only``, just that command's module is imported (the others pull in the report,
    scaffold and language-server code, which ``check`` never needs): start-up stays cheap.
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find Dagster patterns and plan (and automate) the migration to ZenML.",
    )
    parser.add_argument("--version", action="version", version=VERSION)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules: dict[str, object] = {}
    for module_name in COMMANDS if only is None else (only,):
        module = importlib.import_module(f"dagster_zenml_lint.commands.{module_name}")
        sub = subparsers.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(command_parser=sub)  # an unknown flag is reported with this command's usage
        modules[module.NAME] = module
    return parser, modules


def tolerate_undecodable_names() -> None:
    """Let standard output and error write file names that are not UTF-8 back as their bytes.

    Such a name reaches the program as surrogate escapes (``os.fsdecode``). Under the C
    locale Python writes them back as the original bytes; under a UTF-8 locale its
    streams are strict and the first such path would end the run with a traceback.
    """
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="surrogateescape")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    # A lint allocates many small objects that live exactly as long as one file's analysis;
    # collecting cycles less often saves about 6% of a run (mypy does the same). Only the
    # command line does this: the plugins run inside pylint's and flake8's processes.
    # A command that keeps every file's analysis to its end (report, migrate: ``COLLECT_CYCLES =
    # False``) runs without the collector: it would scan each kept object once and find almost
    # nothing to free (an analysis is freed by reference counting: tests/test_no_reference_cycles.py).
    gc.set_threshold(GC_THRESHOLD, 50, 100)
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments == ["--version"]:  # without importing every command to build the full parser
        print(VERSION)
        return 0
    tolerate_undecodable_names()
    parser, modules = build_parser(only=requested_command(arguments))
    args, unknown = parser.parse_known_args(arguments)
    if unknown:
        # argparse would print the top-level usage; the command's own is the useful one (exits 2)
        getattr(args, "command_parser", parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    command = modules[args.command]
    collecting = gc.isenabled()
    if not getattr(command, "COLLECT_CYCLES", True):
        gc.disable()
    try:
        return int(command.run(args))  # type: ignore[attr-defined]
    except (ConfigError, DiscoveryError, UsageError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        if collecting:  # a caller in the same process gets its collector back
            gc.enable()


def console() -> None:
    """The console script and ``python -m dagster_zenml_lint``: :func:`main`, then exit at once.

    An interpreter that ends normally frees every module, rule and cached syntax tree one
    by one, which costs a run more than reading its configuration (22 M instructions on the
    1,000-file corpus); the process is ending, so it exits without that, as mypy does. Its
    output is flushed first; nothing of ours runs at exit (no ``atexit`` hook; every file
    written is closed, a worker pool shut down). If flushing fails (the reader of a pipe
    went away), the interpreter ends the usual way and reports it as it always did.
    ``main`` itself returns, for callers in the same process.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # a closed pipe, a stream main closed, no stream
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":
    console()
