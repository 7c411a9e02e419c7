"""Check that ``--fix`` then ``--fix --unsafe-fixes`` leave every module of real projects importable.

For each repository directory given (default: the seven public Dagster repositories of
issue 16 under ``/tmp/repos``), the script copies it three times into ``--work``:
``before`` (untouched), ``fix`` (after ``check --fix``) and ``unsafe`` (after ``check --fix``
then ``check --fix --unsafe-fixes``). In each copy it then imports every module in one
fresh interpreter that has dagster and zenml (the interpreter running this script), each
module on its own path root (the directory above its top package), with a time limit
per module, and records the outcome: ``ok`` or the exception's type and message.

"Importable to the same degree" means: every module that imported before still imports,
and every module that failed before fails with the same exception type and message
(a module needing a package that is not installed, ``dbt`` say, fails the same way before
and after). Every fixed file must also compile. Outcomes that differ are printed; the
exit status is 1 when any module got worse::

    python benchmarks/crossfile_safety.py                       # the seven repositories
    python benchmarks/crossfile_safety.py /tmp/repos/corise-dagster --work /tmp/dz-xf

Nothing here is needed by the tests; it runs the released front-end (``python -m
dagster_zenml_lint check``) as a user would, so it measures what they get.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPOSITORIES = (
    "dagster-open-platform",
    "hooli-data-eng-pipelines",
    "project-dagster-university",
    "giga-dagster",
    "dagster-dags",
    "corise-dagster",
    "ipl-dagster-pipeline",
)
SKIPPED_PARTS = frozenset({".git", "__pycache__", "node_modules", ".venv", "venv", "site-packages"})

# Imports every module of a tree in one interpreter, each with SIGALRM as its time limit.
IMPORTER = r"""
import importlib, json, os, signal, sys, warnings
warnings.simplefilter("ignore")
modules = json.loads(sys.argv[1])
def _timeout(signum, frame):
    raise TimeoutError("import took too long")
signal.signal(signal.SIGALRM, _timeout)
results = {}
for module, root in modules:
    if root not in sys.path:
        sys.path.insert(0, root)
    signal.alarm(20)
    try:
        importlib.import_module(module)
        results[module] = "ok"
    except BaseException as exc:  # SystemExit, KeyboardInterrupt from a module's own code too
        results[module] = type(exc).__name__ + ": " + str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    finally:
        signal.alarm(0)
sys.stdout.flush()
os.write(1, ("\n@@RESULTS@@" + json.dumps(results) + "\n").encode())
os._exit(0)
"""


def python_files(root: Path) -> list[Path]:
    """The repository's Python files (no virtual environments, caches or hidden directories)."""
    return sorted(
        p
        for p in root.rglob("*.py")
        if not any(part in SKIPPED_PARTS or part.startswith(".") for part in p.parts[len(root.parts) :])
    )


def module_of(path: Path) -> tuple[str, str] | None:
    """(dotted module name, the directory it is imported from): the directory above its top package."""
    parts = [path.stem] if path.name != "__init__.py" else []
    directory = path.parent
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        parts.insert(0, directory.name)
        directory = directory.parent
    if not parts or not all(re.fullmatch(r"[A-Za-z_]\w*", part) for part in parts):
        return None
    return ".".join(parts), str(directory)


