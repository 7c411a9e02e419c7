"""The Notes cell of a direct translation lists at most three reasons for doing it by hand.

On mike-mcdonald/pbot-dagster, the DZ101 row listed all 53 ops' reasons (one "1 by hand (...)" per op,
each naming its op): a cell of about 20,000 characters. Past three distinct reasons the cell gives the
count, the first three and where each one is (``check --show-fixes``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from dagster_zenml_lint.commands.report import render_report
from dagster_zenml_lint.report.markdown import _notes_cell


def test_three_reasons_or_fewer_are_listed_as_before():
    notes = Counter({"by hand (a)": 2, "autofix with `--unsafe-fixes`": 1, "by hand (b)": 1})
    assert _notes_cell(notes) == "2 by hand (a); 1 autofix with `--unsafe-fixes`; 1 by hand (b)"


def test_more_reasons_give_their_count_and_the_first_three():
    notes = Counter({"safe autofix (`--fix`)": 4, **{f"by hand (reason {i})": i for i in range(1, 6)}})
    assert _notes_cell(notes) == (
        "4 safe autofix (`--fix`); 15 by hand, for example: (1) reason 1 (2) reason 2 (3) reason 3 "
        "(and 2 other reasons: each in `check --show-fixes`)"
    )


OPS = """\
from dagster import op


@op(config_schema={"a": int})
def one(context):
    return context.op_config["a"]


@op
async def two():
    return 2


@op
def three(*args):
    return 3


@op
def four():
    yield 4
"""


def test_a_report_row_with_four_reasons_lists_three(tmp_path: Path):
    (tmp_path / "ops.py").write_text(OPS, encoding="utf-8")
    row = next(line for line in render_report([str(tmp_path)]).splitlines() if "DZ101" in line and "|" in line)
    assert "4 by hand, for example: (1) " in row
    assert "(and 1 other reason: each in `check --show-fixes`)" in row
    assert row.count("op 'four'") == 0  # the fourth reason is not spelt out
