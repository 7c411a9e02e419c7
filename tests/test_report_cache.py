"""``report`` keeps each Dagster file's analysis in the cache and rebuilds the project model from it.

The cache changes how long ``report`` takes, never what it says: cold and warm runs are
compared byte for byte with ``--no-cache`` on every migrate project and on the rule
fixtures (markdown and JSON). A warm run analyses no unchanged file; a changed file, a
change in a file an analysis looked at, and a damaged or tampered store are misses.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
from pathlib import Path

import pytest
from cache_support import IO_BASE, SUBCLASS, run_command

from dagster_zenml_lint.cache import CACHE_DIR_ENV, CACHE_DIR_NAME
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.engine import may_contain_dagster
from dagster_zenml_lint.project import cached, model
from dagster_zenml_lint.project.cached import AnalysisStore
from dagster_zenml_lint.project.facts import NotLiteral

TESTS = Path(__file__).parent
PROJECTS = sorted(p for p in (TESTS / "migrate_projects").iterdir() if p.is_dir())


@pytest.fixture(autouse=True)
def _default_cache_location(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests look for the cache where ``report`` keeps it without the environment variable."""
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)


def _report(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    proc = run_command("report", *args, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return proc


def _stores(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR_NAME).rglob("report-*.pickle"))


def _copy(source: Path, tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(source, root / "src")
    return root


@pytest.mark.parametrize("fmt", ["markdown", "json"])
@pytest.mark.parametrize("source", [*PROJECTS, TESTS / "fixtures"], ids=lambda p: p.name)
def test_cached_and_uncached_reports_are_the_same(tmp_path, source, fmt):
    root = _copy(source, tmp_path)
    uncached = _report("--no-cache", "--format", fmt, "src", cwd=root)
    assert not (root / CACHE_DIR_NAME).exists()  # --no-cache writes nothing
    cold = _report("--format", fmt, "src", cwd=root)
    assert _stores(root)  # the cold run filled the cache
    warm = _report("--format", fmt, "src", cwd=root)
    assert cold.stdout == uncached.stdout
    assert warm.stdout == uncached.stdout


def _analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The relative paths the engine analyses from now on (in this process)."""
    seen: list[str] = []
    analyse = model._analyse

    def counting(text: str, relative: str, root: Path, config: Config) -> cached.Analysis:
        seen.append(relative)
        return analyse(text, relative, root, config)

    monkeypatch.setattr(model, "_analyse", counting)
    return seen


@pytest.mark.parametrize("source", PROJECTS, ids=lambda p: p.name)
def test_a_warm_run_analyses_no_unchanged_file(tmp_path, monkeypatch, source):
    """Every kept analysis is read back: a value class missing from the unpickler's list would be a miss."""
    root = _copy(source, tmp_path)
    seen = _analysed(monkeypatch)
    cold = model.build_project([root / "src"], use_cache=True, cache_dir=tmp_path / "cache")
    dagster_files = {f.result.path for f in cold.files if f.result.source and may_contain_dagster(f.result.source.text)}
    assert dagster_files and dagster_files <= set(seen)
    seen.clear()
    warm = model.build_project([root / "src"], use_cache=True, cache_dir=tmp_path / "cache")
    assert not set(seen) & dagster_files  # only files without Dagster code, which are not kept
    assert [(f.result, f.facts) for f in warm.files] == [(f.result, f.facts) for f in cold.files]


def test_a_changed_file_is_analysed_again(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "assets.py").write_text("from dagster import asset\n\n\n@asset\ndef orders():\n    return 1\n")
    (root / "pkg" / "other.py").write_text("from dagster import asset\n\n\n@asset\ndef other():\n    return 1\n")
    first = _report("--format", "json", "pkg", cwd=root).stdout
    assert b'"orders"' in first
    (root / "pkg" / "assets.py").write_text("from dagster import asset\n\n\n@asset\ndef invoices():\n    return 1\n")
    seen = _analysed(monkeypatch)
    project = model.build_project([root / "pkg"], use_cache=True, cache_dir=root / CACHE_DIR_NAME)
    assert seen == ["assets.py"]  # other.py came from the cache (names are relative to pkg/, the root)
    assert sorted(key for facts in project.facts for asset in facts.assets for key in asset.keys) == [
        "invoices",
        "other",
    ]


def test_a_change_in_a_file_an_analysis_looked_at_is_seen(tmp_path):
    """``Child(Base)`` is an IO manager (DZ205) only while ``base.py`` makes ``Base`` one."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "base.py").write_text("class Base:\n    pass\n")
    (root / "child.py").write_text(SUBCLASS)
    assert b"DZ205" not in _report("--format", "json", "child.py", cwd=root).stdout
    (root / "base.py").write_text(IO_BASE)
    os.utime(root / "base.py", (1, 1))  # a different version, whatever the clock's resolution
    assert b"DZ205" in _report("--format", "json", "child.py", cwd=root).stdout


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: b"not a pickle at all",
        lambda data: pickle.dumps((cached.REPORT_FORMAT, {"x": ("not", "an", "entry")})),
        lambda data: pickle.dumps(os.system),  # names code the store may not name
    ],
    ids=["truncated", "garbage", "wrong-shape", "tampered"],
)
def test_a_damaged_store_is_ignored(tmp_path, damage):
    root = _copy(PROJECTS[0], tmp_path)
    expected = _report("--no-cache", "src", cwd=root)
    _report("src", cwd=root)
    (store,) = _stores(root)
    store.write_bytes(damage(store.read_bytes()))
    assert _report("src", cwd=root).stdout == expected.stdout
    assert _report("src", cwd=root).stdout == expected.stdout  # from the store written again


def test_an_entry_naming_other_code_is_a_miss_and_runs_nothing(tmp_path):
    """An entry is unpickled with the value classes only: one that names ``os.system`` is not run."""
    root = _copy(PROJECTS[0], tmp_path)
    expected = _report("--no-cache", "src", cwd=root)
    _report("src", cwd=root)
    (store,) = _stores(root)
    version, entries = pickle.loads(store.read_bytes())
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    poisoned = {key: (digest, deps, pickle.dumps(Payload())) for key, (digest, deps, _blob) in entries.items()}
    store.write_bytes(pickle.dumps((version, poisoned)))
    assert _report("src", cwd=root).stdout == expected.stdout
    assert not marker.exists()


def test_the_store_is_kept_per_project_root(tmp_path):
    """Relative paths and module names depend on the root: another root never reads these entries."""
    root = _copy(PROJECTS[0], tmp_path)
    config = Config()
    stores = {AnalysisStore.open(base, config, tmp_path / "c").path for base in (root, root / "src")}
    assert len(stores) == 2


def test_cache_dir_flag(tmp_path):
    root = _copy(PROJECTS[0], tmp_path)
    _report("--cache-dir", tmp_path / "elsewhere", "src", cwd=root)
    assert not (root / CACHE_DIR_NAME).exists()
    assert list((tmp_path / "elsewhere").rglob("report-*.pickle"))


def test_a_cache_directory_that_cannot_be_written_costs_nothing_but_time(tmp_path):
    root = _copy(PROJECTS[0], tmp_path)
    expected = _report("--no-cache", "src", cwd=root)
    (tmp_path / "blocked").write_text("a file where the cache directory would go")
    run = _report("--cache-dir", tmp_path / "blocked", "src", cwd=root)
    assert (run.stdout, run.stderr) == (expected.stdout, expected.stderr)


def test_a_factory_default_that_is_not_a_literal_is_kept_and_read_back(tmp_path, monkeypatch):
    """``NotLiteral.VALUE`` marks such a default: a member comes back as itself (an ``object()`` would
    not be stored at all, and read back it would no longer be the sentinel ``is`` looks for)."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "factories.py").write_text(
        "import os\n\nfrom dagster import asset\n\n\n"
        "def make(name, prefix='sales', owner=os.environ.get('OWNER')):\n"
        "    @asset(name=name, key_prefix=prefix)\n"
        "    def _built():\n        return owner\n\n    return _built\n"
    )
    (root / "defs.py").write_text(
        "from dagster import Definitions\nfrom factories import make\n\n"
        "orders = make('orders')\ninvoices = make('invoices')\ndefs = Definitions(assets=[orders, invoices])\n"
    )
    expected = _report("--no-cache", "--format", "json", ".", cwd=root).stdout
    seen = _analysed(monkeypatch)
    cold = model.build_project([root], use_cache=True, cache_dir=tmp_path / "cache")
    (template,) = next(f for f in cold.facts if f.path == "factories.py").factories
    assert dict(template.defaults)["owner"] is NotLiteral.VALUE
    seen.clear()
    warm = model.build_project([root], use_cache=True, cache_dir=tmp_path / "cache")
    assert seen == []  # both Dagster files came from the cache
    (kept,) = next(f for f in warm.facts if f.path == "factories.py").factories
    assert dict(kept.defaults)["owner"] is NotLiteral.VALUE
    assert sorted(warm.assets) == sorted(cold.assets) == ["sales/invoices", "sales/orders"]
    assert _report("--format", "json", ".", cwd=root).stdout == expected
    assert _report("--format", "json", ".", cwd=root).stdout == expected
