"""A multi-output op (out={"a": Out(int), "b": Out(str)}) feeding two consumers."""

import dagster as dg


@dg.op(out={"count": dg.Out(int), "label": dg.Out(str)})
def split_record():
    return 7, "seven"


@dg.op
def repeat(label: str, count: int) -> str:
    return "-".join([label] * count)


@dg.op
def square(count: int) -> int:
    return count * count


@dg.job(name="multi_output_job")
def multi_job():
    count, label = split_record()
    repeat(label, count)
    square(count)


if __name__ == "__main__":
    multi_job.execute_in_process()
