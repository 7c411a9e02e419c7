from dagster import ResourceParam, asset

from ledger_lifecycle.resources import Ledger, OrderStore, Pricing, Rates


@asset
def orders(store: OrderStore) -> list:
    return store.orders()


@asset
def order_count(orders: list, store: OrderStore) -> int:
    return len(orders) + len(store.orders())


@asset
def booked(orders: list, ledger: Ledger, rates: Rates) -> list:
    return [ledger.entry(order["amount"] * (1 + rates.vat)) for order in orders]


@asset
def priced(orders: list, pricing: ResourceParam[Pricing]) -> list:
    return [pricing.gross(order["amount"]) for order in orders]
