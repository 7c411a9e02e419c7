"""Partitioned assets, a schedule, a sensor with a cursor, and an IO manager that talks to a database."""

import sqlite3

from dagster import (
    AssetExecutionContext,
    ConfigurableIOManager,
    DailyPartitionsDefinition,
    Definitions,
    InputContext,
    OutputContext,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    asset,
    define_asset_job,
    sensor,
)

from flagged.serialization import JsonFileIOManager

daily = DailyPartitionsDefinition(start_date="2024-01-01")


class WarehouseIOManager(ConfigurableIOManager):
    """Stores every output as a row of a SQLite table named after the asset."""

    path: str = "warehouse.db"

    def handle_output(self, context: OutputContext, obj) -> None:
        table = context.asset_key.path[-1]
        with sqlite3.connect(self.path) as conn:
            conn.execute(f"CREATE TABLE IF NOT EXISTS {table} (value TEXT)")
            conn.execute(f"INSERT INTO {table} VALUES (?)", (repr(obj),))

    def load_input(self, context: InputContext):
        table = context.asset_key.path[-1]
        with sqlite3.connect(self.path) as conn:
            return conn.execute(f"SELECT value FROM {table}").fetchone()[0]


@asset(partitions_def=daily, io_manager_key="warehouse")
def daily_events(context: AssetExecutionContext) -> list[dict]:
    day = context.partition_key
    return [{"day": day, "count": 3}, {"day": day, "count": 4}]


@asset(partitions_def=daily, io_manager_key="json_files")
def daily_summary(context: AssetExecutionContext, daily_events: list[dict]) -> dict:
    context.log.info(f"summarising {context.partition_key}")
    return {"day": context.partition_key, "total": sum(e["count"] for e in daily_events)}


daily_job = define_asset_job("daily_job", selection=[daily_events, daily_summary], partitions_def=daily)
daily_schedule = ScheduleDefinition(job=daily_job, cron_schedule="0 6 * * *", execution_timezone="Europe/Berlin")


@sensor(job=daily_job, minimum_interval_seconds=300)
def late_file_sensor(context: SensorEvaluationContext):
    last_seen = context.cursor or "2024-01-01"
    yield RunRequest(run_key=last_seen, partition_key=last_seen)


defs = Definitions(
    assets=[daily_events, daily_summary],
    jobs=[daily_job],
    schedules=[daily_schedule],
    sensors=[late_file_sensor],
    resources={"warehouse": WarehouseIOManager(), "json_files": JsonFileIOManager(base_dir="/tmp/json")},
)
