"""DZ101 dagster-op: `@op` maps to `@step`.

Lines the rule must report end in ``# [dagster-op]``; every other line is a trap.
"""


# --- flagged: `out=Out(T)` becomes the return annotation


@step(name='double')  # [dagster-op]
def twice(x: int) -> int:
    return 2 * x


# --- flagged: `op(...)(fn)`, the decorator applied by hand, becomes `step(...)(fn)`


def _triple(x: int) -> int:
    return 3 * x


triple = step(name='thrice')(_triple)  # [dagster-op]


# --- flagged: must be reported


@step  # [dagster-op]
def add_one(x: int) -> int:
    return x + 1


# --- flagged: must be reported


@step(name='double')  # [dagster-op]
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
