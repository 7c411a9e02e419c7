"""DZ308 dagster-observable-source-asset: Observable source assets have no ZenML equivalent.

Lines the rule must report end in ``# [dagster-observable-source-asset]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import DataVersion, observable_source_asset


@observable_source_asset  # [dagster-observable-source-asset]
def raw_file():
    return DataVersion('v1')  # [dagster-observable-source-asset]


# --- clean: must stay silent
from dagster import SourceAsset

raw = SourceAsset(key='raw')


# --- clean: trap: the user's own decorator called observable_source_asset, local to a function
def build_observer():
    def observable_source_asset(fn):
        return fn

    @observable_source_asset
    def raw_table() -> str:
        return 'v1'

    return raw_table
