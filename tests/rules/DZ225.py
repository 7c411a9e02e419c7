"""DZ225 dagster-pipes: Dagster Pipes becomes a step that launches the process.

Lines the rule must report end in ``# [dagster-pipes]``; every other line is a trap.
"""


# --- flagged: must be reported
import dagster as dg


@dg.asset
def report(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient):  # [dagster-pipes]
    return pipes.run(command=['python', 'report.py'], context=context).get_materialize_result()


# --- flagged: the external side
from dagster_pipes import open_dagster_pipes

with open_dagster_pipes() as pipes:  # [dagster-pipes]
    pipes.log.info('hello')


# --- clean: must stay silent
import subprocess

from zenml import step


@step
def report() -> None:
    subprocess.run(['python', 'report.py'], check=True)
