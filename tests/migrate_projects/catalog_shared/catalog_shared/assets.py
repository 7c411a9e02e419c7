import csv

from dagster import asset


@asset
def products() -> list:
    with open("data/products.csv", newline="") as handle:
        return [dict(row, price=float(row["price"])) for row in csv.DictReader(handle)]


@asset
def categories(products: list) -> list:
    return sorted({row["category"] for row in products})


@asset
def price_index(products: list) -> dict:
    return {row["sku"]: row["price"] for row in products}


@asset
def fruit_prices(price_index: dict, products: list) -> dict:
    return {row["sku"]: price_index[row["sku"]] for row in products if row["category"] == "fruit"}
