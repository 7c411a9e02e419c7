import os

from dagster import Definitions, RunRequest, ScheduleDefinition, sensor

from inventory_ops.jobs import stock_report_job, units_job
from inventory_ops.resources import StockFile, Thresholds


@sensor(job=units_job)
def stock_file_sensor():
    if os.path.exists("data/stock.json"):
        yield RunRequest(run_key=str(os.path.getmtime("data/stock.json")))


defs = Definitions(
    jobs=[stock_report_job, units_job],
    schedules=[ScheduleDefinition(job=stock_report_job, cron_schedule="0 6 * * *")],
    sensors=[stock_file_sensor],
    resources={"stock": StockFile(path="data/stock.json"), "thresholds": Thresholds(reorder_below=2)},
)
