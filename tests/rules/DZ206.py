"""DZ206 dagster-resource: Resources become stack components, secrets, service connectors or helpers built in the step.

Lines the rule must report end in ``# [dagster-resource]``; every other line is a trap.
"""


# --- flagged: must be reported
import dagster as dg


class WarehouseResource(dg.ConfigurableResource):  # [dagster-resource]
    dsn: str

    def query(self, sql: str) -> list[tuple]:
        return []


@dg.asset
def orders(warehouse: WarehouseResource) -> list[tuple]:
    return warehouse.query('select 1')


defs = dg.Definitions(assets=[orders], resources={'warehouse': WarehouseResource(dsn='duckdb://')})  # [dagster-resource]


# --- flagged: legacy `@resource` and injection through `context.resources`
from dagster import op, resource


@resource  # [dagster-resource]
def api_client(init_context):
    return object()


@op(required_resource_keys={'api'})  # [dagster-resource]
def call_api(context) -> str:
    return str(context.resources.api)  # [dagster-resource]


# --- clean: must stay silent
from zenml import step


class WarehouseClient:
    def __init__(self, dsn: str):
        self.dsn = dsn


@step
def orders(dsn: str) -> str:
    return WarehouseClient(dsn).dsn


# --- clean: trap: a local decorator called resource
def resource(fn):
    return fn


@resource
def api_client():
    return object()


# --- clean: an empty `resources={}` injects nothing
from dagster import Definitions, asset


@asset
def orders() -> int:
    return 1


defs = Definitions(assets=[orders], resources={})
