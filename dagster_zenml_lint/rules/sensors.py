"""DZ304: sensors of every kind (run requests, skip reasons, cursors) have no ZenML equivalent."""

from __future__ import annotations

import ast

from dagster_zenml_lint.analysis.facts import FileContext, Reference
from dagster_zenml_lint.registry import MissingFeature, Rule, clean, flagged
from dagster_zenml_lint.rules._calls import (
    SENSOR_DECORATORS,
    ancestors,
    dagster_name_of,
    describe,
    enclosing_trigger,
)
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
    "SensorResult",
    "SensorEvaluationContext",
    "MultiAssetSensorEvaluationContext",
    "RunStatusSensorContext",
    "RunFailureSensorContext",
    "DefaultSensorStatus",
    "SensorReturnTypesUnion",
    "make_email_on_run_failure_sensor",
    "EventLogEntry",
    "RunStatusChangeRecordsFilter",
    "dagster_airlift.build_airflow_polling_sensor",
)
# What a schedule returns as well as a sensor: inside a ``@schedule`` the schedule rules report it.
REQUEST_OBJECTS = ("dagster.RunRequest", "dagster.SkipReason")
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


def signature_owner(ctx: FileContext, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The function whose signature (a parameter's or the return annotation) holds ``node``, if any."""
    child = node
    for parent in ancestors(ctx, node):
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return parent if child is parent.args or child is parent.returns else None
        if isinstance(parent, (ast.stmt, ast.Lambda)):
            return None
        child = parent
    return None


def _sensor_object(ctx: FileContext, ref: Reference) -> str | None:
    """Any sensor object, except an annotation in the signature of a function a sensor decorator makes.

    One finding per sensor: its decorator (reported on the ``@`` line) already says what the
    ``context: SensorEvaluationContext`` annotation would. An annotation elsewhere (a plain
    function given to ``SensorDefinition``, a helper) is the only sign and stays reported.
    """
    if ref.role == "annotation":
        function = signature_owner(ctx, ref.node)
        info = next((f for f in ctx.functions if f.node is function), None) if function is not None else None
        if info is not None and info.kinds & SENSOR_DECORATORS:
            return None
    return describe(ctx, ref)


def _outside_schedule(ctx: FileContext, ref: Reference) -> str | None:
    """A run request or skip reason is a sensor's unless a ``@schedule`` returns it (DZ208/DZ314)."""
    trigger = enclosing_trigger(ctx, ref.node)
    if trigger is not None and trigger[0] == "schedule":
        return None
    return describe(ctx, ref)


def run_status_is_sensor_filter(ctx: FileContext, ref: Reference) -> bool:
    """True when ``DagsterRunStatus`` belongs to a sensor (the status it watches, a check in its body).

    Elsewhere, and inside a ``RunsFilter(...)`` even in a sensor, it queries the instance (DZ229).
    """
    if ref.keyword_of in ("dagster.run_status_sensor", "dagster.RunStatusSensorDefinition"):
        return True
    trigger = enclosing_trigger(ctx, ref.node)
    return trigger is not None and trigger[0] == "sensor" and not in_runs_filter(ctx, ref)


def _run_status_in_sensor(ctx: FileContext, ref: Reference) -> str | None:
    return describe(ctx, ref) if run_status_is_sensor_filter(ctx, ref) else None


def in_runs_filter(ctx: FileContext, ref: Reference) -> bool:
    """True when the reference sits inside a ``RunsFilter(...)`` (the query rule reports it)."""
    return any(
        dagster_name_of(ctx, parent) == "dagster.RunsFilter"
        for parent in ancestors(ctx, ref.node)
        if isinstance(parent, ast.Call)
    )


DZ304 = Rule(
    code="DZ304",
    report_section="automation",
    missing_feature=MissingFeature(
        "Event triggers with cursors",
        (
            "starting a pipeline from user code evaluated on an interval (files landing, rows arriving) "
            "that keeps a cursor between evaluations, without running a separate service."
        ),
    ),
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
    "service, or deploy the pipeline and call its HTTP endpoint. A `@run_failure_sensor` that only alerts becomes a "
    "`@pipeline(on_failure=...)` hook: a static pipeline runs it after each failed step, a "
    "`@pipeline(dynamic=True)` pipeline once when the run fails.",
    docs=("DEPLOY", "PRO", "SNAPSHOTS"),
    message="{subject}: ZenML has no sensors; start runs from an external service (run.py) or a pipeline "
    "deployment (triggers and trigger_pipeline need ZenML Pro)",
    what_it_does="Reports `@sensor`, `@asset_sensor`, `@multi_asset_sensor`, `@run_status_sensor`, "
    "`@run_failure_sensor`, `SensorDefinition`, `RunRequest`, `SkipReason`, `SensorResult`, sensor "
    "contexts, the `*_on_run_failure_sensor` factories of integration packages, "
    "`build_airflow_polling_sensor` and cursor use (`context.cursor`, `context.update_cursor(...)`). A "
    "`RunRequest` or `SkipReason` a `@schedule` returns belongs to the schedule (DZ208 / DZ314); "
    "`DagsterRunStatus` outside a sensor is an instance query (DZ229). A context annotation in the signature of "
    "a decorated sensor is not a second finding (the decorator is the sensor's); in a plain function it is.",
    why="A sensor is a daemon-evaluated function that decides when to launch runs and keeps a cursor in the "
    "Dagster instance; ZenML has no daemon that evaluates user code between runs. Triggers and running "
    "snapshots (`Client().trigger_pipeline(...)`, the successor of run templates) are ZenML Pro features; "
    "open-source ZenML starts a run when the pipeline function is called (`run.py`) or when a pipeline "
    "deployment receives a request.",
    fix_safety="No fix.",
    names={
        **{(q if "." in q else f"dagster.{q}"): _sensor_object for q in SENSOR_OBJECTS},
        "dagster_*.make_*_sensor": _sensor_object,
        **dict.fromkeys(REQUEST_OBJECTS, _outside_schedule),
        "dagster.DagsterRunStatus": _run_status_in_sensor,
    },
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
