"""DZ224 dbt, DZ225 Pipes, DZ227 resources of integration packages (``dagster_*``), DZ231 the asset
factories of other integrations (Sling, dlt, Fivetran, Airbyte, Power BI, Airlift, dagstermill...)."""

from __future__ import annotations

from dagster_zenml_lint.analysis.facts import FileContext, Reference
from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import describe
from dagster_zenml_lint.rules._common import APPROXIMATE, MEDIUM

DBT_OBJECTS = {
    "dbt_assets": "the per-model asset graph collapses into one step running `dbt build`",
    "DbtCliResource": "run dbt through `dbtRunner` inside a step",
    "DbtProject": "point the step at the dbt project directory",
    "DagsterDbtTranslator": "asset keys and groups derived from dbt nodes are lost",
    "DagsterDbtTranslatorSettings": "asset keys and groups derived from dbt nodes are lost",
    "get_asset_key_for_model": "lineage between dbt models and downstream assets is lost",
    "get_asset_key_for_source": "lineage between sources and dbt models is lost",
    "build_dbt_asset_selection": "per-model selection is lost; pass `--select` to dbt instead",
    "build_schedule_from_dbt_selection": "per-model selection is lost; schedule the pipeline instead",
    "DbtManifestAssetSelection": "per-model selection is lost; pass `--select` to dbt instead",
    "build_freshness_checks_from_dbt_assets": "freshness checks per model are lost",
}

# Integration resource -> the ZenML counterpart to use instead (None: build a client in the step).
RESOURCE_TARGETS = {
    "dagster_aws.S3Resource": "the ZenML `s3` integration (S3 artifact store) and an AWS service connector",
    "dagster_aws.s3_resource": "the ZenML `s3` integration (S3 artifact store) and an AWS service connector",
    "dagster_aws.S3FileManagerResource": "the ZenML `s3` integration and an AWS service connector",
    "dagster_aws.RedshiftClientResource": "an AWS service connector plus a Redshift client built in the step",
    "dagster_aws.AthenaClientResource": "an AWS service connector plus an Athena client built in the step",
    "dagster_aws.SecretsManagerResource": "ZenML secrets (or the AWS secrets store)",
    "dagster_aws.SecretsManagerSecretsResource": "ZenML secrets (or the AWS secrets store)",
    "dagster_aws.SSMResource": "ZenML secrets or an AWS service connector",
    "dagster_aws.ParameterStoreResource": "ZenML secrets or an AWS service connector",
    "dagster_aws.ECRPublicResource": "the ZenML `aws` container registry flavor",
    "dagster_gcp.GCSResource": "the ZenML `gcp` integration (GCS artifact store) and a GCP service connector",
    "dagster_gcp.gcs_resource": "the ZenML `gcp` integration (GCS artifact store) and a GCP service connector",
    "dagster_gcp.GCSFileManagerResource": "the ZenML `gcp` integration and a GCP service connector",
    "dagster_gcp.BigQueryResource": "a GCP service connector plus a BigQuery client built in the step",
    "dagster_gcp.bigquery_resource": "a GCP service connector plus a BigQuery client built in the step",
    "dagster_gcp.DataprocResource": "a GCP service connector plus a Dataproc client (or a Vertex step operator)",
    "dagster_azure.ADLS2Resource": "the ZenML `azure` integration (Azure artifact store) and an Azure service "
    "connector",
    "dagster_azure.AzureBlobStorageResource": "the ZenML `azure` integration (Azure artifact store) and an Azure "
    "service connector",
    "dagster_snowflake.SnowflakeResource": "ZenML secrets plus a Snowflake connection built in the step",
    "dagster_snowflake.snowflake_resource": "ZenML secrets plus a Snowflake connection built in the step",
    "dagster_duckdb.DuckDBResource": "a `duckdb.connect(...)` built in the step (path from config)",
    "dagster_slack.SlackResource": "the ZenML Slack alerter (`zenml integration install slack`)",
    "dagster_slack.slack_resource": "the ZenML Slack alerter (`zenml integration install slack`)",
    "dagster_msteams.MSTeamsResource": "a ZenML alerter or a webhook call in a hook",
    "dagster_pyspark.PySparkResource": "the ZenML `spark` integration (Spark step operator) or a session built "
    "in the step",
    "dagster_pyspark.LazyPySparkResource": "the ZenML `spark` integration (Spark step operator) or a session "
    "built in the step",
    "dagster_pyspark.pyspark_resource": "the ZenML `spark` integration (Spark step operator)",
    "dagster_databricks.DatabricksClientResource": "the ZenML `databricks` integration (orchestrator / step operator)",
    "dagster_openai.OpenAIResource": "ZenML secrets plus an OpenAI client built in the step",
    "dagster_sling.SlingResource": "a step that runs Sling itself (credentials in ZenML secrets)",
    "dagster_sling.SlingConnectionResource": "ZenML secrets holding the Sling connection",
    "dagster_dlt.DagsterDltResource": "a step that runs the dlt pipeline itself",
    "dagster_deltalake.DeltaTableResource": "a Delta table opened in the step (credentials in ZenML secrets)",
    "dagster_mlflow.mlflow_tracking": "the ZenML `mlflow` experiment tracker",
    "dagster_wandb.wandb_resource": "the ZenML `wandb` experiment tracker",
    "dagster_github.GithubResource": "ZenML secrets plus a GitHub client built in the step",
    "dagster_datadog.DatadogResource": "ZenML secrets plus a Datadog client built in the step",
    "dagster_pagerduty.PagerDutyService": "a ZenML alerter or a failure hook",
    "dagster_fivetran.FivetranResource": "a step that calls the Fivetran API",
    "dagster_fivetran.FivetranWorkspace": "a step that calls the Fivetran API",
    "dagster_airbyte.AirbyteResource": "a step that calls the Airbyte API",
    "dagster_airbyte.AirbyteWorkspace": "a step that calls the Airbyte API",
    "dagster_airbyte.AirbyteCloudWorkspace": "a step that calls the Airbyte API",
    "dagster_postgres.PostgresResource": "ZenML secrets plus a Postgres connection built in the step",
}


# Integration package -> what its asset factories become (like dbt: one step that runs the tool).
ASSET_INTEGRATIONS = {
    "dagster_sling": "a step that runs the Sling replication itself (`sling` Python API); one asset per stream "
    "collapses into one step",
    "dagster_dlt": "a step that runs the dlt pipeline (`pipeline.run(source)`); one asset per resource "
    "collapses into one step",
    "dagster_fivetran": "a step that triggers the Fivetran sync through its API and waits for it",
    "dagster_airbyte": "a step that triggers the Airbyte sync through its API and waits for it",
    "dagster_census": "a step that triggers the Census sync through its API",
    "dagster_hightouch": "a step that triggers the Hightouch sync through its API",
    "dagster_powerbi": "a step that refreshes the Power BI semantic model through its REST API; the "
    "dashboards' lineage is lost",
    "dagster_tableau": "a step that refreshes the Tableau extract through its API; the workbooks' lineage is lost",
    "dagster_looker": "a step that calls the Looker API; the explores' lineage is lost",
    "dagster_sigma": "a step that calls the Sigma API; the workbooks' lineage is lost",
    "dagster_omni": "a step that calls the Omni API; the documents' lineage is lost",
    "dagster_airlift": "Airflow DAGs observed or proxied as assets: orchestrate each DAG from one side (ZenML "
    "pipelines or Airflow), not both",
    "dagstermill": "a step that runs the notebook (papermill) and returns its outputs as artifacts",
}


def _integration_assets(ctx: FileContext, ref: Reference) -> str | None:
    top, _, short = ref.canonical.partition(".")
    if short.startswith("Pipes") or short.endswith(("Resource", "_resource")) or ref.canonical in RESOURCE_TARGETS:
        return None  # Pipes clients are DZ225, resources DZ227
    note = ASSET_INTEGRATIONS.get(top)
    return describe(ctx, ref, f"({note})" if note else "")


def _dbt(ctx: FileContext, ref: Reference) -> str:
    note = DBT_OBJECTS.get(ref.canonical.rsplit(".", 1)[-1])
    return describe(ctx, ref, f"({note})" if note else "(dagster_dbt)")


def _pipes(ctx: FileContext, ref: Reference) -> str:
    return describe(ctx, ref, f"({ref.canonical.split('.', 1)[0]})")


def _resource(ctx: FileContext, ref: Reference) -> str | None:
    if ref.canonical.split(".", 1)[0] in ("dagster", "dagster_dbt", "dagster_pipes"):
        return None  # core resources are DZ206, dbt is DZ224
    target = RESOURCE_TARGETS.get(ref.canonical)
    where = f"use {target}" if target else "build the client inside the step (credentials in ZenML secrets)"
    return describe(ctx, ref, f"({ref.canonical}): {where}")


DZ224 = Rule(
    code="DZ224",
    symbol="dagster-dbt",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="dbt assets become one step that runs dbt",
    target="a step that runs `dbt build` through dbt's Python API (`dbtRunner`)",
    hint="Run dbt from one step with `dbtRunner().invoke([...])` and state which per-model selection and "
    "lineage is lost.",
    docs=("STEPS",),
    message="{subject}: becomes a step that runs dbt",
    what_it_does="Reports everything from `dagster_dbt`: `@dbt_assets`, `DbtCliResource`, `DbtProject`, "
    "`DagsterDbtTranslator`, `get_asset_key_for_model`, dbt Cloud objects and selection builders.",
    why="Dagster turns every dbt model into an asset with its own lineage and selection; ZenML runs dbt as "
    "one step, so the per-model graph collapses.",
    fix_safety="No fix.",
    names={"dagster_dbt.*": _dbt, **{f"dagster_dbt.{name}": _dbt for name in DBT_OBJECTS}},
    examples=(
        flagged(
            "from pathlib import Path\n\nfrom dagster import AssetExecutionContext\n"
            "from dagster_dbt import DbtCliResource, DbtProject, dbt_assets\n\n"
            "project = DbtProject(project_dir=Path('jaffle'))\n\n\n"
            "@dbt_assets(manifest=project.manifest_path)\n"
            "def jaffle(context: AssetExecutionContext, dbt: DbtCliResource):\n"
            "    yield from dbt.cli(['build'], context=context).stream()\n",
        ),
        clean(
            "from dbt.cli.main import dbtRunner\nfrom zenml import step\n\n\n@step\ndef run_dbt() -> None:\n"
            "    dbtRunner().invoke(['build'])\n"
        ),
    ),
)

DZ225 = Rule(
    code="DZ225",
    symbol="dagster-pipes",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Dagster Pipes becomes a step that launches the process",
    target="a step that launches the external process itself, or a ZenML step operator",
    hint="Launch the external job from a step (or run the step on a step operator) and return its results "
    "as artifacts; drop the Pipes protocol from the external code.",
    docs=("ORCH",),
    message="{subject}: launch the external process from a ZenML step",
    what_it_does="Reports `dagster_pipes` (`open_dagster_pipes`, `PipesContext`) and every `Pipes*` client, "
    "reader and injector of core Dagster and the integration packages (subprocess, Docker, Kubernetes, "
    "Databricks, EMR, Lambda, Glue, ...).",
    why="Pipes streams logs, metadata and asset events from an external process back into Dagster; ZenML "
    "has no such protocol, the step itself must start and wait for the process.",
    fix_safety="No fix.",
    names={
        "dagster_pipes.*": _pipes,
        "dagster.Pipes*": _pipes,
        "dagster_*.Pipes*": _pipes,
        "dagster.open_pipes_session": _pipes,
    },
    examples=(
        flagged(
            "import dagster as dg\n\n\n@dg.asset\n"
            "def report(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient):\n"
            "    return pipes.run(command=['python', 'report.py'], context=context).get_materialize_result()\n",
        ),
        flagged(
            "from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as pipes:\n"
            "    pipes.log.info('hello')\n",
            title="the external side",
        ),
        clean(
            "import subprocess\n\nfrom zenml import step\n\n\n@step\ndef report() -> None:\n"
            "    subprocess.run(['python', 'report.py'], check=True)\n"
        ),
    ),
)

DZ227 = Rule(
    code="DZ227",
    symbol="dagster-integration-resource",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Integration resources map to ZenML integrations, connectors or plain clients",
    target="the matching ZenML integration, service connector or alerter where one exists, else a client "
    "built in the step",
    hint="Use the named ZenML integration or service connector where one exists; otherwise build the client "
    "inside the step with credentials from ZenML secrets.",
    docs=("CONN", "BP"),
    message="{subject}",
    what_it_does="Reports resources from integration packages (`DuckDBResource`, `SnowflakeResource`, "
    "`S3Resource`, `GCSResource`, `BigQueryResource`, `SlackResource`, `PySparkResource`, `SlingResource`, "
    "`DagsterDltResource`, ... and the legacy `*_resource` factories), naming the ZenML counterpart.",
    why="Resources are injected by Dagster; in ZenML the connection comes from a stack component, a "
    "service connector or a client the step builds itself.",
    fix_safety="No fix.",
    names={
        "dagster_*.*Resource": _resource,
        "dagster_*.*_resource": _resource,
        **{name: _resource for name in RESOURCE_TARGETS},
    },
    examples=(
        flagged(
            "from dagster import asset\nfrom dagster_duckdb import DuckDBResource\n\n\n@asset\n"
            "def orders(duckdb: DuckDBResource) -> None:\n    with duckdb.get_connection() as conn:\n"
            "        conn.execute('select 1')\n",
        ),
        flagged(
            "from dagster import Definitions\nfrom dagster_duckdb import DuckDBResource\n\n"
            "defs = Definitions(resources={'duckdb': DuckDBResource(database='x.duckdb')})\n",
            title="a resource in Definitions",
        ),
        clean(
            "import duckdb\nfrom zenml import step\n\n\n@step\ndef orders() -> None:\n"
            "    duckdb.connect('x.duckdb').execute('select 1')\n"
        ),
    ),
)

DZ231 = Rule(
    code="DZ231",
    symbol="dagster-integration-assets",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Integration asset factories become one step that runs the tool",
    target="a step that runs the tool (Sling, dlt, a Fivetran / Airbyte sync, a BI refresh, a notebook) through "
    "its own Python API or REST API",
    hint="Run the tool from one step and state what is lost: the per-table or per-dashboard assets, their "
    "lineage and the translator's asset keys.",
    docs=("STEPS",),
    message="{subject}: becomes a step that runs the tool",
    what_it_does="Reports the asset factories, translators and specs of integration packages other than dbt "
    "(DZ224): `@sling_assets`, `@dlt_assets`, `build_fivetran_assets_definitions`, `@fivetran_assets`, Airbyte, "
    "Census, Hightouch, Power BI, Tableau, Looker, Sigma and Omni specs, Airlift "
    "(`build_defs_from_airflow_instance`, `assets_with_dag_mappings`) and `define_dagstermill_asset`. "
    "Their resources are DZ227, their Pipes clients DZ225.",
    why="Dagster turns each table, stream or dashboard of the tool into an asset with lineage; ZenML runs the "
    "tool as one step, so the per-object graph collapses.",
    fix_safety="No fix.",
    names={f"{package}.*": _integration_assets for package in ASSET_INTEGRATIONS},
    examples=(
        flagged(
            "from dagster import AssetExecutionContext\n"
            "from dagster_sling import SlingResource, sling_assets\n\n\n"
            "@sling_assets(replication_config='replication.yaml')\n"
            "def postgres_tables(context: AssetExecutionContext, sling: SlingResource):\n"
            "    yield from sling.replicate(context=context)\n",
        ),
        flagged(
            "from dagstermill import define_dagstermill_asset\n\n"
            "report = define_dagstermill_asset(name='report', notebook_path='report.ipynb')\n",
            title="a notebook asset",
        ),
        clean(
            "import dlt\nfrom zenml import step\n\n\n@step\ndef load_github() -> None:\n"
            "    dlt.pipeline(pipeline_name='github', destination='duckdb').run([{'id': 1}])\n"
        ),
    ),
)

RULES = (DZ224, DZ225, DZ227, DZ231)
