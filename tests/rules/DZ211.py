"""DZ211 dagster-dynamic-output: Dynamic outputs become a dynamic pipeline or a fixed fan-out.

Lines the rule must report end in ``# [dagster-dynamic-output]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import DynamicOut, DynamicOutput, job, op


@op(out=DynamicOut())  # [dagster-dynamic-output]
def files():
    for name in ['a', 'b']:
        yield DynamicOutput(name, mapping_key=name)  # [dagster-dynamic-output]


@op
def size(name: str) -> int:
    return len(name)


@op
def total(sizes: list[int]) -> int:
    return sum(sizes)


@job
def sizes_job():
    total(files().map(size).collect())  # [dagster-dynamic-output]


# --- flagged: `dg` alias
import dagster as dg


@dg.op(out=dg.DynamicOut(int))  # [dagster-dynamic-output]
def numbers():
    yield dg.DynamicOutput(1, mapping_key='one')  # [dagster-dynamic-output]


# --- clean: must stay silent
from zenml import pipeline, step


@step
def size(name: str) -> int:
    return len(name)


@pipeline
def sizes():
    for name in ['a', 'b']:
        size(name)


# --- clean: the builtin map inside an op body is not a fan-out
from dagster import op


@op
def lengths(names: list[str]) -> list[int]:
    return list(map(len, names))
