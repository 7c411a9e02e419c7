"""Issue 15: the command line behaves as a ruff user expects, and its outputs say what is true.

Every test runs the real command in a fresh interpreter (``tests/cli_process.py``) or the
language server over stdio (``tests/lsp_client.py``), as a user's shell or editor would.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_process import run_check

from dagster_zenml_lint.config import _toml
from dagster_zenml_lint.registry import DOCS, REPOSITORY_URL, all_rules, get_rule

ROOT = Path(__file__).resolve().parent.parent
MIGRATE_SOURCES = Path(__file__).parent / "migrate_sources"

# DZ106's fix is unsafe; the LINEAR backoff blocks the op/job conversion: no safe fix at all.
UNSAFE_ONLY = """\
import dagster as dg


@dg.op(retry_policy=dg.RetryPolicy(max_retries=2, backoff=dg.Backoff.LINEAR))
def one() -> int:
    return 1


@dg.job
def my_job():
    one()


@dg.sensor(job=my_job)
def my_sensor(context):
    context.log.info("checking")
    return dg.SkipReason("nothing new")
"""
BLOCKER = "RetryPolicy(backoff=Backoff.LINEAR)"

# three ops and a job: one fix converts them all (a component), shared by four findings
COMPONENT = """\
from dagster import job, op


@op
def one() -> int:
    return 1


@op
def two(x: int) -> int:
    return x


@op
def three(x: int) -> int:
    return x


