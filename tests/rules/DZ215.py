"""DZ215 dagster-metadata: Metadata and materialization events become `log_metadata`.

Lines the rule must report end in ``# [dagster-metadata]``; every other line is a trap.
"""


# --- flagged: must be reported
import dagster as dg


@dg.asset
def orders() -> dg.MaterializeResult:  # [dagster-metadata]
    return dg.MaterializeResult(metadata={'rows': dg.MetadataValue.int(10)})  # [dagster-metadata]


# --- flagged: metadata added through the context
from dagster import AssetExecutionContext, asset


@asset
def orders(context: AssetExecutionContext) -> int:
    context.add_output_metadata({'rows': 10})  # [dagster-metadata]
    return 10


# --- clean: must stay silent
from zenml import log_metadata, step


@step
def orders() -> int:
    log_metadata(metadata={'rows': 10})
    return 10
