"""Fixes that depend on other files: the engine records the need, a project index answers it.

The engine lints one text and never reads another file; a job calling an imported op,
or an op imported by a sibling job, gets a fix that *requires* an answer about the other
file. ``check`` answers from the summaries of the files it linted (each file summarised
once), and reads a file from disk only when the run did not include it.
"""

from __future__ import annotations

import ast
import os

import pytest

from dagster_zenml_lint.cli import main
from dagster_zenml_lint.engine import check_source_with_context
from dagster_zenml_lint.findings import Applicability, ImportedOpNeed, ImporterNeed
from dagster_zenml_lint.fixers.crossfile import ProjectIndex, check_with_fixes, settle_findings, summarize

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
    findings, _ = check_source_with_context(JOBS, str(jobs), with_fixes=True)
    fix = _fix_of(findings, "DZ102")
    assert fix.applicability is Applicability.SAFE
    assert fix.requires == (
        ImportedOpNeed("my_job", "load", "load", "ops", 0, str(jobs)),
        ImporterNeed("my_job", str(jobs), "job"),
    )
    ops_findings, _ = check_source_with_context(OPS, str(tmp_path / "ops.py"), with_fixes=True)
    assert _fix_of(ops_findings, "DZ101").requires == (ImporterNeed("load", str(tmp_path / "ops.py")),)


def test_settled_against_the_disk_when_no_index_is_given(tmp_path):
    (tmp_path / "ops.py").write_text(CONFIG_OPS)
    jobs = tmp_path / "jobs.py"
    jobs.write_text(JOBS)
    findings = check_with_fixes(JOBS, str(jobs))[0]
    job = next(f for f in findings if f.code == "DZ102")
    assert job.fix is None
    assert "op 'load' in ops cannot be converted" in job.fix_blocker
    missing = check_with_fixes(JOBS.replace("from ops", "from nowhere"), str(jobs))[0]
    fix = _fix_of(missing, "DZ102")
    assert fix.applicability is Applicability.UNSAFE and "was not found next to this file" in fix.description
    assert fix.requires == ()


def test_an_index_answers_from_summaries_without_reading_the_files(tmp_path):
    ops_path, jobs_path = str(tmp_path / "ops.py"), str(tmp_path / "jobs.py")
    index = ProjectIndex()
    for path, text in ((ops_path, CONFIG_OPS), (jobs_path, JOBS)):
        _, ctx = check_source_with_context(text, path, with_fixes=True)
        index.add(path, summarize(ctx))
    (tmp_path / "ops.py").write_text(OPS)  # the disk now disagrees with the summaries given
    open(jobs_path, "w").close()
    findings, _ = check_source_with_context(JOBS, jobs_path, with_fixes=True)
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
    findings = check_with_fixes(a, os.fspath(tmp_path / "a.py"))[0]
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


# ----------------------------------------------------------------------------- every importer counts
def _records(capsys, *args):
    capsys.readouterr()
    main(["check", "--output-format", "json", *map(str, args)])
    return __import__("json").loads(capsys.readouterr().out)


def _record(records, path_end, code):
    return next(r for r in records if r["path"].endswith(path_end) and r["code"] == code)


def test_a_job_used_by_a_schedule_in_another_file_is_not_converted(tmp_path, capsys):
    (tmp_path / "ops.py").write_text(OPS)
    (tmp_path / "jobs.py").write_text(JOBS)
    (tmp_path / "schedules.py").write_text(
        "from dagster import ScheduleDefinition\n\nfrom jobs import my_job\n\n"
        "nightly = ScheduleDefinition(job=my_job, cron_schedule='0 0 * * *')\n"
    )
    records = _records(capsys, tmp_path)
    job = _record(records, "jobs.py", "DZ102")
    assert job["fix"] is None
    assert "job 'my_job' is used as a Dagster job by schedules.py:5" in job["fix_blocker"]
    assert _record(records, "ops.py", "DZ101")["fix"] is None  # its job stays Dagster
    for flags in (["--fix"], ["--fix", "--unsafe-fixes"]):
        main(["check", *flags, str(tmp_path)])
        assert (tmp_path / "jobs.py").read_text() == JOBS and (tmp_path / "ops.py").read_text() == OPS


