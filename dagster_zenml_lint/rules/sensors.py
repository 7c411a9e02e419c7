"""DZ304: sensors of every kind (run requests, skip reasons, cursors) have no ZenML equivalent."""

from __future__ import annotations

from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import ABSENT, HIGH

SENSOR_OBJECTS = (
    "sensor",
    "asset_sensor",
    "multi_asset_sensor",
    "run_status_sensor",
    "run_failure_sensor",
    "freshness_policy_sensor",
    "SensorDefinition",
    "AssetSensorDefinition",
    "MultiAssetSensorDefinition",
    "RunStatusSensorDefinition",
    "RunFailureSensorDefinition",
    "RunRequest",
    "SkipReason",
    "SensorResult",
    "SensorEvaluationContext",
    "MultiAssetSensorEvaluationContext",
    "RunStatusSensorContext",
    "RunFailureSensorContext",
    "DefaultSensorStatus",
    "SensorReturnTypesUnion",
    "make_email_on_run_failure_sensor",
    "DagsterRunStatus",
    "EventLogEntry",
    "RunStatusChangeRecordsFilter",
)
SENSOR_CONTEXT_ATTRS = (
    "cursor",
    "update_cursor",
    "advance_cursor",
    "advance_all_cursors",
    "last_run_key",
    "last_tick_completion_time",
    "latest_materialization_records_by_key",
    "latest_materialization_records_by_partition",
    "materialization_records_for_key",
    "dagster_run",
    "dagster_event",
    "failure_event",
)

DZ304 = Rule(
    code="DZ304",
    symbol="dagster-sensor",
    severity=HIGH,
    mapping=ABSENT,
    title="Sensors have no ZenML equivalent",
    target="an external service (cron, a queue consumer, a webhook handler) that detects the event and runs the "
    "pipeline through `run.py` (ZenML OSS), or a pipeline deployment invoked over HTTP (OSS and Pro); ZenML Pro "
    "only: triggers (schedule, webhook) and running snapshots with `Client().trigger_pipeline(...)`",
    hint="Run the event detection outside the pipeline and start a run when it fires; treat cursor state as a "
    "design problem, never as a step that polls forever. `Client().trigger_pipeline(...)` runs a snapshot, "
    "which needs ZenML Pro and a remote stack; without Pro, call `run.py` (or the pipeline function) from the "
    "service, or deploy the pipeline and call its HTTP endpoint.",
    docs=("DEPLOY", "PRO", "SNAPSHOTS"),
    message="{subject}: ZenML has no sensors; start runs from an external service (run.py) or a pipeline "
    "deployment (triggers and trigger_pipeline need ZenML Pro)",
    what_it_does="Reports `@sensor`, `@asset_sensor`, `@multi_asset_sensor`, `@run_status_sensor`, "
    "`@run_failure_sensor`, `SensorDefinition`, `RunRequest`, `SkipReason`, `SensorResult`, sensor "
    "contexts, the `*_on_run_failure_sensor` factories of integration packages and cursor use "
    "(`context.cursor`, `context.update_cursor(...)`).",
    why="A sensor is a daemon-evaluated function that decides when to launch runs and keeps a cursor in the "
    "Dagster instance; ZenML has no daemon that evaluates user code between runs. Triggers and running "
    "snapshots (`Client().trigger_pipeline(...)`, the successor of run templates) are ZenML Pro features; "
    "open-source ZenML starts a run when the pipeline function is called (`run.py`) or when a pipeline "
    "deployment receives a request.",
    fix_safety="No fix.",
    names={**described(*SENSOR_OBJECTS), **described("dagster_*.make_*_sensor")},
    context_attrs=SENSOR_CONTEXT_ATTRS,
    examples=(
        flagged(
            "import os\n\nfrom dagster import RunRequest, SensorEvaluationContext, SkipReason, sensor\n\n\n"
            "@sensor(job_name='ingest', minimum_interval_seconds=60)\n"
            "def new_file(context: SensorEvaluationContext):\n"
            "    files = sorted(os.listdir('/data'))\n"
            "    if not files or files[-1] == context.cursor:\n"
            "        return SkipReason('nothing new')\n"
            "    context.update_cursor(files[-1])\n"
            "    return RunRequest(run_key=files[-1])\n",
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.run_failure_sensor\n"
            "def alert(context: dg.RunFailureSensorContext):\n    print(context.dagster_run.run_id)\n",
            title="a run failure sensor",
        ),
        flagged(
            "from dagster_slack import make_slack_on_run_failure_sensor\n\n"
            "alert = make_slack_on_run_failure_sensor(channel='#ops', slack_token='t')\n",
            title="an integration's failure sensor factory",
        ),
        clean(
            "from zenml import step\nfrom zenml.hooks import alerter_failure_hook\n\n\n"
            "@step(on_failure=alerter_failure_hook)\ndef load() -> int:\n    return 1\n"
        ),
        clean(
            "def sensor(fn):\n    return fn\n\n\n@sensor\ndef poll():\n    return None\n",
            title="a local function named sensor",
        ),
    ),
)

RULES = (DZ304,)
