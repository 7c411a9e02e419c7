import dagster as dg

from .partitions import org_partitions, regions


@dg.schedule(
    cron_schedule="0 3 * * *", target=dg.AssetSelection.groups("orgs")
)  # [dagster-schedule, dagster-asset-selection]
def org_schedule(context: dg.ScheduleEvaluationContext):
    for org in org_partitions.get_partition_keys():  # [dagster-dynamic-partitions]
        yield dg.RunRequest(partition_key=org)  # [dagster-schedule-logic, dagster-backfill, dagster-partitions]
    for region in regions.get_partition_keys():
        yield dg.RunRequest(partition_key=region)  # [dagster-schedule-logic, dagster-backfill, dagster-partitions]
