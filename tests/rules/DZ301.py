"""DZ301 dagster-partitions: Partitions have no ZenML equivalent.

Lines the rule must report end in ``# [dagster-partitions]``; every other line is a trap.
"""


# --- flagged: a daily-partitioned asset reading its key
from dagster import AssetExecutionContext, DailyPartitionsDefinition, asset

daily = DailyPartitionsDefinition(start_date='2024-01-01')  # [dagster-partitions]


@asset(partitions_def=daily)  # [dagster-partitions]
def orders(context: AssetExecutionContext) -> str:
    return context.partition_key  # [dagster-partitions]


# --- flagged: `import dagster as dg`
import dagster as dg


@dg.asset(partitions_def=dg.StaticPartitionsDefinition(['eu', 'us']))  # [dagster-partitions]
def sales() -> int:
    return 1


# --- clean: the key as an explicit parameter
from zenml import pipeline, step


@step
def orders(partition_key: str) -> str:
    return partition_key


@pipeline
def daily(partition_key: str = '2024-01-01'):
    orders(partition_key)


# --- clean: a local class with the same name
class DailyPartitionsDefinition:
    pass


partitions = DailyPartitionsDefinition()
