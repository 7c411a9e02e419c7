"""DZ108 dagster-logger: `get_dagster_logger()` becomes `logging.getLogger(...)`.

Lines the rule must report end in ``# [dagster-logger]``; every other line is a trap.
"""


# --- flagged: must be reported

logger = logging.getLogger("dagster.builtin")  # [dagster-logger]


# --- flagged: a named logger keeps its place under Dagster's logger

logger = logging.getLogger("dagster.builtin.sentry")  # [dagster-logger]


# --- flagged: called through the module


def work() -> None:
    logging.getLogger("dagster.builtin.etl").info('start')  # [dagster-logger]


# --- clean: must stay silent
import logging

logger = logging.getLogger(__name__)


# --- clean: trap: a local function with the same name
def get_dagster_logger():
    return None


logger = get_dagster_logger()
