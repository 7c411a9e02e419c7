"""Converts: its op and job are used nowhere else, and a plain script runs the job."""

from dagster import job, op


@op
def count() -> int:
    return 4


@job
def report_job():
    count()


def run_report() -> None:
    report_job.execute_in_process()
