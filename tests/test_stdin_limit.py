"""``check -`` holds standard input to the size limit of a file (``MAX_FILE_BYTES``).

It used to read the whole stream: a text of any size was pulled into memory and analysed,
where the same text in a file is the DZ000 ``file too large``.
"""

from __future__ import annotations

import json
import subprocess
import sys

from dagster_zenml_lint.source import MAX_FILE_BYTES

OPS = b"import dagster as dg\n\n\n@dg.op\ndef one():\n    return 1\n"
CHECK_JSON = (sys.executable, "-m", "dagster_zenml_lint", "check", "--output-format", "json", "--select", "DZ000,DZ101")


def padded(size: int) -> bytes:
    """A Dagster module of exactly ``size`` bytes (a comment line fills it)."""
    return OPS + b"#" * (size - len(OPS) - 1) + b"\n"


def test_a_file_on_stdin_over_the_limit_gets_the_files_finding_and_exit_code(tmp_path):
    path = tmp_path / "huge.py"
    path.write_bytes(padded(MAX_FILE_BYTES + 1024 * 1024))
    as_file = subprocess.run([*CHECK_JSON, "huge.py"], cwd=tmp_path, capture_output=True, text=True, check=False)
    with path.open("rb") as handle:
        as_stdin = subprocess.run(
            [*CHECK_JSON, "--stdin-filename", "huge.py", "-"],
            cwd=tmp_path,
            stdin=handle,
            capture_output=True,
            text=True,
            check=False,
        )
    assert as_stdin.returncode == as_file.returncode == 1, as_stdin.stderr
    assert json.loads(as_stdin.stdout) == json.loads(as_file.stdout)
    assert "file too large (11.0 MB, the limit is 10 MB); not read" in as_stdin.stdout


def test_a_pipe_over_the_limit_is_not_analysed(tmp_path):
    done = subprocess.run(
        [*CHECK_JSON, "-"], cwd=tmp_path, input=padded(MAX_FILE_BYTES + 1), capture_output=True, check=False
    )
    assert done.returncode == 1, done.stderr
    records = json.loads(done.stdout)
    assert [(r["code"], r["path"]) for r in records] == [("DZ000", "-")]
    assert records[0]["message"].endswith("file too large (over the limit of 10 MB); not read")


def test_a_pipe_at_the_limit_is_analysed(tmp_path):
    done = subprocess.run(
        [*CHECK_JSON, "-"], cwd=tmp_path, input=padded(MAX_FILE_BYTES), capture_output=True, check=False
    )
    assert done.returncode == 1, done.stderr
    assert [r["code"] for r in json.loads(done.stdout)] == ["DZ101"]


def test_fix_passes_a_text_over_the_limit_through_unchanged(tmp_path):
    # a formatter pipeline keeps its buffer: every byte comes back, the DZ000 goes to stderr
    text = padded(MAX_FILE_BYTES + 3 * 1024 * 1024)
    command = [sys.executable, "-m", "dagster_zenml_lint", "check", "--fix", "-"]
    done = subprocess.run(command, cwd=tmp_path, input=text, capture_output=True, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stdout == text
    assert b"DZ000" in done.stderr and b"file too large" in done.stderr
    assert len(done.stderr.decode().splitlines()) == 2  # the finding and the summary line


def test_diff_of_a_text_over_the_limit_is_empty(tmp_path):
    command = [sys.executable, "-m", "dagster_zenml_lint", "check", "--diff", "-"]
    done = subprocess.run(command, cwd=tmp_path, input=padded(MAX_FILE_BYTES + 1), capture_output=True, check=False)
    assert done.stdout == b"" and b"file too large" in done.stderr
    assert done.returncode == 1
