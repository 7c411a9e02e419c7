"""A vendor-file ingest and an hourly catalog refresh chained by automation: sensors, eager and cron conditions."""

import dagster as dg

from chain import catalog, ingest, sensors
from chain.jobs import archive_vendor_file_job, ingest_vendor_file_job, publish_job

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([ingest, catalog]),
    jobs=[ingest_vendor_file_job, archive_vendor_file_job, publish_job],
    sensors=[sensors.vendor_file_sensor, sensors.archive_after_ingest, sensors.publish_on_catalog],
)
