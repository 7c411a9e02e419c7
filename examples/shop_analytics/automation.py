"""When things run: an asset job on a schedule, and a sensor that reacts to new files."""

import os

import dagster as dg

from shop_analytics.ops_jobs import refresh_prices

sales_job = dg.define_asset_job("sales_job", selection=dg.AssetSelection.groups("sales"))

nightly_prices = dg.ScheduleDefinition(job=refresh_prices, cron_schedule="0 2 * * *")


@dg.sensor(job=sales_job, minimum_interval_seconds=60)
def new_export_sensor(context: dg.SensorEvaluationContext):
    """Starts the sales job when a new export file shows up."""
    export_dir = os.environ.get("SHOP_EXPORT_DIR", "/tmp/exports")
    files = sorted(os.listdir(export_dir)) if os.path.isdir(export_dir) else []
    newest = files[-1] if files else None
    if newest is None or newest == context.cursor:
        return dg.SkipReason("no new export")
    context.update_cursor(newest)
    return dg.RunRequest(run_key=newest)
