"""``migrate`` turns Dagster's dynamic fan-out into a ZenML dynamic pipeline (issue 18 item 3).

``tests/test_migrate_projects.py`` runs the ``regional_fan_out`` project on both engines and
compares every value; these tests check the generated code itself (fast, no engine).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dagster_zenml_lint.scaffold import generate_project, write_project

PROJECT = Path(__file__).parent / "migrate_projects" / "regional_fan_out"

FAN_OUT = """\
from dagster import DynamicOut, DynamicOutput, job, op


@op(out=DynamicOut(int))
def amounts():
    dynamic_items = [1, 2]
    for value in dynamic_items:
        if value < 0:
            return
        yield DynamicOutput(value, mapping_key=str(value))


@op
def double(value: int) -> int:
    return value * 2


@op
def total(values: list) -> int:
    return sum(values)


@job
def numbers_job():
    total(amounts().map(double).collect())
"""


def _ruff(path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *arguments, "--no-cache", "."], cwd=path, capture_output=True, text=True
    )


def test_a_dynamic_out_op_returns_its_items_and_the_job_becomes_a_dynamic_pipeline(tmp_path):
    project = generate_project([PROJECT])
    step = project.files["steps/region_batches.py"]
    assert "def region_batches() -> list[dict]:" in step
    assert "dynamic_items = []\n" in step and "        dynamic_items.append({" in step
    assert "return dynamic_items\n    for region" in step  # the early bare return returns the items so far
    assert step.rstrip().endswith("    return dynamic_items")
    assert "dagster" not in step.replace("Dagster", "") and "DZ211 dagster-dynamic-output" not in step
    pipeline = project.files["pipelines/regional_totals_job.py"]
    assert "@pipeline(dynamic=True)\ndef regional_totals_job() -> None:" in pipeline
    assert "    totals = batch_total.map(without_refunds.map(region_batches()))\n    collected = totals\n" in pipeline
    assert "# Migration note: dynamic=True:" in pipeline and "TODO(migration)" not in pipeline
    members = {plan.name: plan.members for plan in project.pipelines}
    assert members["regional_totals_job"] == [
        "region_batches",
        "without_refunds",
        "batch_total",
        "grand_total",
        "largest",
    ]
    assert members["largest_region_job"] == ["region_batches", "batch_total", "largest"]
    graph = project.files["pipelines/largest_region_job.py"]
    assert "def largest_region():\n    return largest(batch_total.map(region_batches()))\n" in graph
    assert "# Migration note: its fan-out runs in a ZenML dynamic pipeline" in graph
    assert "@pipeline(dynamic=True)\ndef largest_region_job() -> None:" in graph
    write_project(project, tmp_path / "out")
    for arguments in (("check",), ("format", "--check")):
        done = _ruff(tmp_path / "out", *arguments)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_items_list_never_shadows_a_name_of_the_body_and_item_types_come_from_dynamic_out(tmp_path):
    (tmp_path / "jobs.py").write_text(FAN_OUT, encoding="utf-8")
    files = generate_project([tmp_path]).files
    step = files["steps/amounts.py"]
    assert "def amounts() -> list[int]:" in step
    assert "    dynamic_items_2 = []\n    dynamic_items = [1, 2]\n" in step
    assert "            return dynamic_items_2\n        dynamic_items_2.append(value)\n" in step
    assert "    total(double.map(amounts()))\n" in files["pipelines/numbers_job.py"]


def test_a_fan_out_it_cannot_translate_stays_a_static_pipeline_with_a_todo(tmp_path):
    source = FAN_OUT.replace("amounts().map(double)", "amounts().map(lambda v: double(v))")
    (tmp_path / "jobs.py").write_text(source, encoding="utf-8")
    pipeline = generate_project([tmp_path]).files["pipelines/numbers_job.py"]
    assert "@pipeline\ndef numbers_job() -> None:" in pipeline
    assert "# TODO(migration): DZ211 -- amounts().map: only `items.map(op)`" in pipeline
    assert "amounts().map(lambda v: double(v)).collect()" in pipeline


def test_a_dynamic_out_op_whose_yields_are_not_plain_statements_keeps_the_todo(tmp_path):
    source = FAN_OUT.replace(
        "yield DynamicOutput(value, mapping_key=str(value))",
        "sent = yield DynamicOutput(value, mapping_key=str(value))\n        print(sent)",
    )
    (tmp_path / "jobs.py").write_text(source, encoding="utf-8")
    step = generate_project([tmp_path]).files["steps/amounts.py"]
    assert "the Dagster body yields events" in step and "dynamic_items_2" not in step
