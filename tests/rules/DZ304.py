"""DZ304 dagster-sensor: Sensors have no ZenML equivalent.

Lines the rule must report end in ``# [dagster-sensor]``; every other line is a trap.
"""


# --- flagged: must be reported
import os

from dagster import RunRequest, SensorEvaluationContext, SkipReason, sensor


@sensor(job_name='ingest', minimum_interval_seconds=60)  # [dagster-sensor]
def new_file(context: SensorEvaluationContext):  # the decorator is this sensor's finding
    files = sorted(os.listdir('/data'))
    if not files or files[-1] == context.cursor:  # [dagster-sensor]
        return SkipReason('nothing new')  # [dagster-sensor]
    context.update_cursor(files[-1])  # [dagster-sensor]
    return RunRequest(run_key=files[-1])  # [dagster-sensor]


# --- flagged: a run failure sensor
import dagster as dg


@dg.run_failure_sensor  # [dagster-sensor]
def alert(context: dg.RunFailureSensorContext):  # the decorator is this sensor's finding
    print(context.dagster_run.run_id)  # [dagster-sensor]


# --- flagged: an integration's failure sensor factory
from dagster_slack import make_slack_on_run_failure_sensor

alert = make_slack_on_run_failure_sensor(channel='#ops', slack_token='t')  # [dagster-sensor]


# --- flagged: a sensor body without a decorator: its annotation is the only sign
def evaluate(context: dg.SensorEvaluationContext) -> dg.SkipReason:  # [dagster-sensor]
    return dg.SkipReason('idle')  # [dagster-sensor]


polling = dg.SensorDefinition(name='polling', evaluation_fn=evaluate, job_name='ingest')  # [dagster-sensor]


# --- clean: must stay silent
from zenml import step
from zenml.hooks import alerter_failure_hook


@step(on_failure=alerter_failure_hook)
def load() -> int:
    return 1


# --- clean: a local function named sensor
def sensor(fn):
    return fn


@sensor
def poll():
    return None
