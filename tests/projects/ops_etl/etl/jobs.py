from dagster import graph, job

from etl.graphs import clean
from etl.ops import extract, load, summarize_rows


@job
def nightly_etl():
    rows = extract()
    cleaned = clean(rows)
    load(cleaned)


@graph
def weekly_report():
    summarize_rows(clean(extract()))


weekly_report_job = weekly_report.to_job(name="weekly_report_job")
