"""Configuration parity: ``[tool.dagster-zenml-lint]`` means the same to the CLI and the language server.

(The pre-commit hooks run the CLI; ``tests/test_precommit.py`` checks them through
``pre-commit try-repo``, bad keys included.)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_process import run_check
from lsp_client import LspClient, open_document, start_server

pytest.importorskip("pygls")

SOURCE = """\
from dagster import DailyPartitionsDefinition, asset, job, op


@op
def one() -> int:
    return 1


@job
def my_job():
    one()


@asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))
def orders():
    return 1
"""


@pytest.fixture
def server(project: Path) -> Iterator[LspClient]:
    """A running language server."""
    client = start_server(project)
    yield client
    client.process.kill()
    client.close()


def cli_findings(project: Path, relative: str) -> set[tuple[str, int]]:
    """(code, line) of what ``check --output-format json`` reports for one file."""
    completed = run_check(project, "--output-format", "json", relative)
    assert completed.returncode in (0, 1), completed.stderr
    return {(record["code"], record["line"]) for record in json.loads(completed.stdout)}


def server_findings(client: LspClient, path: Path) -> set[tuple[str, int]]:
    """(code, line) of the diagnostics the server publishes for one file."""
    return {(d["code"], d["range"]["start"]["line"] + 1) for d in open_document(client, path, SOURCE)}


@pytest.mark.parametrize(
    ("settings", "absent", "present"),
    [
        ('ignore = ["DZ102"]', {"DZ102"}, {"DZ101", "DZ301"}),
        ('select = ["DZ3"]', {"DZ101", "DZ102"}, {"DZ301"}),
        ('min-severity = "high"', {"DZ101", "DZ102"}, {"DZ301"}),
        ('per-file-ignores = { "pipelines/*" = ["dagster-partitions"] }', {"DZ301"}, {"DZ101"}),
    ],
)
def test_cli_and_server_apply_the_same_settings(
    server: LspClient, project: Path, settings: str, absent: set[str], present: set[str]
) -> None:
    (project / "pyproject.toml").write_text(f"[tool.dagster-zenml-lint]\n{settings}\n", encoding="utf-8")
    (project / "pipelines").mkdir()
    path = project / "pipelines" / "flows.py"
    path.write_text(SOURCE, encoding="utf-8")
    from_cli = cli_findings(project, "pipelines/flows.py")
    from_server = server_findings(server, path)
    assert from_cli == from_server
    codes = {code for code, _ in from_cli}
    assert not codes & absent and present <= codes


def test_exclude_globs_silence_a_document_in_both(server: LspClient, project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.dagster-zenml-lint]\nextend-exclude = ["generated/*"]\n')
    (project / "generated").mkdir()
    path = project / "generated" / "flows.py"
    path.write_text(SOURCE, encoding="utf-8")
    assert cli_findings(project, "generated/flows.py") == set()
    assert server_findings(server, path) == set()
    kept = project / "flows.py"
    kept.write_text(SOURCE, encoding="utf-8")
    assert cli_findings(project, "flows.py") == server_findings(server, kept) != set()


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ('selectt = ["DZ1"]', "'selectt'"),
        ('min-severity = "huge"', "min-severity"),
        ('ignore = ["DZ9999"]', "'DZ9999'"),
    ],
)
def test_a_malformed_setting_is_named_by_cli_and_server(
    server: LspClient, project: Path, settings: str, named: str
) -> None:
    (project / "pyproject.toml").write_text(f"[tool.dagster-zenml-lint]\n{settings}\n", encoding="utf-8")
    path = project / "flows.py"
    path.write_text(SOURCE, encoding="utf-8")
    completed = run_check(project, "flows.py")
    assert completed.returncode == 2
    assert named in completed.stderr and "Traceback" not in completed.stderr
    open_document(server, path, SOURCE)
    shown = server.wait_for(lambda m: m.get("method") == "window/showMessage")
    assert shown["params"]["type"] == 1
    assert named in shown["params"]["message"]


NEWER = f">=3.{sys.version_info.minor + 1}"  # a Python newer than this one, whichever runs the tests


@pytest.mark.parametrize(
    "pyproject",
    [
        f'[project]\nrequires-python = "{NEWER}"\n[tool.dagster-zenml-lint]\n',
        f'[project]\nrequires-python = "{NEWER}"\n',
    ],
    ids=["table", "no-table"],
)
def test_cli_and_server_name_the_python_the_project_targets(server: LspClient, project: Path, pyproject: str) -> None:
    (project / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    path = project / "flows.py"
    broken = SOURCE + "\nrows = [1, 2\n"
    path.write_text(broken, encoding="utf-8")
    completed = run_check(project, "--output-format", "json", "flows.py")
    (from_cli,) = [record["message"] for record in json.loads(completed.stdout)]
    (from_server,) = [d["message"] for d in open_document(server, path, broken)]
    assert from_cli == from_server
    assert f"the project targets Python 3.{sys.version_info.minor + 1} and this is Python 3." in from_cli


def test_per_file_ignores_match_paths_relative_to_the_project(tmp_path: Path) -> None:
    # the project sits under a directory called "tests": "tests/*" must not match its files
    project = tmp_path / "tests" / "proj"
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[tool.dagster-zenml-lint]\nper-file-ignores = { "tests/*" = ["DZ301"] }\n', encoding="utf-8"
    )
    path = project / "flows.py"
    path.write_text(SOURCE, encoding="utf-8")
    client = start_server(project)
    try:
        from_server = server_findings(client, path)
    finally:
        client.process.kill()
        client.close()
    from_cli = cli_findings(project, "flows.py")
    assert from_cli == from_server
    assert "DZ301" in {code for code, _ in from_cli}
