"""Ops and jobs made by calling ``op``/``job`` (a decorator applied by hand) under ``check --fix``.

``load = op(_load)`` gets the rewrite ``@op`` on ``_load`` would get: ``op`` becomes ``step``
in the call, the keywords of ``op(...)`` map as the decorator's do, the wrapped function's
signature gets the decorator's edits, and the op, the jobs calling it and the other files
using it are one fix (issue 12 item 3). A shape whose meaning is not the decorator's keeps
a blocker naming the call.
"""

from __future__ import annotations

import ast
import json

import pytest

from dagster_zenml_lint.cli import main
from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.fixers.apply import fix_text

SOURCE = """\
import dagster as dg
from dagster import RetryPolicy, job, op


def _load(context) -> int:
    return 1


def _double(x: int):
    return 2 * x


load = op(_load)
double = dg.op(name="twice", out=dg.Out(int), retry_policy=RetryPolicy(max_retries=2))(_double)


def _wire():
    double(load())


my_job = job(_wire)

if __name__ == "__main__":
    my_job.execute_in_process()
"""

FIXED = """\
from zenml import pipeline, step
from zenml.config import StepRetryConfig


def _load() -> int:
    return 1


def _double(x: int) -> int:
    return 2 * x


load = step(_load)
double = step(name="twice", retry=StepRetryConfig(max_retries=2))(_double)


def _wire():
    double(load())


my_job = pipeline(_wire)

if __name__ == "__main__":
    my_job()
"""


def _findings(text, code):
    return [f for f in check_source(text, "m.py", with_fixes=True) if f.code == code]


def test_call_forms_get_the_decorator_rewrite():
    result = fix_text(SOURCE, "m.py")
    assert result.text == FIXED
    compile(result.text, "m.py", "exec")
    assert fix_text(result.text, "m.py").text == result.text  # a second run changes nothing


def test_every_finding_of_the_component_carries_the_one_safe_fix():
    findings = [f for f in check_source(SOURCE, "m.py", with_fixes=True) if f.code in ("DZ101", "DZ102", "DZ107")]
    assert [(f.code, f.line) for f in findings] == [("DZ101", 13), ("DZ101", 14), ("DZ102", 21), ("DZ107", 24)]
    fixes = {id(f.fix) for f in findings}
    assert len(fixes) == 1 and findings[0].fix is not None
    assert findings[0].fix.applicability.value == "safe"
    assert "op 'load', op 'double' and job 'my_job'" in findings[0].fix.description


def test_the_context_of_a_wrapped_function_is_a_dagster_context():
    # without the call form, 'context' would be an ordinary parameter: ZenML would take it as an input
    text = SOURCE.replace("    return 1\n", "    context.log.info('x')\n    return 1\n", 1)
    assert _findings(text, "DZ106")  # context.log is found in the wrapped function
    op_finding = next(f for f in _findings(text, "DZ101") if f.line == 14)
    assert op_finding.fix is None
    assert "op 'load': it uses the Dagster context (context.log.info" in op_finding.fix_blocker


def test_a_wrapped_function_also_called_as_itself_keeps_its_context_parameter():
    called = SOURCE + "\n\ndef helper():\n    return _load(None)\n"
    finding = next(f for f in _findings(called, "DZ101") if f.line == 13)
    assert finding.fix is None
    assert "'_load' is called with its context on line 28" in finding.fix_blocker
    handed_on = SOURCE + "\nLOADERS = {'load': _load}\n"
    finding = next(f for f in _findings(handed_on, "DZ101") if f.line == 13)
    assert finding.fix is None
    assert "'_load' is also used on line 26, where it stays a plain function" in finding.fix_blocker
    assert fix_text(handed_on, "m.py", unsafe=True).text == handed_on


@pytest.mark.parametrize(
    ("source", "blocker"),
    [
        (
            "def _f() -> int:\n    return 1\n\n\na = op(_f)\nb = op(name='x')(_f)\n",
            "'op(_f)' applies @op by hand in a form that is not rewritten: '_f' is wrapped by more than one",
        ),
        (
            "def _f() -> int:\n    return 1\n\n\na = op(_f, name='x')\n",
            "Dagster ignores keywords given together with the function",
        ),
        (
            "def _f() -> int:\n    return 1\n\n\nops = [op(_f)]\n",
            "only 'name = op(fn)' at module level is rewritten",
        ),
        (
            "from helpers import _f\n\na = op(_f)\n",
            "'_f' is not a function defined at module level in this file",
        ),
        (
            "import functools\n\n\n@functools.cache\ndef _f() -> int:\n    return 1\n\n\na = op(_f)\n",
            "'_f' has decorators",
        ),
        (
            "def _f() -> int:\n    return 1\n\n\na = op(_f)\na = 2\n",
            "'a' is bound more than once in the module",
        ),
    ],
)
def test_shapes_that_are_not_the_decorator_keep_a_blocker_naming_the_call(source, blocker):
    text = "from dagster import op\n" + source
    findings = _findings(text, "DZ101")
    assert findings and all(f.fix is None for f in findings)
    assert any(blocker in f.fix_blocker for f in findings), [f.fix_blocker for f in findings]
    assert fix_text(text, "m.py", unsafe=True).text == text


