"""Migrate seven public Dagster repositories and check that the generated code imports.

One command reproduces the table of ``docs/real-code.md`` ("migrate on real code")::

    python benchmarks/migrate_real.py --repos /tmp/repos
    python benchmarks/migrate_real.py --repos /tmp/repos --only hooli-data-eng-pipelines --details

For each repository (checked out as ``benchmarks/real_code.py`` checks them out): ``migrate``
runs as a user runs it (``python -m dagster_zenml_lint migrate REPO --out TMP``), every
generated ``.py`` file is compiled, and every module under ``steps/`` and ``pipelines/`` is
imported in a subprocess of ``--python`` (an interpreter with dagster and zenml installed; by
default this one), with the generated project as its working directory, the way ``run.py``
imports them. A failed import is put down to its cause:

- ``missing dependency``: a third-party package the source project needs and that is not
  installed (dagstermill, snowflake...): not ours, counted apart;
- ``environment``: the source reads something at import time that this machine does not have
  (an environment variable, a file): not ours either;
- ``dependency version``: the source needs another version of an installed package than the
  one ZenML runs with (pydantic 1's ``BaseSettings``): not ours;
- ``stand-in``: with ``--stub-missing``, missing third-party packages are imported as stand-ins
  whose every attribute is a class, so the import goes on to the code behind them; a failure
  inside a stand-in is counted here;
- anything else is ours (a name the generated code does not define, an import of a source
  module or of a generated module that does not exist, a relative import, a model that fails
  validation...), counted by exception and message with the generated file it was raised in.

The exit code is non-zero only when ``migrate`` itself crashes (a traceback or an exit code
other than 0 and 2); import failures are the measurement, not an error.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.abc
import importlib.machinery
import inspect
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import traceback
import types
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_code import REPOSITORIES, checkout, table

GENERATED_PACKAGES = frozenset({"steps", "pipelines", "helpers", "materializers"})
IMPORT_TIMEOUT_SECONDS = 60
PREPARED = ("", "ok", "arguments", "placeholder")  # prepare outcomes that are no failure
# Why an import failed: ours first, then what the source project needs that this machine lacks.
CAUSES = ("ours", "stand-in", "dependency version", "environment", "missing dependency")


class ImportResult(NamedTuple):
    """What importing one generated module did."""

    module: str
    cause: str  # "" when the import succeeded; else one of CAUSES
    detail: str  # the exception, one line, names kept
    where: str  # the generated file (relative path:line) the exception was raised in, if any
    # a pipelines/ module that imported: "ok", "arguments" (it needs some), "placeholder" (a TODO
    # migrate left on purpose stops it) or the error
    prepared: str = ""


class RepoResult(NamedTuple):
    """The numbers of one repository."""

    name: str
    files: int
    compiled: int
    imports: tuple[ImportResult, ...]
    dagster_imports: int  # generated files that still import a dagster package
    migrate_message: str  # migrate's one-line refusal (exit 2), else ""


# ---------------------------------------------------------------- the worker (runs in the venv)


def _generated_frame(exc: BaseException, out: Path) -> str:
    """The innermost traceback frame inside the generated project, as ``path:line``."""
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if path.is_relative_to(out):
            where = f"{path.relative_to(out)}:{frame.lineno}"
    if not where and isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename).is_relative_to(out):
        where = f"{Path(exc.filename).relative_to(out)}:{exc.lineno}"
    return where


def _classify(exc: BaseException, source_modules: frozenset[str]) -> str:
    """Whose failure an import exception is: the source's needs, or our generated code."""
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        top = exc.name.split(".", 1)[0]
        if top in GENERATED_PACKAGES or top in source_modules:
            return "ours"
        return "missing dependency"
    if type(exc).__name__ == "PydanticImportError" or (
        type(exc) is ImportError and exc.name and exc.name.split(".", 1)[0] not in GENERATED_PACKAGES | source_modules
    ):
        return "dependency version"  # pydantic<2's BaseSettings, a name a newer package no longer has
    if isinstance(exc, KeyError | FileNotFoundError | PermissionError):
        return "environment"  # os.environ["X"] or open("data.csv") at module level of the source
    frames = traceback.extract_tb(exc.__traceback__)
    if frames and re.search(r"\b(getenv|environ)\b", frames[-1].line or ""):
        return "environment"  # "PGHOST=" + os.getenv("PGHOST") without the variable set
    return "ours"


