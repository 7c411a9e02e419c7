"""Every rule's own examples are run: flagged samples report the code, clean ones do not."""

from __future__ import annotations

import pytest

from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.registry import all_rules

CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{'flagged' if example.flagged else 'clean'}-{i}")
    for rule in all_rules()
    for i, example in enumerate(rule.examples)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example(rule, example):
    codes = {f.code for f in check_source(example.code, "example.py")}
    if example.flagged:
        assert rule.code in codes, f"{rule.code} not reported on its flagged example:\n{example.code}"
    else:
        assert rule.code not in codes, f"{rule.code} reported on its clean example:\n{example.code}"


def test_every_rule_has_both_kinds_of_example():
    for rule in all_rules():
        kinds = {e.flagged for e in rule.examples}
        assert kinds == {True, False}, f"{rule.code} needs at least one flagged and one clean example"
