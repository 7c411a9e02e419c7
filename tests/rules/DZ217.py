"""DZ217 dagster-run-config: Run config becomes ZenML YAML config.

Lines the rule must report end in ``# [dagster-run-config]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import Config, RunConfig, job, op


class LoadConfig(Config):
    limit: int = 10


@op
def load(config: LoadConfig) -> int:
    return config.limit


@job(config=RunConfig(ops={'load': LoadConfig(limit=5)}))  # [dagster-run-config]
def nightly():
    load()


# --- clean: must stay silent
from dagster import job, op


@op
def load() -> int:
    return 1


@job
def nightly():
    load()


# --- clean: trap: a plain dict called run_config handed to the user's own function
def launch(run_config: dict) -> dict:
    return run_config


launch(run_config={'ops': {'load': {'config': {'limit': 5}}}})
