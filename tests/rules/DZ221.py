"""DZ221 dagster-optional-output: Optional outputs have no direct ZenML equivalent.

Lines the rule must report end in ``# [dagster-optional-output]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import Out, Output, op


@op(out={'rows': Out(is_required=False)})  # [dagster-optional-output]
def maybe_rows(n: int):
    if n > 0:
        yield Output(n, 'rows')  # [dagster-optional-output]


# --- clean: must stay silent
from dagster import Out, Output, op


@op(out={'rows': Out()})
def rows():
    yield Output(1, 'rows')
