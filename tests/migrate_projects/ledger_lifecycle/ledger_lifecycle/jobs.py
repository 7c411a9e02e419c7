from dagster import OpExecutionContext, job, op


@op(required_resource_keys={"audit", "ledger"})
def opening_entry(context: OpExecutionContext) -> str:
    return f"{context.resources.audit}: {context.resources.ledger.entry(0)}"


@job
def audit_job():
    opening_entry()
