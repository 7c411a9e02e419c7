"""``migrate`` of resources with a lifecycle: ``@pipeline(on_init=..., on_init_kwargs=..., on_cleanup=...)``.

These tests generate code, except the last one, which runs a failing asset under real
Dagster and ZenML (both tear the resource down); ``test_migrate_projects.py`` runs
``ledger_lifecycle`` under both (values equal, set-up and tear-down once per run, twice).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from zenml_env import zenml_env

from dagster_zenml_lint.scaffold import generate_project, write_project
from dagster_zenml_lint.scaffold.lifecycle import pipeline_decorator

PROJECTS = Path(__file__).parent / "migrate_projects"

SOURCE = """\
from dagster import ConfigurableResource, Definitions, EnvVar, InitResourceContext, asset


class Warehouse(ConfigurableResource):
    dsn: str
    token: str

    def setup_for_execution(self, context: InitResourceContext) -> None:
        context.log.info("connecting")  # the direct fix makes this a module logger
        self._run_id = context.run_id

    def query(self) -> list:
        return [self.dsn]


class Plain(ConfigurableResource):
    factor: int = 2


@asset
def rows(warehouse: Warehouse, plain: Plain) -> list:
    return warehouse.query() * plain.factor


defs = Definitions(
    assets=[rows],
    resources={
        "warehouse": Warehouse(dsn="duckdb://", token=EnvVar("WAREHOUSE_TOKEN")),
        "plain": Plain(factor=3),
    },
)
"""


@pytest.fixture(scope="module")
def ledger():
    return generate_project([PROJECTS / "ledger_lifecycle"]).files


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    source = tmp_path_factory.mktemp("warehouse") / "src"
    source.mkdir()
    (source / "defs.py").write_text(SOURCE, encoding="utf-8")
    return generate_project([source]).files


def test_each_pipeline_sets_up_the_resources_its_steps_use_with_the_values_dagster_built_them_with(ledger):
    assert (
        "@pipeline(\n"
        "    on_init=set_up_resources,\n"
        '    on_init_kwargs={"store": {"path": "data/orders.json"}, "ledger": {"currency": "EUR"}},\n'
        "    on_cleanup=tear_down_resources,\n"
        ")\ndef booked_pipeline() -> None:\n"
    ) in ledger["pipelines/booked_pipeline.py"]
    assert (
        "@pipeline(\n"
        "    on_init=set_up_resources,\n"
        '    on_init_kwargs={"ledger": {"currency": "EUR"}, "audit": {"prefix": "AUD", "log_path": "lifecycle.log"}},\n'
        "    on_cleanup=tear_down_resources,\n"
        ")\ndef audit_job() -> None:\n"
    ) in ledger["pipelines/audit_job.py"]
    hooks = ledger["hooks/resources.py"]
    assert 'RESOURCE_CLASSES: dict[str, Any] = {"ledger": Ledger, "store": OrderStore}' in hooks
    assert 'RESOURCE_FUNCTIONS: dict[str, Any] = {"audit": audit_stamp}' in hooks
    assert "from helpers.ledger_lifecycle_resources import Ledger, OrderStore, audit_stamp" in hooks


def test_steps_read_the_set_up_resource_from_the_pipeline_state_instead_of_a_parameter(ledger):
    orders = ledger["steps/orders.py"]
    assert 'def orders() -> Annotated[list, "orders"]:' in orders
    assert '    store: OrderStore = get_step_context().pipeline_state["store"]\n    return store.orders()' in orders
    opening = ledger["steps/opening_entry.py"]  # context.resources.ledger, through required_resource_keys
    assert "def opening_entry() -> str:" in opening
    assert (
        '    ledger: Ledger = get_step_context().pipeline_state["ledger"]\n'
        '    audit = get_step_context().pipeline_state["audit"]\n'
        '    return f"{audit}: {ledger.entry(0)}"'
    ) in opening
    assert "store" not in ledger["configs/dev.yaml"] and "ledger" not in ledger["configs/dev.yaml"]


def test_a_resource_without_lifecycle_stays_a_configured_step_parameter(ledger):
    assert 'def booked(orders: list, rates: Rates) -> Annotated[list, "booked"]:' in ledger["steps/booked.py"]
    assert "      rates:\n        vat: 0.25" in ledger["configs/dev.yaml"]
    assert '("booked", "rates"): "Rates"' in ledger["run.py"]
    assert "rates" not in ledger["hooks/resources.py"]


def test_lifecycle_methods_lose_the_dagster_context_type_and_a_context_use_is_marked(warehouse):
    helper = next(text for path, text in warehouse.items() if "class Warehouse(BaseModel)" in text)
    assert "    def setup_for_execution(self, context) -> None:\n" in helper
    assert "setup_for_execution read(s) the Dagster InitResourceContext" in helper
    assert "# TODO(migration):" in helper
    for path, text in warehouse.items():
        if path.endswith(".py"):
            compile(text, path, "exec")
            assert "from dagster" not in text and "import dagster" not in text, path


def test_a_value_not_known_before_the_run_is_the_placeholder_with_a_todo_above_the_pipeline(warehouse):
    pipeline = next(text for path, text in warehouse.items() if path.startswith("pipelines/") and "on_init" in text)
    assert 'on_init_kwargs={"warehouse": {"dsn": "duckdb://", "token": "TODO(migration)"}}' in pipeline
    assert "# TODO(migration): the resource 'warehouse' was built with values not known before the run (token" in (
        " ".join(pipeline.split())
    )
    assert 'RESOURCE_CLASSES: dict[str, Any] = {"warehouse": Warehouse}' in warehouse["hooks/resources.py"]
    assert "def rows(plain: Plain)" in warehouse["steps/rows.py"]


def test_the_generated_lifecycle_project_passes_ruff(ledger, tmp_path):
    write_project(generate_project([PROJECTS / "ledger_lifecycle"]), tmp_path)
    for command in (["check"], ["format", "--check"]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--no-cache", "."], cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("keys", [1, 3, 12])
def test_the_decorator_parses_and_keeps_lines_within_120_columns(keys):
    resources = {f"resource_{i}": {"path": repr(f"data/file_{i}.json"), "size": str(i)} for i in range(keys)}
    text = pipeline_decorator(resources)
    tree = ast.parse(text + "\ndef p():\n    pass\n")
    call = tree.body[0].decorator_list[0]  # type: ignore[attr-defined]
    kwargs = next(k.value for k in call.keywords if k.arg == "on_init_kwargs")
    assert ast.literal_eval(kwargs) == {
        key: {"path": ast.literal_eval(v["path"]), "size": int(v["size"])} for key, v in resources.items()
    }
    assert max(len(line) for line in text.splitlines()) <= 120


def test_a_dynamic_pipeline_keeps_dynamic_true_beside_the_hooks():
    text = pipeline_decorator({"ledger": {"currency": '"EUR"'}}, dynamic=True)
    assert text == (
        "@pipeline(\n"
        "    dynamic=True,\n"
        "    on_init=set_up_resources,\n"
        '    on_init_kwargs={"ledger": {"currency": "EUR"}},\n'
        "    on_cleanup=tear_down_resources,\n"
        ")"
    )
    long = pipeline_decorator({f"r{i}": {"path": repr("x" * 30)} for i in range(6)}, dynamic=True)
    assert long.startswith("@pipeline(\n    dynamic=True,\n    on_init=set_up_resources,\n    on_init_kwargs={\n")


def test_a_generator_resource_function_is_copied_without_its_dagster_decorator(ledger):
    helper = ledger["helpers/ledger_lifecycle_resources.py"]
    assert "\n@resource" not in helper and "import resource" not in helper
    assert "# Migration note: this was a Dagster @resource generator;" in helper
    assert "def audit_stamp(init_context):\n" in helper
    for path, text in ledger.items():
        if path.endswith(".py"):
            assert "from dagster" not in text and "import dagster" not in text, path


def test_a_resource_bound_nowhere_gets_empty_values_and_a_todo(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    text = SOURCE.split("defs = Definitions(")[0]  # the same code without Definitions
    (source / "defs.py").write_text(text, encoding="utf-8")
    files = generate_project([source]).files
    pipeline = next(t for p, t in files.items() if p.startswith("pipelines/") and "on_init" in t)
    assert 'on_init_kwargs={"warehouse": {}}' in pipeline
    assert "# TODO(migration): the resource 'warehouse' is bound in no Definitions(resources=...)" in pipeline


FAILING = """\
from dagster import ConfigurableResource, Definitions, asset


