"""DZ201 dagster-asset: `@asset` becomes a step whose output artifact carries the asset's name.

Lines the rule must report end in ``# [dagster-asset]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import asset


@asset  # [dagster-asset]
def orders() -> list[int]:
    return [1, 2]


# --- flagged: called decorator through the `dg` alias
import dagster as dg


@dg.asset(group_name='sales')  # [dagster-asset]
def orders() -> list[int]:
    return [1, 2]


# --- flagged: `asset(fn)` applied as a call
import dagster


def compute_orders() -> list[int]:
    return [1, 2]


orders = dagster.asset(compute_orders)  # [dagster-asset]


# --- flagged: renamed import
from dagster import asset as dasset


@dasset  # [dagster-asset]
def orders() -> list[int]:
    return [1, 2]


# --- clean: must stay silent
from typing import Annotated

from zenml import step


@step
def orders() -> Annotated[list[int], 'orders']:
    return [1, 2]


# --- clean: trap: a local decorator called asset
def asset(fn):
    return fn


@asset
def orders() -> list[int]:
    return [1, 2]
