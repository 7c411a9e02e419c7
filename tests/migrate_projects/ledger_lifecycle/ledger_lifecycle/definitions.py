from dagster import Definitions

from ledger_lifecycle.assets import booked, order_count, orders, priced
from ledger_lifecycle.jobs import audit_job
from ledger_lifecycle.resources import Ledger, OrderStore, PricingFactory, Rates, audit_stamp, batch_label

defs = Definitions(
    assets=[orders, order_count, booked, priced],
    jobs=[audit_job],
    resources={
        "store": OrderStore(path="data/orders.json"),
        "ledger": Ledger(currency="EUR"),
        "rates": Rates(vat=0.25),
        "audit": audit_stamp.configured({"prefix": "AUD", "log_path": "lifecycle.log"}),
        "pricing": PricingFactory(vat=0.1, currency="SEK"),
        "label": batch_label.configured({"prefix": "LBL"}),
    },
)
