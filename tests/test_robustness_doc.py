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


# Sections whose tables carry a test column: the opening table (no heading) and these.
SECTIONS_WITH_TESTS = ("", "Configuration", "`report -o FILE`", "Language server", "`--fix` safety", "migrate")


def sections(text: str) -> dict[str, str]:
    """The document's ``## `` sections by heading ("" for the part before the first one)."""
    parts: dict[str, str] = {}
    heading = ""
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            continue
        parts[heading] = parts.get(heading, "") + line + "\n"
    return parts


def test_every_table_row_names_its_test():
    """Each row of those sections' tables ends in a cell naming a test (or saying it is not tested)."""
    by_heading = sections(DOC.read_text(encoding="utf-8"))
    for heading in SECTIONS_WITH_TESTS:
        lines = by_heading[heading].splitlines()
        # table rows, without each table's header (the line above its |---| separator)
        headers = {index - 1 for index, line in enumerate(lines) if line.startswith("|---")}
        rows = [line for index, line in enumerate(lines) if line.startswith("| ") and index not in headers]
        assert rows, heading
        for row in rows:
            last = row.rstrip(" |").rsplit(" | ", 1)[-1]
            assert "test_" in last or last.startswith("not tested"), row
