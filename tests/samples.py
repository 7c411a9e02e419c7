"""Small Dagster sources shared by several tests (output formats, the language server, the fix applier)."""

OPS = """\
from dagster import job, op


@op
def one() -> int:
    return 1


@op
def add_one(x: int) -> int:
    return x + 1


@job
def my_job():
    add_one(one())
"""
# a reference after non-ASCII text: a column must count characters, not UTF-8 bytes
KEYS = 'import dagster as dg\n\nlabel = "naïve é"; key = dg.AssetKey("orders")\n'
# a file that does not parse (DZ000)
BROKEN = "from dagster import op\n\n@op\ndef broken(:\n    return 1\n"
# Two DZ106 fixes (each context parameter goes) leave a Dagster import unused: the applier removes it.
ORPHANING = (
    "from dagster import AssetExecutionContext, asset\n"
    "\n\n"
    "@asset\n"
    "def table(context: AssetExecutionContext) -> int:\n"
    '    context.log.info("built")\n'
    "    return 2\n"
    "\n\n"
    "@asset\n"
    "def other(context: AssetExecutionContext) -> int:\n"
    '    context.log.info("built")\n'
    "    return 3\n"
)
# DZ101 (the op), DZ102 (the job) and DZ201 (the asset: no direct fix): one settling round, then a check
JOB = (
    "from dagster import asset, job, op\n"
    "\n\n"
    "@op\n"
    "def one() -> int:\n"
    "    return 1\n"
    "\n\n"
    "@job\n"
    "def my_job():\n"
    "    one()\n"
    "\n\n"
    "@asset\n"
    "def table() -> int:\n"
    "    return 2\n"
)
