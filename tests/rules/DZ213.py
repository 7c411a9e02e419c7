"""DZ213 dagster-executor: Executors and run launchers become the orchestrator stack component.

Lines the rule must report end in ``# [dagster-executor]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import in_process_executor, job, op


@op
def one() -> int:
    return 1


@job(executor_def=in_process_executor)  # [dagster-executor]
def my_job():
    one()


# --- flagged: an executor set on `Definitions`
import dagster as dg


@dg.asset
def orders() -> list[int]:
    return [1]


defs = dg.Definitions(
    assets=[orders],
    executor=dg.multiprocess_executor.configured({'max_concurrent': 4}),  # [dagster-executor]
)


# --- flagged: the executor chosen in run config
from dagster import define_asset_job

stations = define_asset_job('stations', config={'execution': {'config': {'in_process': {}}}})  # [dagster-executor]


# --- clean: must stay silent
from zenml import pipeline, step


@step
def one() -> int:
    return 1


@pipeline
def my_pipeline():
    one()


# --- clean: trap: an executor of the standard library
from concurrent.futures import ThreadPoolExecutor

executor = ThreadPoolExecutor(max_workers=2)
