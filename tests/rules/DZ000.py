"""DZ000 dagster-parse-error: File could not be analysed.

Lines the rule must report end in ``# [dagster-parse-error]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import asset

@asset(  # [dagster-parse-error]
def orders():
    return 1
