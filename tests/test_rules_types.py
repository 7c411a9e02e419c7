"""Which of DZ220 / DZ221 / DZ226 / DZ228 / DZ215 / DZ310 an In, Out or Output gets (exactly one family)."""

from __future__ import annotations

import pytest

from dagster_zenml_lint.engine import check_source

FAMILY = {"DZ215", "DZ220", "DZ221", "DZ226", "DZ228", "DZ310"}


def family_codes(body: str, header: str = "from dagster import *\nimport dagster as dg\n") -> set[str]:
    """The codes of the In/Out family reported on the last line of ``body``."""
    text = header + body
    last = len(text.rstrip("\n").splitlines())
    return {f.code for f in check_source(text, "t.py") if f.line == last and f.code in FAMILY}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("x = Out()", {"DZ228"}),
        ("x = Out(int)", {"DZ228"}),
        ("x = dg.In(str, description='d')", {"DZ228"}),
        ("x = Out(dagster_type=int)", {"DZ220"}),
        ("EvenInt = DagsterType(name='e', type_check_fn=lambda c, v: True)\nx = Out(EvenInt)", {"DZ220"}),
        ("x = Out(is_required=False)", {"DZ221"}),
        ("x = Out(int, 'desc', False)", {"DZ221"}),
        ("x = AssetOut(is_required=False)", {"DZ310"}),
        ("x = In(Nothing)", {"DZ226"}),
        ("x = In(dagster_type=Nothing)", {"DZ226"}),
        ("x = dg.Out(dg.Nothing)", {"DZ226"}),
        ("x = Output(1)", {"DZ228"}),
        ("x = Output(1, metadata={'a': 1})", {"DZ215"}),
        ("x = AssetKey(['a', 'b'])", {"DZ228"}),
        ("x = AssetDep('a')", {"DZ228"}),
    ],
)
def test_in_out_classification(line, expected):
    assert family_codes(line + "\n") == expected


def test_conditional_yield_is_optional_output_not_plain_spec():
    body = "@op\ndef f(n: int):\n    if n:\n        yield Output(n)\n"
    assert family_codes(body) == {"DZ221"}


def test_unconditional_yield_is_plain():
    body = "@op\ndef f(n: int):\n    yield Output(n)\n"
    assert family_codes(body) == {"DZ228"}


def test_dagster_builtin_type_outside_config_is_dagster_type():
    assert family_codes("x = In(dagster_type=dg.List[dg.Int])\n") == {"DZ220"}


def test_dagster_builtin_type_inside_config_schema_is_left_to_config():
    codes = {
        f.code
        for f in check_source(
            "from dagster import Int, op\n\n\n@op(config_schema={'n': Int})\ndef f(context):\n    return 1\n", "t.py"
        )
    }
    assert "DZ220" not in codes and "DZ399" not in codes


def test_yield_in_a_for_loop_over_outputs_is_not_conditional():
    body = "@op\ndef f():\n    for name in ['a', 'b']:\n        yield Output(1, output_name=name)\n"
    assert family_codes(body) == {"DZ228"}


def test_yield_in_an_except_handler_is_conditional():
    body = "@op\ndef f():\n    try:\n        pass\n    except ValueError:\n        yield Output(0)\n"
    assert family_codes(body) == {"DZ221"}
