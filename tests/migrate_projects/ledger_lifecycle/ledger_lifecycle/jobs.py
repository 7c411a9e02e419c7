from dagster import OpExecutionContext, job, op


@op(required_resource_keys={"ledger"})
def opening_entry(context: OpExecutionContext) -> str:
    return context.resources.ledger.entry(0)


@job
def audit_job():
    opening_entry()
