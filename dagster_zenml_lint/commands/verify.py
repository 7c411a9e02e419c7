"""``dagster-zenml-lint verify SRC OUT``: run the Dagster code and its migrated ZenML project, compare outputs.

The Dagster definitions under ``SRC`` are materialized (assets, asset checks) and executed
(op jobs) with real Dagster; the pipelines of the project ``migrate`` wrote to ``OUT`` run
with real ZenML, all of them in ``run.py``'s dependency order. Both run in subprocesses of
the current interpreter, in ``SRC``'s directory (relative input paths mean the same files),
with a throw-away ZenML store and Dagster home, so the linter process never imports either
package. Every asset, asset check and op output is then compared value by value and printed
as one row: ``match``, ``DIFFER`` or ``not compared`` (with the reason).

Exit codes: 0 when every compared output matches, 1 when one differs or nothing could be
compared, 2 for a usage error (missing package, path, or partition key).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dagster_zenml_lint.commands import UsageError

NAME = "verify"
HELP = "run the Dagster code and the migrated ZenML project on the same inputs and compare every output"
TIMEOUT = 900  # seconds for each side; a first ZenML run creates its database

# Turns a value into JSON-comparable data in both runners; values without a stable form are marked.
CANONICAL = r'''
def canonical(value):
    """A value as JSON data both engines' values can be compared by; None-like marker when it has none."""
    try:
        import pandas
        if isinstance(value, pandas.DataFrame):
            return {"__dataframe__": json.loads(value.reset_index(drop=True).to_json(orient="split"))}
        if isinstance(value, pandas.Series):
            return {"__series__": json.loads(value.reset_index(drop=True).to_json(orient="split"))}
    except ImportError:
        pass
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    try:
        return json.loads(json.dumps(value, sort_keys=True))
    except (TypeError, ValueError):
        text = repr(value)
        return {"__uncomparable__": type(value).__name__} if " at 0x" in text else {"__repr__": text}
