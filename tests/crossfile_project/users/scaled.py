from dagster import job, op

from users.config import Settings


@op
def scaled(config: Settings) -> int:
    return 10 * config.factor


@job
def scaled_job():
    scaled()
