"""DZ209 dagster-source-asset: Source and external assets become an explicit loading step.

Lines the rule must report end in ``# [dagster-source-asset]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import Definitions, SourceAsset

raw_events = SourceAsset(key='raw_events')  # [dagster-source-asset]
defs = Definitions(assets=[raw_events])


# --- flagged: an external AssetSpec
import dagster as dg

raw = dg.AssetSpec('raw_events', group_name='external')  # [dagster-source-asset]
defs = dg.Definitions(assets=[raw])


# --- clean: must stay silent
from zenml import ExternalArtifact

raw_events = ExternalArtifact(value=[1, 2, 3])


# --- clean: AssetSpec inside `specs=` names a multi-asset output (DZ202)
import dagster as dg


@dg.multi_asset(specs=[dg.AssetSpec('orders'), dg.AssetSpec('users')])
def load():
    yield dg.MaterializeResult(asset_key='orders')
    yield dg.MaterializeResult(asset_key='users')
