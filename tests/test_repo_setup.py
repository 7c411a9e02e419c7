"""The repository's own set-up: one test command shared by README and CI, packaging entry points."""

from __future__ import annotations

import configparser
import re
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
