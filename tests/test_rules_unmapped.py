"""DZ399 and imports of integration packages: unused imports are reported at the import line, once."""

from __future__ import annotations

from dagster_zenml_lint.engine import check_source


def test_unused_integration_import_names_the_object():
    result = check_source("from dagster_aws.s3 import S3Coordinate\n", "t.py")
    assert [(f.line, f.code) for f in result] == [(1, "DZ399")]
    assert "S3Coordinate" in result[0].message


def test_unused_integration_import_claimed_by_a_rule_gets_that_rule(lint):
    assert lint("from dagster_snowflake import SnowflakeResource\n").positions() == [(1, "DZ227")]


def test_used_integration_import_is_reported_where_used_not_at_the_import(lint):
    text = "from dagster_snowflake import SnowflakeResource\n\nwarehouse = SnowflakeResource(account='a')\n"
    assert lint(text).positions() == [(3, "DZ227")]


def test_import_error_shim_is_reported_once(lint):
    text = (
        "try:\n    from dagster_slack import SlackResource\nexcept ImportError:\n"
        "    from dagster_slack.resources import SlackResource\n"
    )
    assert lint(text).positions() == [(2, "DZ227")]


def test_unused_bare_integration_module_is_reported_but_never_dagster(lint):
    assert lint("import dagster_k8s\nimport dagster\n").positions() == [(1, "DZ399")]


def test_multi_line_import_reports_each_name_on_its_own_line(lint):
    text = "from dagster_slack import (\n    SlackResource,\n    make_slack_on_run_failure_sensor,\n)\n"
    assert lint(text).positions() == [(2, "DZ227"), (3, "DZ304")]


def test_every_unclaimed_object_is_reported_once_per_line():
    text = "import dagster as dg\n\nx = (dg.TranslatorResolvingInfo('a'), dg.TranslatorResolvingInfo('b'))\n"
    result = check_source(text, "t.py")
    assert [(f.line, f.code) for f in result] == [(3, "DZ399")]
    assert "TranslatorResolvingInfo" in result[0].message


def test_project_package_named_like_an_integration_is_user_code(lint):
    assert lint("from dagster_myproject import SnowflakeResource\n").positions() == []


def test_import_used_only_in_a_string_annotation_is_reported_at_the_use(lint):
    text = (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from dagster_duckdb import DuckDBResource\n\n\n"
        "def f(db: 'DuckDBResource') -> None:\n    return None\n"
    )
    assert lint(text).positions() == [(7, "DZ227")]
