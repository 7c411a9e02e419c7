"""The generated project runs under real ZenML and gives, step by step, the values Dagster gives.

For each source fixture the original runs with real Dagster (``execute_in_process`` for
jobs, ``materialize`` for assets) in a subprocess, the migrated project runs with
``python run.py`` under real ZenML (``zenml[local]``, a fresh ``ZENML_CONFIG_PATH``,
analytics off) in a subprocess, and every step's outputs are read back from the run.
One ZenML run costs seconds, so each fixture is generated and run once per session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_zenml_lint.scaffold import generate_project, write_project

SOURCES = Path(__file__).parent / "migrate_sources"
TIMEOUT = 300

# Runs a Dagster module: every job with execute_in_process (outputs per node), and all
# assets with one materialize (values per asset key). Prints JSON.
DAGSTER_RUNNER = r"""
import importlib.util, json, sys
from dagster import AssetChecksDefinition, AssetsDefinition, JobDefinition, OpDefinition, materialize

sys.path.insert(0, str(__import__("pathlib").Path(sys.argv[1]).parent))  # sibling modules of the source
partition_key = sys.argv[2] if len(sys.argv) > 2 else None
if partition_key and partition_key.startswith("{"):  # a JSON object: one key per dimension
    from dagster import MultiPartitionKey

    partition_key = MultiPartitionKey(json.loads(partition_key))
