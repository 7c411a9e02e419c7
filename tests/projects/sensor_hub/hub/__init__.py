"""An event-driven project: sensors, cursors, declarative automation, dynamic partitions, freshness."""

import dagster as dg

from hub import assets, sensors
from hub.jobs import ingest_job, vendor_job

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([assets]),
    jobs=[ingest_job, vendor_job],
    sensors=[sensors.new_files, sensors.vendor_updated, sensors.alert_on_failure, sensors.automation],
)
