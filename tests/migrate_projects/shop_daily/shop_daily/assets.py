import csv
import json

from dagster import AssetExecutionContext, DailyPartitionsDefinition, asset

daily = DailyPartitionsDefinition(start_date="2024-01-01")


@asset
def customers() -> dict:
    with open("data/customers.json") as handle:
        return json.load(handle)


@asset
def customer_countries(customers: dict) -> list:
    return sorted(set(customers.values()))


@asset(partitions_def=daily)
def daily_orders(context: AssetExecutionContext) -> list:
    with open("data/orders.csv", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["day"] == context.partition_key]


@asset(partitions_def=daily)
def daily_revenue(daily_orders: list, customers: dict) -> dict:
    revenue: dict = {}
    for row in daily_orders:
        country = customers[row["customer"]]
        revenue[country] = revenue.get(country, 0.0) + float(row["amount"])
    return revenue
