"""Assets partitioned by date x city (a MultiPartitionsDefinition), reading each dimension's key."""

from dagster import (
    AssetExecutionContext,
    DailyPartitionsDefinition,
    MultiPartitionsDefinition,
    StaticPartitionsDefinition,
    asset,
)

date_city = MultiPartitionsDefinition(
    {
        "date": DailyPartitionsDefinition(start_date="2024-01-01"),
        "city": StaticPartitionsDefinition(["paris", "oslo"]),
    }
)


@asset(partitions_def=date_city)
def reading(context: AssetExecutionContext) -> dict:
    keys = context.partition_key.keys_by_dimension
    day = context.partition_key.keys_by_dimension["date"]
    return {"day": day, "city": keys["city"], "celsius": len(keys["city"]) + int(day[-2:])}


@asset(partitions_def=date_city)
def summary(reading: dict) -> str:
    return f"{reading['city']} on {reading['day']}: {reading['celsius']} C"
