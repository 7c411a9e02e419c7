"""``migrate`` finds and names the files ``report`` (and ``check``) finds and names.

Both commands take their files and the root their paths are relative to from one function
(:func:`dagster_zenml_lint.project.model.project_files`): what the configuration excludes
is in neither, and MIGRATION_REPORT.md is, byte for byte, what ``report`` prints for the
same paths, whether the sources are named through a symbolic link or with ``..``.
"""

from __future__ import annotations

import argparse
import importlib
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


def _both(flags: list[str], sources: list[str], out: Path, capsys) -> tuple[str, dict[str, str]]:
    """``report FLAGS SRC...`` and the files of ``migrate SRC... --out OUT FLAGS``."""
    report = _report([*flags, *sources], capsys)
    return report, _migrate([*sources, *flags], out, capsys)


def _settings(path: Path, settings: str) -> Path:
    """A settings file away from the sources (a monorepo keeps its lint settings elsewhere)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"[tool.dagster-zenml-lint]\n{settings}", encoding="utf-8")
    return path


def test_root_and_config_give_the_report_of_the_same_flags(tmp_path, capsys):
    src = _project(tmp_path / "repo" / "shop")
    config = _settings(tmp_path / "settings" / "lint.toml", 'ignore = ["DZ102"]\n')
    flags = ["--root", str(tmp_path / "repo"), "--config", str(config)]
    report, files = _both(flags, [str(src)], tmp_path / "out", capsys)
    # named from the root (``shop/daily.py``), silenced by the file given (no DZ102 row)
    assert "`repo`" in report and "shop/daily.py" in report and "| DZ102" not in report
    assert files["MIGRATION_REPORT.md"] == report
    # the generated code names its sources as the report does
    assert "shop/daily.py" in files["pipelines/daily_job.py"]
    for name, text in files.items():
        if name.endswith(".py"):
            compile(text, name, "exec")


def test_without_the_flags_migrate_differs_from_that_report(tmp_path, capsys):
    # the flags are what make the two agree: the plain migrate shows the DZ102 rows and ``daily.py``
    src = _project(tmp_path / "repo" / "shop")
    config = _settings(tmp_path / "settings" / "lint.toml", 'ignore = ["DZ102"]\n')
    report = _report(["--root", str(tmp_path / "repo"), "--config", str(config), str(src)], capsys)
    files = _migrate([str(src)], tmp_path / "out", capsys)
    assert "| DZ102" in files["MIGRATION_REPORT.md"]
    assert files["MIGRATION_REPORT.md"] != report


def test_a_module_the_config_file_excludes_is_in_neither(tmp_path, capsys):
    src = _project(tmp_path / "shop")  # its own pyproject.toml excludes nothing
    config = _settings(tmp_path / "ci" / "pyproject.toml", 'extend-exclude = ["legacy"]\n')
    report, files = _both(["--config", str(config)], [str(src)], tmp_path / "out", capsys)
    assert "daily_job" in report and "old_job" not in report
    assert "pipelines/daily_job.py" in files and "pipelines/old_job.py" not in files
    assert not [name for name, text in files.items() if "old_job" in text]
    assert files["MIGRATION_REPORT.md"] == report


def _error(argv: list[str], capsys) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
    return captured.err.split(": error: ", 1)[1].rstrip("\n")


def test_a_missing_config_or_root_is_the_same_one_line_error_as_in_report(tmp_path, capsys):
    src = str(_project(tmp_path / "shop"))
    out = str(tmp_path / "out")
    for flags in (["--config", str(tmp_path / "nope.toml")], ["--root", str(tmp_path / "nope")]):
        assert _error(["migrate", src, "--out", out, *flags], capsys) == _error(["report", *flags, src], capsys)
    assert not (tmp_path / "out").exists()


def test_an_unreadable_config_is_the_same_one_line_error_as_in_report(tmp_path, capsys):
    src = str(_project(tmp_path / "shop"))
    config = _settings(tmp_path / "broken.toml", "select = [\n")  # not TOML
    flags = ["--config", str(config)]
    message = _error(["migrate", src, "--out", str(tmp_path / "out"), *flags], capsys)
    assert message == _error(["report", *flags, src], capsys) and "broken.toml" in message


def test_a_root_that_does_not_hold_a_source_is_refused(tmp_path, capsys):
    # report names such a file by its absolute path; migrate would put that path into module names
    src = str(_project(tmp_path / "shop"))
    (tmp_path / "elsewhere").mkdir()
    message = _error(["migrate", src, "--out", str(tmp_path / "out"), "--root", str(tmp_path / "elsewhere")], capsys)
    assert message == f"--root {tmp_path / 'elsewhere'}: does not contain the source {src}"
    assert not (tmp_path / "out").exists()


def test_the_config_file_inside_out_is_never_overwritten(tmp_path, capsys):
    src = str(_project(tmp_path / "shop"))
    out = tmp_path / "out"
    config = _settings(out / "pyproject.toml", "")
    message = _error(["migrate", src, "--out", str(out), "--force", "--config", str(config)], capsys)
    assert message.startswith(f"--out {out} holds the configuration file")
    assert config.read_text(encoding="utf-8") == "[tool.dagster-zenml-lint]\n"


def test_the_options_have_report_s_help():
    def options(command: str) -> dict[str, tuple[object, ...]]:
        parser = argparse.ArgumentParser()
        importlib.import_module(f"dagster_zenml_lint.commands.{command}").add_arguments(parser)
        return {
            action.dest: (action.option_strings, action.metavar, action.type, action.help)
            for action in parser._actions
            if action.dest in ("root", "config")
        }

    assert options("migrate") == options("report") and len(options("report")) == 2
