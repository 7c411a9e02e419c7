"""A configuration that is broken or has wrong types ends the run: exit 2, one line naming the file and the problem.

Before, an invalid ``pyproject.toml`` was skipped and the run went on with the defaults
(losing ``exclude``, so ``--fix`` rewrote excluded files), a top-level ``tool = ...``
that is not a table gave a traceback, and ``jobs = true`` was read as 1.
Every case runs the real command line in a subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_process import run_check

OP = "from dagster import op\n\n\n@op\ndef one():\n    return 1\n"
TARGETS = "py37, py38, py39, py310, py311, py312, py313, py314"


def project_with(tmp_path: Path, pyproject: bytes) -> Path:
    """A directory with one Dagster file and the given ``pyproject.toml`` bytes."""
    (tmp_path / "legacy.py").write_text(OP, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_bytes(pyproject)
    return tmp_path


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *parts: str) -> None:
    """Exit code 2, nothing on stdout, one line on stderr holding every part."""
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for part in parts:
        assert part in lines[0], lines[0]


@pytest.mark.parametrize(
    ("pyproject", "problem"),
    [
        # not valid TOML: the table is there, but broken (was: silently skipped)
        (b'[tool.dagster-zenml-lint\nexclude = ["legacy.py"]\n', "not valid TOML"),
        (b'[tool.dagster-zenml-lint]\nexclude = ["legacy.py"\n', "not valid TOML"),
        (b'[tool.dagster-zenml-lint]\nexclude = ["legacy.py"]\nname = "caf\xe9"\n', "not valid TOML: not UTF-8"),
        # ``tool`` that is not a table (was: AttributeError / TypeError traceback)
        (b'tool = "dagster-zenml-lint"\n', "`tool` must be a table, got a string"),
        (b"tool = 5  # dagster-zenml-lint\n", "`tool` must be a table, got a number"),
        (b"[tool]\ndagster-zenml-lint = 5\n", "[tool.dagster-zenml-lint] must be a table"),
        # wrong types (``jobs = true`` was read as 1; strings were split at commas)
        (b"[tool.dagster-zenml-lint]\njobs = true\n", "jobs: expected a whole number >= 0, got true"),
        (b"[tool.dagster-zenml-lint]\njobs = 1.5\n", "jobs: expected a whole number >= 0, got a number"),
        (b'[tool.dagster-zenml-lint]\njobs = "4"\n', "jobs: expected a whole number >= 0, got a string"),
        (b'[tool.dagster-zenml-lint]\nexclude = "legacy.py"\n', "exclude: expected a list of strings, got a string"),
        (b"[tool.dagster-zenml-lint]\nextend-exclude = [1]\n", "extend-exclude: expected a list of strings"),
        (b'[tool.dagster-zenml-lint]\nselect = "DZ1"\n', "select: expected a list of rule codes"),
        (b'[tool.dagster-zenml-lint]\nignore = [""]\n', "ignore: expected a list of rule codes"),
        (b"[tool.dagster-zenml-lint]\nmin-severity = 3\n", "min-severity: expected a string, got a number"),
        (b'[tool.dagster-zenml-lint]\nshow-fixes = "yes"\n', "show-fixes: expected true or false, got a string"),
        # ruff's spelling only: "3.12" is not guessed at, and a Python ruff does not know is refused
        (
            b'[project]\nrequires-python = ">=3.12"\n[tool.dagster-zenml-lint]\ntarget-version = "3.12"\n',
            f"target-version: expected one of {TARGETS}, got '3.12'",
        ),
        (
            b'[tool.dagster-zenml-lint]\ntarget-version = "py315"\n',
            f"target-version: expected one of {TARGETS}, got 'py315'",
        ),
        (
            b"[tool.dagster-zenml-lint]\ntarget-version = 312\n",
            f"target-version: expected one of {TARGETS}, got a number",
        ),
        (b'[tool.dagster-zenml-lint]\nper-file-ignores = ["x"]\n', "per-file-ignores: expected a table"),
        (b'[tool.dagster-zenml-lint.per-file-ignores]\n"a.py" = "DZ1"\n', "per-file-ignores.a.py: expected a list"),
        (b"[tool.dagster-zenml-lint]\nextend-exclude = []\nextend_exclude = []\n", "given twice"),
        (b"[tool.dagster-zenml-lint]\nselectt = []\n", "unknown key 'selectt'"),
    ],
)
def test_bad_configuration_is_one_line_naming_file_and_problem(tmp_path, pyproject, problem):
    project = project_with(tmp_path, pyproject)
    proc = run_check(project, ".")
    assert_one_line_error(proc, str(project / "pyproject.toml"), problem)


@pytest.mark.parametrize(("opening", "closing"), [(b"[", b"]"), (b"{a = ", b"}")], ids=["arrays", "inline tables"])
def test_toml_nested_too_deeply_is_one_line(tmp_path, opening, closing):
    """tomllib parses nesting recursively: 100,000 levels used to end in a RecursionError traceback."""
    deep = opening * 100_000 + closing * 100_000
    project = project_with(tmp_path, b"[tool.dagster-zenml-lint]\nselect = " + deep + b"\n")
    assert_one_line_error(run_check(project, "."), "not valid TOML: arrays or tables nested too deeply")


def test_invalid_toml_does_not_fall_back_to_defaults_and_fix_excluded_files(tmp_path):
    """The hazard of the old fallback: ``exclude`` lost, and ``--fix`` rewriting the excluded file."""
    project = project_with(tmp_path, b'[tool.dagster-zenml-lint]\nexclude = ["legacy.py"\n')
    proc = run_check(project, ".", "--fix", "--unsafe-fixes")
    assert_one_line_error(proc, "not valid TOML")
    assert (project / "legacy.py").read_text(encoding="utf-8") == OP


def test_explicit_config_file_with_wrong_type(tmp_path):
    (tmp_path / "settings.toml").write_text("[tool.dagster-zenml-lint]\njobs = false\n", encoding="utf-8")
    (tmp_path / "legacy.py").write_text(OP, encoding="utf-8")
    proc = run_check(tmp_path, "--config", "settings.toml", ".")
    assert_one_line_error(proc, "settings.toml", "jobs: expected a whole number >= 0, got false")


def test_pyproject_without_our_table_is_ignored_even_when_broken(tmp_path):
    """A project's own broken pyproject.toml that never names the tool is not ours to judge."""
    project = project_with(tmp_path, b"[project\nname = 1\n")
    proc = run_check(project, "--select", "DZ101", ".")
    assert proc.returncode == 1, proc.stderr
    assert "DZ101" in proc.stdout


def test_flake8_config_value_out_of_choices_is_one_line(tmp_path):
    """flake8 checks ``choices`` only on its command line; a bad value in setup.cfg was a traceback."""
    (tmp_path / "legacy.py").write_text(OP, encoding="utf-8")
    (tmp_path / "setup.cfg").write_text("[flake8]\ndagster-min-severity = bogus\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "DZ", "legacy.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (
        "flake8: error: dagster-min-severity: unknown severity 'bogus' (choose from INFO, LOW, MEDIUM, HIGH)"
    )


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unreadable_pyproject_is_one_line_not_skipped(tmp_path):
    """Skipping it would run with the defaults, as skipping invalid TOML did."""
    project = project_with(tmp_path, b'[tool.dagster-zenml-lint]\nexclude = ["legacy.py"]\n')
    prefix: list[str] = []
    if os.geteuid() == 0:  # root reads a chmod 000 file unless the capability is dropped
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root without setpriv")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    (project / "pyproject.toml").chmod(0)
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "dagster_zenml_lint", "check", "."],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        (project / "pyproject.toml").chmod(0o644)
    assert_one_line_error(proc, str(project / "pyproject.toml"), "permission denied")