def import_all(root: Path, env: dict[str, str]) -> dict[str, str]:
    """The import outcome of every module under ``root``, keyed by its path relative to ``root``."""
    pairs = {}
    for path in python_files(root):
        found = module_of(path)
        if found is not None:
            pairs[str(path.relative_to(root))] = found
    importer = root.parent / f"import_{root.name}.py"  # a file: ZenML finds its source root from it
    importer.write_text(IMPORTER)
    proc = subprocess.run(
        [sys.executable, str(importer), json.dumps(list(pairs.values()))],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    marker = proc.stdout.rfind("@@RESULTS@@")
    if marker < 0:
        raise RuntimeError(f"the importer died in {root}: {proc.stderr[-2000:]}")
    by_module = json.loads(proc.stdout[marker + len("@@RESULTS@@") :])
    return {relative: by_module.get(module, "not run") for relative, (module, _root) in pairs.items()}


def compile_errors(root: Path) -> list[str]:
    """Files under ``root`` that do not compile."""
    errors = []
    for path in python_files(root):
        try:
            compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            errors.append(f"{path.relative_to(root)}: {exc}")
    return errors


def run_check(root: Path, *flags: str) -> str:
    """``dagster-zenml-lint check FLAGS root``; its summary line(s)."""
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--quiet", *flags, "."],
        cwd=root,  # not the caller's directory: ``-m`` puts it first on sys.path, before PYTHONPATH
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:
        raise RuntimeError(f"check {' '.join(flags)} failed on {root}: {proc.stderr[-2000:]}")
    return " ".join(line for line in (proc.stdout + proc.stderr).splitlines() if line.startswith(("Fixed", "No fixes")))


def environment(work: Path) -> dict[str, str]:
    """A fresh interpreter's environment: no PYTHONPATH, isolated ZenML and Dagster homes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZENML_", "DAGSTER_"))}
    (work / "dagster_home").mkdir(parents=True, exist_ok=True)
    env.update(
        {
            "PYTHONPATH": "",
            "PYTHONDONTWRITEBYTECODE": "1",
            "ZENML_CONFIG_PATH": str(work / "zenml_config"),
            "ZENML_ANALYTICS_OPT_IN": "false",
            "ZENML_LOGGING_VERBOSITY": "ERROR",
            "ZENML_ENABLE_RICH_TRACEBACK": "false",
            "ZENML_DISABLE_WORKSPACE_WARNINGS": "true",
            "DAGSTER_HOME": str(work / "dagster_home"),
        }
    )
    return env


def compare(name: str, before: dict[str, str], after: dict[str, str], label: str) -> list[str]:
    """Modules whose import outcome changed (worse or merely different)."""
    changed = []
    for module, outcome in before.items():
        now = after.get(module, "missing")
        if now != outcome:
            changed.append(f"{name} [{label}] {module}: {outcome!r} -> {now!r}")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repositories", nargs="*", type=Path)
    parser.add_argument("--work", type=Path, default=None, help="where the copies go (default: a temporary directory)")
    args = parser.parse_args(argv)
    repositories = args.repositories or [Path("/tmp/repos") / name for name in REPOSITORIES]
    work = args.work or Path(tempfile.mkdtemp(prefix="dz-crossfile-"))
    env = environment(work)
    problems: list[str] = []
    print(f"{'repository':28} {'files':>5} {'modules ok before/fix/unsafe':>29}  fixes (--fix | --unsafe-fixes)")
    for repository in repositories:
        name = repository.name
        copies = {label: work / name / label for label in ("before", "fix", "unsafe")}
        for copy in copies.values():
            if copy.exists():
                shutil.rmtree(copy)
            shutil.copytree(repository, copy, symlinks=True, ignore=shutil.ignore_patterns(".git", "__pycache__"))
        fixed = run_check(copies["fix"], "--fix")
        run_check(copies["unsafe"], "--fix")
        unsafe = run_check(copies["unsafe"], "--fix", "--unsafe-fixes")
        outcomes = {label: import_all(copy, env) for label, copy in copies.items()}
        for label in ("fix", "unsafe"):
            problems.extend(f"{name} [{label}] does not compile: {e}" for e in compile_errors(copies[label]))
            problems.extend(compare(name, outcomes["before"], outcomes[label], label))
        counts = "/".join(str(sum(v == "ok" for v in outcomes[label].values())) for label in copies)
        print(f"{name:28} {len(outcomes['before']):>5} {counts:>29}  {fixed or '-'} | {unsafe or '-'}", flush=True)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} module(s) importable to a different degree after fixing")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
