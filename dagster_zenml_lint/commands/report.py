"""``dagster-zenml-lint report PATHS... [-o FILE] [--format markdown|json]``: the migration plan.

Lints every file once (with the same configuration, ``# noqa`` and per-file ignores as
``check``), builds the cross-file project model from the engine's facts, plans the
pipeline boundaries and renders the report. Exit code 0 when the report was written,
2 for usage errors (a missing path, a bad configuration key, an output it cannot or
must not write).

``-o FILE`` never damages what is there: the report is rendered and encoded first, then
written to a temporary file next to the target and renamed over it, so a full disk, a
missing or read-only directory leaves the old report intact (and the error is one line).
A report is never written over a file the run reads (a ``.py``/``.pyi`` target, a
Dagster component file, a ``pyproject.toml`` or the ``--config`` file is refused). An
existing target that is not a regular file (``/dev/stdout``, a named pipe) is written
directly. File names that are not valid UTF-8 appear with U+FFFD in place of the bad bytes.
"""

from __future__ import annotations

import argparse
import os
import re
import stat
import sys
from pathlib import Path

from dagster_zenml_lint import baseline as baseline_file
from dagster_zenml_lint.commands import UsageError
from dagster_zenml_lint.commands.check import build_config
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import classify
from dagster_zenml_lint.project import build_project, plan_pipeline_boundaries
from dagster_zenml_lint.project.model import project_root
from dagster_zenml_lint.report.json_report import render_json, render_json_locations
from dagster_zenml_lint.report.markdown import render_markdown, render_markdown_locations

NAME = "report"
HELP = "write the migration report (pipeline-boundary plan, Mermaid asset graph, flagged patterns)"
RENDERERS = {"markdown": render_markdown, "json": render_json}
LOCATION_RENDERERS = {"markdown": render_markdown_locations, "json": render_json_locations}
# A report is documentation about the code, never code: it is not written over these.
SOURCE_SUFFIXES = (".py", ".pyi")
# A lone surrogate: a file name byte that is not UTF-8 (os.fsdecode's surrogateescape), or a
# "\ud800" escape in a string the report quotes. Neither can be written as UTF-8.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
PYPROJECT = "pyproject.toml"
NEW_FILE_MODE = 0o666  # before the umask, as open() would create it


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report here instead of standard output")
    parser.add_argument("--format", choices=tuple(RENDERERS), default="markdown", help="default: markdown")
    parser.add_argument(
        "--root", metavar="DIR", help="make report paths relative to DIR (default: the common directory of PATHS)"
    )
    parser.add_argument("--config", type=Path, metavar="FILE", help="read settings from this pyproject.toml")
    parser.add_argument(
        "--baseline", type=Path, metavar="FILE", help="show the progress against a `check --baseline` FILE"
    )
    # ``check``'s configuration builder reads these; the report always uses the whole catalog
    parser.set_defaults(select=None, ignore=None, min_severity=None, exclude=None, extend_exclude=None)


def render_report(
    paths: list[str], fmt: str = "markdown", *, config=None, root: str | None = None, baseline: Path | None = None
) -> str:
    """The report text for ``paths`` (the API behind the command): one plan per code location.

    With ``baseline`` (a ``check --baseline`` file), the report also shows the progress against it.
    """
    project = build_project(paths, config, root=root)
    locations = project.code_location_models()
    if len(locations) == 1:
        text = RENDERERS[fmt](project, plan_pipeline_boundaries(project))
    else:
        planned = [(location, model, plan_pipeline_boundaries(model)) for location, model in locations]
        text = LOCATION_RENDERERS[fmt](project.root, planned)
    if baseline is None:
        return text
    base = Path(root).absolute() if root is not None else project_root(paths)
    return baseline_file.report_with_progress(text, fmt, baseline, project.results, config or Config(), base)


def report_bytes(text: str) -> bytes:
    """The report as UTF-8, every lone surrogate replaced by U+FFFD (so encoding never fails)."""
    return LONE_SURROGATE.sub("\ufffd", text).encode("utf-8")


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


def run(args: argparse.Namespace) -> int:
    """Build the report and write it to the output file or standard output."""
    if args.root is not None and not Path(args.root).is_dir():
        raise UsageError(f"--root {args.root}: not a directory")
    config = build_config(args)
    if args.output:
        refuse_source_target(Path(args.output), config.source)  # before the (long) analysis, not after it
    data = report_bytes(render_report(args.paths, args.format, config=config, root=args.root, baseline=args.baseline))
    if args.output:
        write_report(Path(args.output), data, config.source)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:  # a text-only stream (an embedding application)
            sys.stdout.write(data.decode("utf-8"))
        else:
            sys.stdout.flush()
            stream.write(data)
            stream.flush()
    return 0
