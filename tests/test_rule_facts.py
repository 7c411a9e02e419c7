"""A rule owns everything about it: front-ends ask the registry, never a table of DZ codes.

The report's sections (``rules_in_section``), the features ZenML lacks
(``Rule.missing_feature``) and how ``migrate`` handles a pattern (``Rule.scaffold``) are
fields of the rules. A ``"DZxxx"`` string literal outside ``rules/``, the docs generator
and the tests is a rule fact kept somewhere else: the test below fails on a new one.
``REMAINING`` lists, per module, the literals not moved yet (the special codes DZ000,
DZ001, DZ399 the engine itself produces, and code checks in the planner and the
scaffold); it may only shrink.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from dagster_zenml_lint.registry import REPORT_SECTIONS, all_rules, rules_in_section, scaffold_resolved_codes

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dagster_zenml_lint"
CODE = re.compile(r"DZ\d{3}")
ALLOWED = ("dagster_zenml_lint/rules/", "dagster_zenml_lint/docs_gen.py")
REMAINING = {
    "dagster_zenml_lint/components_yaml.py": 3,
    "dagster_zenml_lint/config.py": 1,
    "dagster_zenml_lint/engine.py": 9,
    "dagster_zenml_lint/fixers/files.py": 1,
    "dagster_zenml_lint/fixers/markers.py": 1,
    "dagster_zenml_lint/lsp.py": 2,
    "dagster_zenml_lint/project/extract.py": 1,
    "dagster_zenml_lint/project/planner.py": 5,
    "dagster_zenml_lint/registry.py": 1,
    "dagster_zenml_lint/report/markdown.py": 4,
    "dagster_zenml_lint/runner.py": 2,
    "dagster_zenml_lint/scaffold/generate.py": 5,
    "dagster_zenml_lint/scaffold/render.py": 2,
    "dagster_zenml_lint/scaffold/sources.py": 1,
    "dagster_zenml_lint/scaffold/steps.py": 2,
    "dagster_zenml_lint/suppression.py": 2,
}


def code_literals(tree: ast.AST) -> list[int]:
    """Lines of string literals that are exactly a DZ code (docstrings and messages that mention one are text)."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.fullmatch(node.value)
    ]


def literal_counts() -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if not name.startswith(ALLOWED):
            counts[name] += len(code_literals(ast.parse(path.read_bytes())))
    return +counts


def test_no_new_dz_literal_outside_the_rules():
    grown = {name: count for name, count in literal_counts().items() if count > REMAINING.get(name, 0)}
    assert not grown, (
        f"DZ code literals outside rules/ (ask the registry instead: a Rule field, rules_in_section): {grown}"
    )


def test_the_list_of_remaining_literals_only_shrinks():
    counts = literal_counts()
    stale = {
        name: (allowed, counts.get(name, 0)) for name, allowed in REMAINING.items() if counts.get(name, 0) < allowed
    }
    assert not stale, f"fewer literals than REMAINING allows: lower it to what is left {stale}"


def test_the_check_sees_a_code_table():
    assert code_literals(ast.parse('IO_CODES = ("DZ205", "DZ309")\nx = "see DZ205"\n')) == [1, 1]


@pytest.mark.parametrize("section", REPORT_SECTIONS)
def test_every_report_section_has_rules_and_each_rule_one_section(section):
    codes = rules_in_section(section)
    assert codes, f"no rule in report section {section!r}"
    assert all(next(r for r in all_rules() if r.code == c).report_section == section for c in codes)


def test_an_unknown_section_is_an_error():
    with pytest.raises(KeyError, match="no report section"):
        rules_in_section("partition")


def test_rule_facts_are_consistent():
    for rule in all_rules():
        assert rule.report_section in ("", *REPORT_SECTIONS), rule.code
        if rule.missing_feature is not None:
            assert rule.missing_feature.name and rule.missing_feature.ask, rule.code
        assert not rule.scaffold.note or rule.scaffold.note.endswith("."), rule.code
    # the direct mappings are the fixes the step translation applies: it resolves them
    assert {"DZ101", "DZ102", "DZ103", "DZ104", "DZ106", "DZ107", "DZ108"} <= scaffold_resolved_codes()
