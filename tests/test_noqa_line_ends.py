"""``# noqa`` comments sit on the line Python numbers them on, whatever the file's line ends.

Python (and so every finding's line) ends a line at ``\\n``, ``\\r\\n`` or a bare ``\\r``; the
comments were once tokenized from a reader that ends lines at ``\\n`` only, which put every
comment of a ``\\r`` file on line 1: its directives did not suppress, and were reported unused.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_process import run_check

from dagster_zenml_lint.suppression import noqa_directives, parse_noqa

LINES = ["from dagster import op", "", "@op  # noqa: DZ101", "def a():", "    pass"]
LINE_ENDS = ["\n", "\r\n", "\r"]


@pytest.mark.parametrize("end", LINE_ENDS, ids=["lf", "crlf", "cr"])
def test_a_directive_is_read_on_its_own_line(end: str) -> None:
    text = end.join(LINES) + end
    assert parse_noqa(text).by_line == {3: frozenset({"DZ101"})}
    (directive,) = noqa_directives(text)
    assert directive.line == 3
    assert text[directive.codes_start : directive.codes_end] == "DZ101"


@pytest.mark.parametrize("end", LINE_ENDS, ids=["lf", "crlf", "cr"])
def test_a_directive_suppresses_and_is_not_reported_unused(project: Path, end: str) -> None:
    (project / "a.py").write_bytes((end.join(LINES) + end).encode())
    run = run_check(project, "--no-cache", "a.py")
    assert "DZ101" not in run.stdout and "DZ001" not in run.stdout
    assert "DZ104" in run.stdout  # the file is linted: the import's finding is still there


@pytest.mark.parametrize("end", LINE_ENDS, ids=["lf", "crlf", "cr"])
def test_an_unused_code_is_removed_from_its_own_line(project: Path, end: str) -> None:
    lines = [*LINES[:2], "@op  # noqa: DZ101, DZ102", *LINES[3:]]
    path = project / "a.py"
    path.write_bytes((end.join(lines) + end).encode())
    run = run_check(project, "--no-cache", "--select", "DZ0,DZ1", "--fix", "a.py")
    assert "DZ001" not in run.stdout, run.stdout + run.stderr
    fixed = path.read_bytes().decode()
    assert fixed.split(end)[2] == "@op  # noqa: DZ101"  # only the unused code went, on its own line
    assert fixed.count(end) == len(LINES)  # and the line ends stayed the file's


@pytest.mark.parametrize("end", LINE_ENDS, ids=["lf", "crlf", "cr"])
def test_add_noqa_puts_the_directive_on_the_finding_s_line(project: Path, end: str) -> None:
    lines = [LINES[0], "", "@op", *LINES[3:]]
    path = project / "a.py"
    path.write_bytes((end.join(lines) + end).encode())
    run = run_check(project, "--no-cache", "--add-noqa", "a.py")
    assert run.returncode == 0, run.stderr
    assert path.read_bytes().decode().split(end)[:3] == [LINES[0] + "  # noqa: DZ104", "", "@op  # noqa: DZ101"]
