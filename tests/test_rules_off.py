"""A rule the configuration turns off is not run, as in ruff: the engine matches with an index of
the rules that are on, so the others' predicates and detectors cost nothing (``migrate`` works its
direct fixes out under ``select = ["DZ1"]``), and what the rules that are on report is unchanged."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dagster_zenml_lint import engine
from dagster_zenml_lint.analysis.match import match_all
from dagster_zenml_lint.analysis.walk import analyze
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.registry import all_rules, build_index

FIXTURES = sorted((Path(__file__).parent / "fixtures").rglob("*.py"))
FAMILIES = sorted({r.code[:3] for r in all_rules() if not r.code.startswith("DZ0")})  # DZ1 direct, DZ2, DZ3
SELECTIONS = [(family,) for family in FAMILIES] + [("DZ2", "DZ3"), ("DZ101", "DZ306"), ("DZ304",)]


def test_there_are_fixtures_to_compare_on() -> None:
    assert len(FIXTURES) >= 20


@pytest.mark.parametrize("select", SELECTIONS)
def test_the_index_holds_only_the_rules_that_are_on(select: tuple[str, ...]) -> None:
    _, index = engine._judged(Config(select=select))
    assert index is not None
    matched = {rule.code for rule, _ in index.detectors}
    matched |= {rule.code for claims in (*index.names.values(), *index.keywords.values()) for rule, _ in claims}
    assert matched, "some rule of the selection has a matcher"
    assert all(code.startswith(select) for code in matched)
    everything = build_index()
    assert len(index.detectors) < len(everything.detectors) or not everything.detectors


def test_every_rule_on_is_the_full_index() -> None:
    assert engine._judged(Config())[1] is None  # match_all's own default: every rule
    assert len(all_rules()) > 40


@pytest.mark.parametrize("select", SELECTIONS)
@pytest.mark.parametrize("with_fixes", [False, True])
def test_a_selection_reports_what_the_full_run_reports_of_those_rules(
    select: tuple[str, ...], with_fixes: bool
) -> None:
    config = Config(select=select)
    compared = 0
    for path in FIXTURES:
        text = path.read_text(encoding="utf-8")
        full = check_source(text, path.name, with_fixes=with_fixes)
        expected = [f for f in full if f.code.startswith(select)]
        assert check_source(text, path.name, config=config, with_fixes=with_fixes) == expected, path.name
        compared += len(expected)
    assert compared > 0


@pytest.mark.parametrize("ignored", [*FAMILIES, "DZ304"])
def test_ignoring_rules_leaves_the_others_findings_as_they_were(ignored: str) -> None:
    # DZ304 (sensors) claims ``dagster_airlift.build_airflow_polling_sensor`` by name, DZ231 all of
    # ``dagster_airlift.*``: with DZ304 off, the name is still not DZ231's (real_code_patterns.py)
    config = Config(ignore=(ignored,))
    for path in FIXTURES:
        text = path.read_text(encoding="utf-8")
        full = check_source(text, path.name, with_fixes=True)
        assert check_source(text, path.name, config=config, with_fixes=True) == [
            f for f in full if not f.code.startswith(ignored)
        ], path.name


def test_a_context_attribute_claimed_by_a_rule_that_is_off_is_no_other_rules() -> None:
    # The longest chain a rule claims decides, as exact names outrank globs: ``context.log.info``
    # under a rule for ``log.info`` that is off is not handed to a rule for ``log``.
    text = "from dagster import op\n\n\n@op\ndef a(context):\n    context.log.info('x')\n"
    ctx = analyze("a.py", text, ast.parse(text))
    full = build_index()
    rule = next(r for rules in full.context_attrs.values() for r in rules)
    shorter = full._replace(context_attrs={"log": [rule]})
    assert [m.code for m in match_all(ctx, [], shorter) if m.code == rule.code] == [rule.code]
    off = full._replace(context_attrs={"log": [rule], "log.info": []})
    assert [m.code for m in match_all(ctx, [], off) if m.code == rule.code] == []
