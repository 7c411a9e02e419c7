import dagster as dg

org_partitions = dg.DynamicPartitionsDefinition(
    name="organizations"
)  # [dagster-partitions, dagster-dynamic-partitions]
regions = dg.StaticPartitionsDefinition(["eu", "us"])  # [dagster-partitions]
