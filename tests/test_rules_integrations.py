"""DZ224 dbt, DZ225 Pipes, DZ227 integration resources: names resolved through imports, targets named."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "from dagster_dbt import DbtCliResource\nr = DbtCliResource(project_dir='p')\n",
        "import dagster_dbt\nr = dagster_dbt.DbtCliResource(project_dir='p')\n",
        "from dagster_dbt.core.resource import DbtCliResource as Dbt\nr = Dbt(project_dir='p')\n",
        "from dagster_dbt import build_dbt_manifest_asset_selection_typo as x\ny = x()\n",
    ],
)
def test_everything_from_dagster_dbt_is_dz224(text, lint):
    assert "DZ224" in lint(text).messages_on(2)


@pytest.mark.parametrize(
    ("text", "package"),
    [
        ("import dagster as dg\nc = dg.PipesSubprocessClient()\n", "dagster"),
        ("from dagster_k8s import PipesK8sClient\nc = PipesK8sClient()\n", "dagster_k8s"),
        ("from dagster_aws.pipes import PipesEMRServerlessClient\nc = PipesEMRServerlessClient()\n", "dagster_aws"),
        ("from dagster_pipes import PipesContext\nc = PipesContext.get()\n", "dagster_pipes"),
        (
            "import dagster as dg\nwith dg.open_pipes_session(context=None, context_injector=None) as s:\n    pass\n",
            "dagster",
        ),
    ],
)
def test_pipes_clients_of_core_and_integrations_are_dz225(text, package, lint):
    messages = lint(text).messages_on(2)
    assert "DZ225" in messages and package in messages["DZ225"]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("from dagster_slack import SlackResource\nr = SlackResource(token='t')\n", "Slack alerter"),
        ("from dagster_aws.s3 import S3Resource\nr = S3Resource()\n", "s3"),
        ("from dagster_gcp import BigQueryResource\nr = BigQueryResource(project='p')\n", "BigQuery"),
        ("from dagster_snowflake import SnowflakeResource\nr = SnowflakeResource(account='a')\n", "Snowflake"),
        ("from dagster_pyspark import PySparkResource\nr = PySparkResource(spark_config={})\n", "spark"),
        ("from dagster_sling import SlingResource\nr = SlingResource(connections=[])\n", "Sling"),
        ("from dagster_dlt import DagsterDltResource\nr = DagsterDltResource()\n", "dlt"),
        ("from dagster_aws.s3 import s3_resource\nr = s3_resource\n", "s3"),
        ("from dagster_census import CensusResource\nr = CensusResource(api_key='k')\n", "client inside the step"),
    ],
)
def test_integration_resources_name_their_zenml_counterpart(text, target, lint):
    messages = lint(text).messages_on(2)
    assert "DZ227" in messages and target in messages["DZ227"]
    assert "DZ399" not in messages


def test_core_resources_are_not_integration_resources(lint):
    text = "import dagster as dg\n\n\nclass Api(dg.ConfigurableResource):\n    url: str\n"
    assert "DZ227" not in lint(text).messages_on(4)
