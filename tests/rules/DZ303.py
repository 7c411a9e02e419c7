"""DZ303 dagster-backfill: Backfills have no ZenML equivalent.

Lines the rule must report end in ``# [dagster-backfill]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import BackfillPolicy, DailyPartitionsDefinition, asset


@asset(partitions_def=DailyPartitionsDefinition(start_date='2024-01-01'),
       backfill_policy=BackfillPolicy.single_run())  # [dagster-backfill]
def events() -> int:
    return 1


# --- flagged: a schedule built from a partitioned job
from dagster import DailyPartitionsDefinition, asset, build_schedule_from_partitioned_job, define_asset_job


@asset(partitions_def=DailyPartitionsDefinition(start_date='2024-01-01'))
def events() -> int:
    return 1


events_job = define_asset_job('events_job', selection=[events])
events_schedule = build_schedule_from_partitioned_job(events_job)  # [dagster-backfill]


# --- flagged: partitioned run requests in a loop
from dagster import RunRequest, sensor


@sensor(job_name='load')
def catch_up(context):
    for day in ['2024-01-01', '2024-01-02']:
        yield RunRequest(run_key=day, partition_key=day)  # [dagster-backfill]


# --- clean: must stay silent
from dagster import RunRequest, sensor


@sensor(job_name='load')
def once(context):
    return RunRequest(run_key='x')
