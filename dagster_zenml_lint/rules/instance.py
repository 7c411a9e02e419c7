"""DZ229: queries against the Dagster instance or its GraphQL API become ZenML ``Client()`` calls.

``DagsterInstance``, ``RunsFilter``, run statuses used outside a run-status sensor, and the
``dagster_graphql`` client read or change runs stored by Dagster; ZenML's ``Client()`` reads
and changes pipeline runs stored by the ZenML server.
"""

from __future__ import annotations

from dagster_zenml_lint.analysis.facts import FileContext, Reference
from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import describe
from dagster_zenml_lint.rules._common import APPROXIMATE, MEDIUM
from dagster_zenml_lint.rules.sensors import in_runs_filter, run_status_is_sensor_filter

# Instances made only for a test: the in-process test rule (DZ107) reports them.
TEST_INSTANCES = ("ephemeral", "local_temp")
QUERY_OBJECTS = (
    "dagster.RunsFilter",
    "dagster.RunRecord",
    "dagster.EventRecordsFilter",
    "dagster.AssetRecordsFilter",
    "dagster.DagsterRun",
)


def _instance(ctx: FileContext, ref: Reference) -> str | None:
    if ref.attrs[:1] and ref.attrs[0] in TEST_INSTANCES:
        return None
    return describe(ctx, ref)


def _run_status(ctx: FileContext, ref: Reference) -> str | None:
    if run_status_is_sensor_filter(ctx, ref):
        return None  # the run-status sensor's own filter: DZ304
    if in_runs_filter(ctx, ref):
        return None  # part of the ``RunsFilter(...)`` already reported: one finding per query
    return describe(ctx, ref, "(a run query)")


def _query(ctx: FileContext, ref: Reference) -> str:
    return describe(ctx, ref)


DZ229 = Rule(
    code="DZ229",
    symbol="dagster-instance-query",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Queries of the Dagster instance or its GraphQL API become ZenML `Client()` calls",
    target="`from zenml.client import Client`: `Client().list_pipeline_runs(...)`, `Client().get_pipeline_run(...)`, "
    "run status from `ExecutionStatus`; stopping a run through the orchestrator",
    hint="Rewrite the query with `Client()` (`list_pipeline_runs(pipeline_id=..., status=...)`); run statuses are "
    "`zenml.enums.ExecutionStatus` values, and the run history starts empty after the migration.",
    docs=("CLIENT",),
    message="{subject}: query ZenML runs with Client() instead",
    what_it_does="Reports `DagsterInstance` (outside `DagsterInstance.ephemeral()` in tests), `RunsFilter`, "
    "run and event record filters, `DagsterRunStatus` outside a run-status sensor, and the `dagster_graphql` "
    "client (`DagsterGraphQLClient`, its errors).",
    why="These read or change the runs the Dagster instance stores (queued runs, run history, terminate); "
    "after the migration the runs live on the ZenML server and are queried through its client.",
    fix_safety="No fix: filters, statuses and run fields differ.",
    names={
        "dagster.DagsterInstance": _instance,
        "dagster.DagsterRunStatus": _run_status,
        "dagster_graphql.*": _query,
        **dict.fromkeys(QUERY_OBJECTS, _query),
    },
    examples=(
        flagged(
            "import dagster as dg\n\n\n@dg.asset\ndef busy(context: dg.AssetExecutionContext) -> int:\n"
            "    runs = context.instance.get_runs(\n"
            "        dg.RunsFilter(statuses=[dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.STARTED])\n"
            "    )\n    return len(runs)\n",
        ),
        flagged(
            "from dagster_graphql import DagsterGraphQLClient\n\n"
            "client = DagsterGraphQLClient('localhost', port_number=3000)\n"
            "client.terminate_runs(['abc'])\n",
            title="the GraphQL client",
        ),
        clean(
            "from zenml.client import Client\nfrom zenml.enums import ExecutionStatus\n\n"
            "running = Client().list_pipeline_runs(status=ExecutionStatus.RUNNING)\n"
        ),
        clean(
            "from dagster import DagsterRunStatus, RunStatusSensorContext, run_status_sensor\n\n\n"
            "@run_status_sensor(run_status=DagsterRunStatus.SUCCESS)\n"
            "def on_success(context: RunStatusSensorContext):\n    print(context.dagster_run.run_id)\n",
            title="the status a run-status sensor watches is DZ304",
        ),
    ),
)

RULES = (DZ229,)
