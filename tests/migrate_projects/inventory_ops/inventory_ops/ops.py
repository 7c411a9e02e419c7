from dagster import Config, OpExecutionContext, op

from inventory_ops.resources import Thresholds


class ReportConfig(Config):
    title: str = "stock"


@op(required_resource_keys={"stock"})
def load_stock(context: OpExecutionContext) -> list:
    context.log.info("loading stock")
    return context.resources.stock.load()


@op
def to_reorder(stock: list, thresholds: Thresholds) -> list:
    return [item["sku"] for item in stock if item["qty"] < thresholds.reorder_below]


@op
def bulk_items(stock: list, thresholds: Thresholds) -> list:
    return [item["sku"] for item in stock if item["qty"] > thresholds.bulk_above]


@op
def stock_report(config: ReportConfig, reorder: list, bulk: list) -> str:
    return f"{config.title}: reorder {reorder}, bulk {bulk}"


def _sum_units(stock: list) -> int:
    return sum(item["qty"] for item in stock)


total_units = op(name="total_units")(_sum_units)  # the decorator applied by hand
