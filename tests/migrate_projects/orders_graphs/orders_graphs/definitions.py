"""Two asset jobs (the first dynamic, the second loads what it made), an op job with nested graphs."""

from dagster import AssetSelection, Definitions, define_asset_job, graph, job

from orders_graphs.assets import (
    all_orders_total,
    large_orders,
    order_report,
    order_stats,
    orders_total_asset,
    raw_orders,
    regional_orders,
    revenue_by_region,
)
from orders_graphs.ops import add_totals, count_orders, keep_large, read_orders


@graph
def large_only(orders):
    return keep_large(add_totals(orders))


@graph
def large_count(orders):
    return count_orders(large_only(orders))


@job
def audit_job():
    large_count(read_orders())


orders_job = define_asset_job(
    "orders_job",
    selection=AssetSelection.assets(raw_orders, large_orders, revenue_by_region, orders_total_asset),
)
report_job = define_asset_job(
    "report_job",
    selection=AssetSelection.assets(all_orders_total, regional_orders, order_stats, order_report),
)

defs = Definitions(
    assets=[
        raw_orders,
        large_orders,
        revenue_by_region,
        orders_total_asset,
        all_orders_total,
        regional_orders,
        order_stats,
        order_report,
    ],
    jobs=[orders_job, report_job, audit_job],
)
