"""The project's own IO manager base class: every table IO manager derives from it."""

from abc import ABC

import dagster as dg


class WarehouseIOManager(dg.ConfigurableIOManager, ABC):  # [dagster-io-manager]
    root: str

    def table_name(self, context: dg.OutputContext) -> str:
        return "_".join(context.asset_key.path)


class NotAnIOManager:
    """A plain helper class next to the base."""
