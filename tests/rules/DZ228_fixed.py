"""DZ228 dagster-io-spec: Input/output specs become step signatures.

Lines the rule must report end in ``# [dagster-io-spec]``; every other line is a trap.
"""


# --- flagged: must be reported
from typing import Annotated

from dagster import AssetIn, asset
from zenml import step


@asset(ins={'raw': AssetIn(key='raw_orders')})  # [dagster-io-spec]
def orders(raw: int) -> int:
    return raw


# --- flagged: a plain Out


@step  # [dagster-io-spec]
def total() -> Annotated[int, "total"]:
    return 1


# --- clean: In(Nothing) is DZ226
from dagster import In, Nothing, op


@op(ins={'after': In(Nothing)})
def last():
    return 1


# --- clean: an optional Out is DZ221
from dagster import Out, op


@op(out=Out(is_required=False))
def maybe():
    return None
