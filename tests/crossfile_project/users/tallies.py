from dagster import job

from users.ops import tally


@job(tags={"team": "data"})
def tally_job():
    tally()