def test_a_test_calling_execute_in_process_on_an_imported_job_blocks_it(tmp_path, capsys):
    # corise week_1: tests/test_answer.py calls machine_learning_job.execute_in_process(...)
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "ops.py").write_text(OPS)
    (tmp_path / "project" / "jobs.py").write_text(JOBS.replace("from ops", "from project.ops"))
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_answer.py").write_text(
        "from project.jobs import my_job\n\n\ndef test_job():\n    assert my_job.execute_in_process().success\n"
    )
    job = _record(_records(capsys, tmp_path / "project"), "jobs.py", "DZ102")  # the test is not in the run
    assert "job 'my_job' is used as a Dagster job by tests/test_answer.py:5" in job["fix_blocker"]


def test_a_job_reached_through_a_package_re_export_and_a_module_attribute_is_found(tmp_path, capsys):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from .jobs import my_job\n")
    (package / "ops.py").write_text(OPS)
    (package / "jobs.py").write_text(JOBS.replace("from ops", "from .ops"))
    (tmp_path / "defs.py").write_text(
        "from dagster import Definitions\n\nfrom pkg import my_job\n\ndefs = Definitions(jobs=[my_job])\n"
    )
    (tmp_path / "sensors.py").write_text(
        "from dagster import sensor\n\nfrom pkg import jobs\n\n\n@sensor(job=jobs.my_job)\ndef s():\n    return None\n"
    )
    job = _record(_records(capsys, tmp_path), "jobs.py", "DZ102")
    assert "used as a Dagster job by defs.py:5" in job["fix_blocker"]
    assert "used as a Dagster job by sensors.py:6" in job["fix_blocker"]


def test_a_star_import_of_the_module_blocks_the_fix(tmp_path, capsys):
    (tmp_path / "ops.py").write_text(OPS)
    (tmp_path / "everything.py").write_text("from ops import *  # noqa: F403\n")
    op = _record(_records(capsys, tmp_path), "ops.py", "DZ101")
    assert op["fix"] is None and "everything.py:1, which imports * from its module" in op["fix_blocker"]


def test_an_op_called_directly_by_a_test_converts_only_unsafely(tmp_path, capsys):
    (tmp_path / "ops.py").write_text(OPS)
    (tmp_path / "test_ops.py").write_text("from ops import load\n\n\ndef test_load():\n    assert load() == 4\n")
    op = _record(_records(capsys, tmp_path), "ops.py", "DZ101")
    assert op["fix"]["applicability"] == "unsafe"
    assert "op 'load' is called directly by test_ops.py:5" in op["fix"]["description"]


def test_uses_of_a_job_or_an_op_in_its_own_file_that_dagster_reads_block_the_fix(tmp_path, capsys):
    source = (
        "from dagster import Definitions, ScheduleDefinition, job, op\n\n\n@op\ndef load() -> int:\n    return 4\n\n\n"
        "@job\ndef my_job():\n    load()\n\n\n"
        "nightly = ScheduleDefinition(job=my_job, cron_schedule='0 0 * * *')\ndefs = Definitions(jobs=[my_job])\n"
    )
    findings = check_with_fixes(source, str(tmp_path / "defs.py"))[0]
    job = next(f for f in findings if f.code == "DZ102")
    assert job.fix is None and "job 'my_job' is also used on line 15, where Dagster expects a job" in job.fix_blocker
    op_source = "from dagster import Definitions, op\n\n\n@op\ndef load() -> int:\n    return 4\n\n\nTARGETS = [load]\n"
    op = next(f for f in check_with_fixes(op_source, str(tmp_path / "o.py"))[0] if f.code == "DZ101")
    assert op.fix is None and "op 'load' is also used on line 9" in op.fix_blocker


# ----------------------------------------------------------------------------- Config -> pydantic
CONFIG = "from dagster import Config\n\n\nclass Settings(Config):\n    factor: int = 2\n"


