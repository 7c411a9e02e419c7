import dagster as dg


@dg.asset
def raw_orders() -> list:
    return [{"id": 1, "amount": 3.5}, {"id": 2, "amount": 4.0}]


@dg.asset
def order_total(raw_orders: list) -> float:
    return sum(row["amount"] for row in raw_orders)
