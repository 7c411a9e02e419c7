from dagster import op


@op
def extract() -> list[int]:
    return [1, 2, 3]


@op
def transform(rows: list[int]) -> int:
    return sum(rows)


@op
def audit() -> int:
    return 7


@op
def tally() -> int:
    return 3
