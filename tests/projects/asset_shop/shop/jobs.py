from dagster import AssetSelection, define_asset_job

from shop.partitions import daily

daily_orders_job = define_asset_job("daily_orders", selection=AssetSelection.groups("orders"), partitions_def=daily)
customers_job = define_asset_job(
    name="customers_refresh",
    selection=AssetSelection.keys("raw/customers").downstream() - AssetSelection.keys("revenue_report"),
)
