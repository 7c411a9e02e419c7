"""An op with a RetryPolicy (integer delay) that fails once, then succeeds."""

import os
from pathlib import Path

from dagster import RetryPolicy, job, op


@op
def seed() -> int:
    return 20


@op(retry_policy=RetryPolicy(max_retries=2, delay=1))
def flaky_double(value: int) -> int:
    marker = Path(os.environ["DZ_FLAKY_DIR"]) / "flaky_double.failed-once"
    if not marker.exists():
        marker.write_text("failed once")
        raise RuntimeError("first attempt fails on purpose")
    return value * 2


@job
def retry_job():
    flaky_double(seed())
