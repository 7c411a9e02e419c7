"""Non-trap fixtures (and the bundled example project) are real Dagster code: they load under dagster.

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

REPO = Path(__file__).resolve().parents[1]
LOADABLE = [p for p in fixture_files() if not is_trap(p) and parses(p)]

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
def load_results() -> dict[str, str | None]:
    proc = subprocess.run(
        [sys.executable, "-c", LOADER, *map(str, LOADABLE)],
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


@pytest.mark.parametrize("path", LOADABLE, ids=lambda p: p.name)
def test_fixture_loads_under_dagster(path, load_results):
    error = load_results[str(path)]
    assert error is None, f"{path.name} is not valid Dagster code:\n{error}"


def test_some_fixtures_are_loaded():
    assert LOADABLE, "no non-trap fixture to load"
