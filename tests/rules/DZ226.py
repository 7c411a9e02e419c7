"""DZ226 dagster-nothing-dependency: Ordering-only dependencies become `after=`.

Lines the rule must report end in ``# [dagster-nothing-dependency]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import asset


@asset
def raw() -> None:
    return None


@asset(deps=[raw])  # [dagster-nothing-dependency]
def clean() -> int:
    return 1


# --- flagged: In(Nothing)
import dagster as dg


@dg.op(ins={'start': dg.In(dg.Nothing)})  # [dagster-nothing-dependency]
def after_start() -> int:
    return 1


# --- clean: must stay silent
from dagster import asset


@asset
def clean(raw: int) -> int:
    return raw
