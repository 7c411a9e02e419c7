"""DZ202 dagster-multi-asset: `@multi_asset` becomes a step with several named outputs.

Lines the rule must report end in ``# [dagster-multi-asset]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import AssetOut, multi_asset


@multi_asset(outs={'orders': AssetOut(), 'users': AssetOut()})  # [dagster-multi-asset]
def load():
    return [1], [2]


# --- flagged: specs held in a variable
import dagster as dg

SPECS = [dg.AssetSpec('orders'), dg.AssetSpec('users')]  # [dagster-multi-asset]


@dg.multi_asset(specs=SPECS)  # [dagster-multi-asset]
def load():
    yield dg.MaterializeResult(asset_key='orders')
    yield dg.MaterializeResult(asset_key='users')


# --- clean: must stay silent
from typing import Annotated

from zenml import step


@step
def load() -> tuple[Annotated[list[int], 'orders'], Annotated[list[int], 'users']]:
    return [1], [2]


# --- clean: an AssetSpec outside `specs=` is an external asset (DZ209), not a multi-asset
import dagster as dg

raw = dg.AssetSpec('raw_events')
defs = dg.Definitions(assets=[raw])
