"""DZ102 dagster-job: `@job` maps to `@pipeline`.

Lines the rule must report end in ``# [dagster-job]``; every other line is a trap.
"""


# --- flagged: the job, its ops and `execute_in_process()` convert together
from dagster import job, op


@op
def one() -> int:
    return 1


@job  # [dagster-job]
def my_job():
    one()


if __name__ == '__main__':
    my_job.execute_in_process()


# --- flagged: must be reported
from dagster import job, op


@op
def one() -> int:
    return 1


@job  # [dagster-job]
def my_job():
    one()


# --- flagged: `job(fn)` and `op(fn)` convert together like their decorators
from dagster import job, op


def _two() -> int:
    return 2


two = op(_two)


def _wire():
    two()


wired_job = job(_wire)  # [dagster-job]


# --- clean: must stay silent
from zenml import pipeline


@pipeline
def my_pipeline():
    pass
