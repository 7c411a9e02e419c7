"""DZ106 dagster-context-log: `context.log` becomes standard logging.

Lines the rule must report end in ``# [dagster-context-log]``; every other line is a trap.
"""


# --- flagged: unsafe fix: a module logger; the unused context goes, then the op converts
import dagster as dg


@dg.op
def load(context) -> int:
    context.log.warning('empty')  # [dagster-context-log]
    return 0


# --- flagged: must be reported
from dagster import AssetExecutionContext, asset


@asset
def orders(context: AssetExecutionContext) -> int:
    context.log.info('loading orders')  # [dagster-context-log]
    return 1


# --- flagged: an unannotated context parameter of an op
import dagster as dg


@dg.op
def load(context) -> int:
    context.log.warning('empty')  # [dagster-context-log]
    return 0


# --- clean: must stay silent
import logging

from zenml import step

logger = logging.getLogger(__name__)


@step
def orders() -> int:
    logger.info('loading orders')
    return 1


# --- clean: trap: a parameter called context outside Dagster
def handler(context) -> None:
    context.log.info('not a Dagster context')
