"""DZ210 dagster-asset-check: Asset checks become validation steps.

Lines the rule must report end in ``# [dagster-asset-check]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import AssetCheckResult, asset, asset_check


@asset
def orders() -> list[int]:
    return [1, 2]


@asset_check(asset=orders)  # [dagster-asset-check]
def orders_not_empty(orders: list[int]):
    return AssetCheckResult(passed=len(orders) > 0)  # [dagster-asset-check]


# --- flagged: checks declared on the asset with `check_specs=`
import dagster as dg


@dg.asset(check_specs=[dg.AssetCheckSpec('positive', asset='orders')])  # [dagster-asset-check]
def orders():
    yield dg.Output([1, 2])
    yield dg.AssetCheckResult(passed=True)  # [dagster-asset-check]


# --- clean: must stay silent
from zenml import log_metadata, step


@step
def check_orders(orders: list[int]) -> None:
    if not orders:
        raise ValueError('orders is empty')
    log_metadata(metadata={'rows': len(orders)})


# --- clean: trap: a local decorator called asset_check
def asset_check(**kwargs):
    return lambda fn: fn


@asset_check(asset='orders')
def orders_not_empty() -> bool:
    return True
