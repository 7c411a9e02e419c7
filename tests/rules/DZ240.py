"""DZ240 dagster-code-version: code_version= becomes ZenML's step cache policy.

Lines the rule must report end in ``# [dagster-code-version]``; every other line is a trap.
"""


# --- flagged: must be reported
import dagster as dg


@dg.asset(code_version='2')  # [dagster-code-version]
def orders() -> list[int]:
    return [1, 2]


# --- flagged: a versioned output of a multi-asset
from dagster import AssetOut, multi_asset


@multi_asset(outs={'a': AssetOut(code_version='1'), 'b': AssetOut()})  # [dagster-code-version]
def split():
    return 1, 2


# --- flagged: an op
from dagster import op


@op(code_version='v3')  # [dagster-code-version]
def load() -> int:
    return 1


# --- clean: the migrated step keeps the hand-kept version in its cache key
from zenml import step
from zenml.config import CachePolicy


def orders_version() -> str:
    return '2'


@step(cache_policy=CachePolicy(include_step_code=False, cache_func=orders_version))
def orders() -> list[int]:
    return [1, 2]


# --- clean: a local function named asset
def asset(**kwargs):
    return lambda fn: fn


@asset(code_version='2')
def orders() -> list[int]:
    return [1, 2]
