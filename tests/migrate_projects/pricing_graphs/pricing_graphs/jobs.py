from dagster import Config, RunConfig, graph, job, op

from pricing_graphs.ops import add_tax, cheapest, read_prices, split_by_price


class BandConfig(Config):
    label: str = "band"


@op
def describe(config: BandConfig, low: dict, high: dict) -> str:
    return f"{config.label}: {sorted(low)} / {sorted(high)}"


@graph
def taxed(prices):
    return add_tax(prices)


@job
def cheapest_job():
    cheapest(taxed(read_prices()))


@job(config=RunConfig(ops={"describe": BandConfig(label="bands")}))
def band_job():
    low, high = split_by_price(taxed(read_prices()))
    describe(low, high)
