"""DZ103 dagster-retry-policy: `RetryPolicy` maps to `StepRetryConfig`.

Lines the rule must report end in ``# [dagster-retry-policy]``; every other line is a trap.
"""


# --- flagged: an integer delay keeps its waits with `backoff=1`
from dagster import RetryPolicy, op


@op(retry_policy=RetryPolicy(max_retries=3, delay=10))  # [dagster-retry-policy]
def fetch() -> int:
    return 1


# --- flagged: must be reported
from dagster import RetryPolicy, op


@op(retry_policy=RetryPolicy(max_retries=3, delay=10))  # [dagster-retry-policy]
def fetch() -> int:
    return 1


# --- flagged: a shared policy with backoff and jitter (alias import)
import dagster as dg

flaky = dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.FULL)  # [dagster-retry-policy]


@dg.asset(retry_policy=flaky)  # [dagster-retry-policy]
def orders() -> int:
    return 1


# --- flagged: a job-wide policy
from dagster import RetryPolicy, define_asset_job

nightly = define_asset_job('nightly', op_retry_policy=RetryPolicy(max_retries=1))  # [dagster-retry-policy]


# --- clean: must stay silent
from zenml import step
from zenml.config import StepRetryConfig


@step(retry=StepRetryConfig(max_retries=3, delay=10, backoff=1))
def fetch() -> int:
    return 1


# --- clean: trap: a user class called RetryPolicy
class RetryPolicy:
    def __init__(self, max_retries: int = 1):
        self.max_retries = max_retries


policy = RetryPolicy(max_retries=3)  # a user class named like Dagster's
