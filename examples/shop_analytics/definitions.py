"""The code location: everything Dagster loads."""

import dagster as dg

from shop_analytics import assets
from shop_analytics.automation import new_export_sensor, nightly_prices, sales_job
from shop_analytics.io_managers import JsonFileIOManager
from shop_analytics.ops_jobs import refresh_prices
from shop_analytics.resources import warehouse

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([assets]),
    asset_checks=[assets.summary_is_not_empty],
    jobs=[sales_job, refresh_prices],
    schedules=[nightly_prices],
    sensors=[new_export_sensor],
    resources={"warehouse": warehouse, "io_manager": JsonFileIOManager()},
)
