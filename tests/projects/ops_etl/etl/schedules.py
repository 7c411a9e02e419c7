from dagster import ScheduleDefinition

from etl.jobs import nightly_etl

nightly = ScheduleDefinition(job=nightly_etl, cron_schedule="0 2 * * *")
