"""``migrate`` lints on ``check``'s path: the project's configuration silences the same findings.

Before, the scaffold linted with the default settings, so a code the project ignores (or
ignores for one file) still filled MIGRATION_REPORT.md and README.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_zenml_lint.cli import main

ASSETS = """\
import dagster as dg


@dg.asset
def orders() -> list[int]:
    return [1, 2]


@dg.asset
def total(orders: list[int]) -> int:
    return sum(orders)


orders_job = dg.define_asset_job("orders_job", selection=[orders, total])
nightly = dg.ScheduleDefinition(job=orders_job, cron_schedule="0 0 * * *")
"""

SENSORS = """\
import dagster as dg

from pkg.assets import orders_job


@dg.sensor(job=orders_job)
def new_files(context):
    yield dg.RunRequest(run_key="x")
"""

SCHEDULE_ROW = "| `pkg/assets.py:15` | DZ208"
SENSOR_ROW = "| `pkg/sensors.py:6` `new_files` | DZ304"
SELECTION_ROW = "`pkg/assets.py:14`"  # DZ305: silenced by neither setting


def migrated_report(tmp_path: Path, settings: str) -> str:
    """MIGRATION_REPORT.md of a migration of ``src/`` under ``settings`` (its pyproject.toml)."""
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "pkg" / "assets.py").write_text(ASSETS, encoding="utf-8")
    (src / "pkg" / "sensors.py").write_text(SENSORS, encoding="utf-8")
    (src / "pyproject.toml").write_text(f"[tool.dagster-zenml-lint]\n{settings}", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["migrate", str(src), "--out", str(out)]) == 0
    return (out / "MIGRATION_REPORT.md").read_text(encoding="utf-8")


def test_without_settings_the_report_lists_the_schedule_and_the_sensor(tmp_path, capsys):
    report = migrated_report(tmp_path, "")
    assert SCHEDULE_ROW in report and SENSOR_ROW in report and SELECTION_ROW in report


@pytest.mark.parametrize(
    ("settings", "gone", "kept"),
    [
        pytest.param('ignore = ["DZ208"]\n', SCHEDULE_ROW, SENSOR_ROW, id="ignore"),
        pytest.param(
            '[tool.dagster-zenml-lint.per-file-ignores]\n"pkg/sensors.py" = ["DZ304"]\n',
            SENSOR_ROW,
            SCHEDULE_ROW,
            id="per-file-ignores",
        ),
    ],
)
def test_migrate_honours_the_projects_suppressions(tmp_path, capsys, settings, gone, kept):
    report = migrated_report(tmp_path, settings)
    assert gone not in report
    assert kept in report and SELECTION_ROW in report


def test_a_file_that_cannot_be_analysed_is_skipped_even_when_dz000_is_ignored(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "pyproject.toml").write_text('[tool.dagster-zenml-lint]\nignore = ["DZ000"]\n', encoding="utf-8")
    (src / "a.py").write_text(
        "from dagster import job, op\n\n\n@op\ndef a():\n    return 1\n\n\n@job\ndef j():\n    a()\n", encoding="utf-8"
    )
    (src / "broken.py").write_text("from dagster import op\n\n@op\ndef c(:\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["migrate", str(src), "--out", str(out)]) == 0
    assert "skipped 1 file(s)" in capsys.readouterr().out
    assert "- `broken.py`: the file cannot be analysed" in (out / "README.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in (out / "steps").iterdir()) == ["__init__.py", "a.py"]
