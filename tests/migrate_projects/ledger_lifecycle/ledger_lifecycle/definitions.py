from dagster import Definitions

from ledger_lifecycle.assets import booked, order_count, orders
from ledger_lifecycle.jobs import audit_job
from ledger_lifecycle.resources import Ledger, OrderStore, Rates, audit_stamp

defs = Definitions(
    assets=[orders, order_count, booked],
    jobs=[audit_job],
    resources={
        "store": OrderStore(path="data/orders.json"),
        "ledger": Ledger(currency="EUR"),
        "rates": Rates(vat=0.25),
        "audit": audit_stamp.configured({"prefix": "AUD", "log_path": "lifecycle.log"}),
    },
)
