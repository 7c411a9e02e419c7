"""DZ314 dagster-schedule-logic: A schedule that decides at run time has no ZenML equivalent.

Lines the rule must report end in ``# [dagster-schedule-logic]``; every other line is a trap.
"""


# --- flagged: must be reported
import dagster as dg


@dg.op
def one() -> int:
    return 1


@dg.job
def nightly():
    one()


@dg.schedule(cron_schedule='0 2 * * *', job=nightly)
def nightly_schedule(context: dg.ScheduleEvaluationContext):
    if context.scheduled_execution_time.weekday() >= 5:
        return dg.SkipReason('weekend')  # [dagster-schedule-logic]
    return dg.RunRequest(run_key=context.scheduled_execution_time.isoformat())  # [dagster-schedule-logic]


# --- clean: a fixed run request is DZ208
import dagster as dg


@dg.op
def one() -> int:
    return 1


@dg.job
def nightly():
    one()


CONFIG = {'ops': {'one': {'config': {}}}}


@dg.schedule(cron_schedule='0 2 * * *', job=nightly)
def nightly_schedule():
    return dg.RunRequest(run_config=CONFIG)


# --- clean: a sensor's run request is DZ304
from dagster import RunRequest, sensor


@sensor(job_name='load')
def poll(context):
    return RunRequest(run_key=context.cursor)
