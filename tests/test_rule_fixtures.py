"""Every rule has its own fixture under ``tests/rules/`` and up-to-date snapshots of it.

The annotations say which lines the rule reports; the ``.txt`` snapshot pins code,
line, column and message of every finding; a fixable rule's ``_fixed.py`` snapshot
pins what ``--fix --unsafe-fixes`` makes of the fixture. See ``tests/rule_snapshots.py``.
"""

from __future__ import annotations

import ast

import pytest
from rule_snapshots import (
    RULES_DIR,
    UPDATE_COMMAND,
    annotated,
    fixed_path,
    fixture_codes,
    fixture_path,
    is_fixable,
    lint_fixture,
    read,
    render_fixed,
    render_snapshot,
    snapshot_path,
)

from dagster_zenml_lint.fixers.apply import fix_text
from dagster_zenml_lint.registry import all_rules, rules_by_code, rules_by_symbol

RULES = [pytest.param(rule, id=rule.code) for rule in all_rules()]
FIXABLE = [pytest.param(rule, id=rule.code) for rule in all_rules() if is_fixable(rule)]
STALE = f"stale snapshot: run `{UPDATE_COMMAND}` and review the diff"


def test_every_registered_rule_has_a_fixture_and_no_fixture_lacks_a_rule():
    registered = {rule.code for rule in all_rules()}
    present = set(fixture_codes())
    assert not registered - present, f"rules without tests/rules/ fixture: {sorted(registered - present)}"
    assert not present - registered, f"fixtures of unknown rules: {sorted(present - registered)}"


@pytest.mark.parametrize("rule", RULES)
def test_the_rule_reports_exactly_its_annotated_lines(rule):
    expected = annotated(rule.code)
    assert any(symbol == rule.symbol for symbol, _ in expected), f"{rule.code}.py annotates no line [{rule.symbol}]"
    unknown = {symbol for symbol, _ in expected if symbol not in rules_by_symbol()}
    assert not unknown, f"{rule.code}.py annotates unknown symbols {sorted(unknown)}"
    # the fixture's own rule is checked on every line; another rule only where annotated
    checked = {rule.symbol} | {symbol for symbol, _ in expected}
    by_code = rules_by_code()
    found = {(by_code[f.code].symbol, f.line) for f in lint_fixture(rule.code)}
    actual = {(symbol, line) for symbol, line in found if symbol in checked}
    missing = sorted(expected - actual, key=lambda item: item[1])
    extra = sorted(actual - expected, key=lambda item: item[1])
    report = [f"missing {rule.code}.py:{line}: {symbol}" for symbol, line in missing]
    report += [f"extra   {rule.code}.py:{line}: {symbol}" for symbol, line in extra]
    assert not report, "\n".join(report)


@pytest.mark.parametrize("rule", RULES)
def test_the_findings_snapshot_is_current(rule):
    path = snapshot_path(rule.code)
    assert path.exists(), f"{path.name} is missing: {STALE}"
    assert read(path) == render_snapshot(lint_fixture(rule.code)), f"{path.name}: {STALE}"


@pytest.mark.parametrize("rule", FIXABLE)
def test_the_fixed_snapshot_is_current_compiles_and_is_stable(rule):
    path = fixed_path(rule.code)
    assert path.exists(), f"{path.name} is missing: {STALE}"
    fixed = read(path)
    assert fixed == render_fixed(rule.code), f"{path.name}: {STALE}"
    assert fixed != read(fixture_path(rule.code)), f"the fixes of {rule.code} change nothing in its fixture"
    compile(ast.parse(fixed), path.name, "exec")
    assert fix_text(fixed, path.name, unsafe=True).text == fixed, "a second fix run changed the text"


def test_no_snapshot_is_left_over():
    codes = set(fixture_codes())
    fixable = {rule.code for rule in all_rules() if is_fixable(rule)}
    names = {p.name for p in RULES_DIR.iterdir() if p.name != "__pycache__"}
    wanted = {f"{c}.py" for c in codes} | {f"{c}.txt" for c in codes} | {f"{c}_fixed.py" for c in fixable & codes}
    assert not names - wanted, f"files in tests/rules/ that belong to no fixture: {sorted(names - wanted)}"
