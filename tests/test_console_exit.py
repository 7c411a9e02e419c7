"""The console script exits without tearing the interpreter down (``cli.console``), losing nothing.

Its output is flushed whole before the process ends, whatever its size, the exit code is
``main``'s, and a reader that goes away early still costs no traceback.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

from dagster_zenml_lint.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def many_findings(directory: Path) -> Path:
    """A module whose findings print well over a pipe's 64 KiB, whatever the path it sits at."""
    ops = "".join(f"\n\n@op\ndef step_{i}() -> int:\n    return {i}\n" for i in range(1500))
    path = directory / "ops.py"
    path.write_text(f"from dagster import op\n{ops}", encoding="utf-8")
    return path


def test_the_whole_output_and_the_exit_code_leave_the_process(tmp_path: Path) -> None:
    arguments = ["check", "--jobs", "1", "--no-cache", str(many_findings(tmp_path))]
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        expected_code = main(arguments)
    expected = buffer.getvalue()
    assert expected_code == 1 and len(expected) > 2 * 65536  # more than a pipe's buffer
    for form in (["-m", "dagster_zenml_lint"], ["-c", "from dagster_zenml_lint.cli import console; console()"]):
        done = subprocess.run([sys.executable, *form, *arguments], capture_output=True, text=True, check=False)
        assert (done.returncode, done.stdout, done.stderr) == (1, expected, "")


def test_an_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "findings.json"
    arguments = ["check", "--jobs", "1", "--no-cache", "--output-format", "json", "-o", str(target), str(FIXTURES)]
    done = subprocess.run([sys.executable, "-m", "dagster_zenml_lint", *arguments], capture_output=True, check=False)
    assert done.returncode == 1
    assert target.read_text(encoding="utf-8").rstrip().endswith("]")


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    # more output than the pipe holds: the writer is still writing when the reader goes
    target = many_findings(tmp_path)
    command = [sys.executable, "-m", "dagster_zenml_lint", "check", "--jobs", "1", "--no-cache", str(target)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(100)
        process.stdout.close()  # as `| head -c 100` does
        errors = process.stderr.read()
        process.wait()
    assert b"Traceback" not in errors
