from dagster import ScheduleDefinition, schedule

from users import nightly_job as same_job
from users.jobs import nightly_job

nightly_schedule = ScheduleDefinition(job=nightly_job, cron_schedule="0 2 * * *")


@schedule(job=same_job, cron_schedule="0 3 * * *")
def late_schedule():
    return {}
