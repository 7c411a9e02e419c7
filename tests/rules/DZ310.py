"""DZ310 dagster-asset-subset: Subset materialization has no ZenML equivalent.

Lines the rule must report end in ``# [dagster-asset-subset]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import AssetExecutionContext, AssetOut, Output, multi_asset


@multi_asset(outs={'a': AssetOut(is_required=False), 'b': AssetOut(is_required=False)}, can_subset=True)  # [dagster-asset-subset]
def both(context: AssetExecutionContext):
    for name in sorted(context.selected_output_names):  # [dagster-asset-subset]
        yield Output(1, output_name=name)


# --- clean: must stay silent
from dagster import AssetOut, multi_asset


@multi_asset(outs={'a': AssetOut(), 'b': AssetOut()})
def both():
    return 1, 2


# --- clean: can_subset=False
from dagster import AssetOut, multi_asset


@multi_asset(outs={'a': AssetOut()}, can_subset=False)
def one():
    return 1
