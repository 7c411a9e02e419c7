"""DZ212 dagster-definitions: `Definitions` becomes pipelines in modules, a `run.py` entry point and a stack.

Lines the rule must report end in ``# [dagster-definitions]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import Definitions, asset


@asset
def orders() -> list[int]:
    return [1]


defs = Definitions(assets=[orders])  # [dagster-definitions]


# --- flagged: a legacy repository
import dagster as dg


@dg.op
def one() -> int:
    return 1


@dg.job
def my_job():
    one()


@dg.repository  # [dagster-definitions]
def my_repo():
    return [my_job]


# --- flagged: assets collected from modules
import sys

from dagster import Definitions, load_assets_from_modules

this_module = sys.modules[__name__]
defs = Definitions(assets=load_assets_from_modules([this_module]))  # [dagster-definitions]


# --- clean: must stay silent
from zenml import pipeline, step


@step
def one() -> int:
    return 1


@pipeline
def my_pipeline():
    one()


if __name__ == '__main__':
    my_pipeline()


# --- clean: trap: the user's own class called Definitions
class Definitions:
    def __init__(self, **parts):
        self.parts = parts


defs = Definitions(assets=[])
