"""An op/job codebase: typed ops, a retry policy, a multi-output op, a config class, a resource, a graph, two jobs."""

from dagster import (
    Config,
    ConfigurableResource,
    Out,
    RetryPolicy,
    RunConfig,
    get_dagster_logger,
    graph,
    job,
    op,
)

logger = get_dagster_logger()
OFFSET = 100


def _square(value: int) -> int:
    """A plain helper shared by two ops."""
    return value * value


class ScaleConfig(Config):
    """How much the total is scaled by."""

    factor: int = 3


class Formatter(ConfigurableResource):
    """A resource the way older code reaches it: required_resource_keys= and context.resources."""

    prefix: str = "value"

    def render(self, value: int) -> str:
        return f"{self.prefix}={value}"


@op
def load_numbers() -> list[int]:
    return [1, 2, 3, 4, 5]


@op(retry_policy=RetryPolicy(max_retries=2, delay=1))
def squares(numbers: list[int]) -> list[int]:
    return [_square(n) for n in numbers]


@op(out={"evens": Out(list[int]), "odds": Out(list[int])})
def split_parity(numbers: list[int]):
    evens = [n for n in numbers if n % 2 == 0]
    odds = [n for n in numbers if n % 2 == 1]
    return evens, odds


@op
def scaled_total(config: ScaleConfig, values: list[int]) -> int:
    return config.factor * sum(values)


@op
def summary(context, total: int, evens: list[int], odds: list[int]) -> str:
    context.log.info("building the summary")
    return f"total={total} evens={len(evens)} odds={len(odds)}"


@op
def offset_square(numbers: list[int]) -> int:
    logger.info("offsetting")
    return _square(max(numbers)) + OFFSET


@job(config=RunConfig(ops={"scaled_total": ScaleConfig(factor=5)}))
def numbers_job():
    numbers = load_numbers()
    evens, odds = split_parity(numbers)
    summary(scaled_total(squares(numbers)), evens, odds)


@op(required_resource_keys={"formatter"})
def formatted(context, value: int) -> str:
    return context.resources.formatter.render(value)


@graph
def offset_branch(numbers):
    return offset_square(numbers)


@job(resource_defs={"formatter": Formatter(prefix="offset")})
def offset_job():
    formatted(offset_branch(load_numbers()))
