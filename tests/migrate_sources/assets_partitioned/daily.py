"""Daily-partitioned assets with plain values: the partition key becomes a run.py flag."""

from dagster import AssetExecutionContext, DailyPartitionsDefinition, asset

daily = DailyPartitionsDefinition(start_date="2024-01-01")


@asset(partitions_def=daily)
def day_numbers(context: AssetExecutionContext) -> list[int]:
    day = int(context.partition_key[-2:])
    return [day, day * 2, day * 3]


@asset(partitions_def=daily)
def day_total(context, day_numbers: list[int]) -> str:
    context.log.info("totalling")
    return f"{context.partition_key}: {sum(day_numbers)}"
