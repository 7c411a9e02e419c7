"""Fixes that depend on other files: the engine records the need, a project index answers it.

The engine lints one text and never reads another file; a job calling an imported op,
or an op imported by a sibling job, gets a fix that *requires* an answer about the other
file. ``check`` answers from the summaries of the files it linted (each file summarised
once), and reads a file from disk only when the run did not include it.
"""

from __future__ import annotations

import ast
import os

from dagster_zenml_lint.cli import main
from dagster_zenml_lint.engine import check_source, check_source_with_context
from dagster_zenml_lint.findings import Applicability, ImportedOpNeed, ImporterNeed
from dagster_zenml_lint.fixers.crossfile import ProjectIndex, settle_findings, summarize

OPS = "from dagster import op\n\n\n@op\ndef load() -> int:\n    return 4\n"
CONFIG_OPS = (
    "from dagster import op\n\n\n@op(config_schema={'n': int})\ndef load(context) -> int:\n"
    "    return context.op_config['n']\n"
)
JOBS = "from dagster import job\n\nfrom ops import load\n\n\n@job\ndef my_job():\n    load()\n"
BLOCKED_JOBS = (
    "from dagster import job\n\nfrom ops import load\n\n\n@job(resource_defs={})\ndef my_job():\n    load()\n"
)


def _fix_of(findings, code):
    return next(f for f in findings if f.code == code).fix


def test_the_engine_records_needs_and_reads_no_other_file(tmp_path):
    jobs = tmp_path / "jobs.py"  # neither file exists: an engine that read them would say "not found"
    findings, _ = check_source_with_context(JOBS, str(jobs), with_fixes=True, settle=False)
    fix = _fix_of(findings, "DZ102")
    assert fix.applicability is Applicability.SAFE
    assert fix.requires == (
        ImportedOpNeed("my_job", "load", "load", "ops", 0, str(jobs)),
        ImporterNeed("my_job", str(jobs), "job"),
    )
    ops_findings, _ = check_source_with_context(OPS, str(tmp_path / "ops.py"), with_fixes=True, settle=False)
    assert _fix_of(ops_findings, "DZ101").requires == (ImporterNeed("load", str(tmp_path / "ops.py")),)


def test_settled_against_the_disk_when_no_index_is_given(tmp_path):
    (tmp_path / "ops.py").write_text(CONFIG_OPS)
    jobs = tmp_path / "jobs.py"
    jobs.write_text(JOBS)
    findings = check_source(JOBS, str(jobs), with_fixes=True)
    job = next(f for f in findings if f.code == "DZ102")
    assert job.fix is None
    assert "op 'load' in ops cannot be converted" in job.fix_blocker
    missing = check_source(JOBS.replace("from ops", "from nowhere"), str(jobs), with_fixes=True)
    fix = _fix_of(missing, "DZ102")
    assert fix.applicability is Applicability.UNSAFE and "was not found next to this file" in fix.description
    assert fix.requires == ()


def test_an_index_answers_from_summaries_without_reading_the_files(tmp_path):
    ops_path, jobs_path = str(tmp_path / "ops.py"), str(tmp_path / "jobs.py")
    index = ProjectIndex()
    for path, text in ((ops_path, CONFIG_OPS), (jobs_path, JOBS)):
        _, ctx = check_source_with_context(text, path, with_fixes=True, settle=False)
        index.add(path, summarize(ctx))
    (tmp_path / "ops.py").write_text(OPS)  # the disk now disagrees with the summaries given
    open(jobs_path, "w").close()
    findings, _ = check_source_with_context(JOBS, jobs_path, with_fixes=True, settle=False)
    settled = settle_findings(findings, index)
    assert _fix_of(settled, "DZ102") is None  # answered from the summary of CONFIG_OPS, not from OPS on disk


