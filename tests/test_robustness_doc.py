"""``docs/robustness.md`` names the test that holds each promise: every test it names must exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "robustness.md"
# `test_file.py::test_name` or `test_file.py::test_name[case]`
REFERENCE = re.compile(r"`(?P<file>test_\w+\.py)::(?P<name>test_\w+)(?:\[[^\]`]*\])?`")


def defined_tests(path: Path) -> set[str]:
    """The names of the test functions defined at the top level of a test file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_test_named_in_the_robustness_doc_exists():
    references = [(m["file"], m["name"]) for m in REFERENCE.finditer(DOC.read_text(encoding="utf-8"))]
    assert len(references) > 40
    missing = [
        f"{file}::{name}"
        for file, name in references
        if not (ROOT / "tests" / file).is_file() or name not in defined_tests(ROOT / "tests" / file)
    ]
    assert missing == []


def test_every_table_row_of_the_first_sections_names_a_test():
    """Each row of the tables before the ``--fix`` section has a last cell naming a test (or saying why not)."""
    text = DOC.read_text(encoding="utf-8").split("## `--fix` safety")[0]
    lines = text.splitlines()
    # table rows, without each table's header (the line above its |---| separator)
    headers = {index - 1 for index, line in enumerate(lines) if line.startswith("|---")}
    rows = [line for index, line in enumerate(lines) if line.startswith("| ") and index not in headers]
    assert rows
    for row in rows:
        last = row.rstrip(" |").rsplit(" | ", 1)[-1]
        assert "test_" in last or last.startswith("not tested"), row
