"""Config (DZ105), context logging (DZ106) and resources (DZ206) read through context parameters."""

from __future__ import annotations


def test_resource_function_context_has_any_name(lint):
    result = lint(
        """
        import dagster as dg

        @dg.resource(config_schema={"dsn": str})
        def warehouse(init_context):
            init_context.log.info("connecting")
            return init_context.resource_config["dsn"]
        """,
        "config.py",
    ).found()
    assert {("DZ206", 4), ("DZ105", 4), ("DZ106", 6), ("DZ105", 7)} <= result


def test_legacy_config_types_inside_a_schema_are_not_repeated(lint):
    result = lint(
        """
        from dagster import Field, Shape, op

        SCHEMA = {
            "limit": Field(int),
            "nested": Field(Shape({"a": Field(str)})),
        }

        @op(
            config_schema={
                "limit": Field(int, default_value=1),
            }
        )
        def limited(context):
            return context.op_config["limit"]
        """,
        "config.py",
    ).found()
    assert {("DZ105", 5), ("DZ105", 6), ("DZ105", 10), ("DZ105", 15)} <= result
    assert ("DZ105", 11) not in result


def test_user_config_class_is_not_dagster(lint):
    assert not lint(
        """
        from pydantic import BaseModel as Config  # named like dagster.Config

        class Settings(Config):
            limit: int = 1
        """,
        "config.py",
    ).found()


def test_resources_keyword_of_run_config_is_not_resource_injection(lint):
    result = lint(
        """
        import dagster as dg

        config = dg.RunConfig(resources={"db": {"config": {"dsn": "x"}}})
        defs = dg.Definitions(resources={"db": object()})
        """,
        "config.py",
    ).found()
    assert ("DZ206", 4) not in result
    assert ("DZ206", 5) in result
