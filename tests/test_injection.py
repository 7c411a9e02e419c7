"""One classification of what Dagster passes each parameter of an asset, op or check
(``ProjectModel.injection``), read by the report's asset edges and by ``migrate``'s steps.

The model's answer is compared with Dagster's own: the fixture is imported under real Dagster,
whose definitions say which parameters are inputs and which resource keys they require. Then
``migrate`` is checked to take its step inputs from the same answer, and to stop a step that
launched a process through a Dagster Pipes client at a TODO instead of passing it ``None``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dagster_zenml_lint.project.facts import CONFIG, INPUT, RESOURCE
from dagster_zenml_lint.project.model import ProjectModel, build_project
from dagster_zenml_lint.scaffold import generate_project, write_project
from dagster_zenml_lint.scaffold.generate import project_model
from dagster_zenml_lint.scaffold.plan import step_specs
from dagster_zenml_lint.scaffold.sources import load_sources

RESOURCES = """\
import dagster as dg


class Settings(dg.Config):
    factor: int = 2


class Warehouse(dg.ConfigurableResource):
    url: str = "memory://"


class Tuned(Warehouse):
    level: int = 1


class Plain:
    pass
"""

ASSETS = """\
import dagster as dg

from shop.resources import Plain, Settings, Tuned, Warehouse


@dg.asset
def orders() -> list[int]:
    return [1, 2]


@dg.asset
def totals(
    context: dg.AssetExecutionContext,
    orders: list[int],
    config: Settings,
    warehouse: Warehouse,
    tuned: Tuned,
    pipes: dg.PipesSubprocessClient,
    anything: dg.ConfigurableResource,
    raw: dg.ResourceParam[str],
) -> int:
    return sum(orders) * config.factor


@dg.op
def scale(context, value: int, warehouse: Warehouse) -> int:
    return value


@dg.asset_check(asset=totals)
def totals_positive(totals: int, warehouse: Warehouse) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=totals > 0)


@dg.asset
def plain_user(helper: Plain) -> int:
    return 1
"""

DEFINITIONS = """\
import dagster as dg

from shop.assets import orders, totals, totals_positive
from shop.resources import Plain, Tuned, Warehouse

defs = dg.Definitions(
    assets=[orders, totals],
    asset_checks=[totals_positive],
    resources={
        "warehouse": Warehouse(),
        "tuned": Tuned(),
        "pipes": dg.PipesSubprocessClient(),
        "anything": Warehouse(),
        "raw": "text",
        "helper": Plain(),
    },
)
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("injection")
    return write(
        root,
        {
            "shop/__init__.py": "",
            "shop/resources.py": RESOURCES,
            "shop/assets.py": ASSETS,
            "shop/definitions.py": DEFINITIONS,
        },
    )


@pytest.fixture(scope="module")
def model(shop: Path) -> ProjectModel:
    return build_project([shop])


def kinds(model: ProjectModel, function: str) -> dict[str, str]:
    """Parameter -> the model's classification, for the asset, op or check defined by ``function``."""
    for facts in model.facts:
        for fact in [*facts.assets, *facts.ops, *facts.checks]:
            if getattr(fact, "function", None) == function:
                return {p.name: model.injection(p) for p in fact.params}
    raise AssertionError(f"no fact for {function}")


