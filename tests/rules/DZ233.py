"""DZ233 dagster-internal-helper: Dagster's internal helpers and exceptions become plain Python.

Lines the rule must report end in ``# [dagster-internal-helper]``; every other line is a trap.
"""


# --- flagged: must be reported
import dagster._check as check
from dagster._utils.backoff import backoff


def fetch(url: str) -> str:
    check.str_param(url, 'url')  # [dagster-internal-helper]
    return backoff(lambda: url, retry_on=(OSError,), max_retries=3)  # [dagster-internal-helper]


# --- flagged: Dagster's exception
from dagster import Failure, asset


@asset
def orders() -> int:
    raise Failure(description='no rows')  # [dagster-internal-helper]


# --- clean: must stay silent
def fetch(url: str) -> str:
    if not isinstance(url, str):
        raise TypeError(url)
    return url
