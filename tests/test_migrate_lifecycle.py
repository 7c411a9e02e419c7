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
        "    on_init_kwargs={\n"
        '        "store": {"path": "data/orders.json"},\n'
        '        "ledger": {"currency": "EUR"},\n'
        '        "pricing": {"vat": 0.1, "currency": "SEK"},\n'
        "    },\n"
        "    on_cleanup=tear_down_resources,\n"
        ")\ndef booked_pipeline() -> None:\n"
    ) in ledger["pipelines/booked_pipeline.py"]
    assert (
        "@pipeline(\n"
        "    on_init=set_up_resources,\n"
        "    on_init_kwargs={\n"
        '        "ledger": {"currency": "EUR"},\n'
        '        "audit": {"prefix": "AUD", "log_path": "lifecycle.log"},\n'
        '        "pricing": {"vat": 0.1, "currency": "SEK"},\n'
        '        "label": {"prefix": "LBL"},\n'
        "    },\n"
        "    on_cleanup=tear_down_resources,\n"
        ")\ndef audit_job() -> None:\n"
    ) in ledger["pipelines/audit_job.py"]
    hooks = ledger["hooks/resources.py"]
    assert 'RESOURCE_CLASSES: dict[str, Any] = {"ledger": Ledger, "pricing": PricingFactory, "store": OrderStore}' in (
        hooks
    )
    assert 'RESOURCE_FUNCTIONS: dict[str, Any] = {"audit": audit_stamp, "label": batch_label}' in hooks
    assert (
        "from helpers.ledger_lifecycle_resources import Ledger, OrderStore, PricingFactory, audit_stamp, batch_label"
    ) in hooks


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


def test_a_factory_resource_is_read_as_what_create_resource_made_typed_as_its_resource_param(ledger):
    priced = ledger["steps/priced.py"]  # pricing: ResourceParam[Pricing], bound to PricingFactory(...)
    assert 'def priced(orders: list) -> Annotated[list, "priced"]:' in priced
    assert '    pricing: Pricing = get_step_context().pipeline_state["pricing"]\n' in priced
    assert "from helpers.ledger_lifecycle_resources import Pricing\n" in priced  # not the factory: unused there
    assert "ResourceParam" not in priced
    labelled = ledger["steps/labelled_total.py"]  # context.resources.pricing: no type to give the created object
    assert '    pricing = get_step_context().pipeline_state["pricing"]\n' in labelled
    assert "PricingFactory" not in labelled
    assert "pricing" not in ledger["configs/dev.yaml"]


def test_a_factory_class_becomes_a_base_model_whose_create_resource_takes_no_dagster_type(ledger):
    helper = ledger["helpers/ledger_lifecycle_resources.py"]
    assert "# Migration note: this was a Dagster ConfigurableResourceFactory;" in helper
    assert "class PricingFactory(BaseModel):\n" in helper  # ConfigurableResourceFactory[Pricing] went whole
    assert "    def create_resource(self, context) -> Pricing:\n" in helper
    assert "ConfigurableResourceFactory" not in helper.replace("was a Dagster ConfigurableResourceFactory", "")


def test_a_returning_resource_function_is_read_from_the_pipeline_state_and_copied_without_its_decorator(ledger):
    labelled = ledger["steps/labelled_total.py"]
    assert "def labelled_total(opening: str) -> str:" in labelled
    assert '    label = get_step_context().pipeline_state["label"]\n' in labelled
    assert 'return f"{label} {opening} {pricing.gross(10)}"' in labelled
    helper = ledger["helpers/ledger_lifecycle_resources.py"]
    assert "# Migration note: this was a Dagster @resource function; the pipelines that use it call it" in helper
    assert "\ndef batch_label(init_context):\n" in helper


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


