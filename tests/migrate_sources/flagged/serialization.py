"""An IO manager that only serializes values to JSON files (a materializer's job in ZenML)."""

import json
import os

from dagster import ConfigurableIOManager, InputContext, OutputContext


class JsonFileIOManager(ConfigurableIOManager):
    """Writes each output as a JSON file named after the asset."""

    base_dir: str

    def handle_output(self, context: OutputContext, obj) -> None:
        with open(os.path.join(self.base_dir, f"{context.asset_key.path[-1]}.json"), "w") as handle:
            json.dump(obj, handle)

    def load_input(self, context: InputContext):
        with open(os.path.join(self.base_dir, f"{context.asset_key.path[-1]}.json")) as handle:
            return json.load(handle)
