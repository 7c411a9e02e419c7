"""``benchmarks/run.py`` rewrites only its blocks of ``docs/performance.md`` (no benchmark is run here).

The hand-written notes around the generated tables must survive every run byte for byte,
and a document without a block's markers must stop the run instead of growing a second copy.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"


def load_benchmark_module(name: str) -> ModuleType:
    """A module of ``benchmarks/`` (not a package), imported from its file."""
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


blocks = load_benchmark_module("doc_blocks")

HEAD = "# Performance\r\n\nhand-written intro, with trailing spaces   \n\n"
TAIL = "\n## Notes on these numbers\n\nThe cold target is met in this run (hand-written).\n\n<!-- fuzz-long -->\nx"


def document(cache_body: str = "old table\nold prose\n") -> str:
    """A report with hand-written text before and after the cache block."""
    return HEAD + blocks.CACHE.start + "\n" + cache_body + blocks.CACHE.end + TAIL


def test_replace_block_changes_only_the_text_between_the_markers() -> None:
    new = blocks.replace_block(document(), blocks.CACHE, "| new | table |")

    assert new == HEAD + blocks.CACHE.start + "\n| new | table |\n" + blocks.CACHE.end + TAIL
    assert new.startswith(HEAD) and new.endswith(blocks.CACHE.end + TAIL)


def test_replacing_twice_gives_the_same_document() -> None:
    once = blocks.replace_block(document(), blocks.CACHE, "body\n")

    assert blocks.replace_block(once, blocks.CACHE, "body\n") == once


def test_other_blocks_are_left_alone() -> None:
    text = document() + "\n" + blocks.PLUGINS.start + "\nplugins table\n" + blocks.PLUGINS.end + "\n"

    new = blocks.replace_block(text, blocks.PLUGINS, "new plugins table\n")

    assert new.startswith(document() + "\n" + blocks.PLUGINS.start + "\nnew plugins table\n")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(HEAD + TAIL, id="no markers"),
        pytest.param(HEAD + blocks.CACHE.start + "\nbody\n" + TAIL, id="no end marker"),
        pytest.param(document() + document(), id="the block twice"),
        pytest.param(HEAD + blocks.CACHE.end + "\nbody\n" + blocks.CACHE.start + TAIL, id="end before start"),
        pytest.param(HEAD + "see " + blocks.CACHE.start + " and " + blocks.CACHE.end + TAIL, id="markers not lines"),
    ],
)
def test_a_document_without_one_whole_block_is_an_error(text: str) -> None:
    with pytest.raises(blocks.MarkerError, match="'cache' block"):
        blocks.replace_block(text, blocks.CACHE, "body\n")


def test_rewrite_blocks_keeps_the_file_bytes_outside_the_blocks(tmp_path: Path) -> None:
    path = tmp_path / "performance.md"
    path.write_bytes(document().encode("utf-8"))

    blocks.rewrite_blocks(path, {blocks.CACHE: "new\n"})

    assert path.read_bytes() == (HEAD + blocks.CACHE.start + "\nnew\n" + blocks.CACHE.end + TAIL).encode("utf-8")


def test_rewrite_blocks_writes_nothing_when_one_block_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "performance.md"
    path.write_bytes(document().encode("utf-8"))

    with pytest.raises(blocks.MarkerError, match="'plugins' block"):
        blocks.rewrite_blocks(path, {blocks.CACHE: "new\n", blocks.PLUGINS: "new\n"})
    assert path.read_bytes() == document().encode("utf-8")


def test_the_repository_report_has_every_block_once() -> None:
    text = (REPO / "docs" / "performance.md").read_text(encoding="utf-8")

    blocks.check_blocks(text, blocks.ALL_BLOCKS)
    notes = text.index("## Notes on these numbers")
    assert all(text.index(block.end) < notes for block in blocks.ALL_BLOCKS)


def test_run_stops_before_measuring_when_the_report_has_no_block(tmp_path: Path) -> None:
    """Exit 2 with one line, and the document untouched (the check comes before the slow part)."""
    path = tmp_path / "performance.md"
    path.write_bytes((HEAD + TAIL).encode("utf-8"))

    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--cache-only", "--output", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "'cache' block needs exactly one line" in result.stderr
    assert path.read_bytes() == (HEAD + TAIL).encode("utf-8")


@pytest.mark.parametrize("option", ["--runs", "--project-runs"])
def test_zero_runs_is_a_usage_error_not_a_crash_after_measuring(tmp_path: Path, option: str) -> None:
    """A median of no runs does not exist: refused before anything is measured or written."""
    path = tmp_path / "performance.md"
    path.write_bytes((HEAD + TAIL).encode("utf-8"))
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--cache-only", option, "0", "--output", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2 and "must be at least 1, not 0" in result.stderr
    assert "Traceback" not in result.stderr
