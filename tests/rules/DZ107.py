"""DZ107 dagster-in-process-test: Tests that run Dagster in-process.

Lines the rule must report end in ``# [dagster-in-process-test]``; every other line is a trap.
"""

import dagster as dg
from dagster import build_op_context, job, op
from zenml import pipeline, step


# --- flagged: `execute_in_process()` without arguments becomes a pipeline call
@op
def one() -> int:
    return 1


@job
def my_job():
    one()


def test_my_job():
    my_job.execute_in_process()  # [dagster-in-process-test]


# --- flagged: the run's result is used: reported, the fix is unsafe
@op
def two() -> int:
    return 2


@job
def other_job():
    two()


def test_other_job():
    result = other_job.execute_in_process()  # [dagster-in-process-test]
    assert result.success


# --- flagged: `materialize` through the `dg` alias
@dg.asset
def orders() -> int:
    return 1


def test_orders():
    assert dg.materialize([orders]).success  # [dagster-in-process-test]


# --- flagged: a context builder
@op
def three(context) -> int:
    return 3


def test_three():
    assert three(build_op_context()) == 3  # [dagster-in-process-test]


# --- clean: a ZenML pipeline and a step called directly
@step
def four() -> int:
    return 4


@pipeline
def my_pipeline():
    four()


def test_four():
    assert four.entrypoint() == 4


# --- clean: trap: a local function called materialize
def materialize(items):
    return list(items)


def test_local():
    assert materialize([1]) == [1]
