"""DZ204 dagster-graph: `@graph` becomes a pipeline or is inlined into one.

Lines the rule must report end in ``# [dagster-graph]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import graph, op


@op
def one() -> int:
    return 1


@op
def double(x: int) -> int:
    return 2 * x


@graph  # [dagster-graph]
def compute():
    double(one())


compute_job = compute.to_job(name='compute_job')  # [dagster-graph]


# --- flagged: a graph with declared outputs
import dagster as dg


@dg.op
def one() -> int:
    return 1


@dg.graph(out={'result': dg.GraphOut()})  # [dagster-graph]
def nested():
    return {'result': one()}


# --- clean: must stay silent
from zenml import pipeline, step


@step
def one() -> int:
    return 1


@pipeline
def compute():
    one()


# --- clean: trap: a local function called graph
def graph(edges):
    return {a: b for a, b in edges}


g = graph([(1, 2)])
