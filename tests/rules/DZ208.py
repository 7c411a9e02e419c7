"""DZ208 dagster-schedule: Schedules become ZenML `Schedule(cron_expression=...)`.

Lines the rule must report end in ``# [dagster-schedule]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import ScheduleDefinition, job, op


@op
def one() -> int:
    return 1


@job
def nightly():
    one()


nightly_schedule = ScheduleDefinition(job=nightly, cron_schedule='0 2 * * *')  # [dagster-schedule]


# --- flagged: a `@schedule` function
import dagster as dg


@dg.op
def one() -> int:
    return 1


@dg.job
def nightly():
    one()


@dg.schedule(cron_schedule='0 2 * * *', job=nightly)  # [dagster-schedule]
def nightly_schedule(context: dg.ScheduleEvaluationContext):
    return dg.RunRequest()  # [dagster-schedule]


# --- clean: must stay silent
from zenml.config.schedule import Schedule

nightly = Schedule(cron_expression='0 2 * * *')


# --- clean: trap: a local function called schedule
import sched


def schedule(cron: str) -> str:
    return cron


nightly = schedule('0 2 * * *')
queue = sched.scheduler()
