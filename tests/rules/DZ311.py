"""DZ311 dagster-dynamic-partitions: Dynamic partitions have no ZenML equivalent.

Lines the rule must report end in ``# [dagster-dynamic-partitions]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import DynamicPartitionsDefinition, asset

files = DynamicPartitionsDefinition(name='files')  # [dagster-dynamic-partitions]


@asset(partitions_def=files)
def parsed() -> int:
    return 1


# --- flagged: adding keys through the instance
from dagster import SensorEvaluationContext, sensor


@sensor(job_name='load')
def new_files(context: SensorEvaluationContext):
    context.instance.add_dynamic_partitions('files', ['a.csv'])  # [dagster-dynamic-partitions]


# --- clean: must stay silent
from dagster import StaticPartitionsDefinition

regions = StaticPartitionsDefinition(['eu'])
