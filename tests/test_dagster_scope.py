"""DZ000 only where Dagster code may be: a file whose bytes never name ``dagster`` is not parsed.

Such a file holds nothing to migrate; its syntax errors and bad bytes are flake8's and
ruff's to report. A file that does name Dagster (or a component file) keeps every DZ000
it had: syntax errors, undecodable bytes, binary content. A file that cannot be read at
all (permission, size, a FIFO) is DZ000 whatever it holds, since we cannot tell.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import DiscoveredFile, FileKind
from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.project import build_project
from dagster_zenml_lint.runner import lint_file, read_for_lint, worth_reading
from dagster_zenml_lint.source import MAX_FILE_BYTES, SourceError, names_dagster

NOT_OURS = {
    "syntax error": b"def broken(:\n    pass\n",
    "NUL bytes": b"x = 1\n\x00\x00\n",
    "binary": bytes(range(256)) * 8,
    "bad utf-8": b"x = '\xff\xfe'\n",
    "unknown cookie": b"# -*- coding: klingon -*-\nx = 1\n",
    "too deep": b"x = " + b"(" * 1000 + b")" * 1000 + b"\n",
    "noqa for DZ in a broken file": b"x = (  # noqa: DZ101\n",
}
OURS = {
    "syntax error": (b"import dagster\ndef broken(:\n    pass\n", "syntax error"),
    "NUL bytes": (b"import dagster\nx = 1\n\x00\x00\n", "NUL bytes"),
    "bad utf-8": (b"import dagster\nx = '\xff\xfe'\n", "cannot decode"),
    "unknown cookie": (b"# -*- coding: klingon -*-\nimport dagster\n", "encoding"),
    "utf-16 with a byte order mark": (codecs.BOM_UTF16_LE + "import dagster\n".encode("utf-16-le"), "binary"),
}


def _check_json(*args: str, cwd: Path) -> tuple[int, list[dict]]:
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--output-format", "json", *args],
        capture_output=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert b"Traceback" not in proc.stdout + proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@pytest.mark.parametrize("content", NOT_OURS.values(), ids=NOT_OURS.keys())
def test_a_file_that_never_names_dagster_gives_nothing(tmp_path, content):
    path = tmp_path / "plain.py"
    path.write_bytes(content)
    result = lint_file(DiscoveredFile(path, FileKind.PYTHON), Config(), with_fixes=True)
    assert (result.findings, result.error) == ((), None)


@pytest.mark.parametrize(("content", "reason"), OURS.values(), ids=OURS.keys())
def test_a_file_that_names_dagster_keeps_its_dz000(tmp_path, content, reason):
    path = tmp_path / "jobs.py"
    path.write_bytes(content)
    result = lint_file(DiscoveredFile(path, FileKind.PYTHON), Config())
    assert [f.code for f in result.findings] == ["DZ000"]
    assert reason in result.findings[0].message


def test_check_report_and_the_engine_agree(tmp_path):
    """The CLI, the report's model and the engine (as the plugins and the editor call it) alike."""
    (tmp_path / "broken_plain.py").write_bytes(NOT_OURS["syntax error"])
    (tmp_path / "latin_plain.py").write_bytes(NOT_OURS["bad utf-8"])
    (tmp_path / "broken_dagster.py").write_bytes(OURS["syntax error"][0])
    code, records = _check_json(".", cwd=tmp_path)
    assert code == 1
    assert {(os.path.basename(r["path"]), r["code"]) for r in records} == {("broken_dagster.py", "DZ000")}
    project = build_project([str(tmp_path)], Config())
    reported = {(Path(r.path).name, f.code) for r in project.results for f in r.findings}
    assert reported == {("broken_dagster.py", "DZ000")}
    assert check_source(NOT_OURS["syntax error"].decode(), "plain.py") == []
    assert [f.code for f in check_source(OURS["syntax error"][0].decode(), "jobs.py")] == ["DZ000"]


def test_a_file_that_cannot_be_read_is_dz000_whatever_it_holds(tmp_path):
    """We cannot tell whether it names Dagster: it is reported, as before."""
    path = tmp_path / "huge.py"
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no byte names dagster
    result = lint_file(DiscoveredFile(path, FileKind.PYTHON), Config())
    assert [f.code for f in result.findings] == ["DZ000"] and "too large" in result.findings[0].message
    with pytest.raises(SourceError):
        read_for_lint(path, FileKind.PYTHON)


def test_a_component_file_is_always_read(tmp_path):
    path = tmp_path / "defs.yaml"
    path.write_bytes(b"type: x\n\x00\n")
    with pytest.raises(SourceError):
        read_for_lint(path, FileKind.COMPONENT_YAML)


def test_what_names_dagster():
    assert names_dagster(b"import dagster\n")
    assert names_dagster(b"from my_dagster_helpers import x\n")  # a pre-filter: the engine decides
    assert names_dagster(codecs.BOM_UTF16_BE + "import dagster".encode("utf-16-be"))
    assert names_dagster(codecs.BOM_UTF32_LE + "import dagster".encode("utf-32-le"))
    assert not names_dagster(b"import dagger\n")
    assert not names_dagster("import dagster".encode("utf-16-le"))  # no byte order mark: not Python source
    assert worth_reading(b"x = 1  # noqa: DZ101\n")  # DZ001 judges a directive left after a migration
    assert not worth_reading(b"x = 1  # noqa: E501\n")