def test_a_config_class_taken_by_an_op_that_stays_dagster_is_not_converted(tmp_path, capsys):
    taker = "\n\n@op(tags={'a': 'b'})\ndef scaled(config: Settings) -> int:\n    return config.factor\n"
    source = CONFIG.replace("import Config", "import Config, op") + taker
    found = next(f for f in check_with_fixes(source, str(tmp_path / "c.py"))[0] if f.code == "DZ105")
    assert found.fix is None and "op 'scaled' takes it and cannot be converted" in found.fix_blocker
    (tmp_path / "config.py").write_text(CONFIG)
    (tmp_path / "ops.py").write_text("from dagster import op\n\nfrom config import Settings\n" + taker)
    record = _record(_records(capsys, tmp_path), "config.py", "DZ105")
    assert record["fix"] is None and "op 'scaled' in ops.py:7 takes it and cannot be converted" in record["fix_blocker"]
    (tmp_path / "run.py").write_text("from config import Settings\n\nRUN = {'ops': {'scaled': Settings(factor=3)}}\n")
    (tmp_path / "ops.py").unlink()
    record = _record(_records(capsys, tmp_path), "config.py", "DZ105")
    assert "config class 'Settings' is used as a Dagster config class by run.py:3" in record["fix_blocker"]


def test_a_config_class_nothing_takes_converts_unsafely(tmp_path, capsys):
    (tmp_path / "config.py").write_text(CONFIG)
    record = _record(_records(capsys, tmp_path), "config.py", "DZ105")
    assert record["fix"]["applicability"] == "unsafe"


# ----------------------------------------------------------------------------- the reader never raises
def test_a_module_name_too_long_for_the_file_system_is_not_found_not_a_crash(tmp_path):
    long_import = JOBS.replace("from ops import", f"from {'a' * 300} import")
    findings = check_with_fixes(long_import, str(tmp_path / "jobs.py"))[0]
    fix = _fix_of(findings, "DZ102")
    assert fix.applicability is Applicability.UNSAFE and "was not found next to this file" in fix.description


def test_a_file_whose_analysis_died_is_unknown_and_never_read_again(tmp_path):
    from dagster_zenml_lint.config import Config
    from dagster_zenml_lint.discovery import DiscoveredFile, FileKind
    from dagster_zenml_lint.runner import FileResult, lint_file, settle_results
    from dagster_zenml_lint.source import decode_source

    (tmp_path / "ops.py").write_text(OPS)  # on disk a convertible op: reading it again would say "safe"
    (tmp_path / "jobs.py").write_text(JOBS)
    died = FileResult(
        path=str(tmp_path / "ops.py"),
        kind=FileKind.PYTHON,
        findings=(),
        source=decode_source(OPS.encode(), str(tmp_path / "ops.py")),
        error="internal error while analysing the file (OverflowError: ...)",
    )
    jobs = lint_file(DiscoveredFile(tmp_path / "jobs.py", FileKind.PYTHON), Config(), with_fixes=True, settle=False)
    settled, _ = settle_results([died, jobs])
    fix = _fix_of(settled[1].findings, "DZ102")
    assert fix.applicability is Applicability.UNSAFE and "which could not be read" in fix.description


def test_an_unparsable_file_naming_the_op_counts_as_an_obstacle(tmp_path, capsys):
    (tmp_path / "ops.py").write_text(OPS)
    (tmp_path / "broken.py").write_text("from ops import load\n\ndef f(:\n    load()\n")
    op = _record(_records(capsys, tmp_path), "ops.py", "DZ101")
    assert op["fix"] is None and "broken.py could not be searched for its importers" in op["fix_blocker"]
    (tmp_path / "broken.py").write_text("def f(:\n    pass\n")  # never spells the name: no obstacle
    assert _record(_records(capsys, tmp_path), "ops.py", "DZ101")["fix"]["applicability"] == "safe"


