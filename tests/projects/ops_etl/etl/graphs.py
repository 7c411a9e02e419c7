from dagster import graph

from etl.ops import transform, validate


@graph
def clean(rows):
    return validate(transform(rows))
