"""Graph-backed assets: over an upstream asset, with a nested @graph, with a fan-out, two multi-assets,
one built with AssetsDefinition.from_graph."""

from dagster import AssetIn, AssetOut, AssetsDefinition, asset, graph, graph_asset, graph_multi_asset

from orders_graphs.ops import (
    add_totals,
    by_region,
    count_orders,
    keep_large,
    orders_by_region,
    read_orders,
    region_revenue,
    revenue,
    split_by_region,
)


@asset
def raw_orders() -> list:
    return read_orders_file()


def read_orders_file() -> list:
    import json

    with open("data/orders.json") as handle:
        return json.load(handle)


@graph
def with_totals(orders):
    return add_totals(orders)


@graph_asset
def large_orders(raw_orders):
    return keep_large(with_totals(raw_orders))


@graph
def orders_total(raw_orders):
    return revenue(with_totals(raw_orders))


orders_total_asset = AssetsDefinition.from_graph(orders_total)


@graph_asset
def revenue_by_region(raw_orders):
    return by_region(orders_by_region(with_totals(raw_orders)).map(region_revenue).collect())


@graph_asset
def all_orders_total():
    totals = add_totals(read_orders())
    return revenue(totals)


@graph_multi_asset(outs={"north_orders": AssetOut(), "south_orders": AssetOut()})
def regional_orders(large_orders):
    north, south = split_by_region(large_orders)
    return {"north_orders": north, "south_orders": south}


@graph_multi_asset(
    outs={"order_count": AssetOut(), "order_revenue": AssetOut()},
    ins={"orders": AssetIn("raw_orders")},
)
def order_stats(orders):
    totals = add_totals(orders)
    return count_orders(totals), revenue(totals)


@asset
def order_report(north_orders: list, south_orders: list, all_orders_total: float) -> str:
    return f"north={len(north_orders)} south={len(south_orders)} total={all_orders_total}"
