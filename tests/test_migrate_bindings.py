"""Resource bindings per pipeline: a pipeline sets up the resources of the Dagster run unit it replaces.

Dagster gives a job the resources of its own ``resource_defs``, else those of its code
location's ``Definitions(resources=...)``. Two jobs binding one key differently (a local and a
deployed job, two code locations) each keep their binding in the generated pipeline's
``on_init_kwargs``; the first test builds the resources under real Dagster and through the
generated hooks and compares what each run unit's steps get.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from zenml_env import zenml_env

from dagster_zenml_lint.scaffold import generate_project, write_project

JOBS = """\
from dagster import ConfigurableResource, Definitions, OpExecutionContext, ResourceDefinition, asset, job, op


class Store(ConfigurableResource):
    prefix: str

    def setup_for_execution(self, context) -> None:
        pass

    def label(self) -> str:
        return f"{self.prefix}!"


@op
def read(store: Store) -> str:
    return store.label()


@op(required_resource_keys={"cache"})
def warm(context: OpExecutionContext) -> str:
    return type(context.resources.cache).__name__


@asset
def shelved(store: Store) -> str:
    return store.label()


@job(resource_defs={"store": Store(prefix="local")})
def local_job():
    read()


@job(resource_defs={"store": Store(prefix="prod")})
def prod_job():
    read()


@job(resource_defs={"cache": ResourceDefinition.mock_resource()})
def mock_cache_job():
    warm()


@job(resource_defs={"cache": Store(prefix="real")})
def real_cache_job():
    warm()


defs = Definitions(
    assets=[shelved],
    jobs=[local_job, prod_job, mock_cache_job, real_cache_job],
    resources={"store": Store(prefix="shared")},
)
"""
UNDER_DAGSTER = """
import jobs
runs = {"local_job": "read", "prod_job": "read", "real_cache_job": "warm"}
found = {name: jobs.defs.resolve_job_def(name).execute_in_process().output_for_node(op) for name, op in runs.items()}
found["shelved_pipeline"] = jobs.defs.resolve_implicit_global_asset_job_def().execute_in_process().output_for_node(
    "shelved"
)
print(repr(found))
"""
UNDER_HOOKS = """
import sys
from hooks.resources import set_up_resources
found = {}
for pipeline, kwargs in eval(sys.argv[1]).items():
    state = set_up_resources(**kwargs)
    found[pipeline] = state["store"].label() if "store" in state else type(state["cache"]).__name__
    state.lifecycles.close()
print(repr(found))
"""


def _on_init_kwargs(text: str) -> dict[str, dict[str, object]] | None:
    """The literal ``on_init_kwargs=`` of a pipeline module's ``@pipeline`` (None: no hooks)."""
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call):
                    given = next((k.value for k in decorator.keywords if k.arg == "on_init_kwargs"), None)
                    return ast.literal_eval(given) if given is not None else None
    return None


