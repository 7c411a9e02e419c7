"""DZ218 vs DZ305 on asset jobs, selection strings and targets; DZ310 subsets; DZ223 concurrency keys."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("call", "expected", "absent"),
    [
        ("define_asset_job('all')", "DZ218", "DZ305"),
        ("define_asset_job(name='all', tags={'a': 'b'})", "DZ218", "DZ305"),
        ("define_asset_job('s', selection='group:sales')", "DZ305", "DZ218"),
        ("define_asset_job('s', 'tag:nightly')", "DZ305", "DZ218"),
        ("define_asset_job('s', selection=AssetSelection.keys('a').upstream())", "DZ305", "DZ218"),
    ],
)
def test_asset_job_with_and_without_selection(call, expected, absent, lint):
    text = f"from dagster import AssetSelection, define_asset_job\njob = {call}\n"
    codes = lint(text).codes_on(2)
    assert expected in codes and absent not in codes


def test_materialize_with_selection(lint):
    text = "import dagster as dg\nresult = dg.materialize([], selection='orders')\n"
    assert "DZ305" in lint(text).codes_on(2)


def test_target_naming_a_job_is_not_a_selection(lint):
    text = (
        "import dagster as dg\njob = dg.define_asset_job('all')\n"
        "s = dg.ScheduleDefinition(name='s', target=job, cron_schedule='0 0 * * *')\n"
    )
    assert "DZ305" not in lint(text).codes_on(3)


def test_target_string_is_a_selection(lint):
    text = "import dagster as dg\ns = dg.ScheduleDefinition(name='s', target='*', cron_schedule='0 0 * * *')\n"
    assert "DZ305" in lint(text).codes_on(2)


@pytest.mark.parametrize(
    ("snippet", "reported"),
    [
        ("can_subset=True", True),
        ("can_subset=False", False),
        ("can_subset=subsettable", True),
    ],
)
def test_can_subset(snippet, reported, lint):
    text = (
        f"from dagster import AssetOut, multi_asset\nsubsettable = True\n\n\n"
        f"@multi_asset(outs={{'a': AssetOut()}}, {snippet})\ndef m():\n    return 1\n"
    )
    assert ("DZ310" in lint(text).codes_on(5)) is reported


def test_skippable_spec_is_a_subset(lint):
    text = "import dagster as dg\nspec = dg.AssetSpec('a', skippable=True)\n"
    assert "DZ310" in lint(text).codes_on(2)


@pytest.mark.parametrize(
    ("text", "line", "reported"),
    [
        ("import dagster as dg\nTAGS = {'dagster/concurrency_key': 'db'}\n", 2, True),
        ("import dagster as dg\nCFG = {'execution': {'config': {'multiprocess': {'max_concurrent': 2}}}}\n", 2, True),
        ("import dagster as dg\nLIMITS = {'max_concurrent': 2}\n", 2, False),
        ("import dagster as dg\nx = dg.QueuedRunCoordinator(max_concurrent_runs=5)\n", 2, True),
        ("TAGS = {'dagster/concurrency_key': 'db'}\n", 1, False),
    ],
)
def test_concurrency_keys(text, line, reported, lint):
    assert ("DZ223" in lint(text).codes_on(line)) is reported
