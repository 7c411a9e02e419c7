"""``dagster-zenml-lint report PATHS... [-o FILE] [--format markdown|json]``: the migration plan.

Lints every file once (with the same configuration, ``# noqa`` and per-file ignores as
``check``), builds the cross-file project model from the engine's facts, plans the
pipeline boundaries and renders the report. Exit code 0 when the report was written,
2 for usage errors (a missing path, a bad configuration key).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dagster_zenml_lint.commands import UsageError
from dagster_zenml_lint.commands.check import build_config
from dagster_zenml_lint.project import build_project, plan_pipeline_boundaries
from dagster_zenml_lint.report.json_report import render_json
from dagster_zenml_lint.report.markdown import render_markdown

NAME = "report"
HELP = "write the migration report (pipeline-boundary plan, Mermaid asset graph, flagged patterns)"
RENDERERS = {"markdown": render_markdown, "json": render_json}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report here instead of standard output")
    parser.add_argument("--format", choices=tuple(RENDERERS), default="markdown", help="default: markdown")
    parser.add_argument(
        "--root", metavar="DIR", help="make report paths relative to DIR (default: the common directory of PATHS)"
    )
    parser.add_argument("--config", type=Path, metavar="FILE", help="read settings from this pyproject.toml")
    # ``check``'s configuration builder reads these; the report always uses the whole catalog
    parser.set_defaults(select=None, ignore=None, min_severity=None, exclude=None, extend_exclude=None)


def render_report(paths: list[str], fmt: str = "markdown", *, config=None, root: str | None = None) -> str:
    """The report text for ``paths`` (the API behind the command)."""
    project = build_project(paths, config, root=root)
    return RENDERERS[fmt](project, plan_pipeline_boundaries(project))


def run(args: argparse.Namespace) -> int:
    """Build the report and write it to the output file or standard output."""
    if args.root is not None and not Path(args.root).is_dir():
        raise UsageError(f"--root {args.root}: not a directory")
    config = build_config(args)
    text = render_report(args.paths, args.format, config=config, root=args.root)
    if args.output:
        output = Path(args.output)
        if output.is_dir():
            raise UsageError(f"-o {output}: is a directory")
        output.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