def test_a_call_form_op_used_where_dagster_expects_an_op_is_not_converted():
    text = SOURCE + "\ndefs = dg.Definitions(jobs=[my_job])\n"
    job = next(iter(_findings(text, "DZ102")))
    assert job.fix is None
    assert "job 'my_job' is also used on line 26, where Dagster expects a job" in job.fix_blocker
    assert fix_text(text, "m.py", unsafe=True).text == text


# ----------------------------------------------------------------------------- other files of the project
OPS = "from dagster import op\n\n\ndef _load() -> int:\n    return 4\n\n\nload = op(_load)\n"
JOBS = "from dagster import job\n\nfrom ops import load\n\n\ndef _wire():\n    load()\n\n\nmy_job = job(_wire)\n"


def _records(capsys, *args):
    capsys.readouterr()
    main(["check", "--output-format", "json", *map(str, args)])
    return json.loads(capsys.readouterr().out)


def test_a_call_form_job_and_the_call_form_op_it_imports_convert_together(tmp_path):
    (tmp_path / "ops.py").write_text(OPS)
    (tmp_path / "jobs.py").write_text(JOBS)
    assert main(["check", "--fix", str(tmp_path)]) == 0
    assert (tmp_path / "ops.py").read_text() == OPS.replace("dagster import op", "zenml import step").replace(
        "op(_load)", "step(_load)"
    )
    assert (tmp_path / "jobs.py").read_text() == JOBS.replace("dagster import job", "zenml import pipeline").replace(
        "job(_wire)", "pipeline(_wire)"
    )


def test_a_job_calling_a_step_made_by_a_call_form_converts_safely(tmp_path, capsys):
    (tmp_path / "ops.py").write_text(
        "from zenml import step\n\n\ndef _load() -> int:\n    return 4\n\n\nload = step(_load)\n"
    )
    (tmp_path / "jobs.py").write_text(JOBS)
    records = _records(capsys, tmp_path)
    job = next(r for r in records if r["code"] == "DZ102")
    assert job["fix"] is not None and job["fix"]["applicability"] == "safe", job


def test_a_call_form_op_used_as_a_dagster_object_by_another_module_is_refused_with_file_and_line(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "ops.py").write_text(OPS)
    (tmp_path / "jobs.py").write_text(JOBS)
    (tmp_path / "defs.py").write_text(
        "from dagster import Definitions\n\nfrom ops import load\n\ndefs = Definitions(assets=[load])\n"
    )
    records = _records(capsys, tmp_path)
    op_record = next(r for r in records if r["path"].endswith("ops.py") and r["code"] == "DZ101")
    assert op_record["fix"] is None
    assert "op 'load' is used as a Dagster op by defs.py:5" in op_record["fix_blocker"]
    job_record = next(r for r in records if r["path"].endswith("jobs.py") and r["code"] == "DZ102")
    assert job_record["fix"] is None  # it calls an op that stays Dagster
    for flags in (["--fix"], ["--fix", "--unsafe-fixes"]):
        main(["check", *flags, str(tmp_path)])
        assert (tmp_path / "ops.py").read_text() == OPS and (tmp_path / "jobs.py").read_text() == JOBS
    ast.parse((tmp_path / "defs.py").read_text())


# ----------------------------------------------------------------------------- migrate: the decorator form
def _decorator_form(text):
    from dagster_zenml_lint.analysis.walk import analyze
    from dagster_zenml_lint.scaffold.sources import decorator_form_text

    return decorator_form_text(text, analyze("m.py", text, ast.parse(text)))


def test_migrate_reads_call_forms_in_their_decorator_form_keeping_dagster_names_and_line_numbers():
    decorated = _decorator_form(SOURCE)
    assert decorated == SOURCE.replace("\n\ndef _load(context)", "\n@op(name='_load')\ndef load(context)").replace(
        "\n\ndef _double(x: int)",
        '\n@dg.op(name="twice", out=dg.Out(int), retry_policy=RetryPolicy(max_retries=2))\ndef double(x: int)',
    ).replace(
        SOURCE[SOURCE.index("load = op(") : SOURCE.index("(_double)") + len("(_double)")],
        "\n",
    ).replace("\n\ndef _wire():", "\n@job(name='_wire')\ndef my_job():").replace("my_job = job(_wire)", "")
    assert decorated.count("\n") == SOURCE.count("\n")  # every other line keeps its number
    compile(decorated, "m.py", "exec")


