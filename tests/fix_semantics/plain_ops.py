"""Plain typed ops with deterministic results, wired by a job without arguments."""

from dagster import In, Out, job, op


@op
def numbers() -> list:
    return [3, 1, 2]


@op(name="sorted_numbers", out=Out(list))
def sort_numbers(values: list):
    return sorted(values)


@op(ins={"values": In(list)})
def total(values) -> int:
    return sum(values)


@op
def describe(context, value: int, values: list) -> str:
    # An unused Dagster context parameter: the fix removes it.
    return f"{len(values)} numbers, total {value}"


@job
def report_job():
    values = numbers()
    ordered = sort_numbers(values)
    describe(total(ordered), ordered)
