"""DZ219 dagster-execution-context: Execution context beyond logging becomes `get_step_context()`.

Lines the rule must report end in ``# [dagster-execution-context]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import AssetExecutionContext, asset


@asset
def orders(context: AssetExecutionContext) -> str:  # [dagster-execution-context]
    return context.run_id


# --- flagged: an unannotated op context passed to a helper
from dagster import op


def audit(context) -> None:
    print(context.run_id)


@op
def load(context) -> int:  # [dagster-execution-context]
    audit(context)
    return 1


# --- clean: logging only (DZ106)
from dagster import AssetExecutionContext, asset


@asset
def orders(context: AssetExecutionContext) -> int:
    context.log.info('loading')
    return 1


# --- clean: passed to a helper of the file that only logs with it
from dagster import OpExecutionContext, op


def warn(message: str, context: OpExecutionContext) -> None:
    context.log.warning(message)


@op
def load(context: OpExecutionContext) -> int:
    warn('empty', context)
    return 0
