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


def test_every_lazy_fixer_names_a_function_that_exists():
    import importlib

    from dagster_zenml_lint.registry import LazyFixer, all_rules

    lazy = [rule.fixer for rule in all_rules() if isinstance(rule.fixer, LazyFixer)]
    assert lazy  # the fixable rules load their fixers lazily
    for fixer in lazy:
        module, name = fixer.target.split(":")
        assert callable(getattr(importlib.import_module(module), name)), fixer


def test_a_check_without_fixes_does_not_load_the_fixers():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from dagster_zenml_lint.engine import check_source\n"
        "check_source('from dagster import op\\n\\n@op\\ndef a():\\n    pass\\n')\n"
        "print(sorted(m for m in sys.modules if m.startswith('dagster_zenml_lint.fixers.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_examples_may_be_written_as_indented_triple_quoted_strings():
    from dagster_zenml_lint.registry import clean, flagged

    example = flagged(
        """
        from dagster import op


        @op
        def one() -> int:
            return 1
        """,
        """
        from zenml import step


        @step
        def one() -> int:
            return 1
        """,
    )
    assert example.code == "from dagster import op\n\n\n@op\ndef one() -> int:\n    return 1\n"
    assert example.fixed == "from zenml import step\n\n\n@step\ndef one() -> int:\n    return 1\n"
    assert clean("x = 1\n").code == "x = 1\n"  # a flush sample is kept as it is
