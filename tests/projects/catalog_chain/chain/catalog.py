import dagster as dg


@dg.asset(group_name="catalog", automation_condition=dg.AutomationCondition.on_cron("0 * * * *"))
def vendor_catalog() -> dict[str, int]:
    return {"A": 1}


@dg.asset(group_name="catalog", automation_condition=dg.AutomationCondition.eager())
def price_alerts(vendor_catalog: dict[str, int]) -> list[str]:
    return [sku for sku, price in vendor_catalog.items() if price > 100]


@dg.asset(group_name="storefront")
def storefront_sync(vendor_catalog: dict[str, int]) -> int:
    return len(vendor_catalog)
