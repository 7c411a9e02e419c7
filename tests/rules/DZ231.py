"""DZ231 dagster-integration-assets: Integration asset factories become one step that runs the tool.

Lines the rule must report end in ``# [dagster-integration-assets]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import AssetExecutionContext
from dagster_sling import SlingResource, sling_assets


@sling_assets(replication_config='replication.yaml')  # [dagster-integration-assets]
def postgres_tables(context: AssetExecutionContext, sling: SlingResource):
    yield from sling.replicate(context=context)


# --- flagged: a notebook asset
from dagstermill import define_dagstermill_asset

report = define_dagstermill_asset(name='report', notebook_path='report.ipynb')  # [dagster-integration-assets]


# --- clean: must stay silent
import dlt
from zenml import step


@step
def load_github() -> None:
    dlt.pipeline(pipeline_name='github', destination='duckdb').run([{'id': 1}])
