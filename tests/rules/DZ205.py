"""DZ205 dagster-io-manager: IO managers become the artifact store, materializers and explicit load/save steps.

Lines the rule must report end in ``# [dagster-io-manager]``; every other line is a trap.
"""


# --- flagged: must be reported
import pickle
from pathlib import Path

from dagster import InputContext, IOManager, OutputContext


class PickleIOManager(IOManager):  # [dagster-io-manager]
    def handle_output(self, context: OutputContext, obj) -> None:
        Path(f'/tmp/{context.name}.pkl').write_bytes(pickle.dumps(obj))

    def load_input(self, context: InputContext):
        return pickle.loads(Path(f'/tmp/{context.name}.pkl').read_bytes())


# --- flagged: `io_manager_key=` and a filesystem IO manager
import dagster as dg


@dg.asset(io_manager_key='warehouse')  # [dagster-io-manager]
def orders() -> list[int]:
    return [1]


defs = dg.Definitions(assets=[orders], resources={'warehouse': dg.FilesystemIOManager(base_dir='/tmp/data')})  # [dagster-io-manager]


# --- flagged: an IO manager from an integration package
from dagster_duckdb import DuckDBIOManager


class WarehouseIOManager(DuckDBIOManager):  # [dagster-io-manager]
    @staticmethod
    def type_handlers():
        return []


warehouse = WarehouseIOManager(database='warehouse.duckdb')


# --- clean: must stay silent
from zenml.enums import ArtifactType
from zenml.materializers.base_materializer import BaseMaterializer


class Rows:
    pass


class RowsMaterializer(BaseMaterializer):
    ASSOCIATED_TYPES = (Rows,)
    ASSOCIATED_ARTIFACT_TYPE = ArtifactType.DATA


# --- clean: trap: the user's own IOManager base class
class IOManager:
    def handle_output(self, context, obj):
        return obj


class LocalIOManager(IOManager):
    pass
