"""DZ229 dagster-instance-query: Queries of the Dagster instance or its GraphQL API become ZenML `Client()` calls.

Lines the rule must report end in ``# [dagster-instance-query]``; every other line is a trap.
"""


# --- flagged: must be reported
import dagster as dg


@dg.asset
def busy(context: dg.AssetExecutionContext) -> int:
    runs = context.instance.get_runs(
        dg.RunsFilter(statuses=[dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.STARTED])  # [dagster-instance-query]
    )
    return len(runs)


# --- flagged: the GraphQL client
from dagster_graphql import DagsterGraphQLClient

client = DagsterGraphQLClient('localhost', port_number=3000)  # [dagster-instance-query]
client.terminate_runs(['abc'])


# --- clean: must stay silent
from zenml.client import Client
from zenml.enums import ExecutionStatus

running = Client().list_pipeline_runs(status=ExecutionStatus.RUNNING)


# --- clean: the status a run-status sensor watches is DZ304
from dagster import DagsterRunStatus, RunStatusSensorContext, run_status_sensor


@run_status_sensor(run_status=DagsterRunStatus.SUCCESS)
def on_success(context: RunStatusSensorContext):
    print(context.dagster_run.run_id)