def _blames_stand_in(exc: BaseException) -> bool:
    """Whether a failure comes from a stand-in of ``--stub-missing`` rather than from our code."""
    frames = traceback.extract_tb(exc.__traceback__)
    return "_Stub" in str(exc) or any(frame.filename == __file__ for frame in frames[1:])


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


class _Stub(type):
    """A stand-in for anything a missing third-party module exports: a class whose attributes,
    calls, items and subclasses are stand-ins too, so the import goes on to our own code."""

    def __getattr__(cls, name: str) -> type:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Stub(name, (), {})

    def __call__(cls, *args: object, **kwargs: object) -> object:
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]  # used as a decorator: keep the function
        return _Stub("result", (), {})

    def __getitem__(cls, item: object) -> type:
        return cls

    def __or__(cls, other: object) -> object:
        return cls

    __ror__ = __or__

    def __iter__(cls) -> Iterator[object]:
        return iter((_Stub("item", (), {}),))  # next(iter(specs)) at module level


def _stub_attribute(name: str) -> type:
    if name.startswith("__"):
        raise AttributeError(name)
    return _Stub(name, (), {})


class _StubModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves a stand-in module for a third-party package that is not installed (``--stub-missing``).

    Last on ``sys.meta_path``, so it answers only what nothing else finds; never the generated
    packages nor the source's own, whose absence is our failure. ``used`` records the stand-ins
    made, so a failure behind one is told apart.
    """

    def __init__(self, refused: frozenset[str]) -> None:
        self.refused = refused
        self.used: set[str] = set()

    def find_spec(self, fullname: str, path: object, target: object = None) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".", 1)[0] in self.refused:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = _stub_attribute  # type: ignore[method-assign]
        self.used.add(spec.name.split(".", 1)[0])
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def _prepare_pipelines(module: types.ModuleType, out: Path) -> str:
    """Build the DAG of each ZenML pipeline the module defines (``Pipeline.prepare``), running no step.

    Catches what importing cannot: a step called with an argument it does not take, an
    output unpacked into the wrong number of names, an undefined name in a pipeline body.
    """
    from zenml.pipelines.pipeline_definition import Pipeline

    outcome = ""
    for value in vars(module).values():
        if not isinstance(value, Pipeline) or value.entrypoint.__module__ != module.__name__:
            continue
        required = [
            p.name
            for p in inspect.signature(value.entrypoint).parameters.values()
            if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        if required:
            outcome = outcome or "arguments"
            continue
        try:
            value.prepare()
        except Exception as exc:
            if _left_for_a_person(exc, inspect.getsource(module)):
                outcome = "placeholder"
                continue
            where = _generated_frame(exc, out)
            return f"{_one_line(exc)} ({where})" if where else _one_line(exc)
        outcome = outcome or "ok"
    return outcome


def _left_for_a_person(exc: Exception, pipeline_source: str) -> bool:
    """Whether a pipeline fails where ``migrate`` left a TODO on purpose: a pipeline with no steps
    yet (an integration's assets), or an input no migrated asset produces (a source asset), which
    the pipeline passes as ``None`` under its DZ209 marker."""
    if isinstance(exc, NotImplementedError) and "has no steps yet" in str(exc):
        return True
    found = re.search(r"Input validation failed for input '([^']+)': Expected type `<class '([^']+)'>`", str(exc))
    if found is None or not _placeholder_input(found.group(1), pipeline_source):
        return False
    expected = found.group(2)
    # a Dagster resource (DuckDBResource, PipesK8sClient) taken for a source asset is our mistake
    return not (expected.startswith("dagster") or re.search(r"\.(\w*Resource|Pipes\w*Client)$", expected))


def _placeholder_input(param: str, pipeline_source: str) -> bool:
    """Whether the pipeline passes ``param`` a variable it set to ``None`` under a "not produced by any
    migrated asset" marker (the variable is named after the upstream asset key, which may differ from
    the parameter: ``weekly_order_summary=ANALYTICS_weekly_order_summary``)."""
    if "is not produced by any migrated asset" not in pipeline_source:
        return False
    passed = re.findall(rf"\b{re.escape(param)}=(\w+)", pipeline_source)
    return any(re.search(rf"^\s*{re.escape(name)} = None$", pipeline_source, re.MULTILINE) for name in passed)


def _on_alarm(signum: int, frame: object) -> None:
    raise TimeoutError(f"import took longer than {IMPORT_TIMEOUT_SECONDS}s")


def worker(out: Path, modules: Sequence[str], source_modules: frozenset[str], stub_missing: bool) -> None:
    """Import each module of the generated project ``out`` and print one JSON line per module."""
    os.chdir(out)
    sys.path.insert(0, str(out))
    if stub_missing:
        sys.meta_path.append(_StubModules(GENERATED_PACKAGES | source_modules | {"dagster", "zenml"}))
    signal.signal(signal.SIGALRM, _on_alarm)
    for module in modules:
        signal.alarm(IMPORT_TIMEOUT_SECONDS)
        try:
            imported = importlib.import_module(module)
            result = ImportResult(module, "", "", "", _prepare_pipelines(imported, out))
        except BaseException as exc:  # a SystemExit at import time is a finding too
            cause = _classify(exc, source_modules)
            if stub_missing and cause == "ours" and _blames_stand_in(exc):
                cause = "stand-in"
            result = ImportResult(module, cause, _one_line(exc), _generated_frame(exc, out))
        finally:
            signal.alarm(0)
        print(json.dumps(result._asdict()), flush=True)


# ---------------------------------------------------------------- the driver


def source_module_names(repo: Path) -> frozenset[str]:
    """Top-level packages of the source repository (a package whose parent is not one).

    A generated module that still imports one of them is our failure: what a step needs from
    its own project belongs in ``helpers/``.
    """
    names = set()
    for init in repo.rglob("__init__.py"):
        package = init.parent
        if package != repo and not (package.parent / "__init__.py").exists() and package.name.isidentifier():
            names.add(package.name)
    return frozenset(names - GENERATED_PACKAGES)


def imports_dagster(tree: ast.Module) -> bool:
    """Whether a generated module still imports dagster or one of its integration packages."""
    for node in ast.walk(tree):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        if any(re.match(r"dagster(_|\.|$)", name) for name in names):
            return True
    return False


def run_migrate(repo: Path, out: Path) -> str:
    """Run ``migrate`` on one repository; its refusal message when it exits 2, else ""."""
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "migrate", str(repo), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if "Traceback" in proc.stderr or proc.returncode not in (0, 2):
        raise MigrateCrash(f"migrate crashed on {repo} (exit {proc.returncode}):\n{proc.stderr}")
    return proc.stderr.strip() if proc.returncode == 2 else ""


class MigrateCrash(Exception):
    """``migrate`` itself failed: the one outcome that makes this benchmark exit non-zero."""


def import_all(
    python: str, out: Path, modules: list[str], source_modules: frozenset[str], stub_missing: bool
) -> Iterator[ImportResult]:
    """Import ``modules`` in worker subprocesses; a worker that dies is restarted after its module."""
    remaining = list(modules)
    env = dict(os.environ, ZENML_ANALYTICS_OPT_IN="false", ZENML_LOGGING_VERBOSITY="ERROR")
    with tempfile.TemporaryDirectory(prefix="zenml-config-") as config:
        env["ZENML_CONFIG_PATH"] = config
        env["DAGSTER_HOME"] = config
        while remaining:
            proc = subprocess.run(
                [
                    python,
                    __file__,
                    "--worker",
                    str(out),
                    ",".join(sorted(source_modules)),
                    str(stub_missing),
                    *remaining,
                ],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            done = [ImportResult(**json.loads(line)) for line in proc.stdout.splitlines() if line.startswith("{")]
            yield from done
            remaining = remaining[len(done) :]
            if remaining:  # the worker died while importing remaining[0]
                last = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
                yield ImportResult(remaining[0], "ours", f"worker died: {last}"[:300], "")
                remaining = remaining[1:]


def measure(repo: Path, work: Path, python: str, stub_missing: bool) -> RepoResult:
    """Migrate one repository into ``work`` and measure the generated code."""
    out = work / repo.name
    message = run_migrate(repo, out)
    paths = sorted(out.rglob("*.py")) if out.is_dir() else []
    compiled = dagster_imports = 0
    for path in paths:
        try:
            tree = compile(path.read_text(encoding="utf-8"), str(path), "exec", ast.PyCF_ONLY_AST)
            compile(tree, str(path), "exec")
        except (SyntaxError, ValueError):
            continue
        compiled += 1
        dagster_imports += imports_dagster(tree)
    modules = [
        ".".join(path.relative_to(out).with_suffix("").parts)
        for path in paths
        if path.parent.name in ("steps", "pipelines") and path.parent.parent == out and path.stem != "__init__"
    ]
    imports = tuple(import_all(python, out, modules, source_module_names(repo), stub_missing))
    return RepoResult(repo.name, len(paths), compiled, imports, dagster_imports, message)


def summary_rows(results: Sequence[RepoResult]) -> list[list[object]]:
    """One row per repository and a total."""
    rows: list[list[object]] = []
    totals = [0] * (4 + len(CAUSES))
    for result in results:
        causes = Counter(item.cause for item in result.imports)
        numbers = [
            result.files,
            result.compiled,
            len(result.imports),
            causes[""],
            *(causes[cause] for cause in reversed(CAUSES)),
        ]
        totals = [a + b for a, b in zip(totals, numbers, strict=True)]
        rows.append([result.name, *numbers])
    rows.append(["total", *totals])
    return rows


SUMMARY_HEADER = (
    "repository",
    "files",
    "compiled",
    "modules",
    "imported",
    *reversed(CAUSES),
)


def cause_key(item: ImportResult) -> str:
    """The detail without the names that differ between occurrences, to count alike failures."""
    return re.sub(r"'[^']*'", "'…'", item.detail)


def _prepare_key(prepared: str) -> str:
    """A prepare failure without its names and location, to count alike ones."""
    return re.sub(r"'[^']*'|`[^`]*`|\([^()]*\)$", "…", prepared)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=Path, required=True, help="directory holding (or receiving) the checkouts")
    parser.add_argument("--python", default=sys.executable, help="interpreter with dagster and zenml installed")
    parser.add_argument("--only", action="append", default=[], help="measure only this repository (repeatable)")
    parser.add_argument("--keep", type=Path, help="write the generated projects here (an empty or absent directory)")
    parser.add_argument(
        "--stub-missing",
        action="store_true",
        help="import missing third-party packages as stand-ins, to reach the failures behind them",
    )
    parser.add_argument("--details", action="store_true", help="list every failed import of ours")
    args = parser.parse_args(argv)
    repos = [repo for repo in REPOSITORIES if not args.only or repo.name in args.only]
    if not repos:
        parser.error(f"no repository named {', '.join(args.only)}")
    with tempfile.TemporaryDirectory(prefix="migrate-real-") as scratch:
        work = args.keep or Path(scratch)
        results = []
        for repo in repos:
            try:
                results.append(measure(checkout(args.repos, repo), work, args.python, args.stub_missing))
            except MigrateCrash as crash:
                print(crash, file=sys.stderr)
                return 1
    print(table(summary_rows(results), SUMMARY_HEADER))
    print()
    print(
        "generated files that still import a dagster package: "
        + ", ".join(f"{r.name} {r.dagster_imports}" for r in results)
    )
    for result in results:
        if result.migrate_message:
            print(f"{result.name}: migrate refused: {result.migrate_message}")
    for cause in CAUSES:
        counts = Counter(cause_key(item) for r in results for item in r.imports if item.cause == cause)
        if counts:
            print(f"\n{cause} ({sum(counts.values())}):")
            print(table([[n, key] for key, n in counts.most_common()], ("imports", "failure")))
    prepared = Counter(
        _prepare_key(item.prepared) for r in results for item in r.imports if item.prepared not in PREPARED
    )
    counts = Counter(item.prepared for r in results for item in r.imports if item.prepared in PREPARED)
    print(
        f"\npipeline modules prepared (DAG built, no step run): {counts['ok']} ok, {counts['arguments']} need"
        f" arguments, {counts['placeholder']} stop at a TODO left on purpose, {sum(prepared.values())} failed"
    )
    if prepared:
        print(table([[n, key] for key, n in prepared.most_common()], ("pipelines", "prepare failed")))
    if args.details:
        print("\nfailed imports of ours:")
        for result in results:
            for item in result.imports:
                if item.cause == "ours":
                    print(f"  {result.name}: {item.module}: {item.where}: {item.detail}")
                elif item.prepared not in PREPARED:
                    print(f"  {result.name}: {item.module}: prepare: {item.prepared}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        source_modules = frozenset(filter(None, sys.argv[3].split(",")))
        worker(Path(sys.argv[2]), sys.argv[5:], source_modules, stub_missing=sys.argv[4] == "True")
    else:
        sys.exit(main())