def dagster_view(shop: Path) -> dict[str, dict[str, list[str]]]:
    """What real Dagster makes of the fixture: per definition, its inputs and its required resource keys."""
    code = textwrap.dedent(
        """
        import json, warnings
        warnings.simplefilter("ignore")
        from shop import assets
        found = {}
        for name in ("totals", "scale", "totals_positive"):
            value = getattr(assets, name)
            node = value.op if hasattr(value, "op") else getattr(value, "node_def", value)
            found[name] = {
                "inputs": sorted(node.ins),
                "resources": sorted(node.required_resource_keys),
            }
        print(json.dumps(found))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=shop, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_model_classifies_parameters_as_dagster_does(shop: Path, model: ProjectModel) -> None:
    real = dagster_view(shop)
    for function in ("totals", "scale", "totals_positive"):
        found = kinds(model, function)
        assert sorted(p for p, k in found.items() if k == INPUT) == real[function]["inputs"], function
        assert sorted(p for p, k in found.items() if k == RESOURCE) == real[function]["resources"], function
    assert kinds(model, "totals")["config"] == CONFIG


def test_a_pipes_client_and_a_resource_base_class_are_resources_not_upstream_assets(model: ProjectModel) -> None:
    found = kinds(model, "totals")
    assert (found["pipes"], found["anything"], found["raw"], found["tuned"]) == (RESOURCE,) * 4
    totals = next(a for a in model.assets.values() if a.key == "totals")
    assert totals.upstream == ("orders",)  # the report's edge: no 'pipes' or 'anything' asset
    assert model.data_inputs(totals.definition) == (("orders", "orders"),)


def test_a_class_bound_as_a_resource_is_a_resource(model: ProjectModel) -> None:
    """``helper: Plain`` with ``resources={"helper": Plain()}``: the author meant the resource (Dagster
    itself would look for an upstream asset 'helper' and fail to load)."""
    assert kinds(model, "plain_user") == {"helper": RESOURCE}


def test_a_name_or_a_dagster_type_decides_in_the_file(tmp_path: Path) -> None:
    """``config`` is the run config whatever its type; a Dagster type is an upstream value's; a ``Config``
    class under another name is taken as config, what its author meant (Dagster warns, then takes an input)."""
    write(
        tmp_path,
        {
            "a.py": """\
            import dagster as dg

            class Knobs(dg.Config):
                n: int = 1

            @dg.asset
            def b(context, config, up: dg.Int, knobs: Knobs, other) -> int:
                return 1
            """
        },
    )
    assert kinds(build_project([tmp_path]), "b") == {"config": CONFIG, "up": INPUT, "knobs": CONFIG, "other": INPUT}


def test_migrate_takes_step_inputs_from_the_model(shop: Path, model: ProjectModel) -> None:
    root, loaded, _ = load_sources([shop])
    modules = {m.relpath: m for m in loaded}
    contexts = {path: m.context for path, m in modules.items() if m.context is not None}
    planned, _ = project_model(root, modules)
    steps = {s.function_name: s for s in step_specs(planned, contexts)}
    totals = steps["totals"]
    assert totals.inputs == {"orders": "orders"}
    assert totals.pipes == {"pipes": "PipesSubprocessClient"}
    assert totals.injected == {
        "config": "Settings",
        "warehouse": "Warehouse",
        "tuned": "Tuned",
        "anything": "",
        "raw": "",
    }
    assert "pipes" in totals.resources and "config" not in totals.resources
    assert steps["plain_user"].inputs == {}


@pytest.fixture(scope="module")
def pipes_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pipes")
    sources = write(
        root / "src",
        {
            "etl/__init__.py": "",
            "etl/assets.py": """\
            import dagster as dg

            @dg.asset
            def launched(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient):
                return pipes.run(command=["python", "job.py"], context=context).get_materialize_result()

            @dg.asset
            def unused(client: dg.PipesSubprocessClient) -> int:
                return 1

            clients = {"pipes": dg.PipesSubprocessClient(), "client": dg.PipesSubprocessClient()}
            defs = dg.Definitions(assets=[launched, unused], resources=clients)
            """,
        },
    )
    out = root / "out"
    write_project(generate_project([sources]), out)
    return out


def test_a_pipes_client_is_never_passed_none_by_the_pipeline(pipes_project: Path) -> None:
    for path in (pipes_project / "pipelines").glob("*.py"):
        text = path.read_text()
        assert "= None" not in text and "pipes=" not in text and "client=" not in text, text
        assert "DZ209" not in text


def test_a_step_that_used_the_pipes_client_stops_at_a_todo(pipes_project: Path) -> None:
    text = (pipes_project / "steps" / "launched.py").read_text()
    assert "def launched() ->" in text
    assert "# TODO(migration): DZ225 dagster-pipes" in text
    assert 'raise NotImplementedError("port launched: launch the process its Dagster Pipes client ran (DZ225)")' in text
    assert "PipesSubprocessClient" not in text.split("@step")[0]  # no Dagster import left for it
    compile(text, "launched.py", "exec")


def test_a_step_that_never_used_the_pipes_client_loses_it(pipes_project: Path) -> None:
    text = (pipes_project / "steps" / "unused.py").read_text()
    assert "def unused() ->" in text and "raise NotImplementedError" not in text
    comments = " ".join(line.strip().lstrip("#").strip() for line in text.splitlines() if line.strip().startswith("#"))
    assert "are gone: ZenML has no Pipes client to pass, and the body never used them (DZ225)" in comments


def test_the_pipes_pipelines_build_under_zenml_and_the_step_stops_when_run(pipes_project: Path) -> None:
    """Every pipeline's DAG builds under real ZenML (no ``None`` for a typed client); the step that used
    the client raises its stop when run, the other one computes what the asset did."""
    code = textwrap.dedent(
        """
        import importlib, pathlib
        from zenml.pipelines.pipeline_definition import Pipeline
        for path in sorted(pathlib.Path("pipelines").glob("*.py")):
            module = importlib.import_module("pipelines." + path.stem)
            for value in vars(module).values():
                if isinstance(value, Pipeline):
                    value.prepare()
        from steps.launched import launched
        from steps.unused import unused
        assert unused.entrypoint() == 1
        try:
            launched.entrypoint()
        except NotImplementedError as exc:
            print("stopped:", exc)
        """
    )
    env = {
        **os.environ,
        "ZENML_CONFIG_PATH": str(pipes_project.parent / ".zenconfig"),
        "ZENML_ANALYTICS_OPT_IN": "false",
        "PYTHONPATH": str(pipes_project),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=pipes_project, capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "stopped: port launched" in done.stdout
