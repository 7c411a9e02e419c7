"""Rules fixed on real Dagster code, through the CLI as a user runs it (issue 17; issue 15 items 1 and 10).

A schedule's ``RunRequest`` / ``SkipReason`` belong to the schedule rules in every output
(findings, ``--add-markers``, the report's Flagged table, the generated ``run.py``);
``load_assets_from_modules`` is composition; ``file_relative_path``'s safe fix gives the
same path as Dagster, also through symbolic links.
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

from cli_process import run_check

SCHEDULES = """\
import dagster as dg

NIGHTLY_CONFIG = {"ops": {"load": {"config": {"full": True}}}}


@dg.op
def load() -> int:
    return 1


@dg.job
def nightly():
    load()


@dg.schedule(cron_schedule="0 2 * * *", job=nightly)
def weekdays(context: dg.ScheduleEvaluationContext):
    if context.scheduled_execution_time.weekday() >= 5:
        return dg.SkipReason("weekend")
    return dg.RunRequest(run_key=context.scheduled_execution_time.isoformat())


@dg.schedule(cron_schedule="0 3 * * *", job=nightly)
def fixed():
    return dg.RunRequest(run_config=NIGHTLY_CONFIG)


defs = dg.Definitions(jobs=[nightly], schedules=[weekdays, fixed])
"""


def _project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "schedules.py").write_text(SCHEDULES)
    return src


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_schedule_requests_are_schedule_findings(tmp_path):
    _project(tmp_path)
    proc = run_check(tmp_path, "--output-format", "json", "src")
    found = {(r["line"], r["code"], r["severity"]) for r in json.loads(proc.stdout)}
    assert not any(code == "DZ304" for _line, code, _sev in found)
    assert {(19, "DZ314", "HIGH"), (20, "DZ314", "HIGH")} <= found  # skip reason, computed request
    assert (25, "DZ208", "MEDIUM") in found  # a fixed run config is what the concept map rates MEDIUM


def test_markers_name_the_schedule_rule(tmp_path):
    src = _project(tmp_path)
    run_check(tmp_path, "--add-markers", "src")
    text = (src / "schedules.py").read_text()
    assert "DZ304" not in text
    assert "TODO(migration): DZ314 dagster-schedule-logic" in text


def test_report_and_generated_run_py_name_the_schedule_rule(tmp_path):
    _project(tmp_path)
    report = _cli(tmp_path, "report", "src", "-o", "report.md")
    assert report.returncode in (0, 1), report.stderr
    flagged = (tmp_path / "report.md").read_text()
    assert "| DZ314 | HIGH |" in flagged
    assert "DZ304" not in flagged
    migrate = _cli(tmp_path, "migrate", "src", "--out", "out")
    assert migrate.returncode in (0, 1), migrate.stderr
    run_py = (tmp_path / "out" / "run.py").read_text()
    assert "DZ314 dagster-schedule-logic" in run_py
    assert "DZ304" not in run_py


def test_load_assets_from_modules_is_composition(tmp_path):
    (tmp_path / "defs.py").write_text(
        "import dagster as dg\n\nfrom . import assets\n\n"
        "defs = dg.Definitions(assets=dg.load_assets_from_modules([assets]))\n"
    )
    proc = run_check(tmp_path, "--output-format", "json", "defs.py")
    assert sorted((r["line"], r["code"]) for r in json.loads(proc.stdout)) == [(5, "DZ212")]


def test_file_relative_path_fix_gives_dagster_s_path(tmp_path):
    real = tmp_path / "real" / "pkg"
    real.mkdir(parents=True)
    (tmp_path / "data").mkdir()
    module = real / "paths.py"
    module.write_text(
        "from dagster import file_relative_path\n\n"
        "UP = file_relative_path(__file__, '../../data/x.csv')\n"
        "HERE = file_relative_path(__file__, 'sub/./y.csv')\n"
    )
    linked_dir = tmp_path / "linked"
    linked_dir.symlink_to(real)
    linked_file = tmp_path / "elsewhere" / "paths.py"
    linked_file.parent.mkdir()
    linked_file.symlink_to(module)  # the module file itself is a link: '..' follows its target
    through = [module, linked_dir / "paths.py", linked_file]
    before = [runpy.run_path(str(path)) for path in through]
    proc = run_check(tmp_path, "--fix", "--select", "DZ109,DZ104", str(module))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    fixed = module.read_text()
    assert "dagster" not in fixed
    after = [runpy.run_path(str(path)) for path in through]
    for old, new in zip(before, after, strict=True):
        assert (old["UP"], old["HERE"]) == (new["UP"], new["HERE"])
    assert before[2]["UP"] == os.path.realpath(tmp_path / "data" / "x.csv")
