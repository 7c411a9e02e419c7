import csv
import json
from pathlib import Path

from dagster import ConfigurableIOManager, ConfigurableResource, InputContext, OutputContext


class SignupExport(ConfigurableResource):
    """Where the nightly signup CSV lives."""

    directory: str
    filename: str = "signups.csv"

    def rows(self) -> list[dict]:
        with open(Path(self.directory) / self.filename, newline="") as handle:
            return list(csv.DictReader(handle))


class Notifier(ConfigurableResource):
    channel: str
    token: str

    def message(self, text: str) -> str:
        return f"#{self.channel}: {text}"


class JsonIOManager(ConfigurableIOManager):
    base_dir: str

    def handle_output(self, context: OutputContext, obj) -> None:
        path = Path(self.base_dir) / f"{context.asset_key.path[-1]}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(obj))

    def load_input(self, context: InputContext):
        path = Path(self.base_dir) / f"{context.asset_key.path[-1]}.json"
        return json.loads(path.read_text())
