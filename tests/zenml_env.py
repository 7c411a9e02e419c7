"""The environment of a fresh interpreter that imports the real dagster and zenml packages."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


def without_engine_settings() -> dict[str, str]:
    """This process's environment without the user's ZENML_*/DAGSTER_* settings.

    The DAGSTER_ZENML_LINT_* variables are ours (the per-test cache dir of tests/conftest.py).
    """
    return {
        k: v
        for k, v in os.environ.items()
        if k.startswith("DAGSTER_ZENML_LINT_") or not k.startswith(("ZENML_", "DAGSTER_"))
    }


def zenml_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a fresh interpreter with dagster and zenml, isolated from the user's setup."""
    env = without_engine_settings()
    env.update(
        {
            "PYTHONPATH": "",
            "PYTHONDONTWRITEBYTECODE": "1",
            "ZENML_CONFIG_PATH": str(tmp_path / "zenml_config"),
            "ZENML_ANALYTICS_OPT_IN": "false",
            "ZENML_LOGGING_VERBOSITY": "ERROR",
            "ZENML_ENABLE_RICH_TRACEBACK": "false",
            "ZENML_DISABLE_WORKSPACE_WARNINGS": "true",
            "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        }
    )
    (tmp_path / "dagster_home").mkdir(exist_ok=True)
    return env


def run_verify(source: Path, out: Path, tmp_path: Path, *, timeout: int) -> subprocess.CompletedProcess[str]:
    """``dagster-zenml-lint verify SOURCE OUT`` in a fresh interpreter with both engines (this checkout first)."""
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "verify", str(source), str(out)],
        cwd=root,
        env={**zenml_env(tmp_path), "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def import_generated(out: Path, modules: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Import ``modules`` of a generated project at ``out`` in a fresh interpreter with both engines;
    prints ``ok`` when every one imported."""
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\nprint('ok')\n"
    return subprocess.run(
        [sys.executable, "-c", script, *modules],
        cwd=out,
        env=zenml_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )


def migrate_package(root: Path, assets: str) -> Path:
    """``migrate`` of a package ``census`` whose ``assets.py`` holds ``assets`` (dedented), under ``root``.

    The source is ``root/src/census``; the generated project, returned, is ``root/out``.
    """
    from dagster_zenml_lint.scaffold import generate_project, write_project

    (root / "src" / "census").mkdir(parents=True)
    (root / "src" / "census" / "assets.py").write_text(textwrap.dedent(assets), encoding="utf-8")
    out = root / "out"
    write_project(generate_project([root / "src"]), out)
    return out
