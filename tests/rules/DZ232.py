"""DZ232 dagster-plus-helper: Dagster+ helpers (code references, insights) are deleted.

Lines the rule must report end in ``# [dagster-plus-helper]``; every other line is a trap.
"""


# --- flagged: must be reported
import dagster as dg
from dagster_cloud.metadata.source_code import link_code_references_to_git_if_cloud


@dg.asset
def orders() -> int:
    return 1


defs = dg.Definitions(assets=link_code_references_to_git_if_cloud([orders]))  # [dagster-plus-helper]


# --- clean: must stay silent
import dagster as dg


@dg.asset
def orders() -> int:
    return 1


defs = dg.Definitions(assets=[orders])
