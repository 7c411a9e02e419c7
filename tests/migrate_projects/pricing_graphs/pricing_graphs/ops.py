import json

from dagster import Out, op


@op
def read_prices() -> dict:
    with open("data/prices.json") as handle:
        return json.load(handle)


@op
def add_tax(prices: dict) -> dict:
    return {name: round(price * 1.2, 2) for name, price in prices.items()}


@op
def cheapest(prices: dict) -> str:
    return min(prices, key=prices.get)


@op(out={"low": Out(dict), "high": Out(dict)})
def split_by_price(prices: dict):
    low = {k: v for k, v in prices.items() if v < 1.8}
    high = {k: v for k, v in prices.items() if v >= 1.8}
    return low, high
