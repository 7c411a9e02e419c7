from dagster import Config, OpExecutionContext, RetryPolicy, op


class ExtractConfig(Config):
    source_url: str = "https://example.com/data.csv"


@op(retry_policy=RetryPolicy(max_retries=3, delay=10))
def extract(config: ExtractConfig) -> list:
    return [config.source_url]


@op
def transform(rows: list) -> list:
    return [r.upper() for r in rows]


@op
def validate(rows: list) -> list:
    return [r for r in rows if r]


@op
def load(context: OpExecutionContext, rows: list) -> int:
    context.log.info("loading %d rows", len(rows))
    return len(rows)


@op(name="summarize")
def summarize_rows(rows: list) -> str:
    return f"{len(rows)} rows"


@op
def unused_helper() -> None:
    return None
