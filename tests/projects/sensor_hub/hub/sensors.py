import dagster as dg

from hub.jobs import ingest_job, vendor_job


@dg.sensor(job=ingest_job, minimum_interval_seconds=60)
def new_files(context: dg.SensorEvaluationContext):
    seen = int(context.cursor or 0)
    new = [f"file_{i}" for i in range(seen, seen + 2)]
    if not new:
        return dg.SkipReason("no new files")
    context.update_cursor(str(seen + len(new)))
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=name) for name in new],
        dynamic_partitions_requests=[dg.AddDynamicPartitionsRequest("files", new)],
    )


@dg.asset_sensor(asset_key=dg.AssetKey("vendor_feed"), job=vendor_job)
def vendor_updated(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    return dg.RunRequest(run_key=context.cursor)


@dg.run_failure_sensor
def alert_on_failure(context: dg.RunFailureSensorContext) -> None:
    print(context.failure_event.message)


automation = dg.AutomationConditionSensorDefinition("automation", target=dg.AssetSelection.all())
