import dagster as dg

from shop.partitions import daily
from shop.resources import WarehouseResource


@dg.asset(partitions_def=daily, group_name="orders", key_prefix=["raw"])
def orders(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> list:
    return warehouse.query(f"select * from orders where day = '{context.partition_key}'")


@dg.asset(group_name="customers", key_prefix="raw")
def customers() -> list:
    return ["ada", "grace"]