BUILDERS = """\
from contextlib import contextmanager

from dagster import Definitions, ResourceParam, asset, resource
from dagster._config.pythonic_config import ConfigurableResourceFactory

EVENTS: list = []


class Conn:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn


class ConnFactory(ConfigurableResourceFactory[Conn]):
    dsn: str

    def setup_for_execution(self, context) -> None:
        EVENTS.append("conn setup")

    def create_resource(self, context) -> Conn:
        EVENTS.append("conn create")
        return Conn(self.dsn.upper())

    def teardown_after_execution(self, context) -> None:
        EVENTS.append("conn teardown")


class Wrapped(ConfigurableResourceFactory[str]):
    name: str

    @contextmanager
    def yield_for_execution(self, context):
        EVENTS.append("wrapped open")
        yield f"<{self.name}>"
        EVENTS.append("wrapped close")

    def create_resource(self, context) -> str:
        return "never: yield_for_execution replaces it"


@resource
def constant():
    return 42


@resource(config_schema={"user": str})
def session(init_context):
    EVENTS.append("session open")
    yield "session of " + init_context.resource_config["user"]
    EVENTS.append("session close")


@asset
def total(
    conn: ResourceParam[Conn], wrapped: ResourceParam[str], constant: ResourceParam[int], session: ResourceParam[str]
) -> str:
    return f"{conn.dsn} {wrapped} {constant} {session}"


defs = Definitions(
    assets=[total],
    resources={
        "conn": ConnFactory(dsn="duck"),
        "wrapped": Wrapped(name="w"),
        "constant": constant,
        "session": session.configured({"user": "ann"}),
    },
)
"""
UNDER_DAGSTER = """
import dagster
import defs
with dagster.build_resources(dict(defs.defs.resources)) as built:
    print(repr([built.conn.dsn, built.wrapped, built.constant, built.session]))
print(repr(defs.EVENTS))
"""
UNDER_HOOKS = """
import sys
from helpers.defs import EVENTS
from hooks.resources import set_up_resources
state = set_up_resources(**eval(sys.argv[1]))
print(repr([state["conn"].dsn, state["wrapped"], state["constant"], state["session"]]))
state.lifecycles.close()
print(repr(EVENTS))
"""


def _run_lines(script: str, cwd: Path, env: dict[str, str], *arguments: str) -> list[object]:
    done = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        cwd=cwd,
        env={**env, "PYTHONPATH": "."},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return [ast.literal_eval(line) for line in done.stdout.splitlines()[-2:]]


def test_factories_and_resource_functions_give_steps_what_dagster_gave_them(tmp_path):
    """Factories (create_resource; yield_for_execution), a returning and a yielding @resource, with and
    without a context: the generated hooks build the values Dagster's build_resources builds, and run
    each resource's set-up, creation and tear-down in Dagster's order."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "defs.py").write_text(BUILDERS, encoding="utf-8")
    out = tmp_path / "out"
    write_project(generate_project([source]), out)
    pipeline = ast.parse((out / "pipelines/total_pipeline.py").read_text(encoding="utf-8"))
    call = next(d for node in pipeline.body if isinstance(node, ast.FunctionDef) for d in node.decorator_list)
    kwargs = ast.literal_eval(next(k.value for k in call.keywords if k.arg == "on_init_kwargs"))  # type: ignore[attr-defined]
    assert kwargs == {"conn": {"dsn": "duck"}, "wrapped": {"name": "w"}, "constant": {}, "session": {"user": "ann"}}
    env = zenml_env(tmp_path)
    dagster_values, dagster_events = _run_lines(UNDER_DAGSTER, source, env)
    values, events = _run_lines(UNDER_HOOKS, out, env, repr(kwargs))
    assert values == dagster_values == ["DUCK", "<w>", 42, "session of ann"]
    assert sorted(events) == sorted(dagster_events)  # type: ignore[arg-type]
    for resource in ("conn", "wrapped", "session"):  # independent resources: each one's own order is Dagster's
        assert [e for e in events if e.startswith(resource)] == [e for e in dagster_events if e.startswith(resource)]
    assert [e for e in events if e.startswith("conn")] == ["conn setup", "conn create", "conn teardown"]
    step = (out / "steps/total.py").read_text(encoding="utf-8")
    assert '    conn: Conn = get_step_context().pipeline_state["conn"]\n' in step
    assert '    constant: int = get_step_context().pipeline_state["constant"]\n' in step


IO_MANAGER_FACTORY = """\
import sqlite3

