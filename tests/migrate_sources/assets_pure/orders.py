"""A pure asset graph with plain Python values: assets, multi-assets (returned and yielded), AssetIn, deps,
and an asset check."""

from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    AssetIn,
    AssetOut,
    Definitions,
    Output,
    asset,
    asset_check,
    multi_asset,
)
from pricing import TAX_RATE, gross


@asset
def raw_orders() -> list[dict]:
    return [
        {"id": 1, "amount": 10.0, "region": "eu"},
        {"id": 2, "amount": 32.5, "region": "us"},
        {"id": 3, "amount": 7.5, "region": "eu"},
    ]


@asset
def order_totals(raw_orders: list[dict]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for order in raw_orders:
        totals[order["region"]] = totals.get(order["region"], 0.0) + order["amount"]
    return totals


@multi_asset(outs={"eu_orders": AssetOut(), "us_orders": AssetOut()})
def split_regions(raw_orders: list[dict]):
    eu = [o for o in raw_orders if o["region"] == "eu"]
    us = [o for o in raw_orders if o["region"] == "us"]
    return eu, us


@multi_asset(outs={"order_count": AssetOut(), "max_amount": AssetOut()})
def order_stats(raw_orders: list[dict]):
    yield Output(max(o["amount"] for o in raw_orders), output_name="max_amount")
    yield Output(len(raw_orders), output_name="order_count")


@asset(ins={"orders": AssetIn("eu_orders")})
def eu_order_count(context: AssetExecutionContext, orders: list[dict]) -> int:
    context.log.info(f"counting {len(orders)} orders")
    return len(orders)


@asset(deps=[order_totals])
def audit_stamp() -> str:
    return "audited"


@asset
def revenue_report(order_totals: dict[str, float], eu_order_count: int, us_orders) -> str:
    total = gross(order_totals)
    return f"gross={total:.2f} tax={total * TAX_RATE:.2f} eu={eu_order_count} us={len(us_orders)}"


@asset_check(asset=revenue_report)
def report_mentions_tax(revenue_report: str) -> AssetCheckResult:
    return AssetCheckResult(passed="tax=" in revenue_report, metadata={"length": len(revenue_report)})


defs = Definitions(
    assets=[raw_orders, order_totals, split_regions, order_stats, eu_order_count, audit_stamp, revenue_report],
    asset_checks=[report_mentions_tax],
)
