from pathlib import Path

import dagster as dg

from lakehouse.defs.assets import order_total, raw_orders

orders_job = dg.define_asset_job("orders_job", selection=[raw_orders, order_total])
defs = dg.Definitions.merge(
    dg.Definitions(assets=[raw_orders, order_total], jobs=[orders_job]),
    dg.load_from_defs_folder(path_within_project=Path(__file__).parent),
)