from dagster import ConfigurableIOManagerFactory, Definitions, InputContext, IOManager, OutputContext, asset


class WarehouseIOManager(IOManager):
    def __init__(self, path: str) -> None:
        self.path = path

    def handle_output(self, context: OutputContext, obj) -> None:
        with sqlite3.connect(self.path) as db:
            db.execute("INSERT INTO outputs VALUES (?, ?)", (context.name, repr(obj)))

    def load_input(self, context: InputContext):
        with sqlite3.connect(self.path) as db:
            return db.execute("SELECT value FROM outputs WHERE name = ?", (context.name,)).fetchone()


class WarehouseFactory(ConfigurableIOManagerFactory):
    path: str

    def create_io_manager(self, context) -> WarehouseIOManager:
        return WarehouseIOManager(self.path)


@asset(io_manager_key="warehouse")
def numbers() -> list:
    return [1, 2, 3]


defs = Definitions(assets=[numbers], resources={"warehouse": WarehouseFactory(path="w.db")})
"""


def test_an_io_manager_factory_is_the_io_manager_its_create_io_manager_builds(tmp_path):
    """The factory has no handle_output/load_input: the step was told its outputs were only serialized
    (and left cached) and got a materializer skeleton of the factory, though the IO manager it builds
    writes a database."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "defs.py").write_text(IO_MANAGER_FACTORY, encoding="utf-8")
    files = generate_project([source]).files
    step = " ".join(w for w in next(t for p, t in files.items() if p.startswith("steps/numbers")).split() if w != "#")
    assert "the outputs of this step were stored by WarehouseIOManager (defs.py:6), which reads and writes" in step
    assert "@step(enable_cache=False)" in step and "only serialized" not in step
    assert "steps/save_to_warehouse.py" in files and "steps/load_from_warehouse.py" in files
    assert not [p for p in files if p.startswith("materializers/warehouse")]


RUN_CONFIGURED = """\
from dagster import InitResourceContext, job, op, resource


class Conn:
    def __init__(self, host: str) -> None:
        self.host = host


@resource(config_schema={"host": str})
def postgres(context: InitResourceContext) -> Conn:
    return Conn(context.resource_config["host"])


@op(required_resource_keys={"database"})
def ping(context) -> str:
    return context.resources.database.host


@job(
    resource_defs={"database": postgres},
    config={"resources": {"database": {"config": {"host": "db.internal"}}}},
)
def ping_job():
    ping()
"""


def test_a_resource_function_keeps_no_dagster_context_type_and_a_config_it_is_not_given_is_a_todo(tmp_path):
    """corise-dagster's shape: ``def postgres_resource(context: InitResourceContext)`` configured through
    run config. The helper imported Dagster for the annotation; the pipeline passed {} with no word."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "defs.py").write_text(RUN_CONFIGURED, encoding="utf-8")
    files = generate_project([source]).files
    helper = next(t for p, t in files.items() if p.startswith("helpers/") and "def postgres" in t)
    assert "def postgres(context) -> Conn:\n" in helper
    assert "dagster" not in helper.replace("Dagster", "")
    pipeline = " ".join(w for w in files["pipelines/ping_job.py"].split() if w != "#")
    assert "TODO(migration): the @resource 'database' declares a config_schema but the migrated code gives" in (
        pipeline
    )
    assert 'on_init_kwargs={"database": {}}' in pipeline
    assert 'database = get_step_context().pipeline_state["database"]' in files["steps/ping.py"]
