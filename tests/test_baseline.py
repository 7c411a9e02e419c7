"""``check --baseline FILE`` / ``--update-baseline`` and ``report --baseline FILE``, through the real CLI.

The baseline identifies findings by file, code, enclosing symbol and the flagged line's
content, never by line number: moving code keeps findings known, editing a flagged line
makes its finding new, and the resolved count is exact.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_process import run_check

from dagster_zenml_lint.baseline import Progress, fingerprint

ASSETS = textwrap.dedent(
    """\
    import dagster as dg


    @dg.asset(code_version="1")
    def orders() -> list[int]:
        return [1, 2]


    @dg.asset
    def customers(context: dg.AssetExecutionContext) -> list[str]:
        context.log.info("loading")
        context.log.info("loading")
        return ["ada"]
    """
)
OPS = textwrap.dedent(
    """\
    from dagster import op


    @op
    def one() -> int:
        return 1
    """
)


def finding_lines(stdout: str) -> list[str]:
    """``path:line:col: CODE`` of each reported finding."""
    return [" ".join(line.split()[:2]) for line in stdout.splitlines() if ": DZ" in line]


@pytest.fixture
def project(project: Path) -> Path:
    """The shared project directory with a package of two Dagster modules."""
    (project / "pkg").mkdir()
    (project / "pkg" / "assets.py").write_text(ASSETS, encoding="utf-8")
    (project / "pkg" / "ops.py").write_text(OPS, encoding="utf-8")
    return project


def recorded(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["findings"]


def first_run(project: Path) -> list[dict]:
    plain = run_check(project, "pkg")
    done = run_check(project, "--baseline", "baseline.json", "pkg")
    assert done.returncode == 0, done.stderr
    assert finding_lines(done.stdout) == []
    entries = recorded(project / "baseline.json")
    assert f"wrote baseline baseline.json: {len(entries)} finding(s)" in done.stdout
    assert len(entries) == len(finding_lines(plain.stdout)) > 0
    return entries


def test_first_run_records_todays_findings_by_content_not_line(project):
    entries = first_run(project)
    assert {e["path"] for e in entries} == {"pkg/assets.py", "pkg/ops.py"}
    assert all(set(e) == {"path", "code", "symbol", "fingerprint", "occurrence"} for e in entries)
    version = next(e for e in entries if e["code"] == "DZ240")
    assert version["symbol"] == "orders" and version["fingerprint"] == fingerprint('@dg.asset(code_version="1")')
    logs = sorted(e["occurrence"] for e in entries if e["code"] == "DZ106")
    assert logs == [0, 1]  # two identical lines in one function stay two findings
    again = run_check(project, "--baseline", "baseline.json", "pkg")
    assert again.returncode == 0, again.stdout
    assert finding_lines(again.stdout) == []
    assert f"0 of {len(entries)} baseline findings resolved (0.0%); 0 new findings" in again.stdout


def test_moving_and_reindenting_code_keeps_findings_known(project):
    entries = first_run(project)
    head, orders, customers = ASSETS.split("\n\n\n")
    reindented = customers.replace("\n    ", "\n        ")  # an 8-space body is the same code
    moved = "\n\n\n".join([head, "X = 1  # new code above everything", reindented, orders])
    (project / "pkg" / "assets.py").write_text(moved, encoding="utf-8")
    done = run_check(project, "--baseline", "baseline.json", "pkg")
    assert done.returncode == 0, done.stdout
    assert finding_lines(done.stdout) == []
    assert f"0 of {len(entries)} baseline findings resolved (0.0%); 0 new findings" in done.stdout


def test_moving_lines_only_is_not_new(project):
    entries = first_run(project)
    head, orders, customers = ASSETS.split("\n\n\n")
    (project / "pkg" / "assets.py").write_text("\n\n\n".join([head, "X = 1", customers, "Y = 2", orders]))
    done = run_check(project, "--baseline", "baseline.json", "pkg")
    assert done.returncode == 0 and finding_lines(done.stdout) == []
    assert f"0 of {len(entries)} baseline findings resolved (0.0%); 0 new findings" in done.stdout


def test_editing_a_flagged_line_makes_it_new_and_resolves_the_old(project):
    entries = first_run(project)
    assets = project / "pkg" / "assets.py"
    assets.write_text(ASSETS.replace('code_version="1"', 'code_version="2"'), encoding="utf-8")
    done = run_check(project, "--baseline", "baseline.json", "pkg")
    assert done.returncode == 1
    # the edited decorator line holds DZ201 and DZ240: both are new, both old ones are resolved
    assert finding_lines(done.stdout) == ["pkg/assets.py:4:2: DZ201", "pkg/assets.py:4:11: DZ240"]
    assert f"2 of {len(entries)} baseline findings resolved" in done.stdout
    assert "2 new findings not in the baseline" in done.stdout


def test_resolved_counts_are_exact(project):
    entries = first_run(project)
    assets = project / "pkg" / "assets.py"
    assets.write_text(ASSETS.replace('    context.log.info("loading")\n', "", 1), encoding="utf-8")
    (project / "pkg" / "ops.py").unlink()  # a deleted file resolves its findings
    done = run_check(project, "--baseline", "baseline.json", "pkg")
    assert done.returncode == 0, done.stdout
    ops = sum(1 for e in entries if e["path"] == "pkg/ops.py")
    resolved = ops + 1
    percent = Progress(len(entries), resolved, 0).percent
    assert f"{resolved} of {len(entries)} baseline findings resolved ({percent}); 0 new findings" in done.stdout


def test_percent_is_rounded_down():
    assert Progress(3, 2, 0).percent == "66.6%"
    assert Progress(1000, 999, 0).percent == "99.9%"
    assert Progress(0, 0, 0).percent == "100%"


def test_paths_are_relative_to_the_configuration_root_and_a_partial_run_counts_its_files(project):
    entries = first_run(project)
    sub = project / "pkg"
    done = run_check(sub, "--baseline", "../baseline.json", "assets.py")
    assert done.returncode == 0, done.stdout + done.stderr
    in_assets = sum(1 for e in entries if e["path"] == "pkg/assets.py")
    assert f"0 of {in_assets} baseline findings resolved (0.0%)" in done.stdout
    selected = run_check(project, "--baseline", "baseline.json", "--select", "DZ240", "pkg")
    assert "0 of 1 baseline findings resolved" in selected.stdout


def test_update_accepts_new_drops_resolved_and_keeps_files_outside_the_run(project):
    entries = first_run(project)
    assets = project / "pkg" / "assets.py"
    assets.write_text(ASSETS.replace('code_version="1"', 'code_version="2"'), encoding="utf-8")
    done = run_check(project, "--baseline", "baseline.json", "--update-baseline", "pkg/assets.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(2 added, 2 resolved and dropped)" in done.stdout
    after = recorded(project / "baseline.json")
    assert len(after) == len(entries)
    assert [e for e in after if e["path"] == "pkg/ops.py"] == [e for e in entries if e["path"] == "pkg/ops.py"]
    clean = run_check(project, "--baseline", "baseline.json", "pkg")
    assert clean.returncode == 0 and finding_lines(clean.stdout) == []


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"tool": "dagster-zenml-lint", "version": 99, "findings": []}',
        b'{"tool": "dagster-zenml-lint", "version": 1, "findings": [{"path": "a.py"}]}',
    ],
    ids=["invalid-json", "not-utf8", "a-list", "future-version", "entry-keys"],
)
def test_a_corrupt_baseline_is_one_line_and_exit_2(project, content):
    (project / "baseline.json").write_bytes(content)
    for extra in ((), ("--update-baseline",)):
        done = run_check(project, "--baseline", "baseline.json", *extra, "pkg")
        assert done.returncode == 2
        assert done.stdout == ""
        assert len(done.stderr.splitlines()) == 1 and "baseline.json: not a baseline file" in done.stderr
        assert (project / "baseline.json").read_bytes() == content  # never overwritten


def test_baseline_usage_errors(project):
    alone = run_check(project, "--update-baseline", "pkg")
    assert alone.returncode == 2 and "--update-baseline needs --baseline FILE" in alone.stderr
    (project / "dir.json").mkdir()
    cases = {"dir.json": "is a directory", "missing/b.json": "no such directory", "pkg/base.py": "Python source"}
    for target, reason in cases.items():
        done = run_check(project, "--baseline", target, "pkg")
        assert done.returncode == 2, (target, done.stdout)
        assert len(done.stderr.splitlines()) == 1 and reason in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert not (project / "pkg" / "base.py").exists() and not (project / "missing").exists()


def test_a_device_or_pipe_is_refused_without_waiting_or_replacing_it(project):
    fifo = project / "pipe.json"
    os.mkfifo(fifo)
    for target in (str(fifo), os.devnull):
        for extra in ((), ("--update-baseline",)):
            done = run_check(project, "--baseline", target, *extra, "pkg", timeout=60)
            assert done.returncode == 2 and "not a regular file" in done.stderr, done.stderr
    assert fifo.is_fifo() and Path(os.devnull).is_char_device()


def test_json_output_stays_parseable_and_the_progress_goes_to_stderr(project):
    first_run(project)
    (project / "pkg" / "ops.py").write_text(OPS + "\n\n@op\ndef two() -> int:\n    return 2\n", encoding="utf-8")
    done = run_check(project, "--baseline", "baseline.json", "--output-format", "json", "pkg")
    assert done.returncode == 1
    records = json.loads(done.stdout)
    assert [(r["code"], r["line"]) for r in records] == [("DZ101", 9)]
    assert "1 new finding not in the baseline" in done.stderr


def test_the_file_is_deterministic_and_written_atomically(project):
    first_run(project)
    data = (project / "baseline.json").read_bytes()
    (project / "baseline.json").unlink()
    first_run(project)
    assert (project / "baseline.json").read_bytes() == data
    assert [p.name for p in project.iterdir() if p.name.startswith(".baseline")] == []  # no temporary left


def report(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "report", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_report_shows_the_progress(project):
    entries = first_run(project)
    (project / "pkg" / "ops.py").unlink()
    ops = sum(1 for e in entries if e["path"] == "pkg/ops.py")
    markdown = report(project, "--baseline", "baseline.json", "pkg")
    assert markdown.returncode == 0, markdown.stderr
    section = markdown.stdout.split("## Baseline Progress\n\n", 1)[1].split("\n\n", 1)[0]
    assert f"{ops} of {len(entries)} baseline findings resolved" in section
    assert markdown.stdout.index("## Baseline Progress") < markdown.stdout.index("## Pipeline Boundary Decisions")
    data = json.loads(report(project, "--format", "json", "--baseline", "baseline.json", "pkg").stdout)
    assert data["baseline"]["total"] == len(entries) and data["baseline"]["resolved"] == ops
    assert data["baseline"]["new"] == 0
    plain = report(project, "pkg")
    assert "Baseline Progress" not in plain.stdout
    missing = report(project, "--baseline", "nope.json", "pkg")
    assert missing.returncode == 2 and len(missing.stderr.splitlines()) == 1 and "nope.json" in missing.stderr


def test_report_of_several_code_locations_shows_the_progress_once_before_them(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.dagster-zenml-lint]\n", encoding="utf-8")
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pyproject.toml").write_text(f'[project]\nname = "{name}"\n', encoding="utf-8")
        (tmp_path / name / "defs.py").write_text(
            f"import dagster as dg\n\n\n@dg.asset\ndef {name}_x() -> int:\n    return 1\n\n\n"
            f"defs = dg.Definitions(assets=[{name}_x])\n",
            encoding="utf-8",
        )
    assert run_check(tmp_path, "--baseline", "baseline.json", ".").returncode == 0
    total = len(recorded(tmp_path / "baseline.json"))
    defs = tmp_path / "a" / "defs.py"
    defs.write_text(defs.read_text(encoding="utf-8").split("\n\n\ndefs")[0] + "\n", encoding="utf-8")
    markdown = report(tmp_path, "--baseline", "baseline.json", ".").stdout
    assert markdown.count("## Baseline Progress") == 1
    assert f"1 of {total} baseline findings resolved" in markdown  # a's Definitions (DZ212) is gone
    assert markdown.index("## Baseline Progress") < markdown.index("## Migration Report: Dagster")


def test_lines_are_counted_as_python_counts_them(tmp_path):
    """A form feed splits a line for str.splitlines but not for Python: the fingerprint is the flagged line's."""
    from dagster_zenml_lint.baseline import entries_of
    from dagster_zenml_lint.config import Config
    from dagster_zenml_lint.discovery import FileKind
    from dagster_zenml_lint.runner import FileResult, lint_text
    from dagster_zenml_lint.source import decode_source

    text = 'X = 1  # \x0c page\nimport dagster as dg\n\n\n@dg.asset(code_version="1")\ndef a() -> int:\n    return 1\n'
    source = decode_source(text.encode("utf-8"), "m.py")
    findings = tuple(lint_text(text, "m.py", Config()))
    result = FileResult(path="m.py", kind=FileKind.PYTHON, findings=findings, source=source)
    entries = {entry.code: entry for entry, _ in entries_of(result, "m.py")}
    assert entries["DZ240"].fingerprint == fingerprint('@dg.asset(code_version="1")')


def test_standard_input_with_a_baseline_is_a_usage_error_not_ignored(project):
    done = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--baseline", "baseline.json", "-"],
        cwd=project,
        input=OPS,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "does not apply to `check -` (stdin)" in done.stderr and len(done.stderr.splitlines()) == 1
    assert not (project / "baseline.json").exists()


@pytest.mark.parametrize(
    "body",
    [
        "\n\n@op\ndef deep():\n    return " + " + ".join(["1"] * 1500) + "\n",  # parses, deeper than a recursive walk
        "x = a" + ".b" * 30000 + "\n",  # the parser itself gives up (RecursionError)
    ],
    ids=["deep-expression", "deeper-than-the-parser"],
)
def test_a_file_nested_too_deeply_is_recorded_not_a_traceback(project, body):
    # regression: --baseline walked the file's tree recursively to name the scopes, and died
    (project / "pkg" / "deep.py").write_text("from dagster import op\n" + body, encoding="utf-8")
    done = run_check(project, "--baseline", "baseline.json", "pkg")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    deep = [e for e in recorded(project / "baseline.json") if e["path"].endswith("deep.py")]
    assert [e["code"] for e in deep] == ["DZ000"]
    assert run_check(project, "--baseline", "baseline.json", "pkg").returncode == 0
