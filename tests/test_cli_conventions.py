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
from dagster_zenml_lint.registry import REPOSITORY_URL, all_rules, get_rule

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
    write(project, "ops.py", UNSAFE_ONLY)
    records = json.loads(run_check(project, "--output-format", "json", "ops.py").stdout)
    for record in records:
        rule = get_rule(record["code"])
        assert (record["docs_url"], record["zenml_docs_url"]) == (rule.docs_url, rule.zenml_docs_url)


_URL = re.compile(r"https?://[^\s`'\"<>)\]]+")


def _urls_in_package() -> set[str]:
    """Every URL written in a string constant of the package (rule texts, report, scaffold and migrate text)."""
    import ast

    found = set()
    for path in (ROOT / "dagster_zenml_lint").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found |= {url.rstrip(".,;:") for url in _URL.findall(node.value)}
    return found


def test_every_link_the_tool_prints_is_in_the_known_good_list() -> None:
    """Issue 18 item 7: no network in tests; links are checked against tests/known_good_urls.txt."""
    known = {
        line.strip()
        for line in (ROOT / "tests" / "known_good_urls.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    printed = _urls_in_package() | {url for rule in all_rules() for url in (*rule.docs_links, rule.zenml_docs_url)}
    assert "https://docs.zenml.io/concepts/steps_and_pipelines/hooks" in printed
    assert sorted(printed - known) == []
    assert sorted(url for url in known - printed if "docs.zenml.io" in url) == []  # no stale entries


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


# --- conventions: stdin, --output-file ---------------------------------------------------
def run_stdin(cwd: Path, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``check ARGS`` with ``text`` on standard input, as an editor or a formatter pipeline runs it."""
    return subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", *args],
        cwd=cwd,
        input=text,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_dash_reads_stdin_with_the_settings_of_the_stdin_filename(project: Path) -> None:
    write(
        project,
        "pyproject.toml",
        '[tool.dagster-zenml-lint]\n[tool.dagster-zenml-lint.per-file-ignores]\n"legacy/*" = ["DZ3"]\n',
    )
    (project / "legacy").mkdir()
    (project / "elsewhere").mkdir()
    named = run_stdin(project / "elsewhere", UNSAFE_ONLY, "-", "--stdin-filename", str(project / "pkg" / "ops.py"))
    assert named.returncode == 1
    assert f"{project / 'pkg' / 'ops.py'}:14:2: DZ304 [HIGH]" in named.stdout
    # the per-file ignore of the project applies to the path the editor names
    legacy = run_stdin(project, UNSAFE_ONLY, "-", "--stdin-filename", "legacy/sensors.py", "--select", "DZ304")
    assert legacy.returncode == 0 and "No Dagster patterns found" in legacy.stdout
    plain = run_stdin(project, UNSAFE_ONLY, "-", "-q", "--select", "DZ304")
    assert plain.stdout.splitlines()[0].startswith("-:14:2: DZ304")


def test_check_dash_fix_prints_the_fixed_text_for_a_pipeline(project: Path) -> None:
    fixed = run_stdin(project, COMPONENT, "-", "--stdin-filename", "jobs.py", "--fix")
    assert fixed.stdout.startswith("from zenml import pipeline, step\n") and "@pipeline\ndef my_job" in fixed.stdout
    assert fixed.returncode == 0 and fixed.stderr == ""
    only = run_stdin(project, COMPONENT, "-", "--fix-only")
    assert only.stdout == fixed.stdout and only.returncode == 0
    diff = run_stdin(project, COMPONENT, "-", "--stdin-filename", "jobs.py", "--diff")
    assert diff.returncode == 1 and "-@op\n+@step\n" in diff.stdout
    # an excluded path passes through unchanged, so a formatter pipeline never loses the buffer
    write(project, "pyproject.toml", '[tool.dagster-zenml-lint]\nextend-exclude = ["generated"]\n')
    write(project, "generated/jobs.py", COMPONENT)
    skipped = run_stdin(project, COMPONENT, "-", "--stdin-filename", "generated/jobs.py", "--fix")
    assert skipped.stdout == COMPONENT and skipped.returncode == 0
    component = "type: dagster_dbt.DbtProjectComponent\nattributes:\n  project: ../dbt\n"
    yaml = run_stdin(project, component, "-", "--stdin-filename", "defs/dbt/defs.yaml", "--fix")
    assert yaml.stdout == component and "Traceback" not in yaml.stderr  # only Python is fixed


def test_output_file_receives_the_findings(project: Path) -> None:
    write(project, "ops.py", UNSAFE_ONLY)
    run = run_check(project, "--output-format", "json", "-o", "findings.json", "ops.py")
    assert run.returncode == 1 and run.stdout == ""
    assert {r["code"] for r in json.loads((project / "findings.json").read_text(encoding="utf-8"))} >= {"DZ304"}
    refused = run_check(project, "-o", "ops.py", "ops.py")
    assert refused.returncode == 2 and "Python source" in refused.stderr
    assert (project / "ops.py").read_text(encoding="utf-8") == UNSAFE_ONLY
    settings = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert run_check(project, "-o", "pyproject.toml", "ops.py").returncode == 2  # nor over the settings
    assert (project / "pyproject.toml").read_text(encoding="utf-8") == settings


# --- conventions: .gitignore / .ignore, --show-files, --show-settings -------------------------
def test_gitignore_and_ignore_files_are_respected_by_default(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(repo, "pyproject.toml", "[tool.dagster-zenml-lint]\n")
    (repo / ".git").mkdir()
    write(repo, ".gitignore", "generated/\n*_scratch.py\n!keep_scratch.py\n")
    write(repo, "pkg/.ignore", "vendored/\n")
    for name in ("pkg/ops.py", "pkg/generated/ops.py", "pkg/my_scratch.py", "pkg/keep_scratch.py", "pkg/vendored/x.py"):
        write(repo, name, COMPONENT)

    def files(cwd: Path, *args: str) -> list[str]:
        return run_check(cwd, "--show-files", *args).stdout.splitlines()

    assert files(repo, ".") == ["pkg/keep_scratch.py", "pkg/ops.py"]
    assert files(repo / "pkg", ".") == ["keep_scratch.py", "ops.py"]  # the repository's .gitignore still counts
    assert len(files(repo, "--no-respect-gitignore", ".")) == 5
    assert files(repo, "pkg/generated/ops.py") == ["pkg/generated/ops.py"]  # a file named is checked
    found = run_check(repo, "--select", "DZ101", ".").stdout.splitlines()[-1]
    assert "(2 files checked)" in found
    # outside a git repository .gitignore means nothing (as for git and ruff); .ignore still counts
    (repo / ".git").rmdir()
    assert files(repo, ".") == ["pkg/generated/ops.py", "pkg/keep_scratch.py", "pkg/my_scratch.py", "pkg/ops.py"]
    write(repo, "pyproject.toml", "[tool.dagster-zenml-lint]\nrespect-gitignore = false\n")
    assert len(files(repo, ".")) == 5


def test_show_settings_prints_what_the_file_and_the_flags_make(project: Path) -> None:
    write(project, "pyproject.toml", '[tool.dagster-zenml-lint]\nignore = ["DZ2"]\noutput-format = "grouped"\n')
    run = run_check(project, "--show-settings", "--extend-ignore", "DZ3", "--unfixable", "DZ106")
    assert run.returncode == 0
    settings = _toml().loads(run.stdout)["tool"]["dagster-zenml-lint"]
    assert settings["ignore"] == ["DZ2"] and settings["extend-ignore"] == ["DZ3"]
    assert settings["unfixable"] == ["DZ106"] and settings["output-format"] == "grouped"
    assert settings["respect-gitignore"] is True and settings["exit-zero"] is False
    assert str(project / "pyproject.toml") in run.stdout.splitlines()[0]


# --- conventions: extend-select / extend-ignore, fixable / unfixable, config keys -------------
def test_extend_select_and_extend_ignore_add_to_the_configuration(project: Path) -> None:
    write(project, "pyproject.toml", '[tool.dagster-zenml-lint]\nselect = ["DZ101"]\nextend-ignore = ["DZ106"]\n')
    write(project, "ops.py", UNSAFE_ONLY)

    def codes(*args: str) -> set[str]:
        out = run_check(project, "-q", "--output-format", "concise", *args, "ops.py").stdout
        return {line.split()[1] for line in out.splitlines()}

    assert codes() == {"DZ101"}
    assert codes("--extend-select", "DZ304,DZ106") == {"DZ101", "DZ304"}  # DZ106 stays ignored
    assert codes("--select", "DZ1", "--extend-ignore", "DZ103") == {"DZ101", "DZ102"}
    write(project, "pyproject.toml", '[tool.dagster-zenml-lint]\nselect = ["DZ101"]\nextend-select = ["DZ102"]\n')
    assert codes() == {"DZ101", "DZ102"}


def test_unfixable_keeps_a_shared_fix_from_being_applied(project: Path) -> None:
    path = write(project, "jobs.py", COMPONENT)
    # the job's rule may not be fixed: the fix it shares with the ops is not applied either
    diff = run_check(project, "--diff", "--unfixable", "DZ102", "jobs.py")
    assert diff.returncode == 0 and diff.stdout == "" and diff.stderr == "No fixes available.\n"
    shown = run_check(project, "--show-fixes", "--fixable", "DZ104", "jobs.py").stdout
    assert "[*]" not in shown and "turned off by the `fixable` / `unfixable` settings" in shown
    write(project, "pyproject.toml", '[tool.dagster-zenml-lint]\nunfixable = ["DZ1"]\n')
    assert run_check(project, "--fix", "jobs.py").returncode == 1
    assert path.read_text(encoding="utf-8") == COMPONENT
    write(project, "pyproject.toml", '[tool.dagster-zenml-lint]\nfixable = ["DZ101", "DZ102"]\n')
    assert run_check(project, "--fix", "jobs.py").returncode == 0
    assert "@pipeline" in path.read_text(encoding="utf-8")


def test_output_format_and_exit_zero_are_configuration_keys(project: Path) -> None:
    write(project, "ops.py", UNSAFE_ONLY)
    write(project, "pyproject.toml", '[tool.dagster-zenml-lint]\noutput-format = "json"\nexit-zero = true\n')
    run = run_check(project, "ops.py")
    assert run.returncode == 0 and json.loads(run.stdout)
    assert run_check(project, "--output-format", "concise", "-q", "ops.py").stdout.startswith("ops.py:4:2: DZ101 ")
    write(project, "pyproject.toml", '[tool.dagster-zenml-lint]\noutput-format = "xml"\n')
    bad = run_check(project, "ops.py")
    assert bad.returncode == 2 and "output-format" in bad.stderr and "Traceback" not in bad.stderr


# --- conventions: output formats -------------------------------------------------------------
def test_concise_grouped_and_json_lines_formats(project: Path) -> None:
    write(project, "ops.py", UNSAFE_ONLY)
    records = json.loads(run_check(project, "--output-format", "json", "ops.py").stdout)
    concise = run_check(project, "--output-format", "concise", "ops.py").stdout.splitlines()
    assert concise[:-1] == [f"ops.py:{r['line']}:{r['col']}: {r['code']} {r['message']}" for r in records]
    grouped = run_check(project, "--output-format", "grouped", "ops.py").stdout.splitlines()
    assert grouped[0] == "ops.py:" and grouped[-2] == "" and grouped[-1].startswith("Found 6 findings")
    first = records[0]
    assert re.fullmatch(rf"  {first['line']}:{first['col']} +DZ101 \[INFO\] {re.escape(first['message'])}", grouped[1])
    width = len(grouped[1]) - len(grouped[1][2:].split(" ", 1)[1].lstrip()) - 2
    assert all(line[2 + width - 1] == " " and line[2 + width] == "D" for line in grouped[1:-2])  # codes aligned
    lines = run_check(project, "--output-format", "json-lines", "ops.py").stdout.splitlines()
    assert [json.loads(line) for line in lines] == records


def test_junit_format_is_xml_with_one_failure_per_finding(project: Path) -> None:
    import xml.etree.ElementTree as ET

    write(project, "ops.py", UNSAFE_ONLY)
    write(project, "clean.py", "import dagster\n")
    run = run_check(project, "--output-format", "junit", ".")
    root = ET.fromstring(run.stdout.encode())
    assert run.returncode == 1
    assert root.tag == "testsuites" and root.get("failures") == "6"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "ops.py"
    failures = [case.find("failure") for case in suite.findall("testcase")]
    assert all(f is not None and f.get("message") for f in failures) and len(failures) == 6
    clean = ET.fromstring(run_check(project, "--output-format", "junit", "clean.py").stdout.encode())
    assert clean.get("tests") == "1" and clean.get("failures") == "0" and clean.find("testsuite/testcase") is not None


def test_gitlab_format_is_a_code_quality_report(project: Path) -> None:
    write(project, "ops.py", UNSAFE_ONLY)
    issues = json.loads(run_check(project, "--output-format", "gitlab", "ops.py").stdout)
    assert len(issues) == 6
    assert len({i["fingerprint"] for i in issues}) == 6  # the two DZ304 findings stay apart
    sensor = next(i for i in issues if i["check_name"] == "DZ304")
    assert sensor["severity"] == "major" and sensor["location"] == {"path": "ops.py", "lines": {"begin": 14, "end": 14}}
    absolute = json.loads(run_check(project, "--output-format", "gitlab", str(project / "ops.py")).stdout)
    assert {i["location"]["path"] for i in absolute} == {"ops.py"}  # relative to the checkout, as GitLab expects
    again = json.loads(run_check(project, "--output-format", "gitlab", "ops.py").stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]  # stable across runs


# --- conventions: usage errors, empty trees, no rules ------------------------------------------
def test_an_unknown_flag_under_check_prints_the_check_usage(project: Path) -> None:
    run = run_check(project, "--frobnicate")
    assert run.returncode == 2
    assert run.stderr.startswith("usage: dagster-zenml-lint check ")
    assert run.stderr.rstrip().endswith("dagster-zenml-lint check: error: unrecognized arguments: --frobnicate")


def test_an_empty_tree_warns_that_no_python_files_were_found(project: Path) -> None:
    (project / "empty").mkdir()
    run = run_check(project, "empty")
    assert run.returncode == 0
    assert run.stderr == "warning: No Python files found under the given path(s)\n"


def test_ignore_all_does_not_claim_the_code_is_clean(project: Path) -> None:
    write(project, "ops.py", UNSAFE_ONLY)
    run = run_check(project, "--ignore", "ALL", "ops.py")
    assert run.returncode == 0
    assert "No Dagster patterns found" not in run.stdout
    assert run.stdout == "No rule enabled: nothing was looked for (1 file read).\n"
    assert "no rule is enabled" in run.stderr


# --- noise: --add-markers ---------------------------------------------------------------------
SENSORS = """\
import dagster as dg


@dg.sensor(job_name="nightly", minimum_interval_seconds=60)
def new_files(context):
    cursor = context.cursor or "0"
    if cursor == "0":
        return dg.SkipReason("nothing new")
    context.update_cursor("1")
    return dg.RunRequest(run_key="1")


@dg.asset
def orders() -> int:
    return 1
"""


def test_add_markers_puts_one_wrapped_marker_per_object_and_rule_above_the_decorator(project: Path) -> None:
    first = write(project, "sensors.py", SENSORS)
    second = write(project, "more/sensors.py", SENSORS)
    findings = json.loads(run_check(project, "--output-format", "json", "sensors.py").stdout)
    assert sum(r["code"] == "DZ304" for r in findings) >= 4  # the noise the markers must not repeat
    run = run_check(project, "--add-markers", ".")
    assert "Added 4 markers to 2 files." in run.stdout.splitlines()
    text = first.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert text.count("# TODO(migration): DZ304 dagster-sensor") == 1
    assert text.count("# Migration note: DZ201 dagster-asset") == 1
    sensor = lines.index('@dg.sensor(job_name="nightly", minimum_interval_seconds=60)')
    block = sensor
    while lines[block - 1].startswith("#"):
        block -= 1
    assert lines[block].startswith("# TODO(migration): DZ304 dagster-sensor \u2014 ")
    assert all(line.startswith("#   ") for line in lines[block + 1 : sensor])  # continuation lines
    assert max(len(line) for line in lines) <= 100
    body = lines[sensor : sensor + 7]  # the decorator, the def and its body
    assert not any(line.lstrip().startswith("#") for line in body)  # nothing between decorator and def, or inside
    assert second.read_text(encoding="utf-8") == text
    again = run_check(project, "--add-markers", ".")
    assert "Added" not in again.stdout and first.read_text(encoding="utf-8") == text


# --- conventions: unused noqa (DZ001) and --add-noqa ---------------------------------------
NOQA_SOURCE = """\
from dagster import asset, op


@asset  # noqa: DZ201
def orders() -> int:  # noqa: DZ301
    return 1


@op  # noqa: DZ101, E501, DZ999
def one() -> int:
    # noqa: DZ102
    return 1  # noqa: DZ101 -- kept for the reason


x = 1  # noqa
"""


def test_unused_noqa_is_reported_and_fixed(project: Path) -> None:
    path = write(project, "a.py", NOQA_SOURCE)
    run = run_check(project, "--output-format", "concise", "-q", "a.py")
    assert run.stdout.splitlines() == [
        "a.py:5:23: DZ001 unused `# noqa` directive (unused: DZ301)",
        "a.py:9:6: DZ001 unused `# noqa` directive (unknown: DZ999)",
        "a.py:11:5: DZ001 unused `# noqa` directive (unused: DZ102)",
        "a.py:12:15: DZ001 unused `# noqa` directive (unused: DZ101)",
    ]
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "DZ", "a.py"], cwd=project, capture_output=True, text=True
    )
    assert [line.split(":")[1] for line in flake8.stdout.splitlines()] == ["5", "9", "11", "12"]  # same findings
    fixed = run_check(project, "--fix", "a.py")
    assert fixed.returncode == 0, fixed.stdout
    text = path.read_text(encoding="utf-8")
    assert "def orders() -> int:\n" in text and "@op  # noqa: DZ101, E501\n" in text
    assert "    # noqa: DZ102\n" not in text and "    return 1  # -- kept for the reason\n" in text
    assert "@asset  # noqa: DZ201\n" in text and "x = 1  # noqa\n" in text  # used, and bare: kept
    compile(text, "a.py", "exec")  # still valid Python
    # a rule the selection leaves out cannot be judged: its directive is not reported
    write(project, "b.py", "from dagster import asset\n\n\n@asset  # noqa: DZ301\ndef orders():\n    return 1\n")
    assert "DZ001" not in run_check(project, "--select", "DZ0,DZ201", "b.py").stdout


def test_add_noqa_silences_every_current_finding(project: Path) -> None:
    source = (
        "from dagster import DailyPartitionsDefinition, asset, op\n\n"
        'X = """\ntext""" + str(DailyPartitionsDefinition(\n    start_date="2024-01-01"))\n\n\n'
        '@asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))  # noqa: E501\n'
        "def orders() -> int:  # a comment\n    return 1\n\n\n@op\ndef one() -> int:\n    return 1\n"
    )
    path = write(project, "b.py", source)
    run = run_check(project, "--add-noqa", ".")
    assert run.returncode == 0 and run.stdout == "Added 3 noqa directives.\n"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[3] == 'text""" + str(DailyPartitionsDefinition(  # noqa: DZ301'  # after the string, not inside
    assert lines[7].endswith("  # noqa: E501, DZ201, DZ301")
    assert lines[12] == "@op  # noqa: DZ101"
    after = run_check(project, ".")
    assert after.returncode == 0 and "No Dagster patterns found" in after.stdout
    assert run_check(project, "--add-noqa", ".").stdout == "Added 0 noqa directives.\n"
    refused = run_check(project, "--add-noqa", "--fix", ".")
    assert refused.returncode == 2 and "--add-noqa" in refused.stderr


def test_fixes_of_a_later_round_are_listed_at_their_original_lines(project: Path) -> None:
    source = (
        "import dagster as dg\n\n\n@dg.op\ndef one(context) -> int:\n"
        '    context.log.info("x")\n    return 1\n\n\n@dg.job\ndef my_job():\n    one()\n'
    )
    write(project, "m.py", source)
    # round 1 converts the log call (adding the logger lines at the top), round 2 the op and the job
    out = run_check(project, "--fix", "--unsafe-fixes", "--show-fixes", "m.py").stdout.splitlines()
    listing = [line for line in out if line.startswith("m.py:")]
    assert [line.split(" ", 2)[:2] for line in listing] == [["m.py:4:2:", "DZ101,DZ102"], ["m.py:6:5:", "DZ106"]]
    assert source.splitlines()[3] == "@dg.op" and source.splitlines()[5].startswith("    context.log")


def test_a_noqa_left_in_migrated_code_is_reported_and_removed(project: Path) -> None:
    # the file no longer names Dagster: the stale directive is what DZ001 is for
    path = write(
        project, "steps.py", "from zenml import step\n\n\n@step  # noqa: DZ101\ndef one() -> int:\n    return 1\n"
    )
    run = run_check(project, "steps.py")
    assert run.returncode == 1 and "steps.py:4:8: DZ001 [LOW] unused `# noqa` directive (unused: DZ101)" in run.stdout
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "DZ", "steps.py"], cwd=project, capture_output=True, text=True
    )
    assert flake8.stdout.startswith("steps.py:4:8: DZ001 ")
    assert run_check(project, "--fix", "steps.py").returncode == 0
    assert path.read_text(encoding="utf-8") == "from zenml import step\n\n\n@step\ndef one() -> int:\n    return 1\n"


def test_invalid_ignore_patterns_are_skipped_as_git_does(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo, ".gitignore", "!\n[z-a]\ngenerated/\nbad\\\n")
    write(repo, "generated/ops.py", COMPONENT)
    write(repo, "ops.py", COMPONENT)
    run = run_check(repo, "--show-files", ".")
    assert run.returncode == 0 and run.stdout == "ops.py\n", run.stderr
