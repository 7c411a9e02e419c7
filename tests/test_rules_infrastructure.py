"""Executors (DZ213), infrastructure tags (DZ214), integration IO managers (DZ205) and name canonicalization."""

from __future__ import annotations

import pytest

from dagster_zenml_lint.analysis.names import canonicalize


@pytest.mark.parametrize(
    "source",
    [
        "from dagster_k8s import k8s_job_executor\n\nE = k8s_job_executor\n",
        "from dagster_k8s import K8sRunLauncher\n\nL = K8sRunLauncher\n",
        "from dagster_docker import docker_executor\n\nE = docker_executor\n",
        "from dagster_celery import celery_executor\n\nE = celery_executor\n",
        "from dagster_celery_k8s import celery_k8s_job_executor\n\nE = celery_k8s_job_executor\n",
        "from dagster_celery_docker.executor import celery_docker_executor\n\nE = celery_docker_executor\n",
        "import dagster_celery\n\napp = dagster_celery.make_app()\n",
        "from dagster._core.executor.multiprocess import MultiprocessExecutor\n\nE = MultiprocessExecutor\n",
    ],
)
def test_integration_executors_and_launchers(source, lint):
    assert ("DZ213", 3) in lint(source, "infra.py").found()


def test_executor_keywords(lint):
    result = lint(
        """
        import dagster as dg

        @dg.job(executor_def=dg.in_process_executor)
        def j():
            pass

        defs = dg.Definitions(jobs=[j], executor=EXECUTOR)
        """,
        "infra.py",
    ).found()
    assert {("DZ213", 4), ("DZ213", 8)} <= result


@pytest.mark.parametrize(
    ("tags", "reported"),
    [
        ('{"dagster-k8s/config": {}}', True),
        ('{"dagster-celery/queue": "slow"}', True),
        ('{"dagster-docker/container_kwargs": {}}', True),
        ('{"ecs/cpu": "256"}', True),
        ('{**K8S, "team": "x"}', True),
        ("K8S", True),
        ("K8S | {'team': 'x'}", True),
        ('{"team": "x", "dagster/priority": "3"}', False),
        ("OTHER", False),
        ('{"dagster-k8s": "not a prefix"}', False),
    ],
)
def test_infrastructure_tag_keys(tags, reported, lint):
    source = f"""
        import dagster as dg

        K8S = {{"dagster-k8s/config": {{"container_config": {{}}}}}}
        OTHER = {{"team": "data"}}

        @dg.op(tags={tags})
        def one():
            pass
        """
    assert (("DZ214", 7) in lint(source, "infra.py").found()) is reported


def test_op_tags_and_invocation_tag(lint):
    result = lint(
        """
        import dagster as dg

        @dg.asset(op_tags={"dagster-k8s/config": {}})
        def a():
            pass

        @dg.op
        def o():
            pass

        @dg.job
        def j():
            o.tag({"dagster-k8s/config": {}})()
        """,
        "infra.py",
    ).found()
    assert {("DZ214", 4), ("DZ214", 14)} <= result


@pytest.mark.parametrize(
    "name",
    [
        "dagster_duckdb_pandas.DuckDBPandasIOManager",
        "dagster_aws.s3.S3PickleIOManager",
        "dagster_snowflake_pandas.SnowflakePandasIOManager",
        "dagster_aws.s3.s3_pickle_io_manager",
        "dagster_gcp_pandas.BigQueryPandasIOManager",
    ],
)
def test_integration_io_managers(name, lint):
    module, obj = name.rsplit(".", 1)
    assert ("DZ205", 3) in lint(f"from {module} import {obj}\n\nIO = {obj}\n", "infra.py").found()


def test_integration_resources_are_not_io_managers(lint):
    assert ("DZ205", 3) not in lint(
        "from dagster_duckdb import DuckDBResource\n\nR = DuckDBResource\n", "infra.py"
    ).found()


@pytest.mark.parametrize(
    ("qualname", "expected"),
    [
        ("dagster._core.executor.multiprocess.MultiprocessExecutor", ("dagster.MultiprocessExecutor", ())),
        ("dagster._core.storage.io_manager.IOManager", ("dagster.IOManager", ())),
        ("dagster.executor.configured", ("dagster.executor", ("configured",))),
        ("dagster._core.definitions.partition.StaticPartitionsDefinition", ("dagster.StaticPartitionsDefinition", ())),
    ],
)
def test_module_segments_named_like_objects(qualname, expected):
    assert canonicalize(qualname) == expected
