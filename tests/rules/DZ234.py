"""DZ234 dagster-custom-logger: Custom Dagster loggers become standard logging configuration.

Lines the rule must report end in ``# [dagster-custom-logger]``; every other line is a trap.
"""


# --- flagged: a logger definition and the job that installs it
import logging

from dagster import InitLoggerContext, job, logger, op


@logger({"level": str}, description="the team's JSON logger")  # [dagster-custom-logger]
def team_logger(init_context: InitLoggerContext) -> logging.Logger:  # [dagster-custom-logger]
    found = logging.getLogger("team")
    found.setLevel(init_context.logger_config["level"])
    return found


@op
def load() -> int:
    return 1


@job(logger_defs={"team": team_logger})  # [dagster-custom-logger]
def nightly():
    load()


# --- flagged: a graph made into a job with loggers, and run config for them
from dagster import RunConfig, graph


@graph
def loading():
    load()


loading_job = loading.to_job(name="loading_job", logger_defs={"team": team_logger})  # [dagster-custom-logger]
run_config = RunConfig(loggers={"team": {"config": {"level": "INFO"}}})  # [dagster-custom-logger]


# --- flagged: a ready-made Dagster logger given to Definitions
import dagster as dg


@dg.asset
def orders() -> int:
    return 1


defs = dg.Definitions(assets=[orders], loggers={"console": dg.colored_console_logger})  # [dagster-custom-logger]


# --- flagged: a helper typed with the class of context.log
from dagster import DagsterLogManager


def report(log: DagsterLogManager, rows: int) -> None:  # [dagster-custom-logger]
    log.info(f"loaded {rows} rows")


# --- clean: must stay silent
import logging

logging.basicConfig(level=logging.INFO)
module_logger = logging.getLogger(__name__)


def count() -> int:
    module_logger.info("counting")
    return 1


# --- clean: trap: loggers passed on from definitions built elsewhere, and no loggers
import dagster as dg

base = dg.Definitions()
merged = dg.Definitions(jobs=base.jobs, loggers=base.loggers)
unset = dg.Definitions(loggers=None)


# --- clean: trap: names spelled like Dagster's outside Dagster
def make_logger(name: str) -> str:
    return name


loggers = {"console": make_logger("console")}
