"""DZ101 dagster-op: `@op` maps to `@step`.

Lines the rule must report end in ``# [dagster-op]``; every other line is a trap.
"""


# --- flagged: `out=Out(T)` becomes the return annotation
from dagster import Out, op


@op(name='double', out=Out(int))  # [dagster-op]
def twice(x: int):
    return 2 * x


# --- flagged: `op(...)(fn)`, the decorator applied by hand, becomes `step(...)(fn)`
from dagster import op


def _triple(x: int) -> int:
    return 3 * x


triple = op(name='thrice')(_triple)  # [dagster-op]


# --- flagged: must be reported
from dagster import op


@op  # [dagster-op]
def add_one(x: int) -> int:
    return x + 1


# --- flagged: must be reported
import dagster as dg


@dg.op(name='double')  # [dagster-op]
def twice(x: int) -> int:
    return 2 * x


# --- clean: must stay silent
from zenml import step


@step
def add_one(x: int) -> int:
    return x + 1


# --- clean: must stay silent
from operator import add


def op(fn):
    return fn


@op
def f():
    return add(1, 2)