def test_summarising_a_file_never_raises(tmp_path, monkeypatch):
    from dagster_zenml_lint.fixers import crossfile

    def broken(ctx):
        raise OverflowError("cannot convert float infinity to integer")

    monkeypatch.setattr(crossfile, "import_uses", broken)  # a bug of ours on one file
    _, ctx = check_source_with_context(JOBS, str(tmp_path / "jobs.py"), with_fixes=False)
    assert summarize(ctx) is crossfile.UNREADABLE
    (tmp_path / "jobs.py").write_text(JOBS)
    assert ProjectIndex().summary(str(tmp_path / "jobs.py")) is crossfile.UNREADABLE


def test_a_project_package_named_like_a_dagster_integration_is_searched(tmp_path, capsys):
    # dagster-open-platform's own package is dagster_open_platform: its importers count
    package = tmp_path / "dagster_open_platform"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "ops.py").write_text(OPS)
    (package / "jobs.py").write_text(JOBS.replace("from ops", "from dagster_open_platform.ops"))
    (tmp_path / "defs.py").write_text(
        "from dagster import Definitions\n\nfrom dagster_open_platform.jobs import my_job\n\n"
        "defs = Definitions(jobs=[my_job])\n"
    )
    job = _record(_records(capsys, tmp_path), "jobs.py", "DZ102")
    assert job["fix"] is None and "used as a Dagster job by defs.py:5" in job["fix_blocker"]


def test_a_project_too_large_to_search_for_importers_gets_no_cross_file_fix(tmp_path, monkeypatch, capsys):
    from dagster_zenml_lint.fixers import crossfile

    monkeypatch.setattr(crossfile, "MAX_PROJECT_FILES", 3)
    (tmp_path / "ops.py").write_text(OPS)
    for index in range(4):
        (tmp_path / f"plain_{index}.py").write_text("x = 1\n")
    op = _record(_records(capsys, tmp_path), "ops.py", "DZ101")
    assert op["fix"] is None and "has more than 3 Python files to search for importers" in op["fix_blocker"]
    for index in range(4):
        (tmp_path / f"plain_{index}.py").unlink()
    assert _record(_records(capsys, tmp_path), "ops.py", "DZ101")["fix"]["applicability"] == "safe"


def test_an_op_imported_from_the_own_package_is_found_by_the_fixers(tmp_path):
    # regression: `from . import load` in pkg/jobs.py was "not found next to this file" (unsafe)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text(OPS)
    jobs = tmp_path / "pkg" / "jobs.py"
    text = JOBS.replace("from ops import load", "from . import load")
    jobs.write_text(text)
    fix = _fix_of(check_with_fixes(text, str(jobs))[0], "DZ102")
    assert fix.applicability is Applicability.SAFE, fix.description
    # a submodule of that name is a module, not the op
    (tmp_path / "pkg" / "load.py").write_text("x = 1\n")
    fix = _fix_of(check_with_fixes(text, str(jobs))[0], "DZ102")
    assert fix.applicability is Applicability.UNSAFE and "'load' is not a function defined in ." in fix.description


@pytest.mark.parametrize(
    "exports",
    [
        '__all__ = ["JOBS"]\n__all__.extend(["my_job"])\n',  # names it, by a statement the old reader skipped
        '__all__ = ["JOBS"] + ["my_job"]\n',  # not literal: it may name anything
    ],
)
def test_a_job_re_exported_by_a_module_whose_all_names_it_is_followed(tmp_path, capsys, exports):
    # registry.py reads my_job itself (JOBS) and is no package: only its __all__ makes it a re-export
    (tmp_path / "ops.py").write_text(OPS)
    (tmp_path / "jobs.py").write_text(JOBS)
    (tmp_path / "registry.py").write_text(f"from jobs import my_job\n\nJOBS = [my_job]\n{exports}")
    (tmp_path / "defs.py").write_text(
        "from dagster import Definitions\n\nfrom registry import my_job\n\ndefs = Definitions(jobs=[my_job])\n"
    )
    job = _record(_records(capsys, tmp_path), "jobs.py", "DZ102")
    assert job["fix"] is None
    assert "used as a Dagster job by defs.py:5" in job["fix_blocker"]
