"""DZ210: asset checks become validation steps."""

from __future__ import annotations

from dagster_zenml_lint.analysis.facts import FileContext, KeywordUse, Reference
from dagster_zenml_lint.registry import Rule, ScaffoldHandling, clean, flagged
from dagster_zenml_lint.rules._calls import callee_is, described
from dagster_zenml_lint.rules._common import APPROXIMATE, MEDIUM

CHECK_OBJECTS = (
    "asset_check",
    "multi_asset_check",
    "AssetCheckResult",
    "AssetCheckSpec",
    "AssetCheckSeverity",
    "AssetCheckKey",
    "AssetCheckEvaluation",
    "AssetChecksDefinition",
    "build_column_schema_change_checks",
    "build_metadata_bounds_checks",
    "load_asset_checks_from_modules",
    "load_asset_checks_from_current_module",
    "load_asset_checks_from_package_module",
    "load_asset_checks_from_package_name",
)
CHECK_CALLEES = ("dagster.asset_check", "dagster.multi_asset_check", "dagster.AssetCheckSpec")


def _blocking(ctx: FileContext, use: KeywordUse) -> str | None:
    """``blocking=`` of a check: it stops downstream materializations when the check fails."""
    return "" if callee_is(use, *CHECK_CALLEES) else None


def _context_type(ctx: FileContext, ref: Reference) -> None:
    """``AssetCheckExecutionContext``: the check function is already reported; never DZ399."""
    return None


DZ210 = Rule(
    code="DZ210",
    scaffold=ScaffoldHandling(resolved=True),
    symbol="dagster-asset-check",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Asset checks become validation steps",
    target="a validation `@step` that takes the artifact, raises to fail the run and records its result with "
    "`log_metadata(...)`",
    hint="Keep the check as executable validation: a step that takes the artifact, raises when it fails, and "
    "logs its result as metadata.",
    docs=("META",),
    message="{subject}: becomes a validation step",
    what_it_does="Reports `@asset_check`, `@multi_asset_check`, `AssetCheckResult`, `AssetCheckSpec`, "
    "`AssetCheckSeverity`, `AssetCheckKey`, the check builders and loaders, and the `check_specs=` and "
    "`blocking=` arguments.",
    why="ZenML has no check objects attached to artifacts; validation is a step in the pipeline that fails the "
    "run or records metadata.",
    fix_safety="No fix: the check must be wired into the pipeline after the step that produces the data.",
    names={**described(*CHECK_OBJECTS), "dagster.AssetCheckExecutionContext": _context_type},
    keywords={"check_specs": None, "blocking": _blocking},
    examples=(
        flagged(
            "from dagster import AssetCheckResult, asset, asset_check\n\n\n@asset\ndef orders() -> list[int]:\n"
            "    return [1, 2]\n\n\n@asset_check(asset=orders)\ndef orders_not_empty(orders: list[int]):\n"
            "    return AssetCheckResult(passed=len(orders) > 0)\n",
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.asset(check_specs=[dg.AssetCheckSpec('positive', asset='orders')])\n"
            "def orders():\n    yield dg.Output([1, 2])\n    yield dg.AssetCheckResult(passed=True)\n",
            title="checks declared on the asset with `check_specs=`",
        ),
        clean(
            "from zenml import log_metadata, step\n\n\n@step\ndef check_orders(orders: list[int]) -> None:\n"
            "    if not orders:\n        raise ValueError('orders is empty')\n"
            "    log_metadata(metadata={'rows': len(orders)})\n",
        ),
        clean(
            "def asset_check(**kwargs):\n    return lambda fn: fn\n\n\n@asset_check(asset='orders')\n"
            "def orders_not_empty() -> bool:\n    return True\n",
            title="trap: a local decorator called asset_check",
        ),
    ),
)

RULES = (DZ210,)
