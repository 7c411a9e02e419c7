"""DZ307 dagster-freshness: Freshness policies have no ZenML equivalent.

Lines the rule must report end in ``# [dagster-freshness]``; every other line is a trap.
"""


# --- flagged: must be reported
from datetime import timedelta

from dagster import FreshnessPolicy, asset


@asset(freshness_policy=FreshnessPolicy.time_window(fail_window=timedelta(hours=24)))  # [dagster-freshness]
def orders() -> int:
    return 1


# --- flagged: freshness checks
from datetime import timedelta

from dagster import asset, build_last_update_freshness_checks


@asset
def orders() -> int:
    return 1


checks = build_last_update_freshness_checks(assets=[orders], lower_bound_delta=timedelta(hours=1))  # [dagster-freshness]


# --- clean: must stay silent
from dagster import asset


@asset
def orders() -> int:
    return 1


# --- clean: trap: the user's own freshness helper in plain code
def freshness_policy(hours: int) -> dict:
    return {'max_lag_hours': hours}


SLA = freshness_policy(24)
