import dagster as dg


@dg.op
def clean_prices(raw_prices: list[float]) -> list[float]:
    return [p for p in raw_prices if p > 0]


@dg.op
def normalize_prices(prices: list[float]) -> list[float]:
    top = max(prices) if prices else 1.0
    return [p / top for p in prices]


@dg.op
def load_weights() -> dict[str, float]:
    return {"default": 1.0}


@dg.op
def score_weights(weights: dict[str, float]) -> float:
    return sum(weights.values())


@dg.graph
def weight_scores():
    return score_weights(load_weights())
