"""The pylint and flake8 front-ends, run as a user runs them (real pylint, real flake8)."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

import pytest

from dagster_zenml_lint import engine
from dagster_zenml_lint.flake8_plugin import DagsterZenmlChecker
from dagster_zenml_lint.registry import all_rules, get_rule

SENSORS = """\
import dagster as dg


@dg.op
def one() -> int:
    return 1


@dg.job
def my_job():
    one()


@dg.sensor(job=my_job)
def first_sensor():
    return None


@dg.sensor(job=my_job)  # pylint: disable=dagster-sensor
def second_sensor():
    return None


@dg.sensor(job=my_job)  # noqa: DZ304
def third_sensor():
    return None


@dg.sensor(job=my_job)  # noqa
def fourth_sensor():
    return None


@dg.sensor(job=my_job)  # noqa: E501
def fifth_sensor():
    return None
"""
SENSOR_LINES = [14, 19, 24, 29, 34]


@pytest.fixture
def sensors_file(tmp_path):
    path = tmp_path / "sensors.py"
    path.write_text(SENSORS, encoding="utf-8")
    return path


def pylint(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins", "dagster_zenml_lint", "--score=n", "--persistent=n", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def flake8(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flake8", *args], capture_output=True, text=True, cwd=cwd, check=False)


# --- pylint ---------------------------------------------------------------------------
def test_pylint_reports_symbol_msgid_and_severity(sensors_file):
    proc = pylint(
        "--disable=all",
        "--enable=dagster-sensor,dagster-op",
        "--output-format=json",
        "sensors.py",
        cwd=sensors_file.parent,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    messages = json.loads(proc.stdout)
    sensors = [m for m in messages if m["symbol"] == "dagster-sensor"]
    # the second sensor is disabled by its pragma; noqa comments mean nothing to pylint
    assert [m["line"] for m in sensors] == [14, 24, 29, 34]
    assert {m["message-id"] for m in sensors} == {get_rule("DZ304").pylint_msgid} == {"W5404"}
    assert all(m["message"].startswith("[HIGH] @sensor 'first_sensor'") for m in sensors[:1])
    ops = [m for m in messages if m["symbol"] == "dagster-op"]
    assert [(m["line"], m["message-id"], m["message"][:7]) for m in ops] == [(4, "C5201", "[INFO] ")]


def test_pylint_text_output_line(sensors_file):
    proc = pylint("--disable=all", "--enable=dagster-sensor", "sensors.py", cwd=sensors_file.parent)
    first = next(line for line in proc.stdout.splitlines() if "W5404" in line)
    assert re.fullmatch(r"sensors\.py:14:\d+: W5404: \[HIGH\] .+ \(dagster-sensor\)", first), first
    assert proc.returncode & 4, "a warning was emitted, pylint's exit status must say so"


def test_pylint_min_severity_option(sensors_file):
    proc = pylint(
        "--disable=all",
        "--enable=dagster-sensor,dagster-op,dagster-job",
        "--dagster-min-severity=high",
        "--output-format=json",
        "sensors.py",
        cwd=sensors_file.parent,
    )
    symbols = {m["symbol"] for m in json.loads(proc.stdout)}
    assert symbols == {"dagster-sensor"}


def test_pylint_message_ids_follow_the_documented_scheme():
    from pylint.lint import PyLinter

    import dagster_zenml_lint

    linter = PyLinter()
    dagster_zenml_lint.register(linter)
    for rule in all_rules():
        definition = linter.msgs_store.get_message_definitions(rule.symbol)[0]
        assert definition.msgid == rule.pylint_msgid
        assert definition.msgid[1:3] == str(51 + int(rule.code[2]))
        assert definition.msgid[3:] == rule.code[3:]


def test_pylint_on_a_file_that_does_not_parse(tmp_path):
    (tmp_path / "broken.py").write_text("import dagster\n\ndef f(:\n")
    proc = pylint("broken.py", cwd=tmp_path)
    assert "syntax-error" in proc.stdout
    assert "Traceback" not in proc.stderr


# --- flake8 ---------------------------------------------------------------------------
def test_flake8_output_and_noqa(sensors_file):
    proc = flake8("--select", "DZ", "sensors.py", cwd=sensors_file.parent)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    sensor_lines = [int(line.split(":")[1]) for line in lines if " DZ304 " in line]
    # the DZ304 noqa and the bare noqa silence lines 24 and 29; the E501 noqa does not
    assert sensor_lines == [14, 19, 34]
    first = next(line for line in lines if ":14:" in line)
    assert re.fullmatch(r"sensors\.py:14:\d+: DZ304 \[HIGH\] @sensor 'first_sensor'.*", first), first
    assert "sensors.py:4:2: DZ101 [INFO] @op 'one'" in proc.stdout


def test_flake8_min_severity_flag_and_config(sensors_file):
    proc = flake8("--select", "DZ", "--dagster-min-severity", "high", "sensors.py", cwd=sensors_file.parent)
    assert {line.split()[1] for line in proc.stdout.splitlines()} == {"DZ304"}
    (sensors_file.parent / "setup.cfg").write_text("[flake8]\nselect = DZ\ndagster-min-severity = high\n")
    proc = flake8("sensors.py", cwd=sensors_file.parent)
    assert {line.split()[1] for line in proc.stdout.splitlines()} == {"DZ304"}


def test_flake8_rejects_an_unknown_severity(sensors_file):
    proc = flake8("--select", "DZ", "--dagster-min-severity", "urgent", "sensors.py", cwd=sensors_file.parent)
    assert proc.returncode != 0
    assert "urgent" in proc.stderr


def test_flake8_plugin_is_registered():
    proc = flake8("--version", cwd=None)
    assert "dagster-zenml-lint" in proc.stdout


def test_flake8_checker_reuses_flake8s_tree(monkeypatch):
    lines = SENSORS.splitlines(keepends=True)
    tree = ast.parse(SENSORS)

    def no_second_parse(*_args, **_kwargs):
        raise AssertionError("the engine parsed the file again")

    monkeypatch.setattr(engine.ast, "parse", no_second_parse)
    results = list(DagsterZenmlChecker(tree, "sensors.py", lines).run())
    assert [(line, text.split()[0]) for line, _, text, _ in results if text.startswith("DZ304")] == [
        (n, "DZ304") for n in SENSOR_LINES
    ]
    assert all(kind is DagsterZenmlChecker for *_, kind in results)


# --- files that never name Dagster ---------------------------------------------------
# The engine answers such files with a substring search and nothing else (engine.may_contain_dagster);
# a noqa naming DZ codes that a migration left behind must still be reported (DZ001).
PLAIN = "import os\n\nSEP = os.sep\n"
PLAIN_WITH_NOQA = "import os\n\nSEP = os.sep  # noqa: DZ304\n"


@pytest.fixture
def plain_files(tmp_path):
    (tmp_path / "plain.py").write_text(PLAIN)
    (tmp_path / "leftover.py").write_text(PLAIN_WITH_NOQA)
    return tmp_path


def test_flake8_on_files_without_dagster(plain_files):
    proc = flake8("--select", "DZ", "plain.py", "leftover.py", cwd=plain_files)
    assert [line.split(" [")[0] for line in proc.stdout.splitlines()] == ["leftover.py:3:15: DZ001"]


def test_pylint_on_files_without_dagster(plain_files):
    symbol = get_rule("DZ001").symbol
    proc = pylint(
        "--disable=all", f"--enable={symbol}", "--output-format=json", "plain.py", "leftover.py", cwd=plain_files
    )
    assert [(m["path"], m["line"], m["symbol"]) for m in json.loads(proc.stdout)] == [("leftover.py", 3, symbol)]


def test_check_with_fixes_returns_what_the_engine_returns():
    from dagster_zenml_lint.fixers.crossfile import check_with_fixes

    for text in (PLAIN, PLAIN_WITH_NOQA, SENSORS, "# DZ: no noqa here\nx = 1\n", "x = (\n"):
        findings, ctx = engine.check_source_with_context(text, "t.py", with_fixes=True)
        settled_findings, settled_ctx = check_with_fixes(text, "t.py")
        assert (settled_findings, settled_ctx is None) == (findings, ctx is None)
    # never naming Dagster nor noqa-ing a DZ code: nothing, and not parsed (a syntax error is not ours)
    for text in (PLAIN, "# DZ: no noqa here\nx = 1\n", "x = (\n"):
        assert engine.check_source_with_context(text, "t.py", with_fixes=True) == ([], None)
    assert [f.code for f in check_with_fixes(PLAIN_WITH_NOQA, "t.py")[0]] == ["DZ001"]
