"""DZ104 dagster-import: Dagster import whose names all map directly.

Lines the rule must report end in ``# [dagster-import]``; every other line is a trap.
"""


# --- flagged: an import nothing uses any more is removed
import os
from dagster import get_dagster_logger  # [dagster-import]


def cwd() -> str:
    return os.getcwd()


# --- flagged: must be reported
from dagster import job, op  # [dagster-import]


@op
def one() -> int:
    return 1


@job
def my_job():
    one()


# --- flagged: a module import whose used attributes all map directly
import dagster as dg  # [dagster-import]


@dg.op(retry_policy=dg.RetryPolicy(max_retries=2))
def one() -> int:
    return 1


# --- flagged: a compatibility shim is reported once (on the primary import)
try:
    from dagster import op  # [dagster-import]
except ImportError:  # older Dagster
    from dagster._core.definitions.decorators.op_decorator import op


@op
def one() -> int:
    return 1


# --- clean: `asset` has no direct mapping, so the import stays
from dagster import asset, op


@op
def one() -> int:
    return 1


@asset
def orders() -> int:
    return 1


# --- clean: a module import used for an approximate mapping
import dagster as dagster_module


@dagster_module.asset
def orders() -> int:
    return 1


# --- clean: must stay silent
from operator import add
from zenml import pipeline, step


@step
def one() -> int:
    return add(0, 1)


@pipeline
def p():
    one()
