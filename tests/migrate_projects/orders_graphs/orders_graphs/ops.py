"""Plain ops that the graph-backed assets and the op job are made of."""

import json

from dagster import Config, DynamicOut, DynamicOutput, Out, op


@op
def read_orders() -> list:
    with open("data/orders.json") as handle:
        return json.load(handle)


@op
def add_totals(orders: list) -> list:
    return [dict(order, total=order["units"] * order["price"]) for order in orders]


class LargeConfig(Config):
    threshold: float = 20.0


@op
def keep_large(config: LargeConfig, orders: list) -> list:
    return [order for order in orders if order["total"] >= config.threshold]


@op(out={"north": Out(list), "south": Out(list)})
def split_by_region(orders: list):
    north = [order for order in orders if order["region"] == "north"]
    south = [order for order in orders if order["region"] == "south"]
    return north, south


@op
def revenue(orders: list) -> float:
    return round(sum(order["total"] for order in orders), 2)


@op
def count_orders(orders: list) -> int:
    return len(orders)


@op(out=DynamicOut(dict))
def orders_by_region(orders: list):
    """One dynamic output per region, in the order of the regions' names."""
    for region in sorted({order["region"] for order in orders}):
        yield DynamicOutput(
            {"region": region, "orders": [o for o in orders if o["region"] == region]},
            region,
        )


@op
def region_revenue(batch: dict) -> dict:
    return {
        "region": batch["region"],
        "revenue": round(sum(order["total"] for order in batch["orders"]), 2),
    }


@op
def by_region(revenues: list) -> dict:
    return {item["region"]: item["revenue"] for item in revenues}
