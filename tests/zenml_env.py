"""The environment of a fresh interpreter that imports the real dagster and zenml packages."""

from __future__ import annotations

import os
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
