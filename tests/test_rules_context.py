"""DZ219: a Dagster execution context used for anything but ``.log`` (reported on the ``def`` line)."""

from __future__ import annotations

from dagster_zenml_lint.engine import check_source


def test_logging_only_is_not_dz219(lint):
    text = (
        "from dagster import AssetExecutionContext, asset\n\n\n@asset\n"
        "def a(context: AssetExecutionContext) -> int:\n    context.log.info('x')\n    return 1\n"
    )
    assert lint(text).lines("DZ219") == set()


def test_run_id_is_reported_on_the_def_line_not_the_decorator(lint):
    text = (
        "import dagster as dg\n\n\n@dg.asset\n"
        "def a(context: dg.AssetExecutionContext) -> str:\n    return context.run_id\n"
    )
    assert lint(text).lines("DZ219") == {5}


def test_context_passed_to_a_helper_counts(lint):
    text = (
        "from dagster import op\n\n\ndef helper(c):\n    return c\n\n\n"
        "@op\ndef o(context) -> None:\n    helper(context)\n"
    )
    assert lint(text).lines("DZ219") == {9}


def test_unannotated_context_of_a_plain_function_is_not_dagster(lint):
    text = "import dagster\n\n\ndef helper(context):\n    return context.run_id\n"
    assert lint(text).lines("DZ219") == set()


def test_annotated_helper_is_reported(lint):
    text = (
        "from dagster import OpExecutionContext\n\n\ndef helper(ctx: OpExecutionContext) -> str:\n"
        "    return ctx.instance.get_latest_materialization_event('a')\n"
    )
    assert lint(text).lines("DZ219") == {4}


def test_annotation_alone_is_never_unmapped():
    text = (
        "from dagster import AssetCheckExecutionContext, AssetExecutionContext, OpExecutionContext\n\n\n"
        "def f(a: AssetExecutionContext, b: OpExecutionContext) -> None:\n    a.log.info('x')\n"
    )
    assert "DZ399" not in {f.code for f in check_source(text, "t.py")}


def test_sensor_context_is_not_an_execution_context(lint):
    text = (
        "from dagster import RunRequest, sensor\n\n\n@sensor(job_name='j')\n"
        "def s(context):\n    return RunRequest(run_key=context.cursor)\n"
    )
    assert lint(text).lines("DZ219") == set()
