from dagster import RunRequest, sensor

from users import jobs


@sensor(jobs=[jobs.adhoc_job])
def adhoc_sensor():
    yield RunRequest(run_key=None)
