"""Bounds on what a run reads and starts: worker count, file size, file kinds, directories, links.

Each test holds one promise of ``docs/robustness.md`` and failed before the change it guards.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_process import run_check

from dagster_zenml_lint import parallel
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import DiscoveredFile, FileKind
from dagster_zenml_lint.source import MAX_FILE_BYTES

CHECK_JSON = (sys.executable, "-m", "dagster_zenml_lint", "check", "--output-format", "json")
OPS = "import dagster as dg\n\n\n@dg.op\ndef one():\n    return 1\n"


def test_jobs_above_the_core_count_start_no_more_processes_than_cores(tmp_path, monkeypatch):
    """``--jobs 400`` used to start 400 interpreters; the pool is capped at the usable cores."""
    sizes: list[int] = []

    class RecordingPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers=None, **kwargs):
            sizes.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", RecordingPool)
    files = []
    for index in range(12):
        path = tmp_path / f"m{index}.py"
        path.write_text(OPS, encoding="utf-8")
        files.append(DiscoveredFile(path, FileKind.PYTHON))
    results = parallel.lint_files(files, Config(jobs=400), threshold=0)
    assert [r.path for r in results] == [str(f.path) for f in files]
    cores = parallel.available_cores()
    assert parallel.resolve_jobs(400) == cores
    assert sizes == ([] if cores == 1 else [cores])


# --- through the real command line --------------------------------------------------------------
def records_of(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    """The JSON records of a ``check --output-format json`` run that did not fail with a traceback."""
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_file_over_the_size_limit_is_not_read(tmp_path):
    """A sparse file: its size says "too large" before a byte is read (nothing is pulled into memory)."""
    (tmp_path / "small.py").write_text(OPS, encoding="utf-8")
    with open(tmp_path / "huge.py", "wb") as handle:
        handle.write(b"import dagster\n")
        handle.truncate(MAX_FILE_BYTES + 1)
    records = records_of(run_check(tmp_path, "--output-format", "json", "--select", "DZ000,DZ101", "."))
    assert [(Path(r["path"]).name, r["code"]) for r in records] == [("huge.py", "DZ000"), ("small.py", "DZ101")]
    assert "file too large" in records[0]["message"] and "limit is 10 MB" in records[0]["message"]


def test_file_at_the_size_limit_is_read(tmp_path):
    body = OPS.encode("utf-8")
    (tmp_path / "big.py").write_bytes(body + b"#" * (MAX_FILE_BYTES - len(body) - 1) + b"\n")
    records = records_of(run_check(tmp_path, "--output-format", "json", "--select", "DZ000,DZ101", "big.py"))
    assert [r["code"] for r in records] == ["DZ101"]


@pytest.mark.skipif(not os.path.exists("/proc/kmsg"), reason="needs Linux /proc/kmsg")
def test_link_to_an_endless_kernel_file_does_not_hang(tmp_path):
    """``/proc/kmsg`` is a "regular" file of size 0 whose read waits for kernel messages (root may open it)."""
    (tmp_path / "x.py").symlink_to("/proc/kmsg")
    (tmp_path / "ok.py").write_text(OPS, encoding="utf-8")
    proc = run_check(tmp_path, "--output-format", "json", "--select", "DZ000,DZ101", ".", timeout=60)
    by_name = {Path(r["path"]).name: r for r in records_of(proc)}
    assert by_name["ok.py"]["code"] == "DZ101"
    assert by_name["x.py"]["code"] == "DZ000"


def test_same_file_through_two_links_is_checked_once(tmp_path):
    """Before: three sets of findings for one file, and ``--fix`` then called it "changed on disk"."""
    (tmp_path / "ops.py").write_text(OPS, encoding="utf-8")
    (tmp_path / "alias.py").symlink_to("ops.py")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "again.py").symlink_to("../ops.py")
    records = records_of(run_check(tmp_path, "--output-format", "json", "--select", "DZ101", ".", "ops.py"))
    assert [(r["path"], r["code"]) for r in records] == [("alias.py", "DZ101")]  # the first path found (sorted walk)
    fixed = run_check(tmp_path, ".", "--fix")
    assert "changed on disk" not in fixed.stderr + fixed.stdout, fixed.stderr
    assert "Traceback" not in fixed.stderr
    assert "@step" in (tmp_path / "ops.py").read_text(encoding="utf-8")
    assert (tmp_path / "alias.py").is_symlink() and (tmp_path / "sub" / "again.py").is_symlink()


def _without_file_permission_override() -> list[str]:
    """A command prefix under which permissions bind (root normally reads any directory)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root without setpriv: a chmod'ed directory would not stop this process")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("command", ["check", "report"])
