"""An op/job pipeline that refreshes the price list."""

from dagster import Config, OpExecutionContext, RetryPolicy, job, op


class PriceConfig(Config):
    """How much to raise prices by."""

    increase_percent: int = 5


@op
def load_prices() -> dict[str, float]:
    return {"widget": 10.0, "gadget": 20.0}


@op(retry_policy=RetryPolicy(max_retries=3, delay=2))
def apply_increase(context: OpExecutionContext, prices: dict[str, float], config: PriceConfig) -> dict[str, float]:
    context.log.info(f"raising prices by {config.increase_percent}%")
    return {item: round(price * (1 + config.increase_percent / 100), 2) for item, price in prices.items()}


@op
def publish_prices(prices: dict[str, float]) -> int:
    return len(prices)


@job
def refresh_prices():
    publish_prices(apply_increase(load_prices()))
