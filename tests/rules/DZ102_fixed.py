"""DZ102 dagster-job: `@job` maps to `@pipeline`.

Lines the rule must report end in ``# [dagster-job]``; every other line is a trap.
"""


# --- flagged: the job, its ops and `execute_in_process()` convert together


@step
def one() -> int:
    return 1


@pipeline  # [dagster-job]
def my_job():
    one()


if __name__ == '__main__':
    my_job()


# --- flagged: must be reported


@step
def one() -> int:
    return 1


@pipeline  # [dagster-job]
def my_job():
    one()


# --- flagged: `job(fn)` and `op(fn)` convert together like their decorators


def _two() -> int:
    return 2


two = step(_two)


def _wire():
    two()


wired_job = pipeline(_wire)  # [dagster-job]


# --- clean: must stay silent
from zenml import pipeline, step


@pipeline
def my_pipeline():
    pass
