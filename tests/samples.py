"""Small Dagster sources shared by the output-format and language-server tests."""

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
