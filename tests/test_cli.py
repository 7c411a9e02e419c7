"""The ``dagster-zenml-lint`` command line: flags, output formats, configuration, exit codes, bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_zenml_lint import __version__
from dagster_zenml_lint.cli import main
from dagster_zenml_lint.docs_gen import render_rule
from dagster_zenml_lint.findings import Applicability, Edit, Finding, Fix
from dagster_zenml_lint.output import OutputOptions
from dagster_zenml_lint.output.text import render as render_text
from dagster_zenml_lint.registry import all_rules, get_rule
from dagster_zenml_lint.runner import FileResult

OPS = """\
import dagster as dg


@dg.op
def one() -> int:
    return 1


@dg.job
def my_job():
    one()


@dg.sensor(job=my_job)
def my_sensor():
    return dg.SkipReason("nothing new")
"""
# Findings in OPS under SELECTED: DZ101 on 4, DZ102 on 9, DZ304 on 14 and 16. The project
# selects these codes so that the tests here do not change when rules are added.
SELECTED = '["DZ101", "DZ102", "DZ304"]'
EXPECTED = {("DZ101", 4), ("DZ102", 9), ("DZ304", 14), ("DZ304", 16)}
TEXT_LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>DZ\d{3}) \[(?P<sev>[A-Z]+)\] (?P<msg>.+)$"
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A small project directory with one Dagster module, as the working directory."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "ops.py").write_text(OPS, encoding="utf-8")
    (tmp_path / "pkg" / "plain.py").write_text("print('no dagster here')\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(f"[tool.dagster-zenml-lint]\nselect = {SELECTED}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def findings_json(capsys, *args: str) -> tuple[int, list[dict]]:
    code, out, _ = run(capsys, "check", "--output-format", "json", *args)
    return code, json.loads(out)


# --- text output and exit codes -------------------------------------------------------
def test_text_output_lines_and_summary(project, capsys):
    code, out, err = run(capsys, "check", "pkg")
    lines = out.splitlines()
    parsed = [TEXT_LINE.match(line) for line in lines[:-1]]
    assert all(parsed), out
    assert {m["path"] for m in parsed} == {os.path.join("pkg", "ops.py")}
    assert {(m["code"], int(m["line"])) for m in parsed} == EXPECTED
    assert [m["sev"] for m in parsed] == ["INFO", "INFO", "HIGH", "HIGH"]
    assert lines[-1] == (
        "Found 4 findings in 1 file (2 files checked). `--show-fixes` marks the findings `--fix` can fix."
    )
    assert code == 1
    assert err == ""


def test_columns_are_one_based_characters(project, capsys):
    (project / "wide.py").write_text("import dagster as dg\nx = 'é'; y = dg.op\n", encoding="utf-8")
    _, records = findings_json(capsys, "--select", "DZ101", "wide.py")
    assert [(r["line"], r["col"]) for r in records] == [(2, 14)]
    _, out, _ = run(capsys, "check", "--select", "DZ101", "wide.py")
    assert out.startswith("wide.py:2:14: DZ101 [INFO] ")


def test_exit_zero_when_nothing_found(project, capsys):
    code, out, _ = run(capsys, "check", "pkg/plain.py")
    assert code == 0
    assert out == "No Dagster patterns found (1 file checked).\n"


def test_exit_zero_flag(project, capsys):
    code, out, _ = run(capsys, "check", "--exit-zero", "pkg")
    assert code == 0
    assert "DZ101" in out


def test_quiet_drops_the_summary(project, capsys):
    _, out, _ = run(capsys, "check", "--quiet", "pkg")
    assert len(out.splitlines()) == 4
    assert "Found" not in out


def test_missing_path_is_a_usage_error(project, capsys):
    code, out, err = run(capsys, "check", "pkg", "does_not_exist.py")
    assert code == 2
    assert out == ""
    assert err.strip() == "dagster-zenml-lint: error: no such file or directory: does_not_exist.py"


def test_default_path_is_the_working_directory(project, capsys):
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert "ops.py:4:" in out


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"dagster-zenml-lint {__version__}"
    with pytest.raises(SystemExit) as exc:  # argparse's own --version, after other flags
        main(["check", "--help", "--version"])
    assert exc.value.code == 0


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "check" in capsys.readouterr().err


def test_unknown_flag_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--no-such-flag"])
    assert exc.value.code == 2


# --- json -----------------------------------------------------------------------------
def test_json_has_every_registry_field(project, capsys):
    code, records = findings_json(capsys, "pkg")
    assert code == 1
    assert len(records) == 4
    first = records[0]
    assert set(first) >= {
        "code",
        "symbol",
        "severity",
        "mapping",
        "message",
        "path",
        "line",
        "col",
        "end_line",
        "end_col",
        "target",
        "hint",
        "docs_url",
        "fix",
    }
    rule = get_rule("DZ101")
    assert first["code"] == "DZ101"
    assert first["symbol"] == rule.symbol
    assert first["severity"] == "INFO"
    assert first["mapping"] == "direct"
    assert first["target"] == rule.target
    assert first["hint"] == rule.hint
    assert first["docs_url"].startswith("https://")
    assert first["path"] == os.path.join("pkg", "ops.py")
    assert first["line"] == 4
    assert first["fix"] is None or first["fix"]["applicability"] in {a.value for a in Applicability}
    assert "'one'" in first["message"]


def test_json_empty_list_when_clean(project, capsys):
    code, records = findings_json(capsys, "pkg/plain.py")
    assert (code, records) == (0, [])


# --- selection ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("flags", "codes"),
    [
        ([], {"DZ101", "DZ102", "DZ304"}),
        (["--select", "DZ101"], {"DZ101"}),
        (["--select", "DZ1"], {"DZ101", "DZ102"}),
        (["--select", "dagster-job"], {"DZ102"}),
        (["--select", "DZ101,DZ102"], {"DZ101", "DZ102"}),
        (["--select", "DZ101", "--select", "DZ304"], {"DZ101", "DZ304"}),
        (["--ignore", "DZ1"], {"DZ304"}),
        (["--ignore", "dagster-sensor"], {"DZ101", "DZ102"}),
        (["--select", "DZ1", "--ignore", "DZ102"], {"DZ101"}),
        (["--min-severity", "medium"], {"DZ304"}),
        (["--min-severity", "HIGH"], {"DZ304"}),
        (["--select", "DZ1", "--min-severity", "low"], set()),
    ],
)
def test_selection_flags(project, capsys, flags, codes):
    _, records = findings_json(capsys, *flags, "pkg")
    assert {r["code"] for r in records} == codes


def test_unknown_code_in_select_is_a_usage_error(project, capsys):
    code, _, err = run(capsys, "check", "--select", "DZ9", "pkg")
    assert code == 2
    assert "--select" in err and "'DZ9'" in err
    assert "Traceback" not in err


def test_bad_severity_is_rejected(project, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--min-severity", "severe", "pkg"])
    assert exc.value.code == 2


# --- statistics and fixable markers ---------------------------------------------------
def test_statistics_text(project, capsys):
    (project / "pkg" / "more.py").write_text("from dagster import op\n\n\n@op\ndef two():\n    return 2\n")
    code, out, _ = run(capsys, "check", "--statistics", "pkg")
    lines = out.splitlines()
    assert code == 1
    assert [line.split("\t")[:2] for line in lines[:-1]] == [["2", "DZ101"], ["2", "DZ304"], ["1", "DZ102"]]
    assert lines[-1].startswith("Found 5 findings in 2 files")


def test_statistics_json(project, capsys):
    _, rows = findings_json(capsys, "--statistics", "pkg")
    assert {(r["code"], r["count"], r["fixable"]) for r in rows} == {("DZ101", 1, 0), ("DZ102", 1, 0), ("DZ304", 2, 0)}


def _result_with_fix(applicability: Applicability) -> FileResult:
    fix = Fix((Edit(1, 3, "step"),), applicability, "rename")
    finding = Finding("DZ101", 1, 1, "@op 'x': becomes a ZenML @step", fix=fix)
    return FileResult(path="a.py", kind=None, findings=(finding, Finding("DZ102", 2, 0, "job")))  # type: ignore[arg-type]


def test_text_marks_safe_fixes_and_counts_them():
    out = render_text([_result_with_fix(Applicability.SAFE)], OutputOptions())
    lines = out.splitlines()
    assert lines[0] == "a.py:1:2: DZ101 [INFO] [*] @op 'x': becomes a ZenML @step"
    assert "[*]" not in lines[1]
    assert lines[-1].endswith("[*] 1 fixable with `--fix`.")
    stats = render_text([_result_with_fix(Applicability.SAFE)], OutputOptions(statistics=True)).splitlines()
    assert stats[0].endswith("(1 fixable)")


def test_unsafe_fixes_are_marked_only_with_unsafe_fixes():
    result = _result_with_fix(Applicability.UNSAFE)
    assert "[*]" not in render_text([result], OutputOptions())
    assert "[*]" in render_text([result], OutputOptions(unsafe_fixes=True)).splitlines()[0]


# --- files ----------------------------------------------------------------------------
def test_exclude_and_extend_exclude(project, capsys):
    (project / "pkg" / "generated").mkdir()
    (project / "pkg" / "generated" / "gen.py").write_text(OPS)
    _, records = findings_json(capsys, "pkg")
    assert {Path(r["path"]).name for r in records} == {"ops.py", "gen.py"}
    _, records = findings_json(capsys, "--extend-exclude", "generated", "pkg")
    assert {Path(r["path"]).name for r in records} == {"ops.py"}
    _, records = findings_json(capsys, "--exclude", "pkg/generated/*.py,ops.py", "pkg")
    assert records == []


def test_skips_git_venv_and_pycache(project, capsys):
    for directory in (".git", "venv_custom", "__pycache__", "node_modules"):
        (project / directory).mkdir()
        (project / directory / "x.py").write_text(OPS)
    (project / "venv_custom" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    _, records = findings_json(capsys, ".")
    assert {Path(r["path"]).parts[0] for r in records} == {"pkg"}


def test_each_file_is_listed_once(project, capsys):
    _, records = findings_json(capsys, "pkg", "pkg/ops.py", ".")
    assert len(records) == 4


# --- configuration --------------------------------------------------------------------
def test_config_from_nearest_pyproject(project, capsys):
    (project / "pyproject.toml").write_text(f'[tool.dagster-zenml-lint]\nselect = {SELECTED}\nignore = ["DZ3"]\n')
    _, records = findings_json(capsys, "pkg")
    assert {r["code"] for r in records} == {"DZ101", "DZ102"}


def test_flags_override_the_file(project, capsys):
    (project / "pyproject.toml").write_text('[tool.dagster-zenml-lint]\nselect = ["DZ101"]\nmin-severity = "info"\n')
    _, records = findings_json(capsys, "pkg")
    assert {r["code"] for r in records} == {"DZ101"}
    _, records = findings_json(capsys, "--select", "DZ102", "pkg")
    assert {r["code"] for r in records} == {"DZ102"}


def test_explicit_config_file(project, capsys):
    (project / "other.toml").write_text('[tool.dagster-zenml-lint]\nselect = ["dagster-sensor"]\n')
    _, records = findings_json(capsys, "--config", "other.toml", "pkg")
    assert {r["code"] for r in records} == {"DZ304"}


def test_missing_config_file_is_a_usage_error(project, capsys):
    code, _, err = run(capsys, "check", "--config", "nope.toml", "pkg")
    assert code == 2
    assert "nope.toml" in err


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ('selct = ["DZ101"]', "'selct'"),
        ('select = ["DZ999"]', "'DZ999'"),
        ("select = 3", "select"),
        ('min-severity = "urgent"', "min-severity"),
        ("jobs = -1", "jobs"),
    ],
)
def test_malformed_config_names_the_key_and_exits_2(project, capsys, table, named):
    (project / "pyproject.toml").write_text(f"[tool.dagster-zenml-lint]\n{table}\n")
    code, out, err = run(capsys, "check", "pkg")
    assert code == 2
    assert out == ""
    assert named in err
    assert len(err.strip().splitlines()) == 1


def test_invalid_toml_is_a_usage_error(project, capsys):
    (project / "bad.toml").write_text("[tool.dagster-zenml-lint\n")
    code, _, err = run(capsys, "check", "--config", "bad.toml", "pkg")
    assert code == 2
    assert "not valid TOML" in err


def test_per_file_ignores(project, capsys):
    (project / "pyproject.toml").write_text(
        f"[tool.dagster-zenml-lint]\nselect = {SELECTED}\n"
        '[tool.dagster-zenml-lint.per-file-ignores]\n"pkg/ops.py" = ["DZ1"]\n'
    )
    _, records = findings_json(capsys, "pkg")
    assert {r["code"] for r in records} == {"DZ304"}


# --- noqa -----------------------------------------------------------------------------
def test_noqa_comments(project, capsys):
    source = OPS.replace("@dg.op\n", "@dg.op  # noqa\n").replace("@dg.job\n", "@dg.job  # noqa: DZ101\n")
    source = source.replace("@dg.sensor(job=my_job)\n", "@dg.sensor(job=my_job)  # noqa: DZ102,DZ304\n")
    source = source.replace('("nothing new")', '("nothing new")  # noqa:DZ3')
    (project / "pkg" / "ops.py").write_text(source)
    _, records = findings_json(capsys, "pkg")
    assert [(r["code"], r["line"]) for r in records] == [("DZ102", 9)]


# --- bad input ------------------------------------------------------------------------
def test_syntax_error_is_dz000_and_the_run_goes_on(project, capsys):
    (project / "pkg" / "broken.py").write_text("from dagster import asset\n\n@asset(\ndef orders():\n    return 1\n")
    code, records = findings_json(capsys, "pkg")
    assert code == 1
    broken = [r for r in records if r["path"].endswith("broken.py")]
    assert len(broken) == 1
    assert broken[0]["code"] == "DZ000"
    assert broken[0]["line"] in (3, 4)
    assert "syntax error" in broken[0]["message"]
    assert {(r["code"], r["line"]) for r in records if r["path"].endswith("ops.py")} == EXPECTED


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x7fELF\x02\x01\x01\x00\x00\x00dagster", "binary"),
        (b"import dagster\nx = '\xff\xfe'\n", "cannot decode as utf-8 (invalid byte at line 2)"),
        (b"# -*- coding: klingon -*-\nimport dagster\n", "unknown encoding"),
    ],
)
def test_unreadable_content_is_one_dz000_line(project, capsys, content, reason):
    (project / "pkg" / "weird.py").write_bytes(content)
    code, out, err = run(capsys, "check", "pkg/weird.py")
    assert code == 1
    assert err == ""
    finding = out.splitlines()[0]
    assert finding.startswith(f"{os.path.join('pkg', 'weird.py')}:1:1: DZ000 [HIGH] cannot analyse the file: ")
    assert reason in finding
    assert len(out.splitlines()) == 2


def test_encoding_cookie_and_bom_are_honoured(project, capsys):
    (project / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\nimport dagster as dg\nx = '\xe9'\ny = dg.op\n")
    (project / "bom.py").write_bytes(b"\xef\xbb\xbfimport dagster as dg\r\ny = dg.job\r\n")
    _, records = findings_json(capsys, "--select", "DZ1", "--ignore", "DZ104", "latin.py", "bom.py")
    assert [(r["path"], r["code"], r["line"]) for r in records] == [("latin.py", "DZ101", 4), ("bom.py", "DZ102", 2)]


def test_empty_file_gives_nothing(project, capsys):
    (project / "empty.py").write_bytes(b"")
    (project / "blank.py").write_bytes(b"\n\n   \n")
    code, out, _ = run(capsys, "check", "empty.py", "blank.py")
    assert code == 0
    assert out == "No Dagster patterns found (2 files checked).\n"


def test_dangling_symlink_is_reported_not_raised(project, capsys):
    (project / "gone.py").symlink_to(project / "missing_target.py")
    code, out, _ = run(capsys, "check", "gone.py")
    assert code == 1
    assert "DZ000" in out and "no such file" in out


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_reported_not_raised(project, capsys):
    locked = project / "locked.py"
    locked.write_text(OPS)
    locked.chmod(0)
    try:
        code, out, _ = run(capsys, "check", "locked.py")
    finally:
        locked.chmod(0o644)
    assert code == 1
    assert "DZ000" in out and "permission denied" in out


def test_directory_symlink_loop_terminates(project, capsys):
    (project / "pkg" / "loop").symlink_to(project / "pkg", target_is_directory=True)
    _, records = findings_json(capsys, "pkg")
    assert len(records) == 4


def test_huge_file(project, capsys):
    # 20,000 lines of ordinary code around a few Dagster ops
    filler = "".join(f"def helper_{i}(x):\n    return x + {i}\n\n\n" for i in range(5000))
    ops = "".join(f"@dg.op\ndef op_{i}():\n    return {i}\n\n\n" for i in range(20))
    (project / "huge.py").write_text("import dagster as dg\n\n\n" + filler + ops)
    code, records = findings_json(capsys, "--select", "DZ101", "huge.py")
    assert code == 1
    assert len(records) == 20
    assert records[0]["line"] == 3 + 5000 * 4 + 1


def test_bad_input_never_prints_a_traceback(tmp_path):
    (tmp_path / "bin.py").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "bad.py").write_bytes(b"import dagster\nx = (\n")
    (tmp_path / "latin.py").write_bytes(b"import dagster\n\xe9\n")
    (tmp_path / "empty.py").write_bytes(b"")
    (tmp_path / "defs.yaml").write_text("type: dagster_dbt.DbtProjectComponent\nattributes: {}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout.count("DZ000") == 2  # bin.py never names Dagster: not ours to judge
    assert "bin.py" not in proc.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr


def test_console_script_is_installed():
    script = Path(sys.executable).with_name("dagster-zenml-lint")
    assert script.exists(), "pip install did not create the console script"
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"dagster-zenml-lint {__version__}"


# --- rule -----------------------------------------------------------------------------
def test_rule_prints_the_generated_docs(capsys):
    code, out, _ = run(capsys, "rule", "DZ101")
    assert code == 0
    assert out == render_rule(get_rule("DZ101"))
    assert out.startswith("# DZ101 `dagster-op`")


def test_rule_by_symbol_and_lowercase_code(capsys):
    _, by_symbol, _ = run(capsys, "rule", "dagster-job")
    _, by_code, _ = run(capsys, "rule", "dz102")
    assert by_symbol == by_code == render_rule(get_rule("DZ102"))


def test_rule_all_lists_every_rule(capsys):
    code, out, _ = run(capsys, "rule", "--all")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [r.code for r in all_rules()]
    _, out, _ = run(capsys, "rule", "--all", "--output-format", "json")
    assert [r["symbol"] for r in json.loads(out)] == [r.symbol for r in all_rules()]


def test_unknown_rule_is_a_usage_error(capsys):
    code, out, err = run(capsys, "rule", "DZ998")
    assert code == 2
    assert out == ""
    assert "unknown rule 'DZ998'" in err


def test_an_internal_error_is_one_dz000_finding_and_the_run_goes_on(project, capsys, monkeypatch):
    import dagster_zenml_lint.runner as runner

    real_check = runner.check_source_with_context

    def failing_check(text, path, **kwargs):
        if path.endswith("ops.py"):
            raise ValueError("boom")
        return real_check(text, path, **kwargs)

    (project / "pkg" / "other.py").write_text(OPS)
    monkeypatch.setattr(runner, "check_source_with_context", failing_check)
    monkeypatch.delenv(runner.DEBUG_ENV, raising=False)
    code, out, err = run(capsys, "check", "--jobs", "1", "pkg")
    assert code == 1
    assert "Traceback" not in err
    broken = [line for line in out.splitlines() if "ops.py" in line]
    assert broken == [
        f"{os.path.join('pkg', 'ops.py')}:1:1: DZ000 [HIGH] cannot analyse the file: internal error while analysing "
        "the file (ValueError: boom); please report it"
    ]
    assert sum("other.py" in line for line in out.splitlines()) == 4
    monkeypatch.setenv(runner.DEBUG_ENV, "1")
    with pytest.raises(ValueError, match="boom"):
        main(["check", "--jobs", "1", "pkg"])