def test_a_keyword_call_without_a_name_gets_the_functions_name_and_assets_convert_too():
    text = (
        "from dagster import RetryPolicy, asset, op\n\n\ndef _f() -> int:\n    return 1\n"
        "def _g() -> int:\n    return 2\n\n\n"
        "f = op(retry_policy=RetryPolicy(max_retries=1))(_f)\ng = asset(_g)\n"
    )
    decorated = _decorator_form(text)
    assert "@op(name='_f', retry_policy=RetryPolicy(max_retries=1))\ndef f() -> int:" in decorated
    assert "@asset(name='_g')\ndef g() -> int:" in decorated  # no blank line above `def _g`: one inserted
    assert "(_f)" not in decorated and "(_g)" not in decorated


def test_a_wrapped_function_used_elsewhere_keeps_its_call_form_in_migrate():
    assert _decorator_form(SOURCE + "\nLOADERS = {'load': _load}\n").count("load = op(_load)") == 1
    assert _decorator_form("from dagster import op\n\n\ndef _f():\n    return 1\n\n\nf = op(_f, name='x')\n") is None


def test_migrate_turns_call_form_ops_jobs_and_assets_into_steps_and_pipelines(tmp_path):
    from dagster_zenml_lint.scaffold import generate_project

    (tmp_path / "ops.py").write_text(OPS)
    (tmp_path / "jobs.py").write_text(JOBS)
    (tmp_path / "assets.py").write_text(
        "from dagster import asset\n\n\ndef letters() -> list:\n    return ['b', 'a']\n\n\n"
        "letters_asset = asset(letters)\n"
    )
    files = generate_project([tmp_path]).files
    step = files["steps/load.py"]
    # Dagster named the op after the function; no inputs: never cached, as for a decorated op
    assert '@step(name="_load", enable_cache=False)\ndef load() -> int:' in step
    assert 'def letters_asset() -> Annotated[list, "letters"]:' in files["steps/letters_asset.py"]
    pipeline = next(text for path, text in files.items() if path.startswith("pipelines/") and "load()" in text)
    assert "from steps.load import load" in pipeline


def test_the_project_model_sees_call_forms_under_their_assigned_names():
    from dagster_zenml_lint.analysis.walk import analyze
    from dagster_zenml_lint.project.extract import extract_file_facts

    text = OPS + "\n\ndef letters() -> list:\n    return ['b']\n\n\nletters_asset = asset(letters)\n"
    text = text.replace("import op", "import asset, op")
    facts = extract_file_facts(analyze("m.py", text, ast.parse(text)), "m.py", "m")
    assert [(o.function, o.name, o.location.line) for o in facts.ops] == [("load", "_load", 8)]
    assert [(a.function, a.keys) for a in facts.assets] == [("letters_asset", ("letters",))]


def test_a_comment_after_the_call_form_follows_it_to_the_decorator():
    # a suppression comment must still sit on the line of the finding it silences
    text = "from dagster import op\n\n\ndef _f() -> int:\n    return 1\n\n\nf = op(_f)  # noqa: DZ101\n"
    decorated = _decorator_form(text)
    assert decorated == "from dagster import op\n\n@op(name='_f')  # noqa: DZ101\ndef f() -> int:\n    return 1\n\n\n\n"


def test_a_call_form_finding_names_the_call_and_the_name_it_is_assigned_to():
    messages = {(f.code, f.line): f.message for f in check_source(SOURCE, "m.py") if f.code in ("DZ101", "DZ102")}
    assert messages[("DZ101", 13)] == "op(_load) assigned to 'load': becomes a ZenML @step"
    assert messages[("DZ101", 14)] == "dg.op(...) assigned to 'double': becomes a ZenML @step"  # too long to show
    assert messages[("DZ102", 21)] == "job(_wire) assigned to 'my_job': becomes a ZenML @pipeline"


def test_an_op_called_by_a_graph_made_by_hand_stays_dagster():
    # Dagster composes the graph when the module is imported: handed a ZenML step, it fails
    text = (
        "from dagster import graph, op\n\n\n@op\ndef load() -> int:\n    return 1\n\n\n"
        "def _twice():\n    return load()\n\n\ntwice = graph(_twice)\n"
    )
    finding = next(iter(_findings(text, "DZ101")))
    assert finding.fix is None
    assert "op 'load' is used by @graph 'twice' (line 10), which stays Dagster" in finding.fix_blocker
    assert fix_text(text, "m.py", unsafe=True).text == text
