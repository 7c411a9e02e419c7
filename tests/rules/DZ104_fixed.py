"""DZ104 dagster-import: Dagster import whose names all map directly.

Lines the rule must report end in ``# [dagster-import]``; every other line is a trap.
"""


# --- flagged: an import nothing uses any more is removed
import os
from zenml.config import StepRetryConfig


def cwd() -> str:
    return os.getcwd()


# --- flagged: must be reported


@step
def one() -> int:
    return 1


@pipeline
def my_job():
    one()


# --- flagged: a module import whose used attributes all map directly


@step(retry=StepRetryConfig(max_retries=2))
def one() -> int:
    return 1


# --- flagged: a compatibility shim is reported once (on the primary import)
try:
    pass  # [dagster-import]
except ImportError:  # older Dagster
    pass


@step
def one() -> int:
    return 1


# --- clean: `asset` has no direct mapping, so the import stays
from dagster import asset


@step
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
