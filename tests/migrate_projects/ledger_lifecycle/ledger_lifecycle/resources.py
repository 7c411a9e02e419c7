"""Resources with a lifecycle: each appends what it does to a log file, so a test can count set-ups per run."""

import json
from contextlib import contextmanager
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext, resource
from dagster._config.pythonic_config import ConfigurableResourceFactory  # dagster 1.13 exports it only here
from pydantic import PrivateAttr


def log_event(path: str, event: str) -> None:
    with open(path, "a") as handle:
        handle.write(event + "\n")


class OrderStore(ConfigurableResource):
    """The orders file, read in setup_for_execution and dropped in teardown_after_execution."""

    path: str
    log_path: str = "lifecycle.log"
    _orders: list = PrivateAttr(default_factory=list)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        log_event(self.log_path, "store setup")
        self._orders = json.loads(Path(self.path).read_text())

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        log_event(self.log_path, "store teardown")
        self._orders = []

    def orders(self) -> list:
        return list(self._orders)


class Ledger(ConfigurableResource):
    """A ledger session, opened and closed around the run."""

    currency: str
    log_path: str = "lifecycle.log"
    _session: str = PrivateAttr(default="closed")

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext):
        log_event(self.log_path, "ledger open")
        self._session = "open"
        yield self
        self._session = "closed"
        log_event(self.log_path, "ledger close")

    def entry(self, amount: float) -> str:
        return f"{amount:.2f} {self.currency} ({self._session})"


class Rates(ConfigurableResource):
    """No lifecycle: a plain configured value."""

    vat: float = 0.2


@resource(config_schema={"prefix": str, "log_path": str})
def audit_stamp(init_context):
    """A legacy generator resource: set-up before the yield, tear-down after it."""
    log_path = init_context.resource_config["log_path"]
    log_event(log_path, "audit open")
    try:
        yield init_context.resource_config["prefix"] + "-0001"
    finally:
        log_event(log_path, "audit close")


class Pricing:
    """What the pricing factory builds: a plain object, not a resource (it has no ``vat`` field)."""

    def __init__(self, rate: float, label: str) -> None:
        self.rate = rate
        self.label = label

    def gross(self, amount: float) -> str:
        return f"{amount * self.rate:.2f} {self.label}"


class PricingFactory(ConfigurableResourceFactory[Pricing]):
    """A factory: steps get what create_resource returns, never the factory itself."""

    vat: float
    currency: str = "EUR"

    def create_resource(self, context: InitResourceContext) -> Pricing:
        return Pricing(1 + self.vat, self.currency.lower())


@resource(config_schema={"prefix": str})
def batch_label(init_context):
    """A legacy @resource that returns its value (no tear-down)."""
    return init_context.resource_config["prefix"] + "/batch-7"