def _run(script: str, cwd: Path, env: dict[str, str], *arguments: str) -> object:
    done = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        cwd=cwd,
        env={**env, "PYTHONPATH": "."},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return ast.literal_eval(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    root = tmp_path_factory.mktemp("bindings")
    source = root / "src"
    source.mkdir()
    (source / "jobs.py").write_text(JOBS, encoding="utf-8")
    out = root / "out"
    write_project(generate_project([source]), out)
    return source, out


def test_each_pipeline_sets_up_the_resources_its_own_job_or_definitions_bound(migrated):
    _, out = migrated
    kwargs = {
        path.stem: _on_init_kwargs(path.read_text(encoding="utf-8"))
        for path in out.glob("pipelines/*_*.py")
        if path.stem != "__init__"
    }
    assert kwargs == {
        "local_job": {"store": {"prefix": "local"}},  # the job's own resource_defs, not Definitions' nor prod's
        "prod_job": {"store": {"prefix": "prod"}},
        "shelved_pipeline": {"store": {"prefix": "shared"}},  # no job of its own: Definitions(resources=...)
        "real_cache_job": {"cache": {"prefix": "real"}},
        "mock_cache_job": {},  # bound to a Dagster mock: never the other job's Store (TODO below)
    }


def test_the_hooks_give_each_pipeline_what_dagster_gave_its_run_unit(migrated, tmp_path):
    source, out = migrated
    env = zenml_env(tmp_path)
    under_dagster = _run(UNDER_DAGSTER, source, env)
    kwargs = {
        path.stem: _on_init_kwargs(path.read_text(encoding="utf-8"))
        for path in out.glob("pipelines/*_*.py")
        if path.stem not in ("__init__", "mock_cache_job")
    }
    under_hooks = _run(UNDER_HOOKS, out, env, repr(kwargs))
    assert (
        under_hooks
        == under_dagster
        == {
            "local_job": "local!",
            "prod_job": "prod!",
            "real_cache_job": "Store",
            "shelved_pipeline": "shared!",
        }
    )


def test_a_key_its_job_bound_to_something_the_hooks_do_not_build_is_left_out_with_a_todo(migrated):
    _, out = migrated
    text = (out / "pipelines/mock_cache_job.py").read_text(encoding="utf-8")
    todo = " ".join(line.lstrip("# ") for line in text.splitlines() if line.startswith("#"))
    assert "bound the resource 'cache' to `mock_resource` (jobs.py:" in todo
    assert "hooks/resources.py builds 'cache' from `Store` (jobs.py:" in todo
    assert "on_init_kwargs leaves 'cache' out" in todo


LOCATION = """\
from dagster import ConfigurableResource, Definitions, asset


class Store(ConfigurableResource):
    prefix: str

    def setup_for_execution(self, context) -> None:
        pass


@asset
def rows_{name}(store: Store) -> str:
    return store.prefix


defs = Definitions(assets=[rows_{name}], resources={{"store": Store(prefix={name!r})}})
"""


def test_two_code_locations_keep_their_own_definitions_resources(tmp_path):
    for name in ("east", "west"):
        location = tmp_path / "src" / name
        location.mkdir(parents=True)
        (location / "pyproject.toml").write_text(f'[project]\nname = "{name}"\n', encoding="utf-8")
        (location / f"defs_{name}.py").write_text(LOCATION.format(name=name), encoding="utf-8")
    files = generate_project([tmp_path / "src"]).files
    assert _on_init_kwargs(files["pipelines/rows_east_pipeline.py"]) == {"store": {"prefix": "east"}}
    assert _on_init_kwargs(files["pipelines/rows_west_pipeline.py"]) == {"store": {"prefix": "west"}}


NESTED = """\
from dagster import Definitions, ResourceParam, asset, resource


class Client:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn


@resource(config_schema={"dsn": str})
def database(init_context):
    return init_context.resource_config["dsn"]


@resource(required_resource_keys={"database"})
def client(init_context):
    return Client(init_context.resources.database)


@asset
def rows(client: ResourceParam[Client]) -> str:
    return client.dsn


defs = Definitions(
    assets=[rows],
    resources={"database": database.configured({"dsn": "duck"}), "client": client},
)
"""


def test_a_resource_function_reading_other_resources_gets_a_todo_above_it(tmp_path):
    """The hooks' stand-in init context has no ``resources``: a nested resource is marked where it is copied."""
    (tmp_path / "defs.py").write_text(NESTED, encoding="utf-8")
    helpers = generate_project([tmp_path]).files["helpers/defs.py"]
    definitions = helpers.split("\n\n\n")  # each copied definition with the comments above it
    client = next(d for d in definitions if "\ndef client(" in d or d.startswith("def client("))
    todo = " ".join(line.lstrip("# ") for line in client.splitlines() if line.startswith("#"))
    assert "this @resource reads other resources from its init context ('database'" in todo
    assert helpers.count("reads other resources") == 1


DERIVED_FACTORY = """\
from dagster import Definitions, ResourceParam, asset
from dagster._config.pythonic_config import ConfigurableResourceFactory

EVENTS: list = []


class Conn:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn


class BaseFactory(ConfigurableResourceFactory[Conn]):
    dsn: str

    def create_resource(self, context) -> Conn:
        EVENTS.append("create")
        return Conn(self.dsn.upper())


class ConnFactory(BaseFactory):
    def setup_for_execution(self, context) -> None:
        EVENTS.append("setup")


@asset
def rows(conn: ResourceParam[Conn]) -> str:
    return conn.dsn


defs = Definitions(assets=[rows], resources={"conn": ConnFactory(dsn="duck")})
"""
FACTORY_UNDER_DAGSTER = """
import dagster
import defs
with dagster.build_resources(dict(defs.defs.resources)) as built:
    value = built.conn.dsn
print(repr([value, defs.EVENTS]))
"""
FACTORY_UNDER_HOOKS = """
import sys
from helpers.defs import EVENTS
from hooks.resources import set_up_resources
state = set_up_resources(**eval(sys.argv[1]))
value = state["conn"].dsn
state.lifecycles.close()
print(repr([value, EVENTS]))
"""


def test_a_subclass_of_a_project_resource_factory_is_a_factory_too(tmp_path):
    """``class ConnFactory(BaseFactory)`` with ``BaseFactory(ConfigurableResourceFactory[Conn])``: set up and
    created by the hooks as Dagster does (it was a plain class: the step kept Dagster's ``ResourceParam``)."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "defs.py").write_text(DERIVED_FACTORY, encoding="utf-8")
    out = tmp_path / "out"
    write_project(generate_project([source]), out)
    kwargs = _on_init_kwargs((out / "pipelines/rows_pipeline.py").read_text(encoding="utf-8"))
    assert kwargs == {"conn": {"dsn": "duck"}}
    assert 'conn: Conn = get_step_context().pipeline_state["conn"]' in (out / "steps/rows.py").read_text("utf-8")
    env = zenml_env(tmp_path)
    under_dagster = _run(FACTORY_UNDER_DAGSTER, source, env)
    under_hooks = _run(FACTORY_UNDER_HOOKS, out, env, repr(kwargs))
    assert under_hooks == under_dagster == ["DUCK", ["setup", "create"]]


PARAMETER = """\
from dagster import ConfigurableResource, Definitions, EnvVar, job, op


class Store(ConfigurableResource):
    prefix: str
    token: str = "none"


@op
def read(store: Store) -> str:
    return store.prefix


@job(resource_defs={"store": Store(prefix="local")})
def local_job():
    read()


@job(resource_defs={"store": Store(prefix="prod", token=EnvVar("TOKEN"))})
def prod_job():
    read()


defs = Definitions(jobs=[local_job, prod_job], resources={"store": Store(prefix="shared")})
"""


def test_a_step_parameter_some_pipeline_binds_otherwise_gets_a_todo_in_the_configuration(tmp_path):
    """configs/*.yaml holds one value per step parameter: each pipeline whose job built the resource
    with other values is named above it, with those values."""
    (tmp_path / "jobs.py").write_text(PARAMETER, encoding="utf-8")
    text = generate_project([tmp_path]).files["configs/dev.yaml"]
    assert yaml.safe_load(text)["steps"]["read"]["parameters"]["store"] == {"prefix": "shared", "token": "none"}
    todo = " ".join(line.strip().lstrip("# ") for line in text.splitlines() if line.strip().startswith("#"))
    assert "pipeline local_job built 'store' as Store with prefix: \"local\" (jobs.py:14)" in todo
    assert "pipeline prod_job built 'store' as Store with prefix: \"prod\", token: (computed in Dagster)" in todo
    assert todo.count("this file gives every pipeline the values of jobs.py:24") == 2
