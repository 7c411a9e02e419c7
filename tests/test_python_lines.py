"""Lines as Python counts them everywhere (only \\r\\n, \\r and \\n end a line).

``str.splitlines`` also cuts at a form feed, \\x0b, \\x1c-\\x1e, \\x85 and U+2028/2029, which
Python keeps inside a line: each test puts one of them before what it checks, so a module
still splitting that way reports a wrong column, inserts code mid-line or maps a line wrong.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_zenml_lint.analysis.facts import FileContext
from dagster_zenml_lint.engine import analyze
from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.fixers.apply import at_original_lines
from dagster_zenml_lint.fixers.file_index import file_index
from dagster_zenml_lint.source import python_lines

# Characters str.splitlines ends a line at and Python does not.
NOT_LINE_ENDS = ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a subprocess, decoding its output as UTF-8."""
    return subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def context_of(text: str) -> FileContext:
    """The engine's facts of a text, as the fixers see them."""
    return analyze("a.py", text, ast.parse(text))


@pytest.mark.parametrize("char", NOT_LINE_ENDS)
def test_a_column_after_such_a_character_in_an_earlier_line_is_counted_in_characters(tmp_path, char):
    # regression: runner.FileResult.lines split at the character, so the column of a finding on
    # a later line was converted from bytes with another line's text (col 15 instead of 12)
    path = tmp_path / "a.py"
    path.write_text(f'# a{char}b\nx = "ééé"; from dagster import op\n\n\n@op\ndef f():\n    return 1\n', "utf-8")
    run = run_cli("check", "--select", "DZ104", path)
    assert run.returncode == 1, run.stderr
    assert f"{path}:2:12: DZ104" in run.stdout, run.stdout


def test_an_import_before_the_first_statement_goes_after_a_comment_line_with_a_form_feed(tmp_path):
    # regression: fixers.file_index.leading_comments_end stopped inside `# header\x0c more`, the
    # new import went mid-line and the fix was refused ("does not parse: unexpected indent")
    path = tmp_path / "a.py"
    path.write_text(
        "#!/usr/bin/env python\n# header\x0c more\nX = 1\nfrom dagster import op\n\n\n@op\ndef f():\n    return X\n",
        "utf-8",
    )
    run = run_cli("check", "--fix", path)
    assert "does not parse" not in run.stdout + run.stderr, run.stdout + run.stderr
    fixed = path.read_text("utf-8")
    assert fixed.startswith("#!/usr/bin/env python\n# header\x0c more\nfrom zenml import step\n"), fixed
    compile(fixed, str(path), "exec")


def test_leading_comments_end_is_at_a_line_end():
    text = "# one\x0b two\n# three\x85\nX = 1\n"
    assert file_index(context_of(text)).leading_comments_end == text.index("X = 1")


def test_file_context_lines_are_the_parser_lines():
    text = "X = 1  # a\x0cb\u2028c\nY = 2\r\nZ = 3"
    assert context_of(text).lines == ["X = 1  # a\x0cb\u2028c\n", "Y = 2\r\n", "Z = 3"]


def test_a_later_round_finding_maps_to_its_original_line_past_a_form_feed():
    # regression: fixers.apply.at_original_lines diffed str.splitlines lines, so a finding after a
    # changed line holding a form feed moved one line down in the listing of what was fixed
    original = "a = 1  # x\x0cy\nc = 2\n"
    text = "z = 1\nc = 2\n"
    finding = Finding("DZ101", 2, 0, "c")
    assert [f.line for f in at_original_lines([finding], text, original)] == [2]


def test_an_import_group_is_not_split_by_a_comment_ending_in_a_form_feed():
    # regression: fixers.import_facts read `# x\x0c` between two imports as a comment and a blank
    # line (str.splitlines), starting a new isort group there
    text = "import os\n# x\x0c\nimport dagster\n"
    assert file_index(context_of(text)).import_block.groups == [0, 0]
    assert file_index(context_of("import os\n\x0c\nimport dagster\n")).import_block.groups == [0, 1]


@pytest.mark.parametrize(
    "text",
    ["", "\n", "a", "a\n", "a\r\nb\rc\n", "a\x0cb\n\x85\n\u2028", "\n\n", "x\r", "x\r\n\r\n"],
)
def test_python_lines_are_tokenize_lines(text):
    # the reference: what tokenize (the parser's line reader) numbers as lines
    import io

    expected = io.StringIO(text, newline="").readlines()
    assert python_lines(text, keepends=True) == expected
    assert python_lines(text) == [line.rstrip("\r\n") for line in expected]


def test_a_marker_prefix_after_a_form_feed_inside_a_line_is_not_a_marker():
    # regression: fixers.files.count_markers (the "Added N markers" summary) split at the form
    # feed and counted the comment's rest as a marker line
    from dagster_zenml_lint.fixers.files import count_markers

    text = "x = 1  # page\x0c# TODO(migration): not a line of its own\n# TODO(migration): a marker\n"
    assert count_markers(text) == 1


def test_the_original_io_manager_method_in_a_skeleton_keeps_a_line_with_a_form_feed_whole(tmp_path):
    # regression: scaffold.render commented out the method with str.splitlines, so the rest of
    # `# page\x0cbreak` became a line of its own (`#     break`) in the data-access step skeleton
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.py").write_text(
        "import sqlite3\n\nfrom dagster import ConfigurableIOManager, Definitions, asset\n\n\n"
        "class DbIO(ConfigurableIOManager):\n    def handle_output(self, context, obj):\n"
        '        conn = sqlite3.connect("x.db")  # page\x0cbreak\n'
        '        conn.execute("insert into t values (?)", (obj,))\n\n    def load_input(self, context):\n'
        '        return sqlite3.connect("x.db").execute("select 1").fetchall()\n\n\n'
        '@asset(io_manager_key="db")\ndef a() -> int:\n    return 1\n\n\n'
        'defs = Definitions(assets=[a], resources={"db": DbIO()})\n',
        "utf-8",
    )
    run = run_cli("migrate", src, "--out", tmp_path / "out")
    assert run.returncode == 0, run.stdout + run.stderr
    skeleton = (tmp_path / "out" / "steps" / "save_to_db_io.py").read_text("utf-8")
    assert '    #         conn = sqlite3.connect("x.db")  # page\x0cbreak\n' in skeleton, skeleton
    assert "#     break" not in skeleton


def test_a_copied_definition_after_a_comment_holding_a_form_feed_is_a_definition():
    # regression: scaffold.generate._is_definition took the rest of `# note\x0c more` for the part's
    # first line of code, so a copied function after such a comment was not spaced as a definition
    from dagster_zenml_lint.scaffold.generate import _is_definition

    assert _is_definition("# note\x0c more\ndef helper() -> int:\n    return 1\n")
    assert not _is_definition("# note\nX = 1\n")
