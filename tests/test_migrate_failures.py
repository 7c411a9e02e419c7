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
from zenml.client import Client

run = Client().get_pipeline("two_branches").last_run
print(json.dumps({name: step.status.value for name, step in sorted(run.steps.items())}))
"""


def test_a_failing_branch_of_a_generated_pipeline_leaves_the_independent_branch_completed(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "jobs.py").write_text(TWO_BRANCHES, encoding="utf-8")
    out = tmp_path / "out"
    project = generate_project([source])
    assert "@pipeline\ndef two_branches() -> None:" in project.files["pipelines/two_branches.py"]
    write_project(project, out)
    env = zenml_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "run.py"], cwd=out, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode != 0 and "failure in step(s): broken" in done.stderr
    (out / "statuses.py").write_text(STATUSES, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "statuses.py"], cwd=out, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    statuses = json.loads(done.stdout.strip().splitlines()[-1])
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

FAN_OUT_STATUSES = """\
import json
from zenml.client import Client

run = Client().get_pipeline("fan_job").last_run
print(json.dumps({name: step.status.value for name, step in sorted(run.steps.items())}))
"""


def test_a_failing_item_of_a_generated_dynamic_pipeline_leaves_the_other_items_and_branches_completed(tmp_path):
    # ZenML 0.98 runs dynamic pipelines in CONTINUE_ON_FAILURE too, as Dagster keeps the other mapped steps going
    source = tmp_path / "src"
    source.mkdir()
    (source / "jobs.py").write_text(FAN_OUT_WITH_A_FAILING_ITEM, encoding="utf-8")
    out = tmp_path / "out"
    project = generate_project([source])
    assert "@pipeline(dynamic=True)\ndef fan_job() -> None:" in project.files["pipelines/fan_job.py"]
    write_project(project, out)
    env = zenml_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "run.py"], cwd=out, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode != 0
    (out / "statuses.py").write_text(FAN_OUT_STATUSES, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "statuses.py"], cwd=out, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "divisors": "completed",
        "independent": "completed",
        "map:inverse:0": "completed",
        "map:inverse:1": "failed",
        "map:inverse:2": "completed",
    }
