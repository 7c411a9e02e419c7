"""DZ306 dagster-declarative-automation: Declarative automation has no ZenML equivalent.

Lines the rule must report end in ``# [dagster-declarative-automation]``; every other line is a trap.
"""


# --- flagged: must be reported
import dagster as dg


@dg.asset(automation_condition=dg.AutomationCondition.eager())  # [dagster-declarative-automation]
def report() -> int:
    return 1


# --- flagged: legacy auto-materialize policy
from dagster import AutoMaterializePolicy, asset


@asset(auto_materialize_policy=AutoMaterializePolicy.lazy())  # [dagster-declarative-automation]
def report() -> int:
    return 1


# --- clean: must stay silent
from dagster import asset


@asset
def report() -> int:
    return 1


# --- clean: trap: a settings dict that merely names automation_condition
SETTINGS = {'automation_condition': 'eager', 'auto_materialize_policy': None}


# --- clean: the default spelled out sets no automation
@asset(automation_condition=None, auto_materialize_policy=None)
def unautomated() -> int:
    return 1
