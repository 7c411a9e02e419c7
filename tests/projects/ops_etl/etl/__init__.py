"""An op/job-centric ETL project: two jobs built from ops, one of them from a graph."""

from dagster import Definitions

from etl.jobs import nightly_etl, weekly_report_job
from etl.schedules import nightly

defs = Definitions(jobs=[nightly_etl, weekly_report_job], schedules=[nightly])
