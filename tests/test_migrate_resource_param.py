"""A step parameter typed ``ResourceParam[T]``, ``T`` a resource class of the project without a
lifecycle, is migrated as a parameter typed ``T``: the step is typed ``T`` and configs/*.yaml holds
``T``'s fields with the values the key was bound to (they were a ``TODO(migration)`` placeholder;
dagster-open-platform's ``maxio: ResourceParam[MaxioResource]``). The migrated project gives what
Dagster gives, under real ZenML (``verify``). ``ResourceParam[dict]`` keeps its placeholder
(tests/test_migrate_unbuilt_resources.py), and a class with a lifecycle is the pipeline state's
(tests/migrate_projects/ledger_lifecycle).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml
from zenml_env import migrate_package, run_verify

ASSETS = """
import dagster as dg


class Store(dg.ConfigurableResource):
    path: str = "store.db"
    retries: int = 3

    def describe(self) -> str:
        return f"{self.path} x{self.retries}"


@dg.asset
def audited(store: dg.ResourceParam[Store]) -> str:
    return store.describe()


@dg.asset
def typed(audited: str, plain: Store) -> str:
    return audited + " / " + plain.describe()


defs = dg.Definitions(
    assets=[audited, typed],
    resources={"store": Store(path="audit.db"), "plain": Store(retries=5)},
)
"""
TIMEOUT = 600


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrate_package(tmp_path_factory.mktemp("resource_param"), ASSETS)


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_the_configuration_holds_the_fields_of_t_as_for_a_parameter_typed_t(migrated, environment):
    config = yaml.safe_load((migrated / "configs" / f"{environment}.yaml").read_text(encoding="utf-8"))
    parameters = {step: values["parameters"] for step, values in config["steps"].items()}
    assert parameters["audited"] == {"store": {"path": "audit.db", "retries": 3}}  # the binding over the defaults
    assert parameters["typed"] == {"plain": {"path": "store.db", "retries": 5}}


def test_the_step_is_typed_t_and_no_longer_needs_dagster(migrated):
    module = (migrated / "steps" / "audited.py").read_text(encoding="utf-8")
    (function,) = [node for node in ast.parse(module).body if isinstance(node, ast.FunctionDef)]
    assert [ast.unparse(a.annotation) for a in function.args.args if a.annotation is not None] == ["Store"]
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(module))
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {(node.module or "").split(".")[0] for node in ast.walk(ast.parse(module)) if isinstance(node, ast.ImportFrom)}
    assert "dagster" not in imported and "TODO(migration)" not in module


def test_the_migrated_project_gives_dagster_s_values_under_zenml(migrated, tmp_path):
    done = run_verify(migrated.parent / "src" / "census", migrated, tmp_path, timeout=TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "2 match, 0 differ, 0 not compared"
    assert "asset audited  match" in lines
