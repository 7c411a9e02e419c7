"""DZ305 dagster-asset-selection: Asset selection has no ZenML equivalent.

Lines the rule must report end in ``# [dagster-asset-selection]``; every other line is a trap.
"""


# --- flagged: must be reported
import dagster as dg

sales = dg.define_asset_job('sales', selection=dg.AssetSelection.groups('sales').downstream())  # [dagster-asset-selection]


# --- flagged: a selection string passed positionally
from dagster import define_asset_job

sales = define_asset_job('sales', 'group:sales')  # [dagster-asset-selection]


# --- flagged: a schedule targeting a list of assets
from dagster import ScheduleDefinition, asset


@asset
def orders() -> int:
    return 1


nightly = ScheduleDefinition(name='nightly', target=[orders], cron_schedule='0 0 * * *')  # [dagster-asset-selection]


# --- clean: must stay silent
from dagster import define_asset_job

all_assets = define_asset_job('all_assets')


# --- clean: a dbt profile target is not a selection
from dagster_dbt import DbtCliResource



def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir='jaffle', target='PROD')
