"""DZ309 dagster-io-manager-logic: IO managers that access data have no ZenML equivalent.

Lines the rule must report end in ``# [dagster-io-manager-logic]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import ConfigurableIOManager, InputContext, OutputContext
from sqlalchemy import create_engine, text


class WarehouseIOManager(ConfigurableIOManager):
    url: str

    def handle_output(self, context: OutputContext, obj: list) -> None:  # [dagster-io-manager-logic]
        with create_engine(self.url).begin() as conn:
            conn.execute(text(f'insert into {context.name} values (:v)'), [{'v': v} for v in obj])

    def load_input(self, context: InputContext) -> list:  # [dagster-io-manager-logic]
        with create_engine(self.url).connect() as conn:
            return list(conn.execute(text(f'select * from {context.upstream_output.name}')))


# --- flagged: a warehouse IO manager from an integration
from dagster import Definitions
from dagster_duckdb_pandas import DuckDBPandasIOManager

defs = Definitions(resources={'io_manager': DuckDBPandasIOManager(database='x.duckdb')})  # [dagster-io-manager-logic]


# --- clean: serialization only (DZ205)
import pickle

from dagster import ConfigurableIOManager, InputContext, OutputContext


class PickleIOManager(ConfigurableIOManager):
    root: str

    def handle_output(self, context: OutputContext, obj) -> None:
        with open(f'{self.root}/{context.asset_key.path[-1]}', 'wb') as f:
            pickle.dump(obj, f)

    def load_input(self, context: InputContext):
        with open(f'{self.root}/{context.asset_key.path[-1]}', 'rb') as f:
            return pickle.load(f)
