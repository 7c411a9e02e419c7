"""DZ203 dagster-graph-asset: Graph-backed assets become helper steps plus a terminal step.

Lines the rule must report end in ``# [dagster-graph-asset]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import graph_asset, op


@op
def fetch() -> list[int]:
    return [1, 2]


@op
def clean_rows(rows: list[int]) -> list[int]:
    return rows


@graph_asset  # [dagster-graph-asset]
def orders():
    return clean_rows(fetch())


# --- flagged: an asset made from a graph
import dagster as dg


@dg.op
def fetch() -> int:
    return 1


@dg.graph
def build():
    return fetch()


orders = dg.AssetsDefinition.from_graph(build)  # [dagster-graph-asset]


# --- clean: a plain asset is DZ201 only
from dagster import asset


@asset
def orders() -> list[int]:
    return [1, 2]
