"""An exception inside one rule, detector or fixer on one file is a DZ000 finding on that file.

Issue 11 item 1: a hostile constant (``RetryPolicy(delay=1e400)``) made a fixer raise and
took down whole runs of every front-end, including flake8 and pylint on *other* files.
Two kinds of test here:

* the real input: a fix whose value is not finite is not offered, and no front-end fails;
* an injected fault (a fixer of ours replaced by one that raises, in the real front-end's
  own process): the run goes on, the file gets a DZ000 naming the rule and the exception,
  and every other finding (of this file and the others) is still reported.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dagster_zenml_lint import registry
from dagster_zenml_lint.analysis import match, walk
from dagster_zenml_lint.analysis.facts import DEBUG_ENV
from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.fixers.apply import fix_text

HEAD = "from dagster import op, RetryPolicy\n\n\n"
BODY = "\ndef slow():\n    return 1\n"
POISON = f"{HEAD}@op(retry_policy=RetryPolicy(delay=1e400)){BODY}"
CLEAN = (
    "from dagster import op, job\nfrom poison import slow\n\n\n@op\ndef a():\n    return 1\n\n\n"
    "@job\ndef j():\n    slow()\n    a()\n"
)
SINGLE = f"{HEAD}@op(retry_policy=RetryPolicy(delay=2)){BODY}"
# Runs a front-end's own entry point with one fixer of ours replaced by one that raises.
INJECT = textwrap.dedent(
    """
    import runpy
    import sys

    import dagster_zenml_lint.fixers.retry as retry


    def broken(*args, **kwargs):
        raise OverflowError("injected fault\\nsecond line")


    retry.convert_retry_policy = broken
    module = sys.argv.pop(1)
    sys.argv[0] = module
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    """
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "poison.py").write_text(POISON)
    (tmp_path / "clean.py").write_text(CLEAN)
    return tmp_path


def run(cwd: Path, *args: str, inject: bool = False) -> subprocess.CompletedProcess[str]:
    prefix = [sys.executable, "-c", INJECT] if inject else [sys.executable, "-m"]
    return subprocess.run([*prefix, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


# --- the real hostile values ------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "setup"),
    [
        ("1e400", ""),
        ("-1e400", ""),
        ('float("inf")', ""),
        ("float('nan')", ""),
        ("math.inf", "import math\n"),
        ("np.nan", "import numpy as np\n"),
    ],
)
def test_a_retry_delay_that_is_not_finite_gets_no_fix_and_says_why(value, setup):
    source = f"{setup}{HEAD}@op(retry_policy=RetryPolicy(delay={value})){BODY}"
    findings = check_source(source, "p.py", with_fixes=True)
    retry = next(f for f in findings if f.code == "DZ103")
    assert retry.fix is None
    assert retry.fix_blocker == f"RetryPolicy(delay={value}): the value is not a finite number"
    assert not any(f.code == "DZ000" for f in findings)
    assert fix_text(source, "p.py", unsafe=True).text == source


def test_a_finite_float_delay_is_still_converted():
    source = f"{HEAD}@op(retry_policy=RetryPolicy(delay=float('2'))){BODY}"
    findings = check_source(source, "p.py", with_fixes=True)
    assert next(f for f in findings if f.code == "DZ103").fix is not None


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--fix", "."),
        ("check", "--diff", "."),
        ("check", "--show-fixes", "."),
        ("check", "--statistics", "."),
        ("check", "--output-format", "json", "."),
        ("check", "--output-format", "sarif", "."),
        ("report", "."),
    ],
)
def test_the_issue_project_runs_through_every_cli_command(project, args):
    result = run(project, "dagster_zenml_lint", *args)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    assert (project / "poison.py").read_text() == POISON
    # the job calls an op that cannot convert: neither file is touched
    assert (project / "clean.py").read_text() == CLEAN


def test_flake8_and_pylint_on_the_importing_file_do_not_crash(project):
    flake8 = run(project, "flake8", "--select", "DZ", "clean.py")
    assert "Traceback" not in flake8.stderr, flake8.stderr
    assert "DZ102" in flake8.stdout
    # --persistent=n: pylint keeps no stats in ~/.cache/pylint, which parallel tests would share
    pylint = run(project, "pylint", "--load-plugins", "dagster_zenml_lint", "--score=n", "--persistent=n", "clean.py")
    assert "F0002" not in pylint.stdout and "Traceback" not in pylint.stderr, pylint.stdout + pylint.stderr
    assert "dagster-job" in pylint.stdout


# --- an injected fault in a fixer, through each real front-end ----------------------------
def _fault_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "DZ000 [" in line or "dagster-parse-error" in line]


FAULT = "internal error in the DZ101 fixer (OverflowError: injected fault second line)"


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--jobs", "1", "--fix", "."),
        ("check", "--jobs", "1", "--statistics", "."),
        ("check", "--jobs", "1", "--show-fixes", "."),
        ("check", "--jobs", "1", "--output-format", "json", "."),
    ],
)
def test_a_failing_fixer_is_a_dz000_on_its_file_and_the_run_goes_on(tmp_path, args):
    (tmp_path / "single.py").write_text(SINGLE)
    (tmp_path / "other.py").write_text("from dagster import asset\n\n\n@asset\ndef orders():\n    return 1\n")
    result = run(tmp_path, "dagster_zenml_lint", *args, inject=True)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    output = result.stdout + result.stderr
    if "json" in args:
        findings = json.loads(result.stdout)
        fault = [f for f in findings if f["code"] == "DZ000"]
        assert [(f["path"], f["line"]) for f in fault] == [("single.py", 4)]
        assert FAULT in fault[0]["message"]
        codes = {(f["path"], f["code"]) for f in findings}
        assert {("single.py", "DZ101"), ("single.py", "DZ103"), ("other.py", "DZ201")} <= codes
    elif "--statistics" in args:
        counts = {line.split("\t")[1]: line.split("\t")[0] for line in result.stdout.splitlines() if "\t" in line}
        assert counts["DZ000"] == "1" and counts["DZ201"] == "1"
    else:
        assert [line.split(" ", 1)[0] for line in _fault_lines(output)] == ["single.py:4:2:"]
        assert FAULT in output
        assert "single.py:4:2: DZ101" in output and "other.py:4:2: DZ201" in output
    assert (tmp_path / "single.py").read_text() == SINGLE


def test_a_failing_fixer_under_diff_changes_nothing_and_says_so(tmp_path):
    (tmp_path / "single.py").write_text(SINGLE)
    result = run(tmp_path, "dagster_zenml_lint", "check", "--diff", "single.py", inject=True)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: Failed to analyse single.py:4:2: {FAULT}")


def test_a_failing_fixer_under_flake8_is_a_dz000_on_its_file(project):
    (project / "single.py").write_text(SINGLE)
    result = run(project, "flake8", "-j", "1", "--select", "DZ", "single.py", "clean.py", inject=True)
    assert "Traceback" not in result.stderr, result.stderr
    faults = _fault_lines(result.stdout)
    assert len(faults) == 1
    assert faults[0].removeprefix("./").startswith("single.py:4:2: DZ000")
    assert FAULT in faults[0]
    assert "clean.py:10:2: DZ102" in result.stdout


def test_a_failing_fixer_under_pylint_is_a_dz000_on_its_file(project):
    (project / "single.py").write_text(SINGLE)
    result = run(
        project,
        "pylint",
        "--load-plugins",
        "dagster_zenml_lint",
        "--score=n",
        "--persistent=n",
        "single.py",
        "clean.py",
        inject=True,
    )
    assert "Traceback" not in result.stderr and "F0002" not in result.stdout, result.stdout + result.stderr
    faults = _fault_lines(result.stdout)
    assert len(faults) == 1 and faults[0].startswith("single.py:4:1:"), result.stdout
    assert FAULT in faults[0]
    assert "clean.py:10:1" in result.stdout


def test_a_failing_fixer_under_report_and_migrate_does_not_end_the_run(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "single.py").write_text(SINGLE)
    report = run(tmp_path, "dagster_zenml_lint", "report", "src", inject=True)
    assert "Traceback" not in report.stderr and report.returncode in (0, 1), report.stderr
    assert "slow" in report.stdout
    migrate = run(tmp_path, "dagster_zenml_lint", "migrate", "src", "--out", "out", inject=True)
    assert "Traceback" not in migrate.stderr, migrate.stderr
    # a failing fixer costs the fix, not the file: the generator translates the op itself
    assert migrate.returncode == 0 and "1 step(s)" in migrate.stdout, migrate.stdout + migrate.stderr


# --- in the engine: predicates, detectors and the walk ------------------------------------
def _broken(*args, **kwargs):
    raise KeyError("boom")


def test_a_failing_detector_costs_only_its_own_findings(monkeypatch):
    index = registry.build_index()
    rule, _detector = index.detectors[0]
    broken = index._replace(detectors=[(rule, _broken), *index.detectors[1:]])
    monkeypatch.setattr(match, "build_index", lambda: broken)
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    findings = check_source(SINGLE, "p.py", with_fixes=True)
    fault = [f for f in findings if f.code == "DZ000"]
    assert [(f.line, f.message) for f in fault] == [
        (1, f"internal error in {rule.code} detector (KeyError: 'boom'); it was skipped here, please report it")
    ]
    assert {"DZ101", "DZ103"} <= {f.code for f in findings}


def test_a_failing_predicate_is_a_dz000_at_the_event(monkeypatch):
    index = registry.build_index()
    names = {key: [(rule, _broken) for rule, _pred in value] for key, value in index.names.items()}
    monkeypatch.setattr(match, "build_index", lambda: index._replace(names=names))
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    findings = check_source(SINGLE, "p.py")
    assert ("DZ000", 4) in {(f.code, f.line) for f in findings}
    assert "predicate (KeyError: 'boom')" in next(f.message for f in findings if f.code == "DZ000" and f.line == 4)


def test_a_failing_walk_is_one_dz000_for_the_file(monkeypatch):
    monkeypatch.setitem(walk._HANDLERS, ast.FunctionDef, _broken)  # the walk's dispatch table
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    findings = check_source(SINGLE, "p.py", with_fixes=True)
    assert [(f.code, f.line) for f in findings] == [("DZ000", 1)]
    assert "internal error in the analysis of the file (KeyError: 'boom')" in findings[0].message


def test_the_debug_variable_re_raises(monkeypatch):
    monkeypatch.setitem(walk._HANDLERS, ast.FunctionDef, _broken)  # the walk's dispatch table
    monkeypatch.setenv(DEBUG_ENV, "1")
    with pytest.raises(KeyError):
        check_source(SINGLE, "p.py")


def test_fixed_text_of_the_retry_example_still_compiles():
    fixed = fix_text(SINGLE, "p.py").text
    assert "StepRetryConfig(delay=2, backoff=1)" in fixed
    compile(ast.parse(fixed), "p.py", "exec")


def test_a_failing_fixer_under_the_language_server_is_a_dz000_and_the_server_answers(tmp_path):
    pytest.importorskip("pygls")
    sys.path.insert(0, str(Path(__file__).parent))
    from lsp_client import LspClient, open_document

    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    client = LspClient([sys.executable, "-c", INJECT, "dagster_zenml_lint", "server"], cwd=str(tmp_path))
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        path = tmp_path / "single.py"
        diagnostics = open_document(client, path, SINGLE)
        assert {d["code"] for d in diagnostics} >= {"DZ101", "DZ103"}
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": 6, "character": 0}}
        actions = client.request(
            "textDocument/codeAction",
            {"textDocument": {"uri": path.as_uri()}, "range": whole, "context": {"diagnostics": diagnostics}},
        )
        assert not any(a["kind"] == "quickfix" and "noqa" not in a["title"] for a in actions), actions
        hover = client.request(
            "textDocument/hover", {"textDocument": {"uri": path.as_uri()}, "position": {"line": 3, "character": 1}}
        )
        assert hover is not None
        assert "Traceback" not in client.stderr_so_far()
    finally:
        if client.process.poll() is None:
            client.process.kill()
        client.close()


# --- issue 11 item 8: files that do not parse ------------------------------------------------
OPS_ONLY = "from dagster import op\n\n\n@op\ndef load():\n    return 1\n"
BROKEN_JOB = "from dagster import job\nfrom ops import load\n\n\n@job\ndef j(:\n    load()\n"


@pytest.mark.parametrize("targets", [("ops.py",), (".",)])
def test_an_unparsable_sibling_job_file_is_an_obstacle_for_the_op_fix(tmp_path, targets):
    (tmp_path / "ops.py").write_text(OPS_ONLY)
    (tmp_path / "jobs.py").write_text(BROKEN_JOB)
    shown = run(tmp_path, "dagster_zenml_lint", "check", "--show-fixes", *targets)
    lines = shown.stdout.splitlines()
    note = lines[next(i for i, line in enumerate(lines) if "DZ101" in line) + 1]
    assert "jobs.py" in note and "applied" not in note, shown.stdout  # no safe fix, and the file is named
    fixed = run(tmp_path, "dagster_zenml_lint", "check", "--fix", *targets)
    assert "Traceback" not in fixed.stderr
    assert (tmp_path / "ops.py").read_text() == OPS_ONLY


def test_diff_on_a_file_that_does_not_parse_says_so_and_exits_1(tmp_path):
    (tmp_path / "jobs.py").write_text(BROKEN_JOB)
    result = run(tmp_path, "dagster_zenml_lint", "check", "--diff", "jobs.py")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "error: Failed to parse jobs.py:6:7: syntax error: invalid syntax; the file was not analysed"
    )


def test_diff_on_files_that_parse_still_exits_0_when_there_is_nothing_to_fix(tmp_path):
    (tmp_path / "plain.py").write_text("from dagster import asset\n\n\n@asset\ndef orders():\n    return 1\n")
    result = run(tmp_path, "dagster_zenml_lint", "check", "--diff", "plain.py")
    assert result.returncode == 0 and "error:" not in result.stderr, result.stderr


def test_a_failure_while_applying_fixes_keeps_the_last_good_text(monkeypatch):
    from dagster_zenml_lint.fixers import apply

    monkeypatch.setattr(apply, "_remove_orphaned_imports", _broken)
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    result = apply.fix_text(SINGLE, "p.py")
    assert result.text == SINGLE and not result.applied
    assert result.dropped
    assert all("internal error in applying the fixes (KeyError: 'boom')" in d.reason for d in result.dropped)


def test_a_failure_while_adding_markers_keeps_the_fixed_text(monkeypatch):
    from dagster_zenml_lint.fixers import apply

    monkeypatch.setattr(apply, "_add_markers", _broken)
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    result = apply.fix_text(SINGLE, "p.py", markers=True)
    assert "@step" in result.text


def test_a_failing_lookup_in_other_files_costs_only_its_facts(monkeypatch):
    from dagster_zenml_lint import class_bases

    monkeypatch.setattr(class_bases, "io_manager_bases", _broken)
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    findings = check_source(SINGLE, "p.py", with_fixes=True)
    assert {"DZ101", "DZ103"} <= {f.code for f in findings}
    fault = [f for f in findings if f.code == "DZ000"]
    assert len(fault) == 1 and "the lookup of classes imported from the project (KeyError" in fault[0].message


def test_a_failing_unused_noqa_check_costs_only_dz001(monkeypatch):
    from dagster_zenml_lint import suppression

    monkeypatch.setattr(suppression, "unused_noqa_findings", _broken)
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    findings = check_source(SINGLE.replace("def slow():", "def slow():  # noqa: DZ999"), "p.py")
    assert {"DZ101", "DZ103"} <= {f.code for f in findings}
    assert any(f.code == "DZ000" and "DZ001 (unused noqa)" in f.message for f in findings)
