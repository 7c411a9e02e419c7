"""``migrate --dry-run``: the files a real run writes, with their sizes, and the plan; nothing on disk."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SOURCES = Path(__file__).parent / "migrate_sources"
LISTED = re.compile(r"^  +(?P<size>\d+)  (?P<name>\S+)(?P<replaces>  \(replaces an existing file\))?$")


def migrate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "migrate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def listing(stdout: str) -> dict[str, int]:
    return {m["name"]: int(m["size"]) for m in map(LISTED.match, stdout.splitlines()) if m}


def on_disk(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_size for p in sorted(out.rglob("*")) if p.is_file()}


def tree_state(root: Path) -> dict[str, tuple[int, bytes]]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in files}


@pytest.mark.parametrize("name", ["ops_jobs", "flagged"])
def test_dry_run_lists_exactly_what_a_real_run_writes_and_writes_nothing(tmp_path, name):
    source = SOURCES / name
    before = tree_state(source)
    dry = migrate(tmp_path, str(source), "--out", "new/deeper/out", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert list(tmp_path.iterdir()) == []  # not the out directory, not its parents, no temporary directory
    assert tree_state(source) == before
    planned = listing(dry.stdout)
    assert planned and f"would write {len(planned)} files ({sum(planned.values())} bytes)" in dry.stdout
    assert dry.stdout.rstrip().endswith("nothing was written (--dry-run)")

    real = migrate(tmp_path, str(source), "--out", "real")
    assert real.returncode == 0, real.stderr
    assert on_disk(tmp_path / "real") == planned
    pipelines = [line for line in real.stdout.splitlines() if line.startswith("  pipelines/")]
    assert pipelines and [line for line in dry.stdout.splitlines() if line.startswith("  pipelines/")] == pipelines
    todo = re.search(r"^(\d+) TODO\(migration\) marker", real.stdout, re.M)
    assert todo and f"{todo[1]} TODO(migration) marker(s) would be left" in dry.stdout


def test_dry_run_over_an_existing_project_marks_replaced_files_and_changes_nothing(tmp_path):
    source = SOURCES / "ops_jobs"
    assert migrate(tmp_path, str(source), "--out", "out").returncode == 0
    out = tmp_path / "out"
    (out / "run.py").write_text("# edited by hand\n", encoding="utf-8")
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = tree_state(out)
    refused = migrate(tmp_path, str(source), "--out", "out", "--dry-run")
    assert refused.returncode == 2 and "is not empty" in refused.stderr  # the same check as a real run
    dry = migrate(tmp_path, str(source), "--out", "out", "--force", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert tree_state(out) == before
    replaced = [m["name"] for m in map(LISTED.match, dry.stdout.splitlines()) if m and m["replaces"]]
    assert "run.py" in replaced and "notes.txt" not in replaced
    assert len(replaced) == len(listing(dry.stdout))  # every generated file exists from the first run


def test_dry_run_refuses_what_the_real_run_refuses(tmp_path):
    source = SOURCES / "ops_jobs"
    out = tmp_path / "out"
    out.mkdir()
    (out / "steps").mkdir()
    os.symlink(tmp_path, out / "pipelines")  # a write through it would land outside --out
    dry = migrate(tmp_path, str(source), "--out", "out", "--force", "--dry-run")
    real = migrate(tmp_path, str(source), "--out", "out", "--force")
    assert dry.returncode == real.returncode == 2
    assert dry.stderr == real.stderr and "symbolic link" in dry.stderr
    assert dry.stdout == ""
