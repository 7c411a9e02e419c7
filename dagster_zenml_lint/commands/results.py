"""How a command's results leave the process: the renderers' options, the exit code, the output file.

``check`` (and its ``--stdin`` variant) and ``report`` share these; a report or a rendering
written to a file is written whole and never over a file the run reads.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dagster_zenml_lint.commands import UsageError
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import classify
from dagster_zenml_lint.output import OutputOptions, utf8_bytes
from dagster_zenml_lint.runner import FileResult

if TYPE_CHECKING:
    from dagster_zenml_lint.fixers.files import FixRun

# A report is documentation about the code, never code: it is not written over these.
SOURCE_SUFFIXES = (".py", ".pyi")
PYPROJECT = "pyproject.toml"
NEW_FILE_MODE = 0o666  # before the umask, as open() would create it
# The flags that decide the exit code without fixes having run (fixers.files.fix_exit_code).
FIX_EXIT_FLAGS = ("diff", "exit_non_zero_on_fix", "fix_only")


def output_options(
    args: argparse.Namespace,
    config: Config | None = None,
    *,
    fixes_computed: bool = True,
    rules_enabled: bool = True,
) -> OutputOptions:
    """What the renderers need from the flags (and the configuration's ``show-fixes``).

    ``fixes_computed``: the run worked fixes out; ``rules_enabled``: the selection left a rule on.
    """
    return OutputOptions(
        statistics=args.statistics,
        quiet=args.quiet,
        unsafe_fixes=bool(getattr(args, "unsafe_fixes", False)),
        fixes_computed=fixes_computed,
        show_fixes=bool(getattr(args, "show_fixes", False) or (config is not None and config.show_fixes)),
        rules_enabled=rules_enabled,
    )


def exit_code(
    args: argparse.Namespace, results: Sequence[FileResult], config: Config | None = None, fixed: FixRun | None = None
) -> int:
    """0 when nothing was reported (or ``--exit-zero`` / ``exit-zero = true``), 1 otherwise.

    ``fixed`` is what the fix flags did, when they did something (``--diff`` and
    ``--exit-non-zero-on-fix`` decide from it).
    """
    if fixed is not None or any(getattr(args, flag, False) for flag in FIX_EXIT_FLAGS):
        from dagster_zenml_lint.fixers.files import fix_exit_code  # (a plain check does not load it)

        decided = fix_exit_code(args, fixed)
        if decided is not None:
            return decided
    if args.exit_zero or (config is not None and config.exit_zero):
        return 0
    return 1 if any(result.findings for result in results) else 0


def write_output(args: argparse.Namespace, text: str, config: Config | None = None) -> None:
    """The rendered findings to stdout, or to ``--output-file`` (written whole, never over source or settings)."""
    if getattr(args, "output_file", None) is None:
        sys.stdout.write(text)
        return
    write_report(args.output_file, utf8_bytes(text), config.source if config is not None else None)


def refuse_source_target(output: Path, config_file: str | None = None) -> None:
    """Raise :class:`UsageError` when ``output`` (or the file a link there points to) is a file the run reads.

    Python files, existing or not; the Dagster component files the linter reads
    (``defs.yaml``, ``defs/**/component.yaml``); any ``pyproject.toml`` and the
    configuration file in force: a report written there would destroy code or settings.
    """
    real = Path(os.path.realpath(output))
    if config_file is not None and real == Path(os.path.realpath(config_file)):
        raise UsageError(f"-o {output}: refusing to write a report over the configuration file")
    for candidate in (output, real):
        if candidate.name.lower().endswith(SOURCE_SUFFIXES):
            raise UsageError(f"-o {output}: refusing to write a report over Python source (*.py)")
        if classify(candidate, explicit=False) is not None:
            raise UsageError(f"-o {output}: refusing to write a report over a Dagster component file")
        if candidate.name == PYPROJECT:
            raise UsageError(f"-o {output}: refusing to write a report over a {PYPROJECT}")


def write_report(output: Path, data: bytes, config_file: str | None = None) -> None:
    """Write the report to ``output`` without ever leaving a damaged or half-written file.

    Raises :class:`UsageError` (one line) when the target is refused or cannot be written.
    """
    refuse_source_target(output, config_file)
    try:
        mode = os.stat(output).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UsageError(f"-o {output}: {exc.strerror or exc}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise UsageError(f"-o {output}: is a directory")
    try:
        if mode is not None and not stat.S_ISREG(mode):
            _write_through(output, data)  # a device or pipe: there is no old content to keep
        else:
            _replace_file(Path(os.path.realpath(output)), data, None if mode is None else stat.S_IMODE(mode))
    except OSError as exc:
        raise UsageError(f"-o {output}: cannot write the report: {exc.strerror or exc}") from None


def _write_through(output: Path, data: bytes) -> None:
    """Write to an existing non-regular file (``/dev/stdout``, a FIFO) as ``>`` in a shell would."""
    with open(output, "wb") as handle:
        handle.write(data)
        handle.flush()


def _replace_file(target: Path, data: bytes, mode: int | None) -> None:
    """Write a temporary file beside ``target`` (fsync'ed), then rename it over ``target``.

    ``target`` is the real path, so a symlinked report stays a link. The mode of an old
    report is kept; a new one gets the mode ``open()`` would give it.
    """
    import tempfile  # loaded only when a report is written to a file

    directory = target.parent
    if not directory.is_dir():
        raise FileNotFoundError(0, f"no such directory: {directory}")
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = NEW_FILE_MODE & ~umask
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
