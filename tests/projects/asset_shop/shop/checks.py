from dagster import AssetCheckResult, asset_check

from shop.assets.marts import daily_revenue


@asset_check(asset=daily_revenue)
def revenue_is_not_negative(daily_revenue: float) -> AssetCheckResult:
    return AssetCheckResult(passed=daily_revenue >= 0)