@job
def my_job():
    three(two(one()))
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project directory with its own configuration (no outer pyproject.toml applies)."""
    write(tmp_path, "pyproject.toml", "[tool.dagster-zenml-lint]\n")
    return tmp_path


# --- item 2: JSON carries the end of each finding ----------------------------------------
def test_json_records_carry_the_end_that_github_annotations_show(project: Path) -> None:
    write(project, "ops.py", UNSAFE_ONLY)
    records = json.loads(run_check(project, "--output-format", "json", "ops.py").stdout)
    annotations = run_check(project, "--output-format", "github", "ops.py").stdout.splitlines()
    assert records and len(records) == len(annotations)
    for record, annotation in zip(records, annotations, strict=True):
        assert record["end_line"] is not None and record["end_col"] is not None, record
        where = f"line={record['line']},col={record['col']},endLine={record['end_line']},endColumn={record['end_col']}"
        assert where in annotation, (record, annotation)
    decorator = next(r for r in records if r["code"] == "DZ304" and r["line"] == 14)
    assert (decorator["col"], decorator["end_line"], decorator["end_col"]) == (2, 14, 11)  # "dg.sensor"


# --- item 3: --diff and the summary count only what the flags would apply -----------------
def test_diff_with_only_unsafe_fixes_says_how_to_enable_them(project: Path) -> None:
    path = write(project, "ops.py", UNSAFE_ONLY)
    diff = run_check(project, "--diff", "ops.py")
    assert diff.returncode == 0 and diff.stdout == ""
    assert diff.stderr == "No fixes available (1 hidden fix can be enabled with `--unsafe-fixes`).\n"
    unsafe = run_check(project, "--diff", "--unsafe-fixes", "ops.py")
    assert unsafe.returncode == 1 and "+    logger.info(" in unsafe.stdout
    assert unsafe.stderr == "Would fix 1 finding in 1 file.\n"
    assert path.read_text(encoding="utf-8") == UNSAFE_ONLY


def test_the_summary_counts_only_the_fixes_the_flags_would_apply(project: Path) -> None:
    write(project, "ops.py", UNSAFE_ONLY)
    plain = run_check(project, "ops.py").stdout.splitlines()[-1]
    # without worked-out fixes no count is given (it could not be true)
    assert plain == "Found 6 findings in 1 file (1 file checked). `--show-fixes` marks the findings `--fix` can fix."
    shown = run_check(project, "--show-fixes", "ops.py").stdout.splitlines()[-1]
    assert shown.endswith(" No fixes available (1 hidden fix can be enabled with `--unsafe-fixes`).")
    unsafe = run_check(project, "--show-fixes", "--unsafe-fixes", "ops.py").stdout.splitlines()[-1]
    assert unsafe.endswith(" [*] 1 fixable with `--fix` --unsafe-fixes.")
    fix_only = run_check(project, "--fix-only", "ops.py")
    assert fix_only.stdout == "No fixes available (1 hidden fix can be enabled with `--unsafe-fixes`).\n"


def test_hidden_fixes_are_counted_beside_the_safe_ones(project: Path) -> None:
    write(project, "jobs.py", COMPONENT)
    write(project, "log.py", "import dagster as dg\n\n\n@dg.op\ndef one(context):\n    context.log.info('x')\n")
    last = run_check(project, "--show-fixes", "--select", "DZ101,DZ102,DZ106", ".").stdout.splitlines()[-1]
    # jobs.py: 3 ops + 1 job share a safe fix; log.py: the log call's fix is unsafe (the op waits for it)
    assert last.endswith(" [*] 4 fixable with `--fix` (1 hidden fix can be enabled with `--unsafe-fixes`)."), last


# --- item 4: why a finding has no fix, in text and in the editor ------------------------
def test_show_fixes_says_why_a_finding_has_no_fix(project: Path) -> None:
    write(project, "ops.py", UNSAFE_ONLY)
    lines = run_check(project, "--show-fixes", "ops.py").stdout.splitlines()
    op = lines.index(next(line for line in lines if line.startswith("ops.py:4:2: DZ101")))
    assert lines[op + 1].startswith("    no automatic fix: ") and BLOCKER in lines[op + 1]
    log = lines.index(next(line for line in lines if " DZ106 " in line))
    assert lines[log + 1].startswith("    unsafe fix, applied only with `--unsafe-fixes`: Log through")
    # without --show-fixes the output stays one line per finding
    assert not any(line.startswith(" ") for line in run_check(project, "ops.py").stdout.splitlines())
    # JSON always carried it
    records = json.loads(run_check(project, "--output-format", "json", "ops.py").stdout)
    assert BLOCKER in next(r for r in records if r["code"] == "DZ101")["fix_blocker"]


def test_hover_says_why_a_finding_has_no_fix(project: Path) -> None:
    pytest.importorskip("pygls")
    from lsp_client import open_document, start_server

    client = start_server(project)
    try:
        path = project / "ops.py"
        diagnostics = open_document(client, path, UNSAFE_ONLY)
        op = next(d for d in diagnostics if d["code"] == "DZ101")
        hover = client.request(
            "textDocument/hover", {"textDocument": {"uri": path.as_uri()}, "position": op["range"]["start"]}
        )
        assert "**No automatic fix:**" in hover["contents"]["value"]
        assert BLOCKER in hover["contents"]["value"]
    finally:
        client.close()


# --- item 5: per-file-ignores are relative to the configuration file ----------------------
def test_per_file_ignores_give_the_same_result_from_a_subdirectory(project: Path) -> None:
    write(
        project,
        "pyproject.toml",
        '[tool.dagster-zenml-lint]\n[tool.dagster-zenml-lint.per-file-ignores]\n"pkg/legacy/*" = ["DZ3"]\n',
    )
    write(project, "pkg/legacy/sensors.py", UNSAFE_ONLY)
    write(project, "pkg/current.py", UNSAFE_ONLY)

    def sensor_files(cwd: Path) -> set[str]:
        out = run_check(cwd, "--select", "DZ304", "-q", ".").stdout
        paths = {cwd / line.split(":")[0] for line in out.splitlines()}
        return {path.resolve().relative_to(project.resolve()).as_posix() for path in paths}

    from_root = sensor_files(project)
    assert from_root == {"pkg/current.py"}
    assert sensor_files(project / "pkg") == from_root
    assert sensor_files(project / "pkg" / "legacy") == set()


# --- item 6: migrate counts the markers in the generated code ----------------------------
def test_migrate_prints_the_number_of_markers_the_files_hold(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    run = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "migrate", str(MIGRATE_SOURCES / "flagged"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    printed = int(re.search(r"^(\d+) TODO\(migration\) marker", run.stdout, re.MULTILINE)[1])  # type: ignore[index]
    in_code = sum(
        line.lstrip().startswith("# TODO(migration):")
        for path in out.rglob("*")
        if path.is_file() and path.suffix != ".md"
        for line in path.read_text(encoding="utf-8").splitlines()
    )
    assert printed == in_code > 0
    assert "# TODO(migration):" in (out / "README.md").read_text(encoding="utf-8")  # the README names it too


# --- item 12: every rule links its own page and a specific ZenML page ----------------------
def test_docs_links_point_to_the_rule_page_and_a_specific_zenml_page(project: Path) -> None:
    pyproject = _toml().loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["urls"]["Repository"] == REPOSITORY_URL
    for rule in all_rules():
        assert rule.docs_url == f"{REPOSITORY_URL}/blob/main/docs/rules/{rule.code}.md"
        assert (ROOT / "docs" / "rules" / f"{rule.code}.md").is_file()
        if rule.code != "DZ000":  # a file that cannot be read has no ZenML counterpart
            assert rule.zenml_docs_url != DOCS["ZENML"], rule.code
    write(project, "ops.py", UNSAFE_ONLY)
    records = json.loads(run_check(project, "--output-format", "json", "ops.py").stdout)
    for record in records:
        rule = get_rule(record["code"])
        assert (record["docs_url"], record["zenml_docs_url"]) == (rule.docs_url, rule.zenml_docs_url)


def test_lsp_links_each_diagnostic_to_its_rule_page(project: Path) -> None:
    pytest.importorskip("pygls")
    from lsp_client import open_document, start_server

    client = start_server(project)
    try:
        diagnostics = open_document(client, project / "ops.py", UNSAFE_ONLY)
        assert diagnostics
        for diagnostic in diagnostics:
            assert diagnostic["codeDescription"]["href"] == get_rule(diagnostic["code"]).docs_url
    finally:
        client.close()


# --- noise: the applied-fix listing and the editor's actions, once per fix -------------------
def test_the_applied_fix_listing_names_each_fix_once_at_its_original_position(project: Path) -> None:
    write(project, "jobs.py", COMPONENT)
    out = run_check(project, "--fix", "--show-fixes", "jobs.py").stdout.splitlines()
    listing = [line for line in out if line.startswith("jobs.py:")]
    assert listing == ["jobs.py:4:2: DZ101,DZ102 Convert @op 'one', @op 'two', @op 'three' and @job 'my_job' to ZenML"]
    assert "Fixed 4 findings in 1 file." in out


def test_lsp_offers_one_action_per_fix_over_a_range_of_findings(project: Path) -> None:
    pytest.importorskip("pygls")
    from lsp_client import open_document, start_server

    client = start_server(project)
    try:
        path = project / "jobs.py"
        diagnostics = open_document(client, path, COMPONENT)
        assert len(diagnostics) >= 4
        everything = {"start": {"line": 0, "character": 0}, "end": {"line": 20, "character": 0}}
        actions = client.request(
            "textDocument/codeAction",
            {"textDocument": {"uri": path.as_uri()}, "range": everything, "context": {"diagnostics": diagnostics}},
        )
        fixes = [a for a in actions if a["kind"] == "quickfix" and "noqa" not in a["title"]]
        assert len(fixes) == 1, [a["title"] for a in fixes]
        assert fixes[0]["title"].startswith("DZ101,DZ102: Convert")
        assert {d["code"] for d in fixes[0]["diagnostics"]} == {"DZ101", "DZ102"}
        assert len(fixes[0]["diagnostics"]) == 4
    finally:
        client.close()
