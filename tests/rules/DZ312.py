"""DZ312 dagster-in-memory-io: In-memory IO has no ZenML equivalent.

Lines the rule must report end in ``# [dagster-in-memory-io]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import job, mem_io_manager, op


@op
def one() -> int:
    return 1


@job(resource_defs={'io_manager': mem_io_manager})  # [dagster-in-memory-io]
def fast():
    one()


# --- clean: must stay silent
from dagster import FilesystemIOManager

io_manager = FilesystemIOManager(base_dir='/tmp/x')
