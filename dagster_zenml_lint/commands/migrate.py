"""``dagster-zenml-lint migrate SRC... --out DIR``: write a ready-to-run ZenML project from Dagster code.

The sources are only read. ``DIR`` must be empty or absent unless ``--force`` is given;
with ``--force`` the generated files overwrite files of the same name and nothing else in
``DIR`` is touched. The output is deterministic: the same sources give the same bytes.

``--dry-run`` does everything but write: the same checks of ``DIR``, the same generation,
then the list of files a real run would write (with their sizes in bytes, and which ones
would replace an existing file) and the pipeline plan. Nothing is created, not even ``DIR``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from dagster_zenml_lint.commands import UsageError
from dagster_zenml_lint.commands.check import file_config
from dagster_zenml_lint.commands.options import add_config_argument, add_root_argument, checked_root
from dagster_zenml_lint.output import utf8_bytes
from dagster_zenml_lint.scaffold import Project, ScaffoldError, generate_project, write_project
from dagster_zenml_lint.scaffold.python_version import source_python
from dagster_zenml_lint.scaffold.write import WriteError, check_targets

NAME = "migrate"
HELP = "generate a ZenML project (steps, pipelines, configs, run.py, report) from Dagster code"
# Run without the cyclic garbage collector (cli.main): every module's trees, findings and fixed
# text are kept until the project is written and the run makes next to no cyclic garbage, so a
# collection only scans what is kept (5,000 files: 35 collections, 0.17 s CPU, 19,075 objects
# freed; the same peak memory without them).
COLLECT_CYCLES = False
PYTHON_VERSION = re.compile(r"^3\.\d{1,2}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("sources", nargs="+", metavar="SRC", help="Dagster files or directories to migrate")
    parser.add_argument("--out", required=True, metavar="DIR", help="directory for the generated ZenML project")
    parser.add_argument("--force", action="store_true", help="write into DIR even when it is not empty")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="list the files it would write (with their sizes) and the plan; write nothing",
    )
    parser.add_argument(
        "--python",
        default=None,
        metavar="X.Y",
        help="minimum Python version of the generated project (default: the source project's requires-python, "
        "never above the running interpreter)",
    )
    add_root_argument(parser)  # report's options, so MIGRATION_REPORT.md is ``report --root R --config C SRC``
    add_config_argument(parser)


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


def _check_root_holds(root: Path, sources: list[Path]) -> None:
    """Refuse a ``--root`` that does not hold every source: the generated modules, helpers and
    comments are named by their path below it, and a file outside it has only its absolute path."""
    base = Path(os.path.abspath(root))  # named as project_root names it: links kept, ``..`` dropped
    for source in sources:
        absolute = Path(os.path.abspath(source))
        if absolute != base and base not in absolute.parents:
            raise UsageError(f"--root {root}: does not contain the source {source}")


def _check_config_outside(out: Path, config_file: str | None) -> None:
    """Refuse to write the project where the settings the run reads are (``--force`` into its directory)."""
    if config_file is None:
        return
    real = Path(os.path.realpath(config_file))
    if Path(os.path.realpath(out)) in real.parents:
        raise UsageError(f"--out {out} holds the configuration file {config_file}; write the project somewhere else")


def run(args: argparse.Namespace) -> int:
    """Generate the project and write it; print what was written."""
    if args.python is not None and not PYTHON_VERSION.match(args.python):
        raise UsageError(f"--python {args.python!r} is not a version like 3.12")
    sources = [Path(s) for s in args.sources]
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    root = checked_root(args.root)
    if root is not None:
        _check_root_holds(Path(root), sources)
    out = Path(args.out)
    _check_out_dir(out, sources, args.force)
    config = file_config(args.sources[0], args.config)
    _check_config_outside(out, config.source)
    try:
        # the sources' Python, read once: the generated requires-python and whether to warn of it
        python, newer = (args.python, None) if args.python is not None else source_python(sources[0])
        project = generate_project(sources, python=python, config=config, root=root)
        if args.dry_run:
            return _print_dry_run(project, out)
        written = write_project(project, out)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {len(written)} files to {out}: {len(project.pipelines)} pipeline(s), {len(project.steps)} step(s)")
    _print_plan(project, out, "left")
    if newer is not None:
        running = f"{sys.version_info[0]}.{sys.version_info[1]}"
        print(
            f"warning: the sources require Python {newer}, and this is Python {running}: the generated "
            f"pyproject.toml says requires-python >={running}, which their code may not run on; run migrate "
            "under the Python the sources require, or pass --python X.Y",
            file=sys.stderr,
        )
    return 0


def file_size(text: str) -> int:
    """The bytes a generated file takes on disk (:func:`~dagster_zenml_lint.output.utf8_bytes`)."""
    return len(utf8_bytes(text))


def _print_dry_run(project: Project, out: Path) -> int:
    """``--dry-run``: what a real run would write under ``out``, and the plan; nothing is written."""
    sizes = {name: file_size(text) for name, text in sorted(project.files.items())}
    if out.exists():  # what would stop the real run stops this one, with the same message
        try:
            check_targets(Path(os.path.realpath(out)), list(sizes))
        except WriteError as exc:
            raise UsageError(str(exc)) from None
    print(
        f"dry run: would write {len(sizes)} files ({sum(sizes.values())} bytes) to {out}: "
        f"{len(project.pipelines)} pipeline(s), {len(project.steps)} step(s)"
    )
    width = len(str(max(sizes.values(), default=0)))
    for name, size in sizes.items():
        replaces = "  (replaces an existing file)" if (out / name).exists() else ""
        print(f"  {size:>{width}}  {name}{replaces}")
    print("plan:")
    _print_plan(project, out, "would be left")
    print("nothing was written (--dry-run)")
    return 0


def _print_plan(project: Project, out: Path, left: str) -> None:
    for plan in project.pipelines:
        print(f"  pipelines/{plan.name}.py: {', '.join(plan.members)}")
    objects = sum(1 for s in project.skipped if s.name)
    if len(project.skipped) > objects:
        print(
            f"skipped {len(project.skipped) - objects} file(s) that cannot be analysed (DZ000); "
            "they are listed in README.md"
        )
    if objects:
        print(
            f"skipped {objects} function(s) or class(es) that cannot be analysed (DZ000), and migrated the rest of "
            "their files; they are listed in README.md"
        )
    # The README lists the markers (and names the marker in its text): count the code's own.
    todos = sum(text.count("# TODO(migration):") for name, text in project.files.items() if not name.endswith(".md"))
    print(f"{todos} TODO(migration) marker(s) {left} for a person; see {out / 'README.md'}")
