from dagster import job

from users.ops import extract, transform


@job
def nightly_job():
    transform(extract())


@job
def adhoc_job():
    extract()
