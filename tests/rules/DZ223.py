"""DZ223 dagster-concurrency: Concurrency limits move to the orchestrator.

Lines the rule must report end in ``# [dagster-concurrency]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import asset


@asset(pool='warehouse')  # [dagster-concurrency]
def orders() -> int:
    return 1


# --- flagged: a concurrency tag
from dagster import op


@op(tags={'dagster/concurrency_key': 'db'})  # [dagster-concurrency]
def load() -> int:
    return 1


# --- flagged: executor config
from dagster import Definitions, multiprocess_executor

defs = Definitions(executor=multiprocess_executor.configured({'max_concurrent': 4}))  # [dagster-concurrency]


# --- clean: must stay silent
from dagster import op


@op(tags={'team': 'data'})
def load() -> int:
    return 1


# --- clean: not a Dagster module
settings = {'max_concurrent': 4}
