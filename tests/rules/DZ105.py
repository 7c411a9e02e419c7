"""DZ105 dagster-config: Dagster config becomes typed step/pipeline parameters.

Lines the rule must report end in ``# [dagster-config]``; every other line is a trap.
"""


# --- flagged: unsafe fix: a pydantic model with a migration note
import dagster as dg


class ScaleConfig(dg.Config):  # [dagster-config]
    factor: int = 2


# --- flagged: must be reported
import dagster as dg


class ScaleConfig(dg.Config):  # [dagster-config]
    factor: int = 2


@dg.op
def scale(config: ScaleConfig) -> int:
    return config.factor


# --- flagged: legacy `config_schema=` read through `context.op_config`
from dagster import Field, op


@op(config_schema={'factor': Field(int, default_value=2)})  # [dagster-config]
def scale(context) -> int:
    return context.op_config['factor']  # [dagster-config]


# --- clean: must stay silent
from zenml import step


@step
def scale(factor: int = 2) -> int:
    return factor


# --- clean: trap: the user's own class called Config
from pydantic import BaseModel


class Config(BaseModel):
    factor: int = 2


class ScaleConfig(Config):
    pass
