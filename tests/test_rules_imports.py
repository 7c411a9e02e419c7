"""DZ104 dagster-import: which import statements count as fully direct, and shims reported once."""

from __future__ import annotations

import textwrap

from dagster_zenml_lint.engine import check_source


def dz104_lines(source: str) -> list[int]:
    return [f.line for f in check_source(textwrap.dedent(source), "mod.py") if f.code == "DZ104"]


def test_from_import_of_direct_names_only():
    assert dz104_lines(
        """
        from dagster import RetryPolicy, get_dagster_logger, job, op
        from dagster import asset
        """
    ) == [2]


def test_one_approximate_name_keeps_the_import():
    assert dz104_lines("from dagster import op, Definitions\n") == []


def test_unclaimed_name_keeps_the_import():
    # a name no rule claims (DZ399) is not a direct mapping
    assert dz104_lines("from dagster import op, DagsterInstance\n") == []


def test_module_import_judged_by_the_attributes_it_is_used_for():
    direct = """
        import dagster as dg

        @dg.op(retry_policy=dg.RetryPolicy(max_retries=1))
        def one():
            return 1
        """
    mixed = direct + "\n\n@dg.asset\ndef two():\n    return 2\n"
    assert dz104_lines(direct) == [2]
    assert dz104_lines(mixed) == []


def test_unused_module_import_is_not_reported():
    assert dz104_lines("import dagster\n") == []


def test_shim_reported_once_on_the_primary_import():
    source = """
        try:
            from dagster import op
        except ImportError:
            from dagster._core.definitions.decorators.op_decorator import op

        @op
        def one():
            return 1
        """
    assert dz104_lines(source) == [3]


def test_integration_package_import_is_not_dz104():
    assert dz104_lines("from dagster_k8s import k8s_job_executor\n") == []


def test_message_names_the_import():
    (finding,) = [f for f in check_source("from dagster import job, op\n", "m.py") if f.code == "DZ104"]
    assert "from dagster import job, op" in finding.message


def test_an_import_used_as_a_base_is_not_removed_for_a_nested_class_of_the_same_name():
    # pydantic's inner ``class Config`` lives in the class body; the base is read outside it
    source = textwrap.dedent(
        """
        from dagster import Config

        class UploadConfig(Config):
            name: str

            class Config:
                extra = "forbid"
        """
    )
    findings = [f for f in check_source(source, "mod.py", with_fixes=True) if f.code == "DZ104"]
    assert all(f.fix is None for f in findings)
