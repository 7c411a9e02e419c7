"""DZ230 dagster-run-priority: Run priority has no ZenML equivalent.

Lines the rule must report end in ``# [dagster-run-priority]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import job, op


@op
def load() -> int:
    return 1


@job(tags={'dagster/priority': '3'})  # [dagster-run-priority]
def urgent():
    load()


# --- clean: must stay silent
from dagster import job


@job(tags={'team': 'data'})
def nightly():
    pass

