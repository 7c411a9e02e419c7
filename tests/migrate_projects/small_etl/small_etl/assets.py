from dagster import Config, asset

from small_etl.resources import Notifier, SignupExport


class CleanConfig(Config):
    min_age: int = 18
    country: str = "DE"


@asset
def raw_signups(signup_export: SignupExport) -> list[dict]:
    return signup_export.rows()


@asset
def clean_signups(config: CleanConfig, raw_signups: list[dict]) -> list[dict]:
    return [r for r in raw_signups if int(r["age"]) >= config.min_age and r["country"] == config.country]


@asset
def signup_summary(clean_signups: list[dict], notifier: Notifier) -> str:
    return notifier.message(f"{len(clean_signups)} signups")
