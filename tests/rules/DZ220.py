"""DZ220 dagster-type: Dagster types become Python type hints.

Lines the rule must report end in ``# [dagster-type]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import DagsterType, In, op

EvenInt = DagsterType(name='EvenInt', type_check_fn=lambda _ctx, value: value % 2 == 0)  # [dagster-type]


@op(ins={'n': In(dagster_type=EvenInt)})  # [dagster-type]
def half(n):
    return n // 2


# --- clean: a Python type is a plain spec (DZ228)
from dagster import In, op


@op(ins={'n': In(int)})
def half(n):
    return n // 2
