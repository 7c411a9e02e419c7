from dagster import OpExecutionContext, job, op


@op(required_resource_keys={"audit", "ledger"})
def opening_entry(context: OpExecutionContext) -> str:
    return f"{context.resources.audit}: {context.resources.ledger.entry(0)}"


@op(required_resource_keys={"label", "pricing"})
def labelled_total(context: OpExecutionContext, opening: str) -> str:
    return f"{context.resources.label} {opening} {context.resources.pricing.gross(10)}"


@job
def audit_job():
    labelled_total(opening_entry())
