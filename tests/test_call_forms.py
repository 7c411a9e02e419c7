"""Ops and jobs made by calling ``op``/``job`` (a decorator applied by hand) under ``check --fix``.

The decorator form is rewritten; the call form is not yet, and the finding says which call it
is and what would make it fixable (issue 12 item 3).
"""

from __future__ import annotations

import pytest

from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.fixers.apply import fix_text

SOURCE = """\
import dagster as dg
from dagster import job, op


def _load() -> int:
    return 1


load = op(_load)
named = op(name="x")(_load)
dotted = dg.op(_load)


def _wire():
    load()


my_job = job(_wire)
"""


@pytest.mark.parametrize(
    ("code", "line", "call"),
    [
        ("DZ101", 9, "'op(_load)'"),
        ("DZ101", 10, "'op(name=\"x\")(_load)'"),
        ("DZ101", 11, "'dg.op(_load)'"),
        ("DZ102", 18, "'job(_wire)'"),
    ],
)
def test_call_form_has_no_fix_and_names_the_call(code, line, call):
    findings = [f for f in check_source(SOURCE, "m.py", with_fixes=True) if f.code == code and f.line == line]
    assert len(findings) == 1
    finding = findings[0]
    assert finding.fix is None
    assert finding.fix_blocker is not None
    assert finding.fix_blocker.startswith(f"{call} applies @")
    assert "write @" in finding.fix_blocker


@pytest.mark.parametrize("unsafe", [False, True])
def test_fix_leaves_call_forms_unchanged(unsafe):
    assert fix_text(SOURCE, "m.py", unsafe=unsafe).text == SOURCE
