"""The semantic check: a safe fix must give the same results under real ZenML as the op/job under real Dagster.

Each fixture module in ``tests/fix_semantics/`` is run with Dagster (``execute_in_process``,
``output_for_node``) in a subprocess; then ``dagster-zenml-lint check --fix`` rewrites a
copy, and one ZenML subprocess (``zenml[local]``, a fresh store under a temporary
``ZENML_CONFIG_PATH``, analytics off) runs every fixed pipeline and loads each step's
output artifacts. Every op output must equal the step output of the same name.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from zenml_env import without_engine_settings

FIXTURES = Path(__file__).parent / "fix_semantics"
MODULES = sorted(p.stem for p in FIXTURES.glob("*.py"))

DAGSTER_RUNNER = textwrap.dedent(
    """
    import importlib, json, sys
    from dagster import JobDefinition

    results = {}
    for module_name in sys.argv[2:]:
        module = importlib.import_module(module_name)
        for attr, job in sorted(vars(module).items()):
            if not isinstance(job, JobDefinition):
                continue
            run = job.execute_in_process()
            assert run.success, f"{module_name}.{attr} failed under Dagster"
            results[f"{module_name}.{attr}"] = {
                node.name: {out.name: run.output_for_node(node.name, out.name) for out in node.definition.output_defs}
                for node in job.graph.nodes
            }
    with open(sys.argv[1], "w") as handle:
        json.dump(results, handle)
    """
)

ZENML_RUNNER = textwrap.dedent(
    """
    import importlib, json, sys
    from zenml.client import Client
    from zenml.pipelines.pipeline_definition import Pipeline

    results = {}
    for module_name in sys.argv[2:]:
        module = importlib.import_module(module_name)
        for attr, pipeline in sorted(vars(module).items()):
            if not isinstance(pipeline, Pipeline):
                continue
            response = pipeline()
            run = Client().get_pipeline_run(response.id)
            steps = {}
            for step_name, step_run in run.steps.items():
                outputs = {}
                for output_name, artifacts in step_run.outputs.items():
                    artifact = artifacts[-1] if isinstance(artifacts, list) else artifacts
                    outputs[output_name] = artifact.load()
                steps[step_name] = outputs
            results[f"{module_name}.{attr}"] = {"status": str(run.status.value), "steps": steps}
    with open(sys.argv[1], "w") as handle:
        json.dump(results, handle)
    """
)


def _run(script: Path, out: Path, cwd: Path, env: dict[str, str], timeout: int = 600) -> dict:
    proc = subprocess.run(
        [sys.executable, str(script), str(out), *MODULES],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = f"STDOUT:\n{proc.stdout[-4000:]}\nSTDERR:\n{proc.stderr[-4000:]}"
    assert proc.returncode == 0, f"{script.name} failed:\n{output}"
    return json.loads(out.read_text())


def _base_env(tmp_path: Path) -> dict[str, str]:
    env = without_engine_settings()
    env["PYTHONPATH"] = ""
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _zenml_env(tmp_path: Path, base: dict[str, str]) -> dict[str, str]:
    env = dict(base)
    env.update(
        {
            "ZENML_CONFIG_PATH": str(tmp_path / "zenml_config"),
            "ZENML_ANALYTICS_OPT_IN": "false",
            "ZENML_LOGGING_VERBOSITY": "ERROR",
            "ZENML_ENABLE_RICH_TRACEBACK": "false",
            "ZENML_DISABLE_WORKSPACE_WARNINGS": "true",
            "AUTO_OPEN_DASHBOARD": "false",
        }
    )
    return env


def test_fixed_pipelines_give_the_dagster_results_under_zenml(tmp_path):
    started = time.monotonic()
    base_env = _base_env(tmp_path)

    dagster_dir = tmp_path / "dagster_project"
    shutil.copytree(FIXTURES, dagster_dir)
    (dagster_dir / "run_dagster.py").write_text(DAGSTER_RUNNER)
    (tmp_path / "flaky_dagster").mkdir()
    dagster_results = _run(
        dagster_dir / "run_dagster.py",
        tmp_path / "dagster.json",
        dagster_dir,
        {**base_env, "DZ_FLAKY_DIR": str(tmp_path / "flaky_dagster")},
    )
    dagster_seconds = time.monotonic() - started

    zenml_dir = tmp_path / "zenml_project"
    shutil.copytree(FIXTURES, zenml_dir)
    originals = {name: (zenml_dir / f"{name}.py").read_bytes() for name in MODULES}
    fix = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--fix", "--show-fixes", str(zenml_dir)],
        capture_output=True,
        text=True,
        check=False,
        env=base_env,  # without DAGSTER_ZENML_LINT_CACHE_DIR: the cache goes to the working directory
        cwd=tmp_path,
    )
    assert fix.returncode == 0, f"findings left after --fix:\n{fix.stdout}\n{fix.stderr}"
    for name in MODULES:
        fixed = (zenml_dir / f"{name}.py").read_text()
        assert fixed.encode() != originals[name], f"{name}.py was not changed by --fix"
        assert "dagster" not in fixed, f"{name}.py still mentions dagster after --fix:\n{fixed}"

    (zenml_dir / "run_zenml.py").write_text(ZENML_RUNNER)
    (tmp_path / "flaky_zenml").mkdir()
    zenml_started = time.monotonic()
    zenml_results = _run(
        zenml_dir / "run_zenml.py",
        tmp_path / "zenml.json",
        zenml_dir,
        {**_zenml_env(tmp_path, base_env), "DZ_FLAKY_DIR": str(tmp_path / "flaky_zenml")},
    )
    zenml_seconds = time.monotonic() - zenml_started

    assert set(zenml_results) == set(dagster_results), "every job must have become a pipeline"
    compared = 0
    for job_name, nodes in dagster_results.items():
        run = zenml_results[job_name]
        assert run["status"] == "completed", f"{job_name}: ZenML run {run['status']}"
        assert set(run["steps"]) == set(nodes), f"{job_name}: steps differ from the job's nodes"
        for node_name, outputs in nodes.items():
            step_outputs = run["steps"][node_name]
            if set(outputs) == {"result"}:
                assert len(step_outputs) == 1, f"{job_name}.{node_name}: expected one output, got {step_outputs}"
                assert next(iter(step_outputs.values())) == outputs["result"], f"{job_name}.{node_name}"
            else:
                assert step_outputs == outputs, f"{job_name}.{node_name}"
            compared += len(outputs)
    assert compared >= 10
    # The retried op really failed once under each tool before succeeding.
    assert (tmp_path / "flaky_dagster" / "flaky_double.failed-once").exists()
    assert (tmp_path / "flaky_zenml" / "flaky_double.failed-once").exists()
    print(
        f"\nsemantic check: {compared} outputs compared; dagster {dagster_seconds:.1f}s, "
        f"zenml {zenml_seconds:.1f}s, total {time.monotonic() - started:.1f}s"
    )
