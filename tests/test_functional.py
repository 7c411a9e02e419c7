"""Functional fixtures: each annotated line expects exactly its findings, through the engine."""

from __future__ import annotations

import pytest
from fixture_annotations import expected_findings, fixture_files, is_trap

from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.registry import rules_by_code, rules_by_symbol
from dagster_zenml_lint.source import read_source


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_fixture_findings_match_annotations(path):
    source = read_source(path)
    by_code = rules_by_code()
    actual = {(by_code[f.code].symbol, f.line) for f in check_source(source.text, str(path))}
    expected = expected_findings(path)
    unknown = {symbol for symbol, _ in expected if symbol not in rules_by_symbol()}
    assert not unknown, f"{path.name}: annotations name unknown symbols {sorted(unknown)}"
    missing = sorted(expected - actual, key=lambda item: (item[1], item[0]))
    extra = sorted(actual - expected, key=lambda item: (item[1], item[0]))
    report = "\n".join(
        [f"missing {path.name}:{line}: {symbol}" for symbol, line in missing]
        + [f"extra   {path.name}:{line}: {symbol}" for symbol, line in extra]
    )
    assert not missing and not extra, report


def test_there_are_fixtures_of_both_kinds():
    files = fixture_files()
    assert any(is_trap(p) for p in files), "no trap fixture"
    assert any(not is_trap(p) and expected_findings(p) for p in files), "no annotated fixture"


@pytest.mark.parametrize("path", [p for p in fixture_files() if is_trap(p)], ids=lambda p: p.name)
def test_trap_fixtures_have_no_annotations(path):
    assert expected_findings(path) == set(), f"{path.name} is a trap fixture: it must expect nothing"
