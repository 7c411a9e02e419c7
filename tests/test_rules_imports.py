"""DZ104 dagster-import: which import statements count as fully direct, and shims reported once."""

from __future__ import annotations

import textwrap

from dagster_zenml_lint.engine import check_source


def test_from_import_of_direct_names_only(lint):
    assert sorted(
        lint(
            """
        from dagster import RetryPolicy, get_dagster_logger, job, op
        from dagster import asset
        """,
            "mod.py",
        ).lines("DZ104")
    ) == [2]


def test_one_approximate_name_keeps_the_import(lint):
    assert sorted(lint("from dagster import op, Definitions\n", "mod.py").lines("DZ104")) == []


def test_unclaimed_name_keeps_the_import(lint):
    # a name no rule claims (DZ399) is not a direct mapping
    assert sorted(lint("from dagster import op, DagsterInstance\n", "mod.py").lines("DZ104")) == []


def test_module_import_judged_by_the_attributes_it_is_used_for(lint):
    direct = """
        import dagster as dg

        @dg.op(retry_policy=dg.RetryPolicy(max_retries=1))
        def one():
            return 1
        """
    mixed = direct + "\n\n@dg.asset\ndef two():\n    return 2\n"
    assert sorted(lint(direct, "mod.py").lines("DZ104")) == [2]
    assert sorted(lint(mixed, "mod.py").lines("DZ104")) == []


def test_unused_module_import_is_not_reported(lint):
    assert sorted(lint("import dagster\n", "mod.py").lines("DZ104")) == []


def test_shim_reported_once_on_the_primary_import(lint):
    source = """
        try:
            from dagster import op
        except ImportError:
            from dagster._core.definitions.decorators.op_decorator import op

        @op
        def one():
            return 1
        """
    assert sorted(lint(source, "mod.py").lines("DZ104")) == [3]


def test_integration_package_import_is_not_dz104(lint):
    assert sorted(lint("from dagster_k8s import k8s_job_executor\n", "mod.py").lines("DZ104")) == []


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
