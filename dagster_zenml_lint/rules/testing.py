"""DZ107: tests that run Dagster's execution machinery (``execute_in_process``, ``materialize``, context builders)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from dagster_zenml_lint.analysis.facts import FileContext, Match
from dagster_zenml_lint.registry import Rule, ScaffoldHandling, clean, flagged, lazy_fixer
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import DIRECT, LOW

TEST_HELPERS = (
    "materialize",
    "materialize_to_memory",
    "execute_job",
    "instance_for_test",
    "environ",
    "build_op_context",
    "build_asset_context",
    "build_asset_check_context",
    "build_init_resource_context",
    "build_input_context",
    "build_output_context",
    "build_sensor_context",
    "build_multi_asset_sensor_context",
    "build_run_status_sensor_context",
    "build_schedule_context",
)
# Methods only Dagster's in-process execution API has: the receiver need not be resolved.
UNAMBIGUOUS_METHODS = ("execute_in_process",)
RESULT_METHODS = ("output_for_node", "output_value", "asset_value")


def execute_in_process_calls(ctx: FileContext) -> Iterator[Match]:
    """``x.execute_in_process(...)`` on an object the engine could not trace (imported from the user's package).

    The engine already records the method on Dagster-made objects; this catches jobs
    defined in another module of the project, in a file that imports Dagster.
    """
    if not any(name in ctx.text for name in UNAMBIGUOUS_METHODS) or not ctx.imports_dagster():
        return  # cheap pre-filter: the loop below is the detection
    known = {id(m.node) for m in ctx.methods}
    for node in ctx.calls:
        if (
            isinstance(node.func, ast.Attribute)
            and node.func.attr in UNAMBIGUOUS_METHODS
            and id(node.func) not in known
        ):
            receiver = " ".join(ctx.segment(node.func.value).split())
            yield Match("DZ107", node.func.lineno, node.func.col_offset, f"{receiver}.{node.func.attr}()", node)


DZ107 = Rule(
    code="DZ107",
    scaffold=ScaffoldHandling(resolved=True),
    symbol="dagster-in-process-test",
    severity=LOW,
    mapping=DIRECT,
    title="Tests that run Dagster in-process",
    target="call the pipeline (or the step function) directly in the test and assert on its artifacts",
    hint="Test the step functions as plain Python and run the pipeline locally, asserting on the artifacts of the "
    "run instead of Dagster's result object.",
    docs=("EXEC",),
    message="{subject}: call the ZenML pipeline or step directly in tests",
    what_it_does="Reports `job.execute_in_process(...)`, `materialize(...)`, `materialize_to_memory(...)`, "
    "`execute_job(...)`, `instance_for_test()` and `environ(...)` (Dagster test utilities), the `build_*_context(...)` "
    "test builders and reads of an "
    "in-process result (`result.output_for_node(...)`, `result.asset_value(...)`).",
    why="ZenML pipelines and steps are called like functions; there is no separate in-process executor or "
    "context builder to test them with.",
    fix_safety="No fix: assertions on Dagster's result object must be rewritten against artifacts.",
    names=described(*TEST_HELPERS),
    methods={name: None for name in (*UNAMBIGUOUS_METHODS, *RESULT_METHODS)},
    detectors=(execute_in_process_calls,),
    fixer=lazy_fixer("dagster_zenml_lint.fixers.components:fix_execute_in_process"),
    examples=(
        flagged(
            "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n@job\ndef my_job():\n"
            "    one()\n\n\ndef test_my_job():\n    my_job.execute_in_process()\n",
            fixed="from zenml import pipeline, step\n\n\n@step\ndef one() -> int:\n    return 1\n\n\n"
            "@pipeline\ndef my_job():\n    one()\n\n\ndef test_my_job():\n    my_job()\n",
            title="`execute_in_process()` without arguments becomes a pipeline call",
        ),
        flagged(
            "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n@job\ndef my_job():\n"
            "    one()\n\n\ndef test_my_job():\n    result = my_job.execute_in_process()\n    assert result.success\n",
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.asset\ndef orders() -> int:\n    return 1\n\n\ndef test_orders():\n"
            "    assert dg.materialize([orders]).success\n",
            title="`materialize` through the `dg` alias",
        ),
        flagged(
            "from dagster import build_op_context, op\n\n\n@op\ndef one(context) -> int:\n    return 1\n\n\n"
            "def test_one():\n    assert one(build_op_context()) == 1\n",
            title="a context builder",
        ),
        clean(
            "from zenml import pipeline, step\n\n\n@step\ndef one() -> int:\n    return 1\n\n\n@pipeline\n"
            "def my_pipeline():\n    one()\n\n\ndef test_one():\n    assert one.entrypoint() == 1\n",
        ),
        clean(
            "def materialize(items):\n    return list(items)\n\n\n"
            "def test_local():\n    assert materialize([1]) == [1]\n",
            title="trap: a local function called materialize",
        ),
    ),
)

RULES = (DZ107,)