spec = importlib.util.spec_from_file_location("migrated_source", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
result = {"jobs": {}, "assets": {}}
for value in vars(module).values():
    if isinstance(value, JobDefinition) and not value.name.startswith("__"):
        run = value.execute_in_process()
        ops = {}
        for handle in value.graph.iterate_node_handles():  # every op, also those inside graphs
            definition = value.graph.get_node(handle).definition
            if isinstance(definition, OpDefinition):
                ops[handle.name] = {o.name: run.output_for_node(str(handle), o.name) for o in definition.output_defs}
        result["jobs"][value.name] = ops
checks = [v for v in vars(module).values() if isinstance(v, AssetChecksDefinition)]
assets = [v for v in vars(module).values() if isinstance(v, AssetsDefinition) and v not in checks]
if assets:
    run = materialize([*assets, *checks], partition_key=partition_key)
    result["assets"] = {"/".join(key.path): run.asset_value(key) for a in assets for key in a.keys}
    for evaluation in run.get_asset_check_evaluations():  # an asset check's value: whether it passed
        result["assets"][evaluation.check_name] = evaluation.passed
print(json.dumps(result, default=repr, sort_keys=True))
"""

# Reads the last run of each named pipeline from the ZenML store: step -> output -> value.
ZENML_READER = r"""
import json, sys
from zenml.client import Client

result = {}
for name in sys.argv[1:]:
    run = Client().get_pipeline(name).last_run
    assert run.status.value == "completed", (name, run.status)
    result[name] = {
        step_name: {output: [a.load() for a in artifacts][0] for output, artifacts in step.outputs.items()}
        for step_name, step in run.steps.items()
    }
print(json.dumps(result, default=repr, sort_keys=True))
"""


def zenml_env(home: Path) -> dict[str, str]:
    """Environment for a quiet ZenML with its own local store under ``home``."""
    env = dict(os.environ)
    env.update(
        {
            "ZENML_CONFIG_PATH": str(home / "zenml-config"),
            "ZENML_ANALYTICS_OPT_IN": "false",
            "ZENML_LOGGING_VERBOSITY": "ERROR",
            "ZENML_ENABLE_RICH_TRACEBACK": "false",
            "AUTO_OPEN_DASHBOARD": "false",
        }
    )
    env.pop("PYTHONPATH", None)
    return env


def run_dagster(source: Path, *extra: str) -> dict:
    """Outputs of the original Dagster code (run in a subprocess with real Dagster); ``extra``: a partition key."""
    done = subprocess.run(
        [sys.executable, "-c", DAGSTER_RUNNER, str(source), *extra], capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_zenml(project: Path, pipelines: list[str], several: bool, home: Path, *extra: str) -> dict:
    """Run ``python run.py [--pipeline P] [extra...]`` for each pipeline, then read every step's outputs."""
    env = zenml_env(home)
    for name in pipelines:
        command = [sys.executable, "run.py", *(["--pipeline", name] if several else []), *extra]
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    reader = home / "read_runs.py"  # ZenML needs a main module with a file to find its source root
    reader.write_text(ZENML_READER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(reader), *pipelines],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def migrate(source_dir: Path, out: Path) -> list[str]:
    """Generate the project for a fixture; return its pipeline names."""
    project = generate_project([source_dir])
    write_project(project, out)
    return [p.name for p in project.pipelines]


@pytest.fixture(scope="module")
def zenml_home(tmp_path_factory):
    """One local ZenML store for the module: its database is created once."""
    return tmp_path_factory.mktemp("zenml-home")


@pytest.fixture(scope="module")
def ops_jobs(tmp_path_factory, zenml_home):
    """The op/job fixture: Dagster's values and the migrated project's ZenML values."""
    work = tmp_path_factory.mktemp("ops_jobs")
    source = SOURCES / "ops_jobs"
    names = migrate(source, work / "project")
    expected = run_dagster(source / "numbers.py")
    actual = run_zenml(work / "project", names, len(names) > 1, zenml_home)
    return names, expected, actual


@pytest.fixture(scope="module")
def assets_pure(tmp_path_factory, zenml_home):
    """The pure asset fixture: Dagster's asset values and the migrated project's ZenML values."""
    work = tmp_path_factory.mktemp("assets_pure")
    source = SOURCES / "assets_pure"
    names = migrate(source, work / "project")
    expected = run_dagster(source / "orders.py")
    actual = run_zenml(work / "project", names, len(names) > 1, zenml_home)
    return names, expected, actual


@pytest.fixture(scope="module")
def assets_partitioned(tmp_path_factory, zenml_home):
    """Daily-partitioned assets: one partition materialized by Dagster and run by ZenML with --partition-key."""
    work = tmp_path_factory.mktemp("assets_partitioned")
    source = SOURCES / "assets_partitioned"
    names = migrate(source, work / "project")
    expected = run_dagster(source / "daily.py", PARTITION_KEY)
    actual = run_zenml(work / "project", names, len(names) > 1, zenml_home, "--partition-key", PARTITION_KEY)
    return names, expected, actual


PARTITION_KEY = "2024-01-05"


@pytest.fixture(scope="module")
def assets_multi_partitioned(tmp_path_factory, zenml_home):
    """Date x city assets: one MultiPartitionKey materialized by Dagster, run by ZenML with one flag per dimension."""
    work = tmp_path_factory.mktemp("assets_multi_partitioned")
    source = SOURCES / "assets_multi_partitioned"
    names = migrate(source, work / "project")
    expected = run_dagster(source / "weather.py", json.dumps({"date": PARTITION_KEY, "city": "oslo"}))
    flags = ("--date-key", PARTITION_KEY, "--city-key", "oslo")
    actual = run_zenml(work / "project", names, len(names) > 1, zenml_home, *flags)
    return work / "project", names, expected, actual


def _single_value(outputs: dict) -> object:
    assert len(outputs) == 1, outputs
    return next(iter(outputs.values()))


def test_each_op_job_becomes_a_pipeline_run_through_its_pipeline_flag(ops_jobs):
    names, expected, actual = ops_jobs
    assert sorted(names) == sorted(expected["jobs"]) == ["numbers_job", "offset_job"]
    assert sorted(actual) == sorted(names)


def test_every_op_step_gives_dagsters_values(ops_jobs):
    _, expected, actual = ops_jobs
    compared = 0
    for job, nodes in expected["jobs"].items():
        steps = actual[job]
        assert sorted(steps) == sorted(nodes), job
        for node, outputs in nodes.items():
            if len(outputs) == 1:
                assert _single_value(steps[node]) == _single_value(outputs), (job, node)
            else:
                assert steps[node] == outputs, (job, node)
            compared += 1
    assert compared == 8
    assert actual["offset_job"]["formatted"] == {"output": "offset=125"}  # the resource's YAML values were used


def test_asset_graph_runs_with_asset_names_as_artifact_names(assets_pure):
    names, expected, actual = assets_pure
    assert len(names) == 1
    produced: dict[str, object] = {}
    for outputs in actual[names[0]].values():
        for name, value in outputs.items():
            assert name not in produced, f"artifact {name} produced twice"
            produced[name] = value
    assert produced == expected["assets"]
    assert len(produced) == 10
    assert (produced["order_count"], produced["max_amount"]) == (3, 32.5)  # yielded Outputs, returned in order
    assert produced["report_mentions_tax"] is True


# Reads the step statuses of the last run of one pipeline: step -> "completed" | "cached" | ...
STATUS_READER = r"""
import json, sys
from zenml.client import Client

run = Client().get_pipeline(sys.argv[1]).last_run
print(json.dumps({name: step.status.value for name, step in run.steps.items()}, sort_keys=True))
"""


def test_a_second_run_re_executes_the_source_step_and_reuses_the_cache_for_the_others(
    assets_pure, tmp_path_factory, zenml_home
):
    """Issue 18 item 1: Dagster re-runs a source loader every run; ZenML would skip it unless uncached."""
    names, _, _ = assets_pure
    project = next(p for p in tmp_path_factory.getbasetemp().glob("assets_pure*/project"))
    env = zenml_env(zenml_home)
    done = subprocess.run(
        [sys.executable, "run.py"], cwd=project, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 0, done.stderr[-4000:]
    reader = zenml_home / "read_statuses.py"
    reader.write_text(STATUS_READER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(reader), names[0]], cwd=project, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 0, done.stderr[-4000:]
    statuses = json.loads(done.stdout.strip().splitlines()[-1])
    assert statuses["raw_orders"] == "completed"  # no inputs: enable_cache=False, so it ran again
    assert statuses["order_totals"] == "cached"  # a pure step with unchanged code and inputs is reused


def test_partition_key_flag_reproduces_one_dagster_partition(assets_partitioned):
    names, expected, actual = assets_partitioned
    # the unpartitioned upstream is its own pipeline, run first; the daily one loads its artifact by name
    assert names == ["base_numbers_pipeline", "day_total_pipeline"]
    produced = {
        name: value for pipeline in names for outputs in actual[pipeline].values() for name, value in outputs.items()
    }
    assert produced == expected["assets"]
    assert produced["day_total"] == f"{PARTITION_KEY}: 30"


def test_multi_partition_dimensions_become_parameters_the_step_uses(assets_multi_partitioned):
    project, names, expected, actual = assets_multi_partitioned
    produced = {
        name: value for pipeline in names for outputs in actual[pipeline].values() for name, value in outputs.items()
    }
    assert produced == expected["assets"]
    assert produced["summary"] == f"oslo on {PARTITION_KEY}: 9 C"
    pipeline = (project / "pipelines" / f"{names[0]}.py").read_text()
    assert f"def {names[0]}(date_key: str, city_key: str) -> None:" in pipeline  # no unused partition_key
    step = (project / "steps" / "reading.py").read_text()
    assert "keys_by_dimension" not in step and "day = date_key" in step
