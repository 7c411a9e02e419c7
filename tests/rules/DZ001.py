"""DZ001 unused-noqa: `# noqa` lists DZ codes that silence nothing.

Lines the rule must report end in ``# [unused-noqa]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import asset


@asset  # noqa: DZ201
def orders() -> int:  # noqa: DZ301  # [unused-noqa]
    return 1


# --- clean: must stay silent
from dagster import asset


@asset  # noqa: DZ201
def orders() -> int:
    return 1
