"""Shared by the tests of ``check``'s and ``report``'s caches: the command line in a subprocess, and the
two files whose findings depend on each other (``Child(Base)`` is an IO manager only while ``base.py``
makes ``Base`` one)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SUBCLASS = (
    "import dagster\nfrom base import Base\n\n\n"
    "class Child(Base):\n    def handle_output(self, context, obj):\n        pass\n"
)
IO_BASE = "import dagster as dg\n\n\nclass Base(dg.IOManager):\n    pass\n"


def run_command(command: str, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """``dagster-zenml-lint COMMAND ARGS...`` run in ``cwd``; it never prints a traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", command, *map(str, args)],
        capture_output=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )
    assert b"Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc
