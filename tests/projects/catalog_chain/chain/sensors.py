import dagster as dg

from chain.jobs import archive_vendor_file_job, ingest_vendor_file_job, publish_job


@dg.sensor(job=ingest_vendor_file_job)
def vendor_file_sensor(context: dg.SensorEvaluationContext):
    seen = int(context.cursor or 0)
    context.update_cursor(str(seen + 1))
    return dg.RunRequest(run_key=str(seen))


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_vendor_file_job],
    request_job=archive_vendor_file_job,
)
def archive_after_ingest(context: dg.RunStatusSensorContext):
    return dg.RunRequest(run_key=context.dagster_run.run_id)


@dg.asset_sensor(asset_key=dg.AssetKey("vendor_catalog"), job=publish_job)
def publish_on_catalog(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    return dg.RunRequest(run_key=context.cursor)
