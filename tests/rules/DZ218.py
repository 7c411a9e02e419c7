"""DZ218 dagster-asset-job: An asset job over all assets becomes one pipeline.

Lines the rule must report end in ``# [dagster-asset-job]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import define_asset_job

all_assets = define_asset_job('all_assets')  # [dagster-asset-job]


# --- clean: a selection is DZ305, not DZ218
from dagster import AssetSelection, define_asset_job

sales = define_asset_job('sales', selection=AssetSelection.groups('sales'))
