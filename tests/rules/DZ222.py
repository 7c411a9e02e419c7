"""DZ222 dagster-retry-requested: Requested retries become a step retry config.

Lines the rule must report end in ``# [dagster-retry-requested]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import RetryRequested, op


@op
def fetch() -> int:
    try:
        return int('x')
    except ValueError as exc:
        raise RetryRequested(max_retries=3, seconds_to_wait=5) from exc  # [dagster-retry-requested]


# --- flagged: a failure that forbids retries
from dagster import Failure, op


@op
def check() -> None:
    raise Failure(description='bad input', allow_retries=False)  # [dagster-retry-requested]


# --- clean: must stay silent
from zenml import step
from zenml.config import StepRetryConfig


@step(retry=StepRetryConfig(max_retries=3, delay=5))
def fetch() -> int:
    return int('1')


# --- clean: trap: the user's own exception called RetryRequested, raised in plain code
class RetryLater(Exception):
    pass


def poll() -> None:
    raise RetryLater('RetryRequested: try again later')


# --- clean: trap: a Failure that allows retries is an ordinary error (not DZ222)
@op
def validate() -> None:
    raise Failure(description='bad input')
