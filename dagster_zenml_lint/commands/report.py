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
import sys
from pathlib import Path

from dagster_zenml_lint import baseline as baseline_file
from dagster_zenml_lint.commands.check import file_config
from dagster_zenml_lint.commands.options import (
    add_cache_arguments,
    add_config_argument,
    add_root_argument,
    checked_root,
)
from dagster_zenml_lint.commands.results import refuse_source_target, write_report
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.output import utf8_bytes
from dagster_zenml_lint.project import build_project, plan_code_locations
from dagster_zenml_lint.project.model import project_root
from dagster_zenml_lint.report.json_report import render_json, render_json_locations
from dagster_zenml_lint.report.markdown import render_markdown, render_markdown_locations
from dagster_zenml_lint.runner import DEBUG_ENV

NAME = "report"
HELP = "write the migration report (pipeline-boundary plan, Mermaid asset graph, flagged patterns)"
# Run without the cyclic garbage collector (cli.main): every file's findings and facts are kept
# until the report is rendered and an analysis is freed by reference counting, so a collection
# only scans what is kept (5,000 files: 3 collections, 0.03 s CPU).
COLLECT_CYCLES = False
RENDERERS = {"markdown": render_markdown, "json": render_json}
LOCATION_RENDERERS = {"markdown": render_markdown_locations, "json": render_json_locations}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report here instead of standard output")
    parser.add_argument("--format", choices=tuple(RENDERERS), default="markdown", help="default: markdown")
    add_root_argument(parser)
    add_config_argument(parser)
    add_cache_arguments(parser)
    parser.add_argument(
        "--baseline", type=Path, metavar="FILE", help="show the progress against a `check --baseline` FILE"
    )


def render_report(
    paths: list[str],
    fmt: str = "markdown",
    *,
    config=None,
    root: str | None = None,
    baseline: Path | None = None,
    use_cache: bool = False,
    cache_dir: Path | None = None,
) -> str:
    """The report text for ``paths`` (the API behind the command): one plan per code location.

    With ``baseline`` (a ``check --baseline`` file), the report also shows the progress against it.
    ``use_cache``: keep each file's analysis between runs, as ``check`` does (in ``cache_dir``).
    """
    project = build_project(paths, config, root=root, use_cache=use_cache, cache_dir=cache_dir)
    located = plan_code_locations(project)  # migrate writes these same plans
    if len(located) == 1:
        text = RENDERERS[fmt](project, located[0].plan)
    else:
        text = LOCATION_RENDERERS[fmt](project.root, located)
    if baseline is None:
        return text
    base = Path(root).absolute() if root is not None else project_root(paths)
    return baseline_file.report_with_progress(text, fmt, baseline, project.results, config or Config(), base)


def run(args: argparse.Namespace) -> int:
    """Build the report and write it to the output file or standard output."""
    checked_root(args.root)
    config = file_config(args.paths[0] if args.paths else None, args.config)  # no flags: the whole catalog
    if args.output:
        refuse_source_target(Path(args.output), config.source)  # before the (long) analysis, not after it
    text = render_report(
        args.paths,
        args.format,
        config=config,
        root=args.root,
        baseline=args.baseline,
        use_cache=not args.no_cache and not os.environ.get(DEBUG_ENV),
        cache_dir=args.cache_dir,
    )
    data = utf8_bytes(text)
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
