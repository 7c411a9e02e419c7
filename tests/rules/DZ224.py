"""DZ224 dagster-dbt: dbt assets become one step that runs dbt.

Lines the rule must report end in ``# [dagster-dbt]``; every other line is a trap.
"""


# --- flagged: must be reported
from pathlib import Path

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

project = DbtProject(project_dir=Path('jaffle'))  # [dagster-dbt]


@dbt_assets(manifest=project.manifest_path)  # [dagster-dbt]
def jaffle(context: AssetExecutionContext, dbt: DbtCliResource):  # [dagster-dbt]
    yield from dbt.cli(['build'], context=context).stream()


# --- clean: must stay silent
from dbt.cli.main import dbtRunner
from zenml import step


@step
def run_dbt() -> None:
    dbtRunner().invoke(['build'])
