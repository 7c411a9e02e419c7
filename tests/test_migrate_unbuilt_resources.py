"""A step parameter Dagster filled with a resource whose class the type does not name
(``database: dg.ConfigurableResource``, ``limits: dg.ResourceParam[dict]`` of a key without a
lifecycle) gets a placeholder in the generated configuration, under a TODO saying what to do:
``run.py`` stops on it with one line naming the key, where ZenML failed on a missing step input
(project-dagster-university's ``dagster_testing`` lesson 5).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from zenml_env import migrate_package, zenml_env

ASSETS = """
import dagster as dg


class Store(dg.ConfigurableResource):
    path: str = "store.db"


@dg.asset
def state_rows(database: dg.ConfigurableResource) -> list:
    with database.get_connection() as conn:
        return conn.execute("SELECT 1").fetchall()


@dg.asset
def row_count(state_rows: list, limits: dg.ResourceParam[dict]) -> int:
    return min(len(state_rows), limits["max"])


@dg.asset
def audited(row_count: int, store: dg.ConfigurableResource, typed: Store) -> int:
    return row_count


defs = dg.Definitions(
    assets=[state_rows, row_count, audited],
    resources={
        "database": dg.ResourceDefinition.mock_resource(),
        "limits": {"max": 10},
        "store": Store(path="audit.db"),
        "typed": Store(),
    },
)
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrate_package(tmp_path_factory.mktemp("unbuilt"), ASSETS)


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_each_resource_parameter_without_a_class_gets_a_placeholder(migrated, environment):
    config = yaml.safe_load((migrated / "configs" / f"{environment}.yaml").read_text(encoding="utf-8"))
    parameters = {step: values["parameters"] for step, values in config["steps"].items()}
    assert parameters["state_rows"] == {"database": "TODO(migration)"}
    assert parameters["row_count"] == {"limits": "TODO(migration)"}
    # a parameter typed with its class keeps the class's values beside the placeholder
    assert parameters["audited"] == {"store": "TODO(migration)", "typed": {"path": "store.db"}}


def test_the_todo_says_what_the_key_was_bound_to(migrated):
    text = (migrated / "configs" / "dev.yaml").read_text(encoding="utf-8")
    todo = text.split("  audited:", 1)[1].split("store:", 1)[0]
    assert "Dagster passed 'store' the resource its key is bound to (Store, census/assets.py:" in " ".join(
        line.strip().lstrip("#").strip() for line in todo.splitlines()
    )


def test_run_py_stops_with_one_line_naming_the_first_placeholder(migrated, tmp_path):
    done = subprocess.run(
        [sys.executable, "run.py"],
        cwd=migrated,
        env=zenml_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "configs/dev.yaml: steps.state_rows.parameters.database is still the TODO(migration) placeholder; "
        "set its value (see the comment there)"
    )
