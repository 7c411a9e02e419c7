"""``check --output-format github``: one GitHub Actions workflow command (annotation) per finding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_process import run_check
from samples import BROKEN, KEYS, OPS

from dagster_zenml_lint.output.github import escape_data, escape_property
from dagster_zenml_lint.registry import get_rule

# the properties are escaped, so none of their values contains "," or ":" and each is present
ANNOTATION = re.compile(
    r"^::(?P<level>error|warning|notice) "
    r"file=(?P<file>[^,:]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"endLine=(?P<end_line>\d+),endColumn=(?P<end_col>\d+),title=(?P<title>[^,:]+)::(?P<message>.+)$"
)


@pytest.fixture
def annotations(tmp_path: Path) -> list[re.Match[str]]:
    """The parsed annotations for a small project."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    (tmp_path / "pipelines").mkdir()
    (tmp_path / "pipelines" / "ops.py").write_text(OPS, encoding="utf-8")
    (tmp_path / "pipelines" / "keys.py").write_text(KEYS, encoding="utf-8")
    (tmp_path / "broken.py").write_text(BROKEN, encoding="utf-8")
    completed = run_check(tmp_path, "--output-format", "github", ".")
    assert completed.returncode == 1, completed.stderr
    lines = completed.stdout.splitlines()
    matches = [ANNOTATION.match(line) for line in lines]
    assert all(matches), [line for line, m in zip(lines, matches, strict=True) if m is None]
    return [m for m in matches if m is not None]


def find(annotations: list[re.Match[str]], file: str, code: str) -> re.Match[str]:
    """The first annotation of one code in one file."""
    found = [m for m in annotations if m["file"] == file and m["title"].startswith(code + " ")]
    assert found, [m.group(0) for m in annotations]
    return found[0]


def test_every_line_is_a_workflow_command_with_position_and_title(annotations: list[re.Match[str]]) -> None:
    op = find(annotations, "pipelines/ops.py", "DZ101")
    assert op["level"] == "notice"  # INFO
    assert op["title"] == "DZ101 (dagster-op)"
    line = OPS.splitlines()[int(op["line"]) - 1]
    assert int(op["line"]) == 4
    assert line[int(op["col"]) - 1 : int(op["end_col"]) - 1] == "op"


def test_message_carries_the_finding_and_the_hint_on_a_second_line(annotations: list[re.Match[str]]) -> None:
    op = find(annotations, "pipelines/ops.py", "DZ101")
    first, second = op["message"].split("%0A")
    assert "'one'" in first
    assert second == escape_data(get_rule("DZ101").hint)


def test_columns_count_characters(annotations: list[re.Match[str]]) -> None:
    key = next(m for m in annotations if m["file"] == "pipelines/keys.py")
    line = KEYS.splitlines()[int(key["line"]) - 1]
    assert line[int(key["col"]) - 1 : int(key["end_col"]) - 1] == "dg.AssetKey"


def test_unparsable_file_is_an_error_annotation(annotations: list[re.Match[str]]) -> None:
    broken = find(annotations, "broken.py", "DZ000")
    assert broken["level"] == "error"
    assert broken["line"] == "4"


def test_severity_levels(annotations: list[re.Match[str]]) -> None:
    levels = {m["title"].split()[0]: m["level"] for m in annotations}
    assert levels["DZ102"] == "notice"  # INFO
    assert all(level in {"notice", "warning", "error"} for level in levels.values())


def test_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("dir,with:odd%name") == "dir%2Cwith%3Aodd%25name"


def test_no_findings_prints_nothing(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("print('hello')\n", encoding="utf-8")
    completed = run_check(tmp_path, "--output-format", "github", ".")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""


def test_paths_are_relative_to_the_working_directory_or_absolute(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ops.py").write_text(OPS, encoding="utf-8")
    (tmp_path / "broken.py").write_text(BROKEN, encoding="utf-8")
    completed = run_check(tmp_path / "sub", "--output-format", "github", "ops.py", "../broken.py")
    files = {m["file"] for m in map(ANNOTATION.match, completed.stdout.splitlines()) if m}
    assert files == {"ops.py", (tmp_path / "broken.py").absolute().as_posix()}
