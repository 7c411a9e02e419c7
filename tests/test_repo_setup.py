"""The repository's own set-up: one test command shared by README and CI, packaging entry points."""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def test_readme_and_ci_run_the_same_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"pip install -e '\.\[test\]' && PYTHON=\.venv/bin/python bash scripts/test\.sh", readme)
    assert 'PYTHON="$venv/bin/python" bash scripts/test.sh' in ci
    assert "python3 -m venv" in ci and "-e '.[test]'" in ci and 'ruff" check dagster_zenml_lint' in ci
    assert "-m pytest" in (REPO / "scripts" / "test.sh").read_text(encoding="utf-8")


def test_readme_run_command_uses_the_bundled_sample():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/pip install . && .venv/bin/dagster-zenml-lint report examples/" in readme
    assert (REPO / "examples" / "shop_analytics" / "definitions.py").is_file()


def test_entry_points_are_installed():
    flake8 = {ep.name: ep.value for ep in entry_points(group="flake8.extension")}
    assert flake8.get("DZ") == "dagster_zenml_lint.flake8_plugin:DagsterZenmlChecker"
    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts.get("dagster-zenml-lint") == "dagster_zenml_lint.cli:console"


def test_setup_cfg_holds_the_flake8_settings():
    parser = configparser.ConfigParser()
    parser.read(REPO / "setup.cfg")
    assert parser.get("flake8", "max-line-length") == "120"
    assert parser.get("flake8", "dagster-min-severity") == "info"


def test_pre_commit_config_runs_ruff():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff-check", "ruff-format"} <= hooks


def test_the_license_is_an_spdx_expression_and_the_build_does_not_warn(tmp_path):
    # regression: `license = { text = ... }` made setuptools warn (a TOML table is deprecated) on every build
    from dagster_zenml_lint.config import read_toml

    project = read_toml(REPO / "pyproject.toml")
    assert project["project"]["license"] == "Apache-2.0"
    assert all((REPO / name).is_file() for name in project["project"]["license-files"])
    assert "setuptools>=77" in project["build-system"]["requires"][0]  # the first setuptools that reads them
    for name in ("pyproject.toml", "setup.cfg", "README.md", *project["project"]["license-files"]):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "dagster_zenml_lint", tmp_path / "dagster_zenml_lint")
    (tmp_path / "meta").mkdir()
    build = subprocess.run(
        [sys.executable, "-c", "import setuptools.build_meta as b; print(b.prepare_metadata_for_build_wheel('meta'))"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "always"},
    )
    assert build.returncode == 0, build.stderr
    assert "license" not in build.stderr.lower(), build.stderr
    metadata = (tmp_path / "meta" / build.stdout.splitlines()[-1] / "METADATA").read_text(encoding="utf-8")
    assert "License-Expression: Apache-2.0" in metadata and "License-File: LICENSE" in metadata


# A stand-in for the interpreter scripts/test.sh is given as PYTHON: `-c CODE` runs CODE
# (test.sh asks whether xdist imports and how many CPUs there are), `-m pytest ...`
# prints the arguments pytest would get and exits with STUB_EXIT.
PYTHON_STUB = """\
import json
import os
import sys

if sys.argv[1] == "-c":
    if os.environ.get("STUB_NO_XDIST") and "import xdist" in sys.argv[2]:
        sys.exit(1)
    exec(sys.argv[2])
    sys.exit(0)
print(json.dumps(sys.argv[1:]))
sys.exit(int(os.environ.get("STUB_EXIT", "0")))
"""


def run_test_sh(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``bash scripts/test.sh args`` with the stub interpreter; ``env`` adds to the environment."""
    stub = tmp_path / "python"
    if not stub.exists():
        stub.write_text(f"#!{sys.executable}\n{PYTHON_STUB}", encoding="utf-8")
        stub.chmod(0o755)
    environment = {k: v for k, v in os.environ.items() if k not in ("TEST_WORKERS", "PYTEST_ADDOPTS")}
    environment.update(PYTHON=str(stub), **env)
    return subprocess.run(
        ["bash", str(REPO / "scripts" / "test.sh"), *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=60,
    )


def pytest_arguments(completed: subprocess.CompletedProcess[str]) -> list[str]:
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_test_sh_runs_one_xdist_worker_per_chosen_cpu_grouped(tmp_path):
    assert pytest_arguments(run_test_sh(tmp_path, "-x", TEST_WORKERS="2")) == [
        "-m",
        "pytest",
        "-q",
        "-n",
        "2",
        "--dist",
        "loadgroup",
        "-x",
    ]
    default = pytest_arguments(run_test_sh(tmp_path))
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert default == (
        ["-m", "pytest", "-q", "-n", str(cpus), "--dist", "loadgroup"] if cpus > 1 else ["-m", "pytest", "-q"]
    )


def test_test_sh_is_serial_with_one_worker_without_xdist_or_when_the_arguments_choose(tmp_path):
    assert pytest_arguments(run_test_sh(tmp_path, TEST_WORKERS="1")) == ["-m", "pytest", "-q"]
    assert pytest_arguments(run_test_sh(tmp_path, TEST_WORKERS="2", STUB_NO_XDIST="1")) == ["-m", "pytest", "-q"]
    for chosen in (["-n", "0"], ["-n3"], ["--numprocesses=3"], ["-p", "no:xdist"], ["-pno:xdist"], ["--dist", "load"]):
        arguments = pytest_arguments(run_test_sh(tmp_path, "tests/x.py", *chosen, TEST_WORKERS="2"))
        assert arguments == ["-m", "pytest", "-q", "tests/x.py", *chosen], chosen


def test_test_sh_fails_when_nothing_is_collected_and_on_a_bad_worker_count(tmp_path):
    nothing = run_test_sh(tmp_path, STUB_EXIT="5")
    assert nothing.returncode == 1 and "collected no tests" in nothing.stderr
    assert run_test_sh(tmp_path, STUB_EXIT="3").returncode == 3
    bad = run_test_sh(tmp_path, TEST_WORKERS="two")
    assert bad.returncode == 2 and bad.stderr.strip() == (
        "scripts/test.sh: TEST_WORKERS must be a number of workers, not 'two'"
    )
    assert bad.stdout == ""  # pytest was not started
