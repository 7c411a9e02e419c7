"""A fix never leaves a name unbound or a call broken (issue 11 item 2, issue 16 items 3-5).

* the unused ``context`` parameter goes only when nothing else in the function refers to
  the name (store, ``del``, ``nonlocal``/``global``), when no call in the file passes it,
  and when no user decorator wraps the function (it may read ``args[0]``);
* ``context,`` alone on its line goes with its comma;
* an import that ``__all__`` names stays;
* every round of fixes must compile, not only parse;
* ``get_dagster_logger(name)`` becomes the same logger (``dagster.builtin.<name>``).
"""

from __future__ import annotations

import logging
import py_compile
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_process import run_check

from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.findings import Applicability, Edit, Finding, Fix
from dagster_zenml_lint.fixers.apply import DroppedFix, _apply_round, fix_text

ISSUE = textwrap.dedent(
    """\
    from dagster import op


    @op
    def a(context):
        del context
        return 1


    @op
    def b(context, x):
        def inner():
            nonlocal context
            context = None
        inner()
        return x
    """
)


def test_the_issue_file_is_left_compiling(tmp_path, lint):
    path = tmp_path / "d.py"
    path.write_text(ISSUE)
    result = run_check(tmp_path, "d.py", "--fix")
    assert "Traceback" not in result.stderr
    py_compile.compile(str(path), doraise=True)
    assert path.read_text() == ISSUE
    assert lint(ISSUE, "m.py", with_fixes=True).blockers("DZ101") == [
        "op 'a': its unused 'context' parameter cannot be removed: 'context' is deleted on line 6",
        "op 'b': its unused 'context' parameter cannot be removed: 'context' is declared nonlocal on line 13",
    ]


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("    context = 5\n    return context\n", "'context' is assigned on line 6"),
        ("    for context in range(2):\n        pass\n    return 1\n", "'context' is assigned on line 6"),
        ("    try:\n        pass\n    except Exception as context:\n        pass\n    return 1\n", "except clause"),
        ("    import context\n    return 1\n", "'context' is imported on line 6"),
        ("    def context():\n        return 1\n    return 1\n", "'context' is redefined on line 6"),
    ],
)
def test_every_binding_of_the_name_keeps_the_parameter(body, why, lint):
    text = f"from dagster import op\n\n\n@op\ndef a(context):\n{body}"
    assert why in lint(text, "m.py", with_fixes=True).blockers("DZ101")[0]
    assert fix_text(text, "m.py", unsafe=True).text == text


CALLED = textwrap.dedent(
    """\
    from dagster import build_op_context, op


    @op
    def a(context):
        return 1


    @op
    def b(context, x):
        return x


    def test_ops():
        assert a(build_op_context()) == 1
        assert b(None, 5) == 5
    """
)


def test_an_op_called_with_its_context_in_the_file_keeps_it_and_still_runs(tmp_path, lint):
    assert lint(CALLED, "m.py", with_fixes=True).blockers("DZ101") == [
        "op 'a': its unused 'context' parameter cannot be removed: 'a' is called with its context on line 15 "
        "(removing the parameter would break that call)",
        "op 'b': its unused 'context' parameter cannot be removed: 'b' is called with its context on line 16 "
        "(removing the parameter would break that call)",
    ]
    (tmp_path / "called.py").write_text(CALLED)
    run_check(tmp_path, "called.py", "--fix", "--unsafe-fixes")
    ran = subprocess.run(
        [sys.executable, "-c", "import called; called.test_ops()"], cwd=tmp_path, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr


def test_calls_that_wire_ops_in_a_job_do_not_keep_the_context():
    text = textwrap.dedent(
        """\
        from dagster import job, op


        @op
        def one(context):
            return 1


        @op
        def add(context, x):
            return x + 1


        @job
        def j():
            add(one())
        """
    )
    fixed = fix_text(text, "m.py").text
    assert "def one():" in fixed and "def add(x):" in fixed and "@pipeline" in fixed
    compile(fixed, "m.py", "exec")


def test_a_call_without_the_context_does_not_keep_it():
    text = "from dagster import op\n\n\n@op\ndef a(context, x=1):\n    return x\n\n\nVALUE = a(x=2)\n"
    findings = check_source(text, "m.py", with_fixes=True)
    assert next(f for f in findings if f.code == "DZ101").fix is not None


# --- issue 16 item 3: a user decorator may read the context -------------------------------
WRAPPED = textwrap.dedent(
    """\
    import functools

    from dagster import op


    def capture_op_exceptions(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            context = args[0]
            context.log.info("starting")
            return fn(*args, **kwargs)

        return wrapper


    @op
    @capture_op_exceptions
    def load(context):
        context.log.info("loading")
        return 1
    """
)


def test_a_function_under_a_user_decorator_keeps_its_context():
    findings = check_source(WRAPPED, "m.py", with_fixes=True)
    log = next(f for f in findings if f.code == "DZ106")
    assert log.fix is not None and log.fix.applicability is Applicability.UNSAFE
    assert (
        "the 'context' parameter stays: 'load' is also wrapped by @capture_op_exceptions, which may read its "
        "arguments (the context first)" in log.fix.description
    )
    fixed = fix_text(WRAPPED, "m.py", unsafe=True).text
    assert "def load(context):" in fixed and 'logger.info("loading")' in fixed
    namespace: dict[str, object] = {}
    exec(compile(fixed, "m.py", "exec"), namespace)  # the op still builds under Dagster
    from dagster import build_op_context

    assert namespace["load"](build_op_context()) == 1  # type: ignore[operator]


# --- issue 16 item 4: ``context,`` alone on its line ---------------------------------------
def test_a_context_alone_on_its_line_goes_with_its_comma(tmp_path):
    text = "from dagster import op\n\n\n@op\ndef f(\n    context,\n):\n    return 1\n"
    (tmp_path / "m.py").write_text(text)
    result = run_check(tmp_path, "m.py", "--fix")
    assert "fix not applied" not in result.stderr, result.stderr
    fixed = (tmp_path / "m.py").read_text()
    assert fixed == "from zenml import step\n\n\n@step\ndef f(\n):\n    return 1\n"
    py_compile.compile(str(tmp_path / "m.py"), doraise=True)


@pytest.mark.parametrize(
    ("signature", "expected"),
    [
        ("(context)", "()"),
        ("(context,)", "()"),
        ("(context , )", "()"),
        ("(\n    context,  # the Dagster context\n)", "(\n      # the Dagster context\n)"),
    ],
)
def test_the_only_parameter_is_removed_cleanly(signature, expected):
    text = f"from dagster import op\n\n\n@op\ndef f{signature}:\n    return 1\n"
    fixed = fix_text(text, "m.py").text
    assert fixed == f"from zenml import step\n\n\n@step\ndef f{expected}:\n    return 1\n"


# --- __all__ --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "exports", ['__all__ = ["op", "a"]', '__all__ = ("op",)', '__all__ = []\n__all__ += ["op"]', "__all__ = names()"]
)
def test_an_import_that_all_names_stays(tmp_path, exports):
    text = f"from dagster import op\n\n{exports}\n\n\n@op\ndef a():\n    return 1\n"
    fixed = fix_text(text, "m.py").text
    assert "@step" in fixed
    assert fixed.startswith("from dagster import op\n")
    compile(fixed, "m.py", "exec")


