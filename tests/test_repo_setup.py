"""The repository's own set-up: one test command shared by README and CI, packaging entry points."""

from __future__ import annotations

import configparser
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
    assert scripts.get("dagster-zenml-lint") == "dagster_zenml_lint.cli:main"


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
