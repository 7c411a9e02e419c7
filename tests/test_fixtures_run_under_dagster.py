"""Non-trap fixtures and the per-rule fixtures (``tests/rules/``) are real Dagster code: they load under dagster.

All modules load in one subprocess (importing dagster takes seconds). A module-level
``Definitions`` object is also resolved, which makes dagster validate its contents.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fixture_annotations import fixture_files, is_trap, parses
from rule_snapshots import fixture_codes, fixture_path

REPO = Path(__file__).resolve().parents[1]
# Per-rule fixtures that cannot load here, and why (each still runs through the linter).
NOT_LOADABLE = {
    "DZ000": "a syntax error by design",
    "DZ224": "dagster-dbt needs a dbt project directory",
    "DZ229": "needs dagster-graphql, not installed",
    "DZ231": "needs dagster-sling, not installed",
    "DZ232": "needs dagster-cloud, not installed",
    "DZ304": "needs dagster-slack, not installed",
    "DZ309": "needs dagster-duckdb-pandas, not installed",
    "DZ313": "components need a dg project (pyproject.toml/dg.toml) around them",
}
RULE_FIXTURES = [fixture_path(code) for code in fixture_codes() if code not in NOT_LOADABLE]
LOADABLE = [p for p in fixture_files() if not is_trap(p) and parses(p)] + RULE_FIXTURES

LOADER = textwrap.dedent(
    """
    import json, runpy, sys, traceback
    import dagster as dg

    results = {}
    for index, path in enumerate(sys.argv[1:]):
        try:
            namespace = runpy.run_path(path, run_name=f"dz_fixture_{index}")
            for value in list(namespace.values()):
                if isinstance(value, dg.Definitions):
                    dg.Definitions.validate_loadable(value)
            results[path] = None
        except BaseException:  # report every failure, keep loading the others
            results[path] = traceback.format_exc(limit=3)
    print(json.dumps(results))
    """
)


@pytest.fixture(scope="module")
def load_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | None]:
    # a script file, not ``-c``: ZenML code in a fixture (a trap) needs a main module with a file
    loader = tmp_path_factory.mktemp("loader") / "load_fixtures.py"
    loader.write_text(LOADER, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(loader), *map(str, LOADABLE)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env=_loader_env(),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.splitlines()[-1])


def _loader_env() -> dict[str, str]:
    # no DAGSTER_HOME: loading definitions must not need a Dagster instance
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env["PYTHONWARNINGS"] = "ignore"
    return env


@pytest.mark.parametrize("path", LOADABLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_loads_under_dagster(path, load_results):
    error = load_results[str(path)]
    assert error is None, f"{path.name} is not valid Dagster code:\n{error}"


def test_some_fixtures_are_loaded():
    assert LOADABLE, "no non-trap fixture to load"


def test_every_rule_fixture_that_cannot_load_says_why():
    assert set(NOT_LOADABLE) <= set(fixture_codes()), "NOT_LOADABLE names a fixture that does not exist"
    assert len(RULE_FIXTURES) >= len(fixture_codes()) - len(NOT_LOADABLE)
