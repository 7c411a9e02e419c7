from dagster import Definitions

from users.jobs import adhoc_job, nightly_job
from users.reports import run_report
from users.scaled import scaled_job
from users.schedules import late_schedule, nightly_schedule
from users.sensors import adhoc_sensor
from users.tallies import tally_job

defs = Definitions(
    jobs=[nightly_job, adhoc_job, scaled_job, tally_job],
    schedules=[nightly_schedule, late_schedule],
    sensors=[adhoc_sensor],
)
RUNNERS = [run_report]
