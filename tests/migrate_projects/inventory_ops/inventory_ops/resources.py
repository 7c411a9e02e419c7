import json

from dagster import ConfigurableResource


class StockFile(ConfigurableResource):
    path: str

    def load(self) -> list:
        with open(self.path) as handle:
            return json.load(handle)


class Thresholds(ConfigurableResource):
    reorder_below: int = 1
    bulk_above: int = 10