def test_unreadable_directory_is_reported_not_skipped(tmp_path, command):
    (tmp_path / "ok.py").write_text(OPS, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.py").write_text(OPS, encoding="utf-8")
    locked.chmod(0)
    try:
        extra = ["--output-format", "json"] if command == "check" else ["--format", "json"]
        proc = subprocess.run(
            [*_without_file_permission_override(), sys.executable, "-m", "dagster_zenml_lint", command, *extra, "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        locked.chmod(0o755)
    assert "Traceback" not in proc.stderr, proc.stderr
    output = json.loads(proc.stdout)
    records = output if command == "check" else output["findings"]
    unreadable = [r for r in records if r["code"] == "DZ000"]
    assert [Path(r["path"]).name for r in unreadable] == ["locked"], records
    assert "cannot list the directory (Permission denied)" in unreadable[0]["message"]
    assert any(Path(r["path"]).name == "ok.py" for r in records)
    if command == "check":  # a file named inside it (as pre-commit passes files) is no traceback either
        locked.chmod(0)
        try:
            named = subprocess.run(
                [*_without_file_permission_override(), *CHECK_JSON, "locked/hidden.py"],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        finally:
            locked.chmod(0o755)
        assert [r["message"] for r in records_of(named)] == [
            "cannot analyse the file: permission denied; cannot read the file"
        ]


def test_file_name_that_is_not_utf8_under_a_strict_utf8_locale(tmp_path):
    """Under a UTF-8 locale Python's stdout is strict: the first such name used to end the run with a traceback."""
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.py"), "w", encoding="utf-8") as handle:
        handle.write(OPS)
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--select", "DZ101", "."],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    assert b"Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    assert b"caf\xe9.py:4:2: DZ101" in proc.stdout  # the name as the bytes it is


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_links_into_an_unreadable_directory_are_reported_not_skipped(tmp_path):
    """A link whose target cannot even be looked at (file or directory?) was skipped in silence."""
    locked = tmp_path / "locked"
    (locked / "inner").mkdir(parents=True)
    (locked / "a.py").write_text(OPS, encoding="utf-8")
    (locked / "inner" / "b.py").write_text(OPS, encoding="utf-8")
    walked = tmp_path / "walked"
    walked.mkdir()
    (walked / "ok.py").write_text(OPS, encoding="utf-8")
    (walked / "a.py").symlink_to("../locked/a.py")
    (walked / "inner").symlink_to("../locked/inner")
    locked.chmod(0)
    try:
        proc = subprocess.run(
            [*_without_file_permission_override(), *CHECK_JSON, "--select", "DZ000,DZ101", "walked"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        locked.chmod(0o755)
    found = [(Path(r["path"]).name, r["code"], r["message"]) for r in records_of(proc)]
    denied = "cannot analyse the file: permission denied; cannot read the file"
    assert found[:2] == [("a.py", "DZ000", denied), ("inner", "DZ000", denied)]
    assert [(name, code) for name, code, _ in found[2:]] == [("ok.py", "DZ101")]


@pytest.mark.parametrize("fmt", ["json", "json-lines", "sarif", "gitlab", "junit"])
def test_machine_formats_stay_valid_utf8_with_a_file_name_that_is_not(tmp_path, fmt):
    """Before: JSON held the raw byte (no longer UTF-8, unreadable by a JSON parser), SARIF and GitLab crashed."""
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.py"), "w", encoding="utf-8") as handle:
        handle.write(OPS)
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--select", "DZ101", "--output-format", fmt, "."],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert b"Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    text = proc.stdout.decode("utf-8")  # strict: valid UTF-8
    if fmt == "junit":
        assert "caf\ufffd.py" in text
        return
    if fmt == "sarif":
        uris = [
            location["physicalLocation"]["artifactLocation"]["uri"]
            for run in json.loads(text)["runs"]
            for result in run["results"]
            for location in result["locations"]
        ]
        assert uris == ["caf%E9.py"]  # the name's bytes, percent-encoded
        return
    records = [json.loads(line) for line in text.splitlines()] if fmt == "json-lines" else json.loads(text)
    paths = [record["location"]["path"] if fmt == "gitlab" else record["path"] for record in records]
    assert [os.fsencode(path) for path in paths] == [b"caf\xe9.py"]  # the escape reads back as the same bytes
