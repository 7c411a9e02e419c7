import csv

from dagster import asset


@asset(owners=["team:catalog"], kinds={"csv"}, tags={"tier": "bronze", "pii": ""})
def products() -> list:
    with open("data/products.csv", newline="") as handle:
        return [dict(row, price=float(row["price"])) for row in csv.DictReader(handle)]


def category_names(products: list) -> list:
    return sorted({row["category"] for row in products})


def _price_index(products: list) -> dict:
    return {row["sku"]: row["price"] for row in products}


# The decorators applied by hand: asset(fn) is keyed by the function's name, asset(name=...)(fn) by name=.
categories = asset(category_names)
price_index = asset(name="price_index")(_price_index)


@asset
def fruit_prices(price_index: dict, products: list) -> dict:
    return {row["sku"]: price_index[row["sku"]] for row in products if row["category"] == "fruit"}
