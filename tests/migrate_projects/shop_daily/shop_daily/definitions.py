from dagster import (
    AssetSelection,
    Definitions,
    ScheduleDefinition,
    build_schedule_from_partitioned_job,
    define_asset_job,
)

from shop_daily.assets import customer_countries, customers, daily_orders, daily_revenue

customers_job = define_asset_job("customers_job", selection=AssetSelection.assets(customers, customer_countries))
revenue_job = define_asset_job("revenue_job", selection=AssetSelection.assets(daily_orders, daily_revenue))

defs = Definitions(
    assets=[customers, customer_countries, daily_orders, daily_revenue],
    jobs=[customers_job, revenue_job],
    schedules=[
        ScheduleDefinition(job=customers_job, cron_schedule="0 1 * * *"),
        build_schedule_from_partitioned_job(revenue_job),
    ],
)
