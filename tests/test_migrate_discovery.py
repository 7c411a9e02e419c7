"""``migrate`` finds and names the files ``report`` (and ``check``) finds and names.

Both commands take their files and the root their paths are relative to from one function
(:func:`dagster_zenml_lint.project.model.project_files`): what the configuration excludes
is in neither, and MIGRATION_REPORT.md is, byte for byte, what ``report`` prints for the
same paths, whether the sources are named through a symbolic link or with ``..``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from dagster_zenml_lint.cli import main

JOBS = """
from dagster import job, op

@op
def {name}_value():
    return 1

@job
def {name}_job():
    {name}_value()
"""


def _project(root: Path, settings: str = "") -> Path:
    """``shop/`` with ``daily.py`` (job ``daily_job``) and ``legacy/old.py`` (job ``old_job``)."""
    (root / "legacy").mkdir(parents=True)
    (root / "daily.py").write_text(textwrap.dedent(JOBS.format(name="daily")))
    (root / "legacy" / "old.py").write_text(textwrap.dedent(JOBS.format(name="old")))
    (root / "pyproject.toml").write_text(f"[tool.dagster-zenml-lint]\n{settings}")
    return root


def _report(paths: list[str], capsys) -> str:
    assert main(["report", *paths]) == 0
    return capsys.readouterr().out


def _migrate(paths: list[str], out: Path, capsys) -> dict[str, str]:
    assert main(["migrate", *paths, "--out", str(out)]) == 0
    capsys.readouterr()
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()}


def test_a_module_the_configuration_excludes_is_in_neither_report_nor_migrate(tmp_path, capsys):
    src = _project(tmp_path / "shop", 'extend-exclude = ["legacy"]\n')
    report = _report([str(src)], capsys)
    files = _migrate([str(src)], tmp_path / "out", capsys)
    assert "daily_job" in report and "old_job" not in report
    assert "pipelines/daily_job.py" in files
    assert not [name for name, text in files.items() if "old_job" in name or "old_job" in text]
    assert files["MIGRATION_REPORT.md"] == report


def test_without_the_exclusion_both_read_the_module(tmp_path, capsys):
    # the fixture itself is not what hides ``old_job``: without the setting both commands show it
    src = _project(tmp_path / "shop")
    report = _report([str(src)], capsys)
    files = _migrate([str(src)], tmp_path / "out", capsys)
    assert "old_job" in report and "pipelines/old_job.py" in files
    assert files["MIGRATION_REPORT.md"] == report


def test_per_file_ignores_silence_the_same_findings_in_both(tmp_path, capsys):
    # the globs match the paths below the migrated directory in both commands
    src = _project(tmp_path / "shop", '[tool.dagster-zenml-lint.per-file-ignores]\n"legacy/*" = ["DZ102"]\n')
    report = _report([str(src)], capsys)
    files = _migrate([str(src)], tmp_path / "out", capsys)
    assert "| `daily.py:8` | DZ102" in report and "`legacy/old.py:8` | DZ102" not in report
    assert files["MIGRATION_REPORT.md"] == report


def test_sources_named_through_a_symbolic_link_give_the_report_of_the_same_name(tmp_path, capsys):
    src = _project(tmp_path / "shop")
    (tmp_path / "current").symlink_to(src, target_is_directory=True)
    report = _report([str(tmp_path / "current")], capsys)
    files = _migrate([str(tmp_path / "current")], tmp_path / "out", capsys)
    assert "`current`" in report
    assert files["MIGRATION_REPORT.md"] == report


def test_sources_named_with_dot_dot_give_the_report_of_the_directory(tmp_path, capsys, monkeypatch):
    src = _project(tmp_path / "shop")
    monkeypatch.chdir(src / "legacy")
    report = _report([".."], capsys)
    files = _migrate([".."], tmp_path / "out", capsys)
    assert "`shop`" in report  # the directory's name, not ``..``
    assert files["MIGRATION_REPORT.md"] == report
