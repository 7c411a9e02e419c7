"""A keyword's finding covers its rule's matches inside the keyword's value: one construct, one finding.

``@asset(automation_condition=(AutomationCondition.eager() | AutomationCondition.on_cron(...)))``
written over several lines used to give a DZ306 finding for the keyword and one more for each line
of its value; on one line the findings were already one (findings are one per rule and line).
"""

from __future__ import annotations

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.engine import check_source

MULTI_LINE = """\
from dagster import AutomationCondition, AssetKey, RetryPolicy, asset, op


@asset(
    automation_condition=(
        AutomationCondition.eager()
        | AutomationCondition.on_cron("0 1 * * *")
    ),
    deps=[
        AssetKey("upstream"),
    ],
)
def table():
    return 1


nightly = AutomationCondition.on_cron("0 2 * * *")


@op(
    retry_policy=(
        RetryPolicy(max_retries=3)
    ),
)
def load():
    return 1
"""


def _where(code: str) -> list[int]:
    return [f.line for f in check_source(MULTI_LINE, "m.py", config=Config()) if f.code == code]


def test_a_multi_line_value_gives_its_keywords_finding_only():
    assert _where("DZ306") == [5, 17]  # the keyword's; the condition assigned outside it is its own


JOB = """\
from dagster import AssetSelection, DailyPartitionsDefinition, define_asset_job

daily = DailyPartitionsDefinition(start_date="2024-01-01")
nightly_job = define_asset_job(
    "nightly_job",
    selection=(
        AssetSelection.groups("sales")
        - AssetSelection.keys("refunds")
    ),
    partitions_def=daily,
)
"""


def test_a_multi_line_selection_gives_one_finding_and_its_sibling_keyword_keeps_its_own():
    found = [(f.line, f.code) for f in check_source(JOB, "m.py", config=Config()) if f.code.startswith("DZ3")]
    assert found == [(3, "DZ301"), (6, "DZ305"), (10, "DZ301")]


def test_a_rule_with_fixes_gives_the_keywords_finding_only_and_it_carries_the_fix():
    assert _where("DZ103") == [21]
    (finding,) = [f for f in check_source(MULTI_LINE, "m.py", with_fixes=True) if f.code == "DZ103"]
    assert finding.fix is not None and finding.fix.description == "Convert @op 'load' to ZenML"


RETRIES = """from dagster import Backoff, RetryPolicy, asset, define_asset_job, job, op


@op
def o():
    return 1


@job(op_retry_policy=RetryPolicy(max_retries=2, backoff=Backoff.EXPONENTIAL))
def j():
    o()


@asset(retry_policy=RetryPolicy(max_retries=3, backoff=Backoff.LINEAR))
def a():
    return 1


nightly = define_asset_job("nightly", op_retry_policy=RetryPolicy(max_retries=2))
"""
# The same code with each retry policy's value spread over several lines.
RETRIES_SPREAD = """\
from dagster import Backoff, RetryPolicy, asset, define_asset_job, job, op


@op
def o():
    return 1


@job(
    op_retry_policy=RetryPolicy(
        max_retries=2,
        backoff=Backoff.EXPONENTIAL,
    )
)
def j():
    o()


@asset(
    retry_policy=(
        RetryPolicy(
            max_retries=3,
            backoff=Backoff.LINEAR,
        )
    )
)
def a():
    return 1


nightly = define_asset_job(
    "nightly",
    op_retry_policy=(
        RetryPolicy(max_retries=2)
    ),
)
"""


def test_one_line_or_several_the_retry_policies_give_the_same_findings_and_fixes():
    one = [f for f in check_source(RETRIES, "r.py", with_fixes=True) if f.code == "DZ103"]
    spread = [f for f in check_source(RETRIES_SPREAD, "r.py", with_fixes=True) if f.code == "DZ103"]
    assert len(one) == len(spread) == 3  # the job's, the asset's, the asset job's keyword
    assert [f.message for f in spread] == [f.message for f in one]
    assert [(f.fix is None, f.fix_blocker) for f in spread] == [(f.fix is None, f.fix_blocker) for f in one]
    (converted,) = [f.fix.description for f in spread if f.fix]
    assert converted.startswith("Convert @op 'o' and @job 'j' to ZenML (unsafe: Backoff.EXPONENTIAL")
    assert [f.fix.description for f in one if f.fix] == [converted]
