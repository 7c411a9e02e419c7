from dagster import job

from inventory_ops.ops import bulk_items, load_stock, stock_report, to_reorder, total_units


@job
def stock_report_job():
    stock = load_stock()
    stock_report(to_reorder(stock), bulk_items(stock))


def _units():
    total_units(load_stock())


units_job = job(name="units_job")(_units)
