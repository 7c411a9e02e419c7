"""A plain ``check`` loads only what it uses (issue 14: cold ``check`` against the parse floor).

Every module imported at start-up is paid on every run, however few files it checks
(pre-commit on one file, the cold run of a large tree). The report, ``migrate``'s scaffold,
the language server, the fix machinery and the JSON and SARIF writers are loaded only by
the commands and flags that use them; OpenSSL (``hashlib``) and ``tempfile`` only by a
``--baseline`` run. Run in a fresh interpreter, as the command runs.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

# Modules (and packages: their submodules too) a plain ``check`` never needs.
NOT_FOR_PLAIN_CHECK = (
    "dagster_zenml_lint.report",
    "dagster_zenml_lint.scaffold",
    "dagster_zenml_lint.project",
    "dagster_zenml_lint.lsp",
    "dagster_zenml_lint.fixers",
    "dagster_zenml_lint.locations",
    "dagster_zenml_lint.output.json",
    "dagster_zenml_lint.output.sarif",
    "hashlib",
    "tempfile",
    "json",
)

DAGSTER_FILE = "from dagster import asset\n\n\n@asset\ndef orders():\n    return 1\n"


def loaded_modules(arguments: list[str], cwd: Path) -> list[str]:
    """The modules in ``sys.modules`` after ``main(arguments)`` ran in a new interpreter."""
    code = (
        "import contextlib, io, sys\n"  # (not json: it is one of the modules looked for)
        "from dagster_zenml_lint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({arguments!r})\n"
        "sys.stderr.write(repr(sorted(sys.modules)))\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=True)
    return list(ast.literal_eval(completed.stderr.splitlines()[-1]))


def unwanted(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == name or m.startswith(f"{name}.") for name in NOT_FOR_PLAIN_CHECK)]


@pytest.mark.parametrize("cache", [["--no-cache"], ["--cache-dir", "cache"]], ids=["no-cache", "cold-cache"])
def test_a_plain_check_loads_no_report_scaffold_server_or_fix_code(tmp_path: Path, cache: list[str]) -> None:
    (tmp_path / "assets.py").write_text(DAGSTER_FILE, encoding="utf-8")
    modules = loaded_modules(["check", "--jobs", "1", *cache, "assets.py"], tmp_path)
    assert "dagster_zenml_lint.engine" in modules  # the file was analysed
    if cache != ["--no-cache"]:
        assert "dagster_zenml_lint.cache" in modules and (tmp_path / "cache").is_dir()  # and the store written
    assert unwanted(modules) == []


def test_the_flags_that_need_them_still_load_them(tmp_path: Path) -> None:
    (tmp_path / "assets.py").write_text(DAGSTER_FILE, encoding="utf-8")
    check = ["check", "--jobs", "1", "--no-cache", "assets.py"]
    fixed = loaded_modules([*check, "--diff"], tmp_path)
    assert "dagster_zenml_lint.fixers.files" in fixed
    as_json = loaded_modules([*check, "--output-format", "json"], tmp_path)
    assert "dagster_zenml_lint.output.json" in as_json and "json" in as_json
    with_baseline = loaded_modules([*check, "--baseline", "b.json"], tmp_path)
    assert "hashlib" in with_baseline and (tmp_path / "b.json").is_file()


def test_report_reads_yaml_only_for_a_workspace_file(tmp_path: Path) -> None:
    (tmp_path / "assets.py").write_text(DAGSTER_FILE, encoding="utf-8")
    report = ["report", "--output", "MIGRATION_REPORT.md", "."]
    assert "yaml" not in loaded_modules(report, tmp_path)  # most projects: no workspace.yaml, no defs.yaml
    (tmp_path / "workspace.yaml").write_text("load_from:\n  - python_file: assets.py\n", encoding="utf-8")
    assert "yaml" in loaded_modules(report, tmp_path)
    assert (tmp_path / "MIGRATION_REPORT.md").is_file()
