"""DZ222: run-time retry requests (``RetryRequested``, ``Failure(allow_retries=...)``)."""

from __future__ import annotations

import ast

from dagster_zenml_lint.analysis.facts import FileContext, KeywordUse, Reference
from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import callee_is, describe, function_name_at, referenced_call
from dagster_zenml_lint.rules._common import APPROXIMATE, MEDIUM


def _retry_requested(ctx: FileContext, ref: Reference) -> str:
    call = referenced_call(ctx, ref)
    if call is not None and isinstance(ctx.parent(call), ast.Raise):
        function = function_name_at(ctx, call)
        where = f" in '{function}'" if function is not None else ""
        return f"raise RetryRequested(...){where}"
    return describe(ctx, ref)


def _failure_retries(ctx: FileContext, use: KeywordUse) -> str | None:
    if not callee_is(use, "dagster.Failure"):
        return None
    return f"Failure(allow_retries={ctx.segment(use.keyword.value)})"


DZ222 = Rule(
    code="DZ222",
    symbol="dagster-retry-requested",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Requested retries become a step retry config",
    target="`StepRetryConfig` on the step (`@step(retry=...)`); raise an ordinary exception",
    hint="Configure `StepRetryConfig(max_retries=..., delay=...)` on the step and raise an ordinary "
    "exception; selective retry logic must move into the step body.",
    docs=("ADV",),
    message="{subject}: ZenML retries on any exception per StepRetryConfig",
    what_it_does="Reports `RetryRequested` (usually `raise RetryRequested(max_retries=..., "
    "seconds_to_wait=...)`) and `Failure(allow_retries=...)`.",
    why="Dagster lets the body decide at run time whether and how long to retry; ZenML retries every "
    "failure according to a static per-step configuration.",
    fix_safety="No fix.",
    names={"dagster.RetryRequested": _retry_requested},
    keywords={"allow_retries": _failure_retries},
    examples=(
        flagged(
            "from dagster import RetryRequested, op\n\n\n@op\ndef fetch() -> int:\n    try:\n"
            "        return int('x')\n    except ValueError as exc:\n"
            "        raise RetryRequested(max_retries=3, seconds_to_wait=5) from exc\n",
        ),
        flagged(
            "from dagster import Failure, op\n\n\n@op\ndef check() -> None:\n"
            "    raise Failure(description='bad input', allow_retries=False)\n",
            title="a failure that forbids retries",
        ),
        clean(
            "from zenml import step\nfrom zenml.config import StepRetryConfig\n\n\n"
            "@step(retry=StepRetryConfig(max_retries=3, delay=5))\ndef fetch() -> int:\n    return int('1')\n"
        ),
    ),
)

RULES = (DZ222,)
