"""DZ108 dagster-logger: `get_dagster_logger()` becomes `logging.getLogger(...)`.

Lines the rule must report end in ``# [dagster-logger]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import get_dagster_logger

logger = get_dagster_logger()  # [dagster-logger]


# --- flagged: a named logger keeps its place under Dagster's logger
from dagster import get_dagster_logger

logger = get_dagster_logger('sentry')  # [dagster-logger]


# --- flagged: called through the module
import dagster


def work() -> None:
    dagster.get_dagster_logger('etl').info('start')  # [dagster-logger]


# --- clean: must stay silent
import logging

logger = logging.getLogger(__name__)


# --- clean: trap: a local function with the same name
def get_dagster_logger():
    return None


logger = get_dagster_logger()
