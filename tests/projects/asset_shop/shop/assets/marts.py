from dagster import AssetExecutionContext, AssetIn, AssetKey, AssetOut, asset, multi_asset

from shop.partitions import daily as daily_partitions


@asset(
    partitions_def=daily_partitions,
    group_name="orders",
    ins={"raw_orders": AssetIn(key=AssetKey(["raw", "orders"]))},
)
def orders_clean(context: AssetExecutionContext, raw_orders: list) -> list:
    context.log.info("cleaning %s", context.partition_key)
    return [o for o in raw_orders if o]


@asset(partitions_def=daily_partitions, group_name="orders")
def daily_revenue(orders_clean: list) -> float:
    return float(len(orders_clean))


@multi_asset(
    outs={
        "customer_dim": AssetOut(group_name="customers"),
        "customer_segments": AssetOut(group_name="customers"),
    },
    ins={"customers": AssetIn(key_prefix="raw")},
)
def customer_tables(customers: list):
    return customers, {"all": customers}
