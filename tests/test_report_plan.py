"""The pipeline-boundary decision for the fixture projects of each style."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from report_support import PACKAGES, PROJECTS, dagster_view

from dagster_zenml_lint.project import build_project, plan_pipeline_boundaries
from dagster_zenml_lint.project.planner import PARTIAL_THRESHOLD


def plan_for(name: str):
    project = build_project([PROJECTS / name])
    return project, plan_pipeline_boundaries(project)


def grouping(plan) -> dict[str, set[str]]:
    return {p.name: set(p.members) for p in plan.pipelines}


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_every_member_lands_in_exactly_one_pipeline(name):
    project, plan = plan_for(name)
    members = [m for p in plan.pipelines for m in p.members]
    assert len(members) == len(set(members))
    asset_members = {m for p in plan.pipelines if p.kind == "asset" for m in p.members}
    assert asset_members == set(project.assets)
    op_members = {m for p in plan.pipelines if p.kind == "op" for m in p.members}
    labels = {project.op_label(op) for op in set(project.ops) - project.graph_asset_ops}
    assert op_members | set(plan.unassigned_ops) == labels
    op_keys = [op for p in plan.pipelines if p.kind == "op" for op in p.ops[: len(p.members)]]
    assert len(op_keys) == len(set(op_keys)) == len(op_members)  # each op a member of one pipeline, by key


def test_asset_centric_project_with_two_schedules_and_partitions_is_multiple():
    _, plan = plan_for("asset_shop")
    assert (plan.shape, plan.style) == ("multiple", "asset-centric")
    assert grouping(plan) == {
        "daily_orders": {"raw/orders", "orders_clean", "daily_revenue"},
        "customers_refresh": {"raw/customers", "customer_dim", "customer_segments"},
        "reporting": {"revenue_report"},
    }
    daily = plan.pipeline_of("orders_clean")
    assert daily.partition_params == ("--partition-key",)
    assert daily.checks == (("revenue_is_not_negative", "daily_revenue"),)
    assert [t.name for t in daily.triggers] == ["daily_orders_schedule"]
    assert daily.partitions is not None and daily.partitions.label == "daily"
    weekly = plan.pipeline_of("customer_dim")
    assert weekly.trigger == "schedule 'customers_schedule' (cron `0 6 * * 1`)"
    assert weekly.partition_params == ()
    report = plan.pipeline_of("revenue_report")
    assert report.external_inputs == ("customer_dim", "daily_revenue")
    assert report.trigger == "none (run on demand)"
    assert "2 schedules with different cron schedules" in plan.reason
    assert "1 partitions definition(s) (daily)" in plan.reason
    assert daily.files == ("shop/assets/ingest.py", "shop/assets/marts.py")
    assert str(daily.location) == "shop/jobs.py:5"
    # selection and partition findings are covered by the split and the parameters
    assert plan.counts.high > 0 and plan.counts.high_remaining == 0


def test_op_job_project_gets_one_pipeline_per_job():
    _, plan = plan_for("ops_etl")
    assert plan.style == "op-job-centric"
    assert {p.name: p.source for p in plan.pipelines} == {
        "nightly_etl": "op job 'nightly_etl'",
        "weekly_report_job": "op job 'weekly_report_job'",
    }
    nightly = plan.pipeline_of("load")
    assert nightly.members == ("extract", "transform", "validate", "load")  # dependency order
    assert nightly.edges == (("extract", "transform"), ("transform", "validate"), ("validate", "load"))
    assert nightly.trigger == "schedule 'nightly' (cron `0 2 * * *`)"
    weekly = plan.pipeline_of("summarize")
    assert weekly.members == ("summarize",)
    assert set(weekly.reuses) == {"extract", "transform", "validate"}
    assert plan.unassigned_ops == ("unused_helper",)
    assert plan.shape == "multiple"


def test_single_op_job_is_a_single_pipeline(tmp_path):
    (tmp_path / "etl_one.py").write_text(
        textwrap.dedent(
            """
        from dagster import Definitions, job, op


        @op
        def fetch() -> int:
            return 1


        @op
        def store(value: int) -> None:
            print(value)


        @job
        def only_job():
            store(fetch())


        defs = Definitions(jobs=[only_job])
        """
        )
    )
    view = dagster_view(tmp_path, "etl_one")
    assert view["jobs"] == {"only_job": {"assets": [], "ops": ["fetch", "store"]}}
    project = build_project([tmp_path])
    plan = plan_pipeline_boundaries(project)
    assert plan.shape == "single"
    assert [(p.name, p.members) for p in plan.pipelines] == [("only_job", ("fetch", "store"))]
    assert plan.style == "op-job-centric"


def test_sensor_and_automation_heavy_project_is_partial():
    _, plan = plan_for("sensor_hub")
    assert plan.shape == "partial"
    assert plan.counts.redesign_share >= PARTIAL_THRESHOLD
    assert f"threshold {PARTIAL_THRESHOLD:.0%}" in plan.reason
    assert grouping(plan) == {
        "ingest_files": {"raw_files", "parsed_files"},  # eager automation follows its upstream's run unit
        "hourly_summary_pipeline": {"hourly_summary"},  # named unlike its step (migrate imports it)
        "vendor_refresh": {"vendor_snapshot"},
    }
    ingest = plan.pipeline_of("raw_files")
    assert "sensor 'new_files' (keeps a cursor)" in ingest.trigger
    assert ingest.partition_params == ("--partition-key",)
    assert plan.pipeline_of("hourly_summary").automation == ('dg.AutomationCondition.on_cron("0 * * * *")',)
    vendor = plan.pipeline_of("vendor_snapshot")
    # the observable source is the pipeline's source-loading step, not an input from outside
    assert vendor.sources == ("vendor_feed",) and "vendor_feed" not in vendor.external_inputs
    assert vendor.steps == ("vendor_feed", "vendor_snapshot")


def test_unpartitioned_project_without_triggers_is_not_partial_even_with_a_few_high_findings(tmp_path):
    (tmp_path / "tiny.py").write_text(
        textwrap.dedent(
            """
        from dagster import AssetSelection, asset, define_asset_job


        @asset
        def a() -> int:
            return 1


        @asset
        def b(a: int) -> int:
            return a


        @asset
        def c(b: int) -> int:
            return b


        just_a = define_asset_job("just_a", selection=AssetSelection.keys("a"))
        """
        )
    )
    plan = plan_pipeline_boundaries(build_project([tmp_path]))
    assert plan.shape == "multiple"
    assert grouping(plan) == {"just_a": {"a"}, "c_pipeline": {"b", "c"}}
    assert plan.counts.high_remaining == 0


def test_partitions_definitions_with_the_same_name_get_distinct_labels(tmp_path):
    for name, start in (("a", "2024-01-01"), ("b", "2024-02-01")):
        (tmp_path / f"{name}.py").write_text(
            textwrap.dedent(
                f"""
            from dagster import DailyPartitionsDefinition, asset

            daily = DailyPartitionsDefinition(start_date="{start}")


            @asset(partitions_def=daily)
            def {name}_asset() -> int:
                return 1
            """
            )
        )
    project = build_project([tmp_path])
    plan = plan_pipeline_boundaries(project)
    labels = sorted(project.partitions_labels.values())
    assert labels == ["daily_2024_01_01", "daily_2024_02_01"]
    assert {p.partitions_label for p in plan.pipelines} == set(labels)
    assert "2 partitions definition(s) (daily_2024_01_01, daily_2024_02_01)" in plan.reason


def test_a_job_with_one_partitions_definition_and_unpartitioned_assets_stays_one_pipeline():
    examples = Path(__file__).resolve().parents[1] / "examples" / "shop_analytics"
    plan = plan_pipeline_boundaries(build_project([examples]))
    sales = plan.pipeline_of("raw_orders")
    assert sales.name == "sales_job"
    assert sales.members == ("raw_orders", "cleaned_orders")  # dependency order
    assert sales.partition_params == ("--partition-key",)


def test_a_job_over_two_partitions_definitions_is_split(tmp_path):
    (tmp_path / "two.py").write_text(
        textwrap.dedent(
            """
        from dagster import DailyPartitionsDefinition, HourlyPartitionsDefinition, asset, define_asset_job


        @asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))
        def days() -> int:
            return 1


        @asset(partitions_def=HourlyPartitionsDefinition(start_date="2024-01-01-00:00"))
        def hours() -> int:
            return 1


        everything = define_asset_job("everything")
        """
        )
    )
    plan = plan_pipeline_boundaries(build_project([tmp_path]))
    assert grouping(plan) == {"everything_daily": {"days"}, "everything_hourly": {"hours"}}
    assert all("split by partitions definition" in p.reason for p in plan.pipelines)


def test_each_asset_pipeline_lists_the_external_upstreams_its_members_read(tmp_path):
    (tmp_path / "assets.py").write_text(
        textwrap.dedent(
            """
            from dagster import asset


            @asset(deps=["ext_shared"])
            def first() -> int:
                return 1


            @asset(deps=["ext_first_only"])
            def second(first: int) -> int:
                return first


            @asset(deps=["ext_shared", "ext_other"])
            def alone() -> int:
                return 2


            @asset
            def no_inputs() -> int:
                return 3
            """
        ),
        encoding="utf-8",
    )
    plan = plan_pipeline_boundaries(build_project([tmp_path]))
    assert plan.pipeline_of("second").external_inputs == ("ext_first_only", "ext_shared")
    assert plan.pipeline_of("alone").external_inputs == ("ext_other", "ext_shared")
    assert plan.pipeline_of("no_inputs").external_inputs == ()
