"""Daily-partitioned assets fed by an unpartitioned one: two pipelines, the key becomes a run.py flag."""

from dagster import AssetExecutionContext, DailyPartitionsDefinition, asset

daily = DailyPartitionsDefinition(start_date="2024-01-01")


@asset
def base_numbers() -> list[int]:
    return [1, 2, 3]


@asset(partitions_def=daily)
def day_numbers(context: AssetExecutionContext, base_numbers: list[int]) -> list[int]:
    day = int(context.partition_key[-2:])
    return [day * n for n in base_numbers]


@asset(partitions_def=daily)
def day_total(context, day_numbers: list[int]) -> str:
    context.log.info("totalling")
    return f"{context.partition_key}: {sum(day_numbers)}"