def test_an_op_imported_by_a_job_that_stays_dagster_is_not_converted(tmp_path, capsys):
    # a Dagster job calling a ZenML step fails when its module is imported: no fix, even unsafe
    (tmp_path / "ops.py").write_text(OPS)
    (tmp_path / "jobs.py").write_text(BLOCKED_JOBS)
    for target in (str(tmp_path), str(tmp_path / "ops.py")):  # the whole run, or pre-commit's one file
        main(["check", "--output-format", "json", target])
        records = [r for r in __import__("json").loads(capsys.readouterr().out) if r["code"] == "DZ101"]
        assert records and records[0]["fix"] is None
        assert "job 'my_job' in jobs.py:8 calls it and cannot be converted" in records[0]["fix_blocker"]


def test_an_op_imported_by_a_job_that_converts_only_unsafely_converts_only_unsafely(tmp_path, capsys):
    (tmp_path / "ops.py").write_text(OPS)
    (tmp_path / "jobs.py").write_text(JOBS.replace("@job\n", "@job(description='d')\n"))
    main(["check", "--output-format", "json", str(tmp_path)])
    records = [r for r in __import__("json").loads(capsys.readouterr().out) if r["code"] == "DZ101"]
    assert records and records[0]["fix"]["applicability"] == "unsafe"
    assert "job 'my_job' in jobs.py:8 calls it and cannot be converted safely" in records[0]["fix"]["description"]


def test_a_job_and_the_op_it_imports_convert_together_in_one_run(tmp_path, capsys):
    (tmp_path / "ops.py").write_text(OPS)
    (tmp_path / "jobs.py").write_text(JOBS)
    assert main(["check", "--fix", str(tmp_path)]) == 0
    assert "@pipeline" in (tmp_path / "jobs.py").read_text()
    assert "@step" in (tmp_path / "ops.py").read_text()
    ast.parse((tmp_path / "jobs.py").read_text())


def test_modules_importing_each_other_convert_together_and_the_answer_ends(tmp_path):
    # a's job calls b's op, whose component (b's job) calls a's op: the answer needs a again
    a = (
        "from dagster import job, op\n\nfrom b import other\n\n\n@op\ndef mine() -> int:\n    return 1\n\n\n"
        "@job\ndef ja():\n    other()\n"
    )
    b = (
        "from dagster import job, op\n\nfrom a import mine\n\n\n@op\ndef other() -> int:\n    return 2\n\n\n"
        "@job\ndef jb():\n    other()\n    mine()\n"
    )
    (tmp_path / "a.py").write_text(a)
    (tmp_path / "b.py").write_text(b)
    findings = check_source(a, os.fspath(tmp_path / "a.py"), with_fixes=True)
    fix = next(f for f in findings if f.code == "DZ102").fix
    assert fix is not None and fix.applicability is Applicability.SAFE  # each one's answer holds for the other


def test_the_report_answers_from_the_project_root_whatever_the_working_directory(tmp_path, monkeypatch):
    from dagster_zenml_lint.project.model import build_project

    project = tmp_path / "project"
    project.mkdir()
    (project / "ops.py").write_text(OPS)
    (project / "jobs.py").write_text(JOBS)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    model = build_project([project])
    jobs = next(r for r in model.results if r.path.endswith("jobs.py"))
    fix = _fix_of(jobs.findings, "DZ102")
    assert fix is not None and fix.applicability is Applicability.SAFE, fix


def test_a_job_calling_an_op_already_migrated_to_a_zenml_step_converts_safely(tmp_path, capsys):
    # a half-migrated project: ops.py no longer mentions Dagster at all
    (tmp_path / "ops.py").write_text("from zenml import step\n\n\n@step\ndef load() -> int:\n    return 4\n")
    (tmp_path / "jobs.py").write_text(JOBS)
    main(["check", "--output-format", "json", str(tmp_path)])
    records = [r for r in __import__("json").loads(capsys.readouterr().out) if r["code"] == "DZ102"]
    assert records and records[0]["fix"]["applicability"] == "safe", records[0]
