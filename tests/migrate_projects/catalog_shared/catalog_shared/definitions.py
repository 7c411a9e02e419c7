from dagster import AssetSelection, Definitions, ScheduleDefinition, define_asset_job

from catalog_shared.assets import categories, fruit_prices, price_index, products

browse_job = define_asset_job("browse_job", selection=AssetSelection.assets(products, categories))
pricing_job = define_asset_job("pricing_job", selection=AssetSelection.assets(products, price_index, fruit_prices))

defs = Definitions(
    assets=[products, categories, price_index, fruit_prices],
    jobs=[browse_job, pricing_job],
    schedules=[ScheduleDefinition(job=pricing_job, cron_schedule="0 2 * * 1")],
)
