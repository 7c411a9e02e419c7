import dagster as dg

from pricing.ops import clean_prices, normalize_prices, weight_scores


@dg.observable_source_asset
def supplier_feed() -> dg.DataVersion:
    return dg.DataVersion("2024-01-01")


@dg.asset
def raw_prices() -> list[float]:
    return [1.0, -2.0, 3.0]


@dg.graph_asset
def cleaned_prices(raw_prices: list[float]) -> list[float]:
    return normalize_prices(clean_prices(raw_prices))


weight_score_asset = dg.AssetsDefinition.from_graph(weight_scores)


@dg.asset(deps=[supplier_feed])
def supplier_snapshot() -> dict[str, str]:
    return {}


@dg.asset(deps=["weight_scores"])
def price_report(cleaned_prices: list[float], supplier_snapshot: dict[str, str]) -> int:
    return len(cleaned_prices) + len(supplier_snapshot)
