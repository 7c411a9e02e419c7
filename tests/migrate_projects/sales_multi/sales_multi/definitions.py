from dagster import Definitions, load_asset_checks_from_modules, load_assets_from_modules

from sales_multi import assets

defs = Definitions(
    assets=load_assets_from_modules([assets]),
    asset_checks=load_asset_checks_from_modules([assets]),
)
