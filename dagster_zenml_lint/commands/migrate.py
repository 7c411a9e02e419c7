"""``dagster-zenml-lint migrate SRC... --out DIR``: write a ready-to-run ZenML project from Dagster code.

The sources are only read. ``DIR`` must be empty or absent unless ``--force`` is given;
with ``--force`` the generated files overwrite files of the same name and nothing else in
``DIR`` is touched. The output is deterministic: the same sources give the same bytes.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from dagster_zenml_lint.commands import UsageError
from dagster_zenml_lint.scaffold import ScaffoldError, generate_project, write_project

NAME = "migrate"
HELP = "generate a ZenML project (steps, pipelines, configs, run.py, report) from Dagster code"
PYTHON_VERSION = re.compile(r"^3\.\d{1,2}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("sources", nargs="+", metavar="SRC", help="Dagster files or directories to migrate")
    parser.add_argument("--out", required=True, metavar="DIR", help="directory for the generated ZenML project")
    parser.add_argument("--force", action="store_true", help="write into DIR even when it is not empty")
    parser.add_argument(
        "--python",
        default="3.12",
        metavar="X.Y",
        help="minimum Python version of the generated project (default: 3.12)",
    )


def _check_out_dir(out: Path, sources: list[Path], force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise UsageError(f"--out {out} is not empty; choose an empty directory or pass --force to overwrite")
    resolved = out.resolve()
    for source in sources:
        root = source.resolve()
        if resolved == root or (root.is_dir() and root in resolved.parents) or resolved in root.parents:
            raise UsageError(f"--out {out} overlaps the source {source}; write the project somewhere else")


def run(args: argparse.Namespace) -> int:
    """Generate the project and write it; print what was written."""
    if not PYTHON_VERSION.match(args.python):
        raise UsageError(f"--python {args.python!r} is not a version like 3.12")
    sources = [Path(s) for s in args.sources]
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    out = Path(args.out)
    _check_out_dir(out, sources, args.force)
    try:
        project = generate_project(sources, python=args.python)
        written = write_project(project, out)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    print(
        f"wrote {len(written)} files to {out}: {len(project.pipelines)} pipeline(s), "
        f"{len(project.inventory.steps)} step(s)"
    )
    for plan in project.pipelines:
        print(f"  pipelines/{plan.name}.py: {', '.join(plan.members)}")
    if project.skipped:
        print(f"skipped {len(project.skipped)} file(s) that cannot be analysed (DZ000); they are listed in README.md")
    # The README lists the markers (and names the marker in its text): count the code's own.
    todos = sum(text.count("# TODO(migration):") for name, text in project.files.items() if not name.endswith(".md"))
    print(f"{todos} TODO(migration) marker(s) left for a person; see {out / 'README.md'}")
    return 0
