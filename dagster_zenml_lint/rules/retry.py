"""DZ103: ``RetryPolicy`` (with ``Backoff`` / ``Jitter``) maps to ZenML's ``StepRetryConfig``."""

from __future__ import annotations

from dagster_zenml_lint.registry import Rule, ScaffoldHandling, clean, flagged, lazy_fixer
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import DIRECT, INFO

DZ103 = Rule(
    code="DZ103",
    scaffold=ScaffoldHandling(resolved=True),
    symbol="dagster-retry-policy",
    severity=INFO,
    mapping=DIRECT,
    title="`RetryPolicy` maps to `StepRetryConfig`",
    target="`StepRetryConfig(max_retries=, delay=, backoff=)` (`from zenml.config import StepRetryConfig`) "
    "passed as `@step(retry=...)` or `@pipeline(retry=...)`",
    hint="Replace the policy with `StepRetryConfig(max_retries=..., delay=..., backoff=...)` on `@step(retry=...)`; "
    "jitter and linear backoff have no ZenML equivalent.",
    docs=("ADV",),
    message="{subject}: becomes a ZenML StepRetryConfig",
    what_it_does="Reports `RetryPolicy(...)`, `Backoff` and `Jitter`, and the `retry_policy=` (ops, assets) and "
    "`op_retry_policy=` (jobs, asset jobs) arguments that attach a policy.",
    why="Retrying a failed unit of work is the same idea in both tools; ZenML configures it with three integers "
    "(`max_retries`, `delay` in seconds, `backoff` factor) on the step or pipeline.",
    fix_safety="`RetryPolicy()`, `max_retries=` and an integral `delay=` map exactly (safe); exponential backoff "
    "becomes `backoff=2` with different waits, linear backoff and jitter are dropped, and a fractional delay is "
    "rounded up: those rewrites are unsafe.",
    names=described("RetryPolicy", "Backoff", "Jitter"),
    keywords={"retry_policy": None, "op_retry_policy": None},
    fixer=lazy_fixer("dagster_zenml_lint.fixers.components:fix_retry_policy"),
    examples=(
        flagged(
            "from dagster import RetryPolicy, op\n\n\n@op(retry_policy=RetryPolicy(max_retries=3, delay=10))\n"
            "def fetch() -> int:\n    return 1\n",
            fixed="from zenml import step\nfrom zenml.config import StepRetryConfig\n\n\n"
            "@step(retry=StepRetryConfig(max_retries=3, delay=10, backoff=1))\ndef fetch() -> int:\n"
            "    return 1\n",
            title="an integer delay keeps its waits with `backoff=1`",
        ),
        flagged(
            "from dagster import RetryPolicy, op\n\n\n@op(retry_policy=RetryPolicy(max_retries=3, delay=10))\n"
            "def fetch() -> int:\n    return 1\n",
        ),
        flagged(
            "import dagster as dg\n\nflaky = dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL, "
            "jitter=dg.Jitter.FULL)\n\n\n@dg.asset(retry_policy=flaky)\ndef orders() -> int:\n    return 1\n",
            title="a shared policy with backoff and jitter (alias import)",
        ),
        flagged(
            "from dagster import RetryPolicy, define_asset_job\n\n"
            "nightly = define_asset_job('nightly', op_retry_policy=RetryPolicy(max_retries=1))\n",
            title="a job-wide policy",
        ),
        clean(
            "from zenml import step\nfrom zenml.config import StepRetryConfig\n\n\n"
            "@step(retry=StepRetryConfig(max_retries=3, delay=10, backoff=1))\ndef fetch() -> int:\n    return 1\n",
        ),
        clean(
            "class RetryPolicy:\n    def __init__(self, max_retries: int = 1):\n"
            "        self.max_retries = max_retries\n\n\n"
            "policy = RetryPolicy(max_retries=3)  # a user class named like Dagster's\n",
            title="trap: a user class called RetryPolicy",
        ),
    ),
)

RULES = (DZ103,)
