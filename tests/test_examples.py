"""The bundled sample project (``examples/``) is real Dagster code, and the linter finds its patterns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"

LOAD_AND_RUN = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])
    import dagster as dg
    from shop_analytics.definitions import defs
    from shop_analytics.ops_jobs import refresh_prices

    dg.Definitions.validate_loadable(defs)
    result = refresh_prices.execute_in_process()
    assert result.success
    print(result.output_for_node("publish_prices"))
    """
)


def test_sample_project_loads_and_runs_under_dagster(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        [sys.executable, "-c", LOAD_AND_RUN, str(EXAMPLES)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().splitlines()[-1] == "2"


def test_sample_project_findings_cover_its_patterns(tmp_path):
    cache = ["--cache-dir", str(tmp_path)]  # not into the repository
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--output-format", "json", *cache, "examples"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    records = json.loads(proc.stdout)
    codes = {r["code"] for r in records}
    # ops/jobs, assets, IO manager, resources, schedule, partitions, sensor, asset selection
    assert codes >= {"DZ101", "DZ102", "DZ201", "DZ205", "DZ206", "DZ208", "DZ301", "DZ304", "DZ305"}
    assert {Path(r["path"]).name for r in records} >= {
        "assets.py",
        "automation.py",
        "definitions.py",
        "io_managers.py",
        "ops_jobs.py",
        "resources.py",
    }
