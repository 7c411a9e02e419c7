"""An IO manager that stores every output as a JSON file in a local directory."""

import json
import os

from dagster import ConfigurableIOManager, InputContext, OutputContext


class JsonFileIOManager(ConfigurableIOManager):
    """Serializes outputs to ``<base_dir>/<asset key>.json``."""

    base_dir: str = "/tmp/shop_analytics"

    def _path(self, context) -> str:
        return os.path.join(self.base_dir, "_".join(context.asset_key.path) + ".json")

    def handle_output(self, context: OutputContext, obj) -> None:
        os.makedirs(self.base_dir, exist_ok=True)
        with open(self._path(context), "w", encoding="utf-8") as handle:
            json.dump(obj, handle)

    def load_input(self, context: InputContext):
        with open(self._path(context), encoding="utf-8") as handle:
            return json.load(handle)
