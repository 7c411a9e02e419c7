"""DZ302 dagster-partition-mapping: Partition mappings have no ZenML equivalent.

Lines the rule must report end in ``# [dagster-partition-mapping]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import AssetIn, DailyPartitionsDefinition, TimeWindowPartitionMapping, asset

daily = DailyPartitionsDefinition(start_date='2024-01-01')


@asset(partitions_def=daily, ins={'orders': AssetIn(partition_mapping=TimeWindowPartitionMapping(start_offset=-1))})  # [dagster-partition-mapping]
def rolling(orders: int) -> int:
    return orders


# --- clean: must stay silent
from dagster import AssetIn, asset


@asset(ins={'orders': AssetIn()})
def report(orders: int) -> int:
    return orders
