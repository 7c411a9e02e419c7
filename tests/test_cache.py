"""The cache (``.dagster_zenml_lint_cache/``) changes how long ``check`` takes, never what it says.

Every test runs the real command line in a subprocess. Outputs with and without the cache,
cold and warm, are compared byte for byte on the functional fixtures (text, JSON, SARIF,
``--statistics``, ``--show-fixes``, ``--diff``, ``--fix``); a changed file, a changed
file that another file's findings depend on, a corrupt or tampered store are all misses.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cache_support import IO_BASE, SUBCLASS, run_command

from dagster_zenml_lint.cache import CACHE_DIR_ENV, CACHE_DIR_NAME, load_store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _default_cache_location(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests look for the cache where ``check`` keeps it without the environment variable."""
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)


def _check(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return run_command("check", *args, cwd=cwd)


def _project(tmp_path: Path, name: str = "proj") -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES, root / "pkg")
    return root


def _stores(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR_NAME).rglob("*.pickle"))


@pytest.mark.parametrize(
    "flags",
    [
        (),
        ("--output-format", "json"),
        ("--output-format", "sarif"),
        ("--statistics",),
        ("--show-fixes",),
        ("--diff",),
        ("--diff", "--unsafe-fixes"),
    ],
    ids=["text", "json", "sarif", "statistics", "show-fixes", "diff", "diff-unsafe"],
)
def test_cached_and_uncached_runs_say_the_same(tmp_path, flags):
    root = _project(tmp_path)
    uncached = _check("--no-cache", *flags, "pkg", cwd=root)
    assert not (root / CACHE_DIR_NAME).exists()  # --no-cache writes nothing
    cold = _check(*flags, "pkg", cwd=root)
    assert _stores(root)  # the cold run filled the cache
    warm = _check(*flags, "pkg", cwd=root)
    for run in (cold, warm):
        assert (run.returncode, run.stdout, run.stderr) == (uncached.returncode, uncached.stdout, uncached.stderr)


def test_fix_from_a_warm_cache_writes_the_same_files(tmp_path):
    plain = _project(tmp_path, "plain")
    cached = _project(tmp_path, "cached")
    _check("--show-fixes", "pkg", cwd=cached)  # warms the store of runs that work out fixes
    first = _check("--fix", "--unsafe-fixes", "--no-cache", "pkg", cwd=plain)
    second = _check("--fix", "--unsafe-fixes", "pkg", cwd=cached)
    assert (first.returncode, first.stdout) == (second.returncode, second.stdout)
    for path in sorted((plain / "pkg").rglob("*.py")):
        assert path.read_bytes() == (cached / "pkg" / path.relative_to(plain / "pkg")).read_bytes(), path


