"""Ops and a job made by calling ``op``/``job`` by hand, the decorators applied to plain functions."""

import dagster as dg
from dagster import In, Out, job, op


def _words() -> list:
    return ["b", "a", "c"]


def _joined(context, values):
    # An unused Dagster context parameter: the fix removes it, as for a decorated op.
    return "-".join(sorted(values))


def _length(text: str):
    return len(text)


words = op(_words)
joined = op(name="joined_words", ins={"values": In(list)})(_joined)
length = dg.op(out=Out(int))(_length)


def _wire():
    length(joined(words()))


words_job = job(_wire)