def test_an_import_that_all_does_not_name_still_goes():
    text = 'from dagster import job, op\n\n__all__ = ["a"]\n\n\n@op\ndef a():\n    return 1\n'
    fixed = fix_text(text, "m.py").text
    assert "dagster" not in fixed


def test_the_unused_import_fix_keeps_what_all_names():
    text = 'from dagster import op\n\n__all__ = ["op"]\n'
    findings = check_source(text, "m.py", with_fixes=True)
    assert all(f.fix is None for f in findings)


# --- the guard after each round compiles -----------------------------------------------------
def test_a_round_whose_result_parses_but_does_not_compile_is_dropped():
    text = "def f():\n    x = 1\n\n    def g():\n        return 1\n"
    # the fix turns the inner ``return 1`` into a nonlocal of a name nothing binds
    start = text.index("return 1")
    fix = Fix(
        edits=(Edit(start, start + len("return 1"), "nonlocal y"),), applicability=Applicability.SAFE, description="d"
    )
    finding = Finding("DZ101", 5, 8, "m", fix=fix)
    dropped: list[DroppedFix] = []
    new_text, applied, _ = _apply_round(text, [finding], dropped)
    assert new_text == text and applied == []
    assert (
        dropped[0].reason
        == "the fix would produce code that does not compile (line 5: no binding for nonlocal 'y' found)"
    )


def test_a_file_that_does_not_compile_to_begin_with_is_still_fixed():
    text = "from dagster import op\n\n\n@op\ndef a():\n    return 1\n\n\ndef g(x):\n    global x\n"
    fixed = fix_text(text, "m.py").text
    assert "@step" in fixed


# --- issue 16 item 5: the logger keeps its name -----------------------------------------------
@pytest.mark.parametrize(
    ("call", "name"),
    [
        ("get_dagster_logger()", "dagster.builtin"),
        ("get_dagster_logger('sentry')", "dagster.builtin.sentry"),
        ('get_dagster_logger(name="a.b")', "dagster.builtin.a.b"),
        ('get_dagster_logger("")', "dagster.builtin"),
        ("get_dagster_logger(None)", "dagster.builtin"),
        ('get_dagster_logger("it\'s")', "dagster.builtin.it's"),
    ],
)
def test_the_logger_keeps_the_name_dagster_gives_it(call, name):
    import dagster

    text = f"from dagster import get_dagster_logger\n\nlogger = {call}\n"
    before: dict[str, logging.Logger] = {}
    exec(compile(text, "m.py", "exec"), before)
    fixed = fix_text(text, "m.py").text
    assert "dagster" not in fixed.replace(f"{name!r}", "").replace(f'"{name}"', "")
    after: dict[str, logging.Logger] = {}
    exec(compile(fixed, "m.py", "exec"), after)
    assert before["logger"].name == after["logger"].name == name
    assert before["logger"] is after["logger"]
    assert dagster.get_dagster_logger("sentry").name == "dagster.builtin.sentry"


def test_a_computed_logger_name_is_an_unsafe_fix():
    text = "from dagster import get_dagster_logger\n\nNAME = 'x'\nlogger = get_dagster_logger(NAME)\n"
    finding = next(f for f in check_source(text, "m.py", with_fixes=True) if f.code == "DZ108")
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert "it is now named NAME" in (finding.fix_blocker or "")


def test_the_issue_commands_exist(tmp_path: Path):
    """The CLI check of the issue file exits like a check (findings, no fix applied)."""
    (tmp_path / "d.py").write_text(ISSUE)
    assert run_check(tmp_path, "d.py").returncode == 1