def test_the_cache_directory_is_marked_as_ruffs_is(tmp_path):
    root = _project(tmp_path)
    _check("pkg", cwd=root)
    assert (root / CACHE_DIR_NAME / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (
        (root / CACHE_DIR_NAME / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_cache_dir_flag_and_setting(tmp_path):
    root = _project(tmp_path)
    _check("--cache-dir", tmp_path / "elsewhere", "pkg", cwd=root)
    assert list((tmp_path / "elsewhere").rglob("*.pickle"))
    assert not (root / CACHE_DIR_NAME).exists()
    (root / "pyproject.toml").write_text('[tool.dagster-zenml-lint]\ncache-dir = "build/lint-cache"\n')
    _check("pkg", cwd=root)
    assert list((root / "build" / "lint-cache").rglob("*.pickle"))
    (root / "pyproject.toml").write_text("[tool.dagster-zenml-lint]\ncache-dir = 3\n")
    bad = _check("pkg", cwd=root)
    assert bad.returncode == 2 and b"cache-dir" in bad.stderr


def test_the_cache_dir_environment_variable_counts_as_the_flag(tmp_path, monkeypatch):
    # like ruff's RUFF_CACHE_DIR: over the configuration's cache-dir, under --cache-dir
    root = _project(tmp_path)
    (root / "pyproject.toml").write_text('[tool.dagster-zenml-lint]\ncache-dir = "build/lint-cache"\n')
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "from-env"))
    _check("pkg", cwd=root)
    assert list((tmp_path / "from-env").rglob("*.pickle"))
    assert not (root / "build").exists() and not (root / CACHE_DIR_NAME).exists()
    _check("--cache-dir", tmp_path / "from-flag", "pkg", cwd=root)
    assert list((tmp_path / "from-flag").rglob("*.pickle"))
    monkeypatch.setenv(CACHE_DIR_ENV, "")  # empty: not set
    _check("pkg", cwd=root)
    assert list((root / "build" / "lint-cache").rglob("*.pickle"))


def test_a_changed_file_is_analysed_again(tmp_path):
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    ops = root / "pkg" / "ops.py"
    ops.write_text("from dagster import op\n\n\n@op\ndef load():\n    return 1\n")
    assert b"DZ101" in _check("pkg", cwd=root).stdout
    ops.write_text("from dagster import job\n\n\n@job\ndef load():\n    pass\n")
    out = _check("pkg", cwd=root).stdout
    assert b"DZ102" in out and b"DZ101" not in out


def test_a_change_in_a_file_the_findings_depend_on_is_seen(tmp_path):
    """``Child(Base)`` is an IO manager (DZ205) only while ``base.py`` makes ``Base`` one."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "base.py").write_text("class Base:\n    pass\n")
    (root / "child.py").write_text(SUBCLASS)
    assert b"DZ205" not in _check("child.py", cwd=root).stdout
    (root / "base.py").write_text(IO_BASE)
    os.utime(root / "base.py", (1, 1))  # a different version, whatever the clock's resolution
    assert b"DZ205" in _check("child.py", cwd=root).stdout
    (root / "base.py").unlink()  # the lookup now finds no file
    assert b"DZ205" not in _check("child.py", cwd=root).stdout


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="no target-version is newer than this Python")
def test_a_changed_target_version_is_analysed_again(tmp_path):
    """``target-version`` words a syntax error's DZ000, so it is part of the key: a warm run after
    changing it analyses the file again instead of repeating the old message."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "ops.py").write_text("from dagster import op\n\nx = [1, 2\n")
    newer = f"py3{sys.version_info.minor + 1}"
    for target, note in (("py37", None), (newer, "targets Python 3."), ("py37", None)):
        (root / "pyproject.toml").write_text(f'[tool.dagster-zenml-lint]\ntarget-version = "{target}"\n')
        out = _check("ops.py", cwd=root).stdout.decode()
        assert "DZ000" in out and (note in out if note else "targets" not in out), (target, out)
        assert _check("ops.py", cwd=root).stdout.decode() == out  # warm: the same
    assert len(_stores(root)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: b"not a pickle at all",
        lambda data: pickle.dumps((1, {"x": ("not", "an", "entry")})),
        lambda data: pickle.dumps(os.system),  # names code the store may not name
    ],
    ids=["truncated", "garbage", "wrong-shape", "tampered"],
)
def test_a_damaged_store_is_ignored(tmp_path, damage):
    root = _project(tmp_path)
    expected = _check("--no-cache", "--output-format", "json", "pkg", cwd=root)
    _check("--output-format", "json", "pkg", cwd=root)
    (store,) = _stores(root)
    store.write_bytes(damage(store.read_bytes()))
    assert load_store(store) == {}
    again = _check("--output-format", "json", "pkg", cwd=root)
    assert (again.returncode, again.stdout) == (expected.returncode, expected.stdout)
    assert load_store(store)  # rewritten whole


def test_a_read_only_cache_directory_costs_nothing_but_time(tmp_path):
    root = _project(tmp_path)
    expected = _check("--no-cache", "pkg", cwd=root)
    (tmp_path / "blocked").write_text("a file where the cache directory would go")
    run = _check("--cache-dir", tmp_path / "blocked", "pkg", cwd=root)
    assert (run.returncode, run.stdout, run.stderr) == (expected.returncode, expected.stdout, expected.stderr)


def test_entries_of_deleted_files_are_dropped(tmp_path):
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    for name in ("a.py", "b.py"):
        (root / "pkg" / name).write_text("from dagster import op\n\n\n@op\ndef load():\n    return 1\n")
    _check("pkg", cwd=root)
    (store,) = _stores(root)
    assert len(load_store(store)) == 2
    (root / "pkg" / "b.py").unlink()
    (root / "pkg" / "a.py").write_text("from dagster import job\n")  # a change: the store is written again
    _check("pkg", cwd=root)
    assert [key.rsplit(os.sep, 1)[-1] for key in load_store(store)] == ["a.py"]


def test_the_tool_fingerprint_stamps_every_module_of_the_package(monkeypatch):
    # An edited rule module must invalidate the cache: every .py file of the package is stamped.
    from dagster_zenml_lint import cache

    stamped: list[str] = []
    monkeypatch.setattr(cache, "file_stamp", lambda path: stamped.append(path) or (1, 2))
    cache.tool_fingerprint.cache_clear()
    try:
        cache.tool_fingerprint()
    finally:
        cache.tool_fingerprint.cache_clear()
    package = Path(cache.__file__).resolve().parent
    assert sorted(map(Path, stamped)) == sorted(package.rglob("*.py"))


def test_the_store_is_written_through_a_new_file_that_leaves_nothing_behind(tmp_path):
    from dagster_zenml_lint.cache import save_store

    store = tmp_path / "cache" / "0.1.0" / "store.pickle"
    save_store(store, {})
    save_store(store, {})  # over the old one
    assert load_store(store) == {} and store.read_bytes()
    assert sorted(p.name for p in store.parent.iterdir()) == ["store.pickle"]


def test_the_store_never_writes_through_a_file_or_link_already_there(tmp_path, monkeypatch):
    from dagster_zenml_lint.cache import save_store

    store = tmp_path / "cache" / "0.1.0" / "store.pickle"
    store.parent.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    monkeypatch.setattr(os, "urandom", lambda count: b"\x01" * count)  # every name tried is this one
    (store.parent / f".store.{os.getpid()}.{'01' * 6}.tmp").symlink_to(victim)
    save_store(store, {})  # no free name: no store, and no error
    assert victim.read_text() == "keep me" and not store.exists()
