from dagster import graph, job

from regional_fan_out.ops import batch_total, grand_total, largest, region_batches, without_refunds


@job
def regional_totals_job():
    totals = region_batches().map(without_refunds).map(batch_total)
    collected = totals.collect()
    grand_total(collected)
    largest(collected)


@graph
def largest_region():
    return largest(region_batches().map(batch_total).collect())


@job
def largest_region_job():
    largest_region()
