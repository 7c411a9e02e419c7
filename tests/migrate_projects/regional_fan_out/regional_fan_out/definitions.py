from dagster import Definitions

from regional_fan_out.jobs import largest_region_job, regional_totals_job

defs = Definitions(jobs=[regional_totals_job, largest_region_job])
