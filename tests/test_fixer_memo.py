"""Fixers' per-file values live on an explicit :class:`FixerMemo` of the file's context."""

from __future__ import annotations

import ast

from dagster_zenml_lint.analysis.facts import FixerMemo
from dagster_zenml_lint.analysis.walk import analyze
from dagster_zenml_lint.fixers.edits import per_file

TEXT = "from dagster import op\n\n\n@op\ndef a():\n    return 1\n"


def _context():
    return analyze("p.py", TEXT, ast.parse(TEXT))


def test_a_value_is_computed_once_per_context_and_not_shared_between_contexts():
    calls = []
    first, second = _context(), _context()
    for ctx in (first, first, second):
        per_file(ctx, "answer", lambda: calls.append(1) or len(calls))
    assert calls == [1, 1]
    assert per_file(first, "answer", lambda: 99) == 1
    assert per_file(second, "answer", lambda: 99) == 2


def test_the_memo_is_an_attribute_of_the_context_not_part_of_its_facts():
    ctx, other = _context(), _context()
    per_file(ctx, ("component", 1), lambda: "plan")
    assert isinstance(ctx.fixer_memo, FixerMemo)
    assert "_fixer_cache" not in vars(ctx)
    assert "fixer_memo" not in repr(ctx)
    assert ctx.fixer_memo.get(("component", 1), lambda: "other") == "plan"
    assert other.fixer_memo.get(("component", 1), lambda: "other") == "other"
