"""The fix applier analyses each text it sees once, and ``migrate`` reuses those analyses.

``fix_text`` works in rounds (lint, apply, lint again until nothing is left to apply); the
last round has linted the text it returns, so its findings are the remaining ones and its
analysis is the fixed text's. The check for orphaned imports analyses each fixed text, and
the next round lints that analysis; a caller's analysis of the original (``context=``) is
the first round's. ``migrate`` (``load_sources``) gives the applier its lint's analysis and
takes the applier's analysis of the fixed text instead of parsing and walking either once
more. Counted with the real functions wrapped.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from samples import JOB, ORPHANING

from dagster_zenml_lint import engine
from dagster_zenml_lint.analysis import walk
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.fixers import apply
from dagster_zenml_lint.fixers.apply import fix_text
from dagster_zenml_lint.scaffold import sources
from dagster_zenml_lint.suppression import reported


@pytest.fixture
def trees(monkeypatch):
    """(text, the tree given with it or None) for each lint ``fix_text`` made, in order (the real lint runs)."""
    seen: list[tuple[str, ast.Module | None]] = []
    real = apply.check_with_fixes

    def counting(text, *args, **kwargs):
        seen.append((text, kwargs.get("tree")))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(apply, "check_with_fixes", counting)
    return seen


@pytest.fixture
def walks(monkeypatch):
    """The texts the engine walked (analysed), in order (the real walk runs)."""
    seen: list[str] = []
    real = walk.analyze

    def counting(path, text, tree):
        seen.append(text)
        return real(path, text, tree)

    monkeypatch.setattr(engine, "analyze", counting)
    monkeypatch.setattr(walk, "analyze", counting)
    return seen


def texts(trees: list[tuple[str, ast.Module | None]]) -> list[str]:
    """The texts linted, in order."""
    return [text for text, _ in trees]


def fresh_findings(text: str, config: Config | None = None) -> list:
    """The findings a lint of ``text`` on its own reports (as ``fix_text`` reports them)."""
    config = config or Config()
    found, _ = apply.check_with_fixes(text, "m.py", config=config)
    return reported(found, text, "m.py", config)


def test_the_settled_text_is_analysed_once(trees, walks):
    result = fix_text(JOB, "m.py")
    assert result.changed and result.applied
    # round one (fixes found), round two (nothing left): the remaining findings are round two's,
    # linted from the analysis the check for orphaned imports made of the fixed text
    assert walks == [JOB, result.text]
    assert texts(trees) == [JOB]
    assert result.remaining and list(result.remaining) == fresh_findings(result.text)


def test_each_text_is_analysed_once_when_orphaned_imports_go(walks):
    result = fix_text(ORPHANING, "m.py", Config(select=("DZ1",)), unsafe=True)
    assert "AssetExecutionContext" not in result.text and "from dagster import asset" in result.text
    # the original; the fixed text (its imports checked); the text without the orphaned import
    assert len(walks) == 3 and walks[0] == ORPHANING and walks[-1] == result.text
    assert len(set(walks)) == len(walks)
    assert list(result.remaining) == fresh_findings(result.text, Config(select=("DZ1",)))


def test_the_callers_analysis_is_the_first_round(walks):
    config = Config(select=("DZ1",))
    expected = fix_text(ORPHANING, "m.py", config, unsafe=True)
    _, context = apply.check_with_fixes(ORPHANING, "m.py", config=Config())  # another configuration
    walks.clear()
    result = fix_text(ORPHANING, "m.py", config, unsafe=True, tree=context.tree, context=context)
    assert ORPHANING not in walks and len(walks) == 2
    assert (result.text, result.applied, result.remaining, result.dropped) == (
        expected.text,
        expected.applied,
        expected.remaining,
        expected.dropped,
    )


def test_a_text_without_fixes_is_linted_once(trees):
    text = "import os\n\nVALUE = os.sep\n"
    result = fix_text(text, "m.py")
    assert texts(trees) == [text]
    assert not result.changed and not result.remaining


def test_the_context_is_the_analysis_of_the_fixed_text():
    result = fix_text(JOB, "m.py")
    assert result.context is not None
    assert result.context.text == result.text
    assert ast.dump(result.context.tree) == ast.dump(ast.parse(result.text))


def test_markers_change_the_text_so_the_remaining_findings_are_linted_again(trees):
    result = fix_text(JOB, "m.py", markers=True)
    assert "# Migration note:" in result.text
    assert texts(trees)[-1] == result.text  # the text with its markers, not the last round's
    assert list(result.remaining) == fresh_findings(result.text)
    assert result.context is not None and result.context.text == result.text


def test_migrate_takes_the_applier_analysis_of_the_fixed_text(tmp_path: Path, monkeypatch):
    (tmp_path / "jobs.py").write_text(JOB, encoding="utf-8")
    analysed: list[str] = []
    real = sources.analyze

    def counting(path, text, tree):
        analysed.append(path)
        return real(path, text, tree)

    monkeypatch.setattr(sources, "analyze", counting)
    walked: list[str] = []
    real_walk = walk.analyze

    def walking(path, text, tree):
        walked.append(text)
        return real_walk(path, text, tree)

    monkeypatch.setattr(engine, "analyze", walking)
    _, modules, skipped = sources.load_sources([tmp_path])
    assert not skipped
    (module,) = modules
    assert module.fixed_text != module.text and "from zenml import" in module.fixed_text
    assert analysed == []  # no second parse and walk of the fixed text
    assert walked == [JOB, module.fixed_text]  # nor of the original: the fixes read the lint's analysis
    assert module.fixed_context is not None and module.fixed_context.text == module.fixed_text
    assert module.fixed_tree is module.fixed_context.tree
    assert ast.dump(module.fixed_tree) == ast.dump(ast.parse(module.fixed_text))


def test_fixes_that_remove_every_dagster_name_fall_back_to_an_analysis_of_their_own(tmp_path: Path):
    text = "from dagster import op\n\n\n@op\ndef one() -> int:\n    return 1\n"
    (tmp_path / "ops.py").write_text(text, encoding="utf-8")
    _, (module,), _ = sources.load_sources([tmp_path])
    assert "dagster" not in module.fixed_text  # the engine does not analyse it: migrate does
    assert module.fixed_context is not None and module.fixed_context.text == module.fixed_text


def test_the_callers_tree_is_not_parsed_again(trees):
    tree = ast.parse(JOB)
    result = fix_text(JOB, "m.py", tree=tree)
    assert trees[0] == (JOB, tree)
    assert result.text == fix_text(JOB, "m.py").text


def test_the_next_round_lints_the_analysis_the_orphan_check_made(trees):
    result = fix_text(JOB, "m.py")
    ((_, first),) = trees  # the second round lints without the engine parsing or walking
    assert first is None  # nothing given: the first round parses
    assert result.context is not None and result.context.text == result.text
    assert ast.dump(result.context.tree) == ast.dump(ast.parse(result.text))


def test_a_tree_is_not_used_for_a_text_with_a_byte_order_mark(trees):
    fix_text("\ufeff" + JOB, "m.py", tree=ast.parse(JOB))
    assert trees[0][1] is None


def test_a_text_with_nothing_to_fix_is_not_compiled(monkeypatch):
    asked: list[str] = []  # the texts compile_error was asked about (the original, a fixed text that failed)
    compiled: list[object] = []  # everything given to the compiler: a text or a (part of a) tree
    real_error, real_compiler = apply.compile_error, apply._compiler_error

    def asking(text, tree=None):
        asked.append(text)
        return real_error(text, tree)

    def compiling(source):
        compiled.append(source)
        return real_compiler(source)

    monkeypatch.setattr(apply, "compile_error", asking)
    monkeypatch.setattr(apply, "_compiler_error", compiling)
    text = "from dagster import asset\n\n\n@asset\ndef table() -> int:\n    return 2\n"
    assert not fix_text(text, "m.py").changed
    assert compiled == []
    result = fix_text(JOB, "m.py")
    assert result.changed and compiled  # the fixed text was compiled (what the fixes changed in it)
    assert asked == []  # it compiles: whether the original does is not asked, nor the whole fixed text
