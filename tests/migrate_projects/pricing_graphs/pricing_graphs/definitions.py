from dagster import Definitions

from pricing_graphs.jobs import band_job, cheapest_job

defs = Definitions(jobs=[cheapest_job, band_job])
