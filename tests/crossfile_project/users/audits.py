"""Its job calls an op imported from users.ops that nothing else uses: both convert."""

from dagster import job

from users.ops import audit


@job
def audit_job():
    audit()