class Tracker(ConfigurableResource):
    log_path: str

    def setup_for_execution(self, context) -> None:
        with open(self.log_path, "a") as handle:
            handle.write("setup\\n")

    def teardown_after_execution(self, context) -> None:
        with open(self.log_path, "a") as handle:
            handle.write("teardown\\n")


@asset
def broken(tracker: Tracker) -> int:
    raise ValueError("boom")


defs = Definitions(assets=[broken], resources={"tracker": Tracker(log_path="events.log")})
"""
MATERIALIZE = """
import dagster
import defs
dagster.materialize([defs.broken], resources=dict(defs.defs.resources), raise_on_error=False)
"""


def test_a_failing_step_still_tears_the_resource_down_as_in_dagster(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "defs.py").write_text(FAILING, encoding="utf-8")
    out = tmp_path / "out"
    write_project(generate_project([source]), out)
    env = zenml_env(tmp_path)
    dagster = subprocess.run([sys.executable, "-c", MATERIALIZE], cwd=source, env=env, capture_output=True, text=True)
    assert dagster.returncode == 0, dagster.stderr
    zenml = subprocess.run([sys.executable, "run.py"], cwd=out, env=env, capture_output=True, text=True, timeout=300)
    assert zenml.returncode == 1
    assert "failure in step(s): broken" in zenml.stderr
    assert (source / "events.log").read_text(encoding="utf-8").splitlines() == ["setup", "teardown"]
    assert (out / "events.log").read_text(encoding="utf-8").splitlines() == ["setup", "teardown"]
