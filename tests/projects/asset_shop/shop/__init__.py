"""An asset-centric shop: daily-partitioned orders and weekly customer assets, two schedules."""

from dagster import Definitions, FilesystemIOManager, load_assets_from_modules

from shop.assets import ingest, marts, reporting
from shop.checks import revenue_is_not_negative
from shop.jobs import customers_job, daily_orders_job
from shop.resources import WarehouseResource
from shop.schedules import customers_schedule, daily_orders_schedule

defs = Definitions(
    assets=load_assets_from_modules([ingest, marts, reporting]),
    asset_checks=[revenue_is_not_negative],
    jobs=[daily_orders_job, customers_job],
    schedules=[daily_orders_schedule, customers_schedule],
    resources={
        "io_manager": FilesystemIOManager(base_dir="/tmp/shop"),
        "warehouse": WarehouseResource(dsn="duckdb:///shop.db"),
    },
)
