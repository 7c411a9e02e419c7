"""DZ306 declarative automation, DZ307 freshness, DZ308 observable source assets."""

from __future__ import annotations

import ast

from dagster_zenml_lint.analysis.facts import FileContext, KeywordUse
from dagster_zenml_lint.registry import MissingFeature, Rule, clean, flagged
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import ABSENT, HIGH


def _condition_keyword(ctx: FileContext, use: KeywordUse) -> str | None:
    """``automation_condition=None`` (Dagster's default) sets no automation: nothing to redesign."""
    value = use.keyword.value
    return None if isinstance(value, ast.Constant) and value.value is None else ""


DZ306 = Rule(
    code="DZ306",
    report_section="automation",
    missing_feature=MissingFeature(
        "Data-aware automation",
        ("running a pipeline when its upstream artifacts change or go stale, instead of on a fixed schedule only."),
    ),
    symbol="dagster-declarative-automation",
    severity=HIGH,
    mapping=ABSENT,
    title="Declarative automation has no ZenML equivalent",
    target="explicit schedules plus trigger logic outside the pipeline",
    hint="Re-express the condition as explicit schedules and triggers and list which data-aware signal is "
    "lost; do not quietly turn it into plain cron.",
    docs=("SCHED", "PRO"),
    message="{subject}: ZenML has no declarative automation; use schedules and explicit triggers",
    what_it_does="Reports `AutomationCondition`, `AutoMaterializePolicy`, `AutoMaterializeRule`, "
    "`automation_condition=`, `auto_materialize_policy=`, automation condition sensors and the legacy "
    "asset reconciliation sensor.",
    why="Dagster evaluates these conditions continuously against the asset graph's state; ZenML only runs a "
    "pipeline when it is called or scheduled.",
    fix_safety="No fix.",
    names=described(
        "AutomationCondition",
        "AutoMaterializePolicy",
        "AutoMaterializeRule",
        "AutomationConditionSensorDefinition",
        "AutoMaterializeAssetPartitionsFilter",
        "AutomationContext",
        "AutomationResult",
        "evaluate_automation_conditions",
        "EvaluateAutomationConditionsResult",
        "build_asset_reconciliation_sensor",
    ),
    keywords={"automation_condition": _condition_keyword, "auto_materialize_policy": _condition_keyword},
    examples=(
        flagged(
            "import dagster as dg\n\n\n@dg.asset(automation_condition=dg.AutomationCondition.eager())\n"
            "def report() -> int:\n    return 1\n",
        ),
        flagged(
            "from dagster import AutoMaterializePolicy, asset\n\n\n"
            "@asset(auto_materialize_policy=AutoMaterializePolicy.lazy())\ndef report() -> int:\n    return 1\n",
            title="legacy auto-materialize policy",
        ),
        clean("from dagster import asset\n\n\n@asset\ndef report() -> int:\n    return 1\n"),
        clean(
            "from dagster import asset\n\n\n@asset(automation_condition=None)\ndef report() -> int:\n    return 1\n",
            title="the default, spelled out: no automation",
        ),
    ),
)

DZ307 = Rule(
    code="DZ307",
    report_section="automation",
    missing_feature=MissingFeature(
        "Data-aware automation",
        ("running a pipeline when its upstream artifacts change or go stale, instead of on a fixed schedule only."),
    ),
    symbol="dagster-freshness",
    severity=HIGH,
    mapping=ABSENT,
    title="Freshness policies have no ZenML equivalent",
    target="a scheduled validation step plus an alerter",
    hint="Turn the freshness deadline into a scheduled check that alerts, and note that it no longer drives runs.",
    docs=("SCHED", "META"),
    message="{subject}: ZenML has no freshness policies; schedule a check that alerts",
    what_it_does="Reports `FreshnessPolicy`, `LegacyFreshnessPolicy`, `freshness_policy=`, "
    "`apply_freshness_policy` and the freshness-check builders (`build_last_update_freshness_checks`, "
    "`build_time_partition_freshness_checks`, `build_sensor_for_freshness_checks`, Dagster+ "
    "`build_anomaly_detection_freshness_checks`).",
    why="Dagster tracks how stale each asset is and can alert or trigger on it; ZenML keeps no such state.",
    fix_safety="No fix.",
    names=described(
        "FreshnessPolicy",
        "LegacyFreshnessPolicy",
        "apply_freshness_policy",
        "build_last_update_freshness_checks",
        "build_time_partition_freshness_checks",
        "build_sensor_for_freshness_checks",
        "dagster_dbt.build_freshness_checks_from_dbt_assets",
        "dagster_cloud.build_anomaly_detection_freshness_checks",
    ),
    keywords={"freshness_policy": None, "legacy_freshness_policy": None},
    examples=(
        flagged(
            "from datetime import timedelta\n\nfrom dagster import FreshnessPolicy, asset\n\n\n"
            "@asset(freshness_policy=FreshnessPolicy.time_window(fail_window=timedelta(hours=24)))\n"
            "def orders() -> int:\n    return 1\n",
        ),
        flagged(
            "from datetime import timedelta\n\nfrom dagster import asset, build_last_update_freshness_checks\n\n\n"
            "@asset\ndef orders() -> int:\n    return 1\n\n\n"
            "checks = build_last_update_freshness_checks(assets=[orders], lower_bound_delta=timedelta(hours=1))\n",
            title="freshness checks",
        ),
        clean("from dagster import asset\n\n\n@asset\ndef orders() -> int:\n    return 1\n"),
    ),
)

DZ308 = Rule(
    code="DZ308",
    report_section="automation",
    missing_feature=MissingFeature(
        "Observed external data",
        ("recording versions of external data without running a pipeline, and starting runs when they change."),
    ),
    symbol="dagster-observable-source-asset",
    severity=HIGH,
    mapping=ABSENT,
    title="Observable source assets have no ZenML equivalent",
    target="a polling step or an external observer that records `log_metadata(...)`",
    hint="Model the source as a loader step plus an observation step that logs metadata, and record that "
    "graph-level observation is gone.",
    docs=("ART", "META"),
    message="{subject}: ZenML cannot observe sources between runs; add an observation step",
    what_it_does="Reports `@observable_source_asset`, `@multi_observable_source_asset`, `ObserveResult`, "
    "`DataVersion`, `DataVersionsByPartition`, `observe_fn=` and `auto_observe_interval_minutes=`.",
    why="Dagster observes external data on its own cadence and uses data versions to decide staleness; ZenML "
    "only records what its steps produce.",
    fix_safety="No fix.",
    names=described(
        "observable_source_asset",
        "multi_observable_source_asset",
        "ObserveResult",
        "DataVersion",
        "DataVersionsByPartition",
        "DataProvenance",
        "observe",
    ),
    keywords={"observe_fn": None, "auto_observe_interval_minutes": None},
    examples=(
        flagged(
            "from dagster import DataVersion, observable_source_asset\n\n\n@observable_source_asset\n"
            "def raw_file():\n    return DataVersion('v1')\n",
        ),
        clean("from dagster import SourceAsset\n\nraw = SourceAsset(key='raw')\n"),
    ),
)

RULES = (DZ306, DZ307, DZ308)
