"""A project whose jobs, ops and config classes are used across files stays loadable after fixing.

``tests/crossfile_project`` has jobs used by a schedule (directly and through a package
re-export), a sensor (through ``from users import jobs``), ``Definitions`` and a test
calling ``execute_in_process()``; an op shared by two jobs; a ``Config`` class taken by
an op that cannot convert; and files whose ops and jobs nothing else uses. After
``check --fix`` and again after ``check --fix --unsafe-fixes``, every module imports under
the real dagster and zenml packages and the Dagster definitions still validate; whatever
was not converted says which file blocks it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from zenml_env import zenml_env

from dagster_zenml_lint.cli import main

PROJECT = Path(__file__).resolve().parent / "crossfile_project"

LOADER = """\
import importlib, json, pathlib, sys, traceback
sys.path.insert(0, str(pathlib.Path(__file__).parent))
import dagster
results = {}
for path in sorted(pathlib.Path(__file__).parent.rglob("*.py")):
    if path.name == "load_all.py":
        continue
    parts = path.relative_to(pathlib.Path(__file__).parent).with_suffix("").parts
    module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    try:
        importlib.import_module(module)
        results[module] = "ok"
    except Exception as exc:
        results[module] = f"{type(exc).__name__}: {exc}"
try:
    dagster.Definitions.validate_loadable(importlib.import_module("users.definitions").defs)
    results["<definitions>"] = "ok"
except Exception as exc:
    results["<definitions>"] = f"{type(exc).__name__}: {exc}"
print(json.dumps(results))
"""


def load_all(project: Path, tmp_path: Path) -> dict[str, str]:
    """Import every module of a project in a fresh interpreter and validate its Definitions."""
    (project / "load_all.py").write_text(LOADER)
    try:
        proc = subprocess.run(
            [sys.executable, str(project / "load_all.py")],
            cwd=tmp_path,
            env=zenml_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        (project / "load_all.py").unlink()
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def findings(project: Path, capsys: pytest.CaptureFixture[str]) -> dict[tuple[str, int, str], dict]:
    """The JSON records of a check of the project, by (path relative to it, line, code)."""
    capsys.readouterr()
    main(["check", "--output-format", "json", str(project)])
    records = json.loads(capsys.readouterr().out)
    return {(Path(r["path"]).relative_to(project).as_posix(), r["line"], r["code"]): r for r in records}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(PROJECT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_fixture_loads_under_dagster(project, tmp_path):
    loaded = load_all(project, tmp_path)
    assert set(loaded.values()) == {"ok"}, loaded


def test_uses_in_other_files_block_the_fix_and_name_the_file(project, capsys):
    records = findings(project, capsys)
    nightly = records[("users/jobs.py", 6, "DZ102")]
    assert nightly["fix"] is None
    for where in ("tests/test_nightly.py:5", "users/schedules.py:6", "users/schedules.py:9", "users/definitions.py:11"):
        assert f"job 'nightly_job' is used as a Dagster job by {where}" in nightly["fix_blocker"], where
    adhoc = records[("users/jobs.py", 11, "DZ102")]
    assert "job 'adhoc_job' is used as a Dagster job by users/sensors.py:6" in adhoc["fix_blocker"]
    extract = records[("users/ops.py", 4, "DZ101")]
    assert "job 'nightly_job' in users/jobs.py:8 calls it and cannot be converted" in extract["fix_blocker"]
    tally = records[("users/ops.py", 19, "DZ101")]
    assert "job 'tally_job' in users/tallies.py:8 calls it and cannot be converted" in tally["fix_blocker"]
    settings = records[("users/config.py", 4, "DZ105")]
    assert settings["fix"] is None
    assert "op 'scaled' in users/scaled.py:7 takes it and cannot be converted" in settings["fix_blocker"]
    # nothing else uses these: they convert
    assert records[("users/reports.py", 11, "DZ102")]["fix"]["applicability"] == "safe"
    assert records[("users/audits.py", 8, "DZ102")]["fix"]["applicability"] == "safe"
    assert records[("users/ops.py", 14, "DZ101")]["fix"]["applicability"] == "safe"
    assert records[("users/config.py", 8, "DZ105")]["fix"]["applicability"] == "unsafe"


@pytest.mark.parametrize("unsafe", [False, True], ids=["fix", "unsafe-fixes"])
def test_after_fixing_every_module_imports_and_the_definitions_load(project, tmp_path, unsafe):
    flags = ["--fix", "--unsafe-fixes"] if unsafe else ["--fix"]
    main(["check", *flags, str(project)])
    after = {p.relative_to(project).as_posix(): p.read_text() for p in project.rglob("*.py")}
    assert "@pipeline" in after["users/reports.py"] and "report_job()" in after["users/reports.py"]
    assert "@pipeline" in after["users/audits.py"] and "@step\ndef audit()" in after["users/ops.py"]
    assert "@op\ndef extract()" in after["users/ops.py"] and "@job\ndef nightly_job()" in after["users/jobs.py"]
    assert ("class Unused(pydantic.BaseModel)" in after["users/config.py"]) is unsafe
    assert "class Settings(Config)" in after["users/config.py"]
    loaded = load_all(project, tmp_path)
    assert set(loaded.values()) == {"ok"}, loaded
    main(["check", *flags, str(project)])  # a second run changes nothing
    assert {p.relative_to(project).as_posix(): p.read_text() for p in project.rglob("*.py")} == after
