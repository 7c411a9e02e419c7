from dagster import asset


@asset(deps=["daily_revenue", "customer_dim"], group_name="reporting")
def revenue_report() -> str:
    return "report"
