"""DZ227 dagster-integration-resource: Integration resources map to ZenML integrations, connectors or plain clients.

Lines the rule must report end in ``# [dagster-integration-resource]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import asset
from dagster_duckdb import DuckDBResource


@asset
def orders(duckdb: DuckDBResource) -> None:  # [dagster-integration-resource]
    with duckdb.get_connection() as conn:
        conn.execute('select 1')


# --- flagged: a resource in Definitions
from dagster import Definitions
from dagster_duckdb import DuckDBResource

defs = Definitions(resources={'duckdb': DuckDBResource(database='x.duckdb')})  # [dagster-integration-resource]


# --- clean: must stay silent
import duckdb
from zenml import step


@step
def orders() -> None:
    duckdb.connect('x.duckdb').execute('select 1')
