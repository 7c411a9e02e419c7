"""A fan-out over the regions of an orders file: DynamicOut, .map() (chained) and .collect()."""

import json

from dagster import DynamicOut, DynamicOutput, op


@op(out=DynamicOut(dict))
def region_batches():
    """One dynamic output per region of the orders file."""
    with open("data/orders.json") as handle:
        orders = json.load(handle)
    if not orders:
        return
    for region in sorted(orders):
        yield DynamicOutput({"region": region, "amounts": orders[region]}, mapping_key=region)


@op
def without_refunds(batch: dict) -> dict:
    return {"region": batch["region"], "amounts": [a for a in batch["amounts"] if a > 0]}


@op
def batch_total(batch: dict) -> float:
    return round(sum(batch["amounts"]), 2)


@op
def grand_total(totals: list) -> float:
    return round(sum(totals), 2)


@op
def largest(totals: list) -> float:
    return max(totals)
