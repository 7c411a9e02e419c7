"""Generated pipelines keep Dagster's failure behaviour under real ZenML (issue 18 item 3).

Dagster keeps running the ops that do not depend on a failed op; the generated
``@pipeline`` leaves ``execution_mode`` at ZenML's default, ``CONTINUE_ON_FAILURE``, which
does the same, in static and (ZenML 0.98) dynamic pipelines. These run a migrated
two-branch job and a fan-out with one failing item with ``run.py`` and read the step statuses.
"""

from __future__ import annotations

import json
import subprocess
import sys

from zenml_env import zenml_env

from dagster_zenml_lint.scaffold import generate_project, write_project

TWO_BRANCHES = """\
from dagster import job, op


@op
def broken() -> int:
    raise RuntimeError("branch fails")


@op
def after_broken(value: int) -> int:
    return value + 1


@op
def independent() -> int:
    return 2


@job
def two_branches():
    after_broken(broken())
    independent()
"""

STATUSES = """\
import json
import sys
from zenml.client import Client

run = Client().get_pipeline(sys.argv[1]).last_run
print(json.dumps({name: step.status.value for name, step in sorted(run.steps.items())}))
"""


def _migrate_and_run(tmp_path, source_text: str, pipeline: str) -> tuple[str, subprocess.CompletedProcess, dict]:
    """Migrate one Dagster module, run its ``run.py`` under real ZenML, read the last run's step statuses.

    Returns the generated pipeline module's text, the ``run.py`` process and the statuses by step name.
    """
    source = tmp_path / "src"
    source.mkdir()
    (source / "jobs.py").write_text(source_text, encoding="utf-8")
    out = tmp_path / "out"
    project = generate_project([source])
    write_project(project, out)
    env = zenml_env(tmp_path)
    ran = subprocess.run(
        [sys.executable, "run.py"], cwd=out, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    (out / "statuses.py").write_text(STATUSES, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "statuses.py", pipeline],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return project.files[f"pipelines/{pipeline}.py"], ran, json.loads(done.stdout.strip().splitlines()[-1])


def test_a_failing_branch_of_a_generated_pipeline_leaves_the_independent_branch_completed(tmp_path):
    pipeline, ran, statuses = _migrate_and_run(tmp_path, TWO_BRANCHES, "two_branches")
    assert "@pipeline\ndef two_branches() -> None:" in pipeline
    assert ran.returncode != 0 and "failure in step(s): broken" in ran.stderr
    assert statuses["broken"] == "failed" and statuses["independent"] == "completed"
    assert statuses.get("after_broken") in (None, "skipped")


FAN_OUT_WITH_A_FAILING_ITEM = """\
from dagster import DynamicOut, DynamicOutput, job, op


@op(out=DynamicOut(int))
def divisors():
    for value in [1, 0, 2]:
        yield DynamicOutput(value, mapping_key=str(value))


@op
def inverse(value: int) -> float:
    return 1 / value


@op
def independent() -> int:
    return 2


@job
def fan_job():
    divisors().map(inverse)
    independent()
"""


def test_a_failing_item_of_a_generated_dynamic_pipeline_leaves_the_other_items_and_branches_completed(tmp_path):
    # ZenML 0.98 runs dynamic pipelines in CONTINUE_ON_FAILURE too, as Dagster keeps the other mapped steps going
    pipeline, ran, statuses = _migrate_and_run(tmp_path, FAN_OUT_WITH_A_FAILING_ITEM, "fan_job")
    assert "@pipeline(dynamic=True)\ndef fan_job() -> None:" in pipeline
    assert ran.returncode != 0
    assert statuses == {
        "divisors": "completed",
        "independent": "completed",
        "map:inverse:0": "completed",
        "map:inverse:1": "failed",
        "map:inverse:2": "completed",
    }