'''

# Imports every module under the source root, finds the Definitions (or loose definitions), runs them.
DAGSTER_SIDE = (
    r"""
import importlib, importlib.util, json, os, sys, warnings
warnings.filterwarnings("ignore")
sys.path = [p for p in sys.path if p not in ("", os.getcwd())]  # -c puts the working directory (SRC) first
root, partition_key = sys.argv[1], sys.argv[2] or None
from dagster import (
    AssetChecksDefinition, AssetsDefinition, Definitions, JobDefinition, OpDefinition, materialize,
)
sys.path.insert(0, root)  # after Dagster's imports: a source module may be called like a stdlib one
"""
    + CANONICAL
    + r"""
def module_names(root):
    for entry in sorted(os.listdir(root)):
        path = os.path.join(root, entry)
        if entry.endswith(".py") and entry != "setup.py":
            yield entry[:-3]
        elif os.path.isfile(os.path.join(path, "__init__.py")):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if os.path.isfile(os.path.join(folder, d, "__init__.py")))
                package = os.path.relpath(folder, root).replace(os.sep, ".")
                for name in sorted(files):
                    if name.endswith(".py"):
                        yield package if name == "__init__.py" else f"{package}.{name[:-3]}"

found = []
for name in module_names(root):
    if "test" in name.split(".")[-1]:
        continue
    if name in sys.modules and not getattr(sys.modules[name], "__file__", "").startswith(root):
        # numbers.py beside the code: the stdlib module of that name is loaded already; load the file
        spec = importlib.util.spec_from_file_location(f"_verified_{name}", os.path.join(root, *name.split(".")) + ".py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(name)
    found.extend(vars(module).values())
definitions = list({id(v): v for v in found if isinstance(v, Definitions)}.values())  # re-exports once
if definitions:
    defs = Definitions.merge(*definitions) if len(definitions) > 1 else definitions[0]
    assets = [a for a in (defs.assets or []) if isinstance(a, AssetsDefinition)]
    checks = [c for c in (defs.asset_checks or []) if isinstance(c, AssetChecksDefinition)]
    jobs = [defs.get_job_def(j.name) for j in (defs.jobs or []) if isinstance(j, JobDefinition)]
    resources = dict(defs.resources or {})
else:
    unique = list({id(v): v for v in found}.values())
    checks = [v for v in unique if isinstance(v, AssetChecksDefinition)]
    assets = [v for v in unique if isinstance(v, AssetsDefinition) and v not in checks]
    jobs = [v for v in unique if isinstance(v, JobDefinition) and not v.name.startswith("__")]
    resources = {}
assets = list({id(a): a for a in assets if a.is_materializable}.values())
result = {"jobs": {}, "assets": {}, "checks": {}}
for job in jobs:
    run = job.execute_in_process(partition_key=partition_key if job.partitions_def else None)
    ops = {}
    for handle in job.graph.iterate_node_handles():
        definition = job.graph.get_node(handle).definition
        if isinstance(definition, OpDefinition):
            container = job.graph if handle.parent is None else job.graph.get_node(handle.parent).definition
            mapped = container.dependency_structure.is_dynamic_mapped(handle.name)  # runs once per dynamic item
            for out in definition.output_defs:
                try:
                    value = run.output_for_node(str(handle), out.name)
                except Exception:
                    continue  # an optional output that was not produced
                if (out.is_dynamic or mapped) and isinstance(value, dict):
                    # one value per mapping key, in the order the dynamic output yielded them
                    value = {"__mapped__": [canonical(v) for v in value.values()]}
                ops.setdefault(str(handle), {})[out.name] = canonical(value)
    result["jobs"][job.name] = ops
if assets:
    partitioned = any(a.partitions_def is not None for a in assets)
    if partitioned and partition_key is None:
        print("the Dagster assets are partitioned: give one key with --partition-key", file=sys.stderr)
        sys.exit(3)
    run = materialize([*assets, *checks], resources=resources, partition_key=partition_key if partitioned else None)
    for a in assets:
        for key in a.keys:
            try:
                raw = run.asset_value(key)
                # a MaterializeResult asset: Dagster stored no value, the ZenML step returns None
                value = None if getattr(raw, "__name__", "") == "NoValueSentinel" else canonical(raw)
            except Exception:  # e.g. a MaterializeResult: Dagster stored no value
                value = {"__uncomparable__": "asset without a stored value"}
            result["assets"]["/".join(key.path)] = value
    for evaluation in run.get_asset_check_evaluations():
        result["checks"][evaluation.check_name] = evaluation.passed
print(json.dumps(result, sort_keys=True))
"""
)

# Runs run.py's pipelines (all of them, in its order) in one process, then reads every step's outputs.
ZENML_SIDE = (
    r"""
import json, os, sys, warnings
warnings.filterwarnings("ignore")
sys.path = [p for p in sys.path if p not in ("", os.getcwd())]  # SRC's modules must not shadow any import
project, config, partition_key = sys.argv[1], sys.argv[2], sys.argv[3] or None
sys.path.insert(0, project)
from zenml.utils import source_utils
source_utils.set_custom_source_root(project)
from zenml.client import Client
import run
"""
    + CANONICAL
    + r"""
argv = ["run.py", "--config", config]
if len(run.PIPELINES) > 1:
    argv += ["--pipeline", "all"]
if partition_key and any("partition_key" in p for p in run.PARAMETERS.values()):
    argv += ["--partition-key", partition_key]
sys.argv = argv
real_stdout = sys.stdout
sys.stdout = sys.stderr  # ZenML's progress output must not mix with the JSON result
run.main()
sys.stdout = real_stdout
result = {}
jobs = getattr(run, "DAGSTER_JOBS", {})  # pipeline -> the Dagster job it replaces, where the names differ
for key, pipeline in run.PIPELINES.items():
    last = Client().get_pipeline(pipeline.name).last_run  # ZenML's name: @pipeline(name=...) may set it
    if last.status.value != "completed":
        print(f"pipeline {key} ended {last.status.value}", file=sys.stderr)
        sys.exit(1)
    name = jobs.get(key, key)  # results by the Dagster job's name, which the op rows are compared under
    result[name] = {
        step_name: {output: canonical(artifacts[0].load()) for output, artifacts in step.outputs.items() if artifacts}
        for step_name, step in last.steps.items()
        if not step_name.startswith("map:")
    }
    # a dynamic pipeline runs a mapped step once per item, as map:<step>:<index>
    mapped = {}
    for step_name, step in last.steps.items():
        kind, _, rest = step_name.partition(":")
        base, _, index = rest.rpartition(":")
        if kind == "map" and index.isdigit():
            for output, artifacts in step.outputs.items():
                if artifacts:
                    mapped.setdefault(base, {}).setdefault(output, []).append((int(index), artifacts[0].load()))
    for base, outputs in mapped.items():
        result[name][base] = {
            output: {"__mapped__": [canonical(v) for _, v in sorted(items, key=lambda item: item[0])]}
            for output, items in outputs.items()
        }
print(json.dumps(result, sort_keys=True))
"""
)


@dataclass(frozen=True)
class Row:
    """One compared output."""

    subject: str  # "asset orders", "check orders_positive", "op numbers_job.squares"
    status: str  # match | DIFFER | not compared
    detail: str = ""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("source", metavar="SRC", help="the directory of the Dagster code that was migrated")
    parser.add_argument("out", metavar="OUT", help="the ZenML project `migrate` wrote from it")
    parser.add_argument("--partition-key", help="the one partition of partitioned assets to run on both sides")
    parser.add_argument("--config", default="configs/dev.yaml", help="the run configuration in OUT (default: dev)")


def missing_packages() -> list[str]:
    """The engines that are not importable by this interpreter (looked up, never imported)."""
    return [name for name in ("dagster", "zenml") if importlib.util.find_spec(name) is None]


def _environment(home: Path) -> dict[str, str]:
    """A quiet ZenML with its own local store and an own Dagster home, both under ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZENML_", "DAGSTER_"))}
    env.update(
        {
            "ZENML_CONFIG_PATH": str(home / "zenml"),
            "ZENML_ANALYTICS_OPT_IN": "false",
            "ZENML_LOGGING_VERBOSITY": "ERROR",
            "ZENML_ENABLE_RICH_TRACEBACK": "false",
            "AUTO_OPEN_DASHBOARD": "false",
            "DAGSTER_HOME": str(home / "dagster"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    (home / "dagster").mkdir(exist_ok=True)
    return env


def _run_side(label: str, script: str, arguments: list[str], cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run one engine's script; its last stdout line is the JSON result."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, *arguments],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise UsageError(f"the {label} run took longer than {TIMEOUT} s") from None
    if done.returncode == 3:
        raise UsageError(done.stderr.strip().splitlines()[-1])
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = [line for line in done.stderr.strip().splitlines() if line.strip()][-1:] or ["no output"]
        raise UsageError(f"the {label} run failed: {tail[0].strip()}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _same(expected: Any, actual: Any) -> Row | None:
    """None when the values match; else why they do not (or cannot be compared)."""
    for value in (expected, actual):
        if isinstance(value, dict) and "__uncomparable__" in value:
            return Row("", "not compared", f"no comparable value ({value['__uncomparable__']})")
    if isinstance(expected, dict) and "__mapped__" in expected:  # a dynamic output: ZenML returns the list
        expected = expected["__mapped__"]
        actual = actual["__mapped__"] if isinstance(actual, dict) and "__mapped__" in actual else actual
    if expected == actual:
        return None
    return Row("", "DIFFER", f"dagster {_short(expected)} != zenml {_short(actual)}")


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


def _row(subject: str, expected: Any, actual: Any) -> Row:
    outcome = _same(expected, actual)
    return Row(subject, "match") if outcome is None else Row(subject, outcome.status, outcome.detail)


def _single(outputs: dict[str, Any]) -> Any:
    return next(iter(outputs.values()))


def compare(dagster: dict[str, Any], zenml: dict[str, dict[str, dict[str, Any]]]) -> list[Row]:
    """One row per Dagster output: op outputs by job and op, assets and checks by artifact name."""
    rows: list[Row] = []
    for job, nodes in sorted(dagster["jobs"].items()):
        steps = zenml.get(job)
        if steps is None:
            rows.append(Row(f"job {job}", "not compared", "no pipeline of that name ran"))
            continue
        for handle, outputs in sorted(nodes.items()):
            op = handle.rpartition(".")[2]  # a graph's ops are steps of the pipeline itself
            step = steps.get(op)
            if step is None:
                rows.append(Row(f"op {job}.{handle}", "not compared", "no step of that name ran"))
            elif len(outputs) == 1 and len(step) == 1:
                rows.append(_row(f"op {job}.{handle}", _single(outputs), _single(step)))
            else:
                for name, value in sorted(outputs.items()):
                    if name in step:
                        rows.append(_row(f"op {job}.{handle}.{name}", value, step[name]))
                    else:
                        rows.append(Row(f"op {job}.{handle}.{name}", "not compared", "the step has no such output"))
    artifacts: dict[str, list[Any]] = {}
    for pipeline, steps in zenml.items():
        if pipeline in dagster["jobs"]:
            continue
        for outputs in steps.values():
            for name, value in outputs.items():
                artifacts.setdefault(name, []).append(value)
    for kind, values in (("asset", dagster["assets"]), ("check", dagster["checks"])):
        for key, expected in sorted(values.items()):
            produced = artifacts.get(key)
            if not produced:
                rows.append(Row(f"{kind} {key}", "not compared", "no ZenML step produced an artifact of that name"))
                continue
            outcomes = [_row(f"{kind} {key}", expected, actual) for actual in produced]
            rows.append(next((r for r in outcomes if r.status != "match"), outcomes[0]))
    return rows


def verify(source: Path, out: Path, *, partition_key: str | None = None, config: str = "configs/dev.yaml") -> list[Row]:
    """Run both engines (in subprocesses) and compare; raises :class:`UsageError` when a side cannot run."""
    with tempfile.TemporaryDirectory(prefix="dzl-verify-") as home:
        env = _environment(Path(home))
        key = partition_key or ""
        dagster = _run_side("Dagster", DAGSTER_SIDE, [str(source.resolve()), key], source, env)
        config_path = str((out / config).resolve())
        zenml = _run_side("ZenML", ZENML_SIDE, [str(out.resolve()), config_path, key], source, env)
    return compare(dagster, zenml)


def run(args: argparse.Namespace) -> int:
    """Check the inputs, run both sides, print the table; 0 only when every compared output matches."""
    missing = missing_packages()
    if missing:
        install = " ".join("'zenml[local]'" if m == "zenml" else m for m in missing)
        raise UsageError(f"verify runs both engines and needs {' and '.join(missing)}: pip install {install}")
    source, out = Path(args.source), Path(args.out)
    if not source.is_dir():
        raise UsageError(f"SRC {source} is not a directory")
    if not (out / "run.py").is_file():
        raise UsageError(f"OUT {out} has no run.py: give the directory `migrate --out` wrote")
    rows = verify(source, out, partition_key=args.partition_key, config=args.config)
    width = max((len(r.subject) for r in rows), default=0)
    for row in rows:
        print(f"{row.subject:<{width}}  {row.status}{'  ' + row.detail if row.detail else ''}".rstrip())
    counts = {status: sum(r.status == status for r in rows) for status in ("match", "DIFFER", "not compared")}
    print(f"{counts['match']} match, {counts['DIFFER']} differ, {counts['not compared']} not compared")
    return 0 if counts["match"] and not counts["DIFFER"] else 1
