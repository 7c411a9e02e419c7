"""Run the real ``dagster-zenml-lint check`` in a fresh interpreter, as a user's shell would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_check(cwd: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """``python -m dagster_zenml_lint check ARGS`` in ``cwd``; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
