"""A rule owns everything about it: front-ends ask the registry, never a table of DZ codes.

The report's sections (``rules_in_section``), the features ZenML lacks
(``Rule.missing_feature``) and how ``migrate`` handles a pattern (``Rule.scaffold``) are
fields of the rules. A ``"DZxxx"`` string literal outside ``rules/``, the docs generator
and the tests is a rule fact kept somewhere else: the test below fails on one.
The codes that modules below the rule modules produce themselves (DZ000, DZ001, DZ313,
DZ399) are named in ``rules/__init__.py``; a module above them that needs one rule's
code (the planner absorbing DZ305 where it splits a job) names the rule object
(``DZ305.code``).
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


def test_no_dz_literal_outside_the_rules():
    found = literal_counts()
    assert not found, (
        f"DZ code literals outside rules/ (ask the registry instead: a Rule field, rules_in_section): {found}"
    )


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
