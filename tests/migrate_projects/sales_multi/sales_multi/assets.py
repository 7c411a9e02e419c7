import csv

from dagster import (
    AssetCheckResult,
    AssetOut,
    MaterializeResult,
    Output,
    asset,
    asset_check,
    multi_asset,
)


@asset
def sales() -> list:
    with open("data/sales.csv", newline="") as handle:
        return [dict(row, units=int(row["units"]), price=float(row["price"])) for row in csv.DictReader(handle)]


@multi_asset(outs={"north_sales": AssetOut(), "south_sales": AssetOut()})
def regional_sales(sales: list):
    north = [row for row in sales if row["region"] == "north"]
    south = [row for row in sales if row["region"] == "south"]
    return north, south


@asset
def north_revenue(north_sales: list) -> Output[float]:
    revenue = sum(row["units"] * row["price"] for row in north_sales)
    return Output(revenue, metadata={"rows": len(north_sales)})


@asset
def south_revenue(south_sales: list) -> float:
    return sum(row["units"] * row["price"] for row in south_sales)


@asset
def revenue_report(north_revenue: float, south_revenue: float) -> str:
    return f"north={north_revenue:.2f} south={south_revenue:.2f}"


@asset(deps=[revenue_report])
def published_report() -> MaterializeResult:
    return MaterializeResult(metadata={"published": True})


@asset_check(asset=north_revenue)
def north_revenue_positive(north_revenue: float) -> AssetCheckResult:
    return AssetCheckResult(passed=north_revenue > 0)


@asset_check(asset=south_revenue)
def south_revenue_below_cap(south_revenue: float) -> AssetCheckResult:
    return AssetCheckResult(passed=south_revenue < 10)
