"""DZ399 dagster-unmapped: Dagster object without a specific rule.

Lines the rule must report end in ``# [dagster-unmapped]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import DagsterEventType


def spec(info: DagsterEventType) -> str:  # [dagster-unmapped]
    return str(info)


# --- clean: objects of other libraries are not Dagster objects
from http.client import HTTPConnection

connection = HTTPConnection('example.com')


# --- clean: a Dagster object some rule claims is never unmapped
from dagster import AssetKey

key = AssetKey('orders')
