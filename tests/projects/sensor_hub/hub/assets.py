from datetime import timedelta

import dagster as dg

files = dg.DynamicPartitionsDefinition(name="files")


@dg.asset(partitions_def=files)
def raw_files(context: dg.AssetExecutionContext) -> str:
    return context.partition_key


@dg.asset(partitions_def=files, automation_condition=dg.AutomationCondition.eager())
def parsed_files(raw_files: str) -> str:
    return raw_files.strip()


@dg.asset(automation_condition=dg.AutomationCondition.on_cron("0 * * * *"), deps=[parsed_files])
def hourly_summary() -> int:
    return 1


@dg.observable_source_asset
def vendor_feed() -> dg.DataVersion:
    return dg.DataVersion("v1")


@dg.asset(
    deps=[vendor_feed],
    freshness_policy=dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=2)),
)
def vendor_snapshot() -> dict:
    return {}
