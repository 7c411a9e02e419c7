"""Name resolution: what a name in the source really refers to."""

from __future__ import annotations

import ast

import pytest

from dagster_zenml_lint.analysis.names import canonicalize
from dagster_zenml_lint.semantic import SemanticModel, is_dagster_module


def resolve_all(source: str) -> dict[str, str | None]:
    """Resolve every ``Name``/``Attribute`` load named ``target*`` by its last-line use."""
    tree = ast.parse(source)
    model = SemanticModel(tree)
    results: dict[str, str | None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name.startswith("target"):
                scope = model.module_scope
                for func in ast.walk(tree):
                    if isinstance(func, ast.FunctionDef) and node in ast.walk(func):
                        scope = model.scope_of(func) or scope
                results[name] = model.resolve(node.value, scope)
    return results


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from dagster import asset\ntarget = asset", "dagster.asset"),
        ("import dagster as dg\ntarget = dg.asset", "dagster.asset"),
        ("from dagster import op as dop\ntarget = dop", "dagster.op"),
        ("import dagster\ntarget = dagster.job", "dagster.job"),
        ("import dagster.components\ntarget = dagster.components.Component", "dagster.components.Component"),
        ("from dagster_dbt import dbt_assets\ntarget = dbt_assets", "dagster_dbt.dbt_assets"),
        ("import dagster_aws.s3 as s3\ntarget = s3.S3Resource", "dagster_aws.s3.S3Resource"),
        ("from dagster import *\ntarget = asset", "dagster.asset"),
        ("from zenml import step\ntarget = step", None),
        ("from operator import add\ntarget = add", None),
        ("from dagster import asset\ndef asset(fn):\n    return fn\ntarget = asset", None),
        ("def asset(fn):\n    return fn\ntarget = asset", None),
        ("from dagster_open_platform import things\ntarget = things", None),
        ("from .dagster import asset\ntarget = asset", None),
    ],
)
def test_module_level_resolution(source, expected):
    assert resolve_all(source)["target"] == expected


def test_import_error_fallback_does_not_hide_the_import():
    source = "try:\n    from dagster import asset\nexcept ImportError:\n    asset = None\ntarget = asset\n"
    assert resolve_all(source)["target"] == "dagster.asset"


def test_parameter_shadows_module_import():
    source = "from dagster import asset\ndef f(asset):\n    target = asset\n"
    assert resolve_all(source)["target"] is None


def test_function_level_import():
    source = "def f():\n    import dagster as dg\n    target = dg.op\n"
    assert resolve_all(source)["target"] == "dagster.op"


def test_class_scope_is_not_seen_from_methods():
    source = "from dagster import asset\nclass C:\n    asset = 1\n    def m(self):\n        target = asset\n"
    assert resolve_all(source)["target"] == "dagster.asset"


@pytest.mark.parametrize(
    ("qualname", "expected"),
    [
        ("dagster._core.definitions.partition.StaticPartitionsDefinition", ("dagster.StaticPartitionsDefinition", ())),
        ("dagster.AssetSelection.groups", ("dagster.AssetSelection", ("groups",))),
        ("dagster_aws.s3.S3Resource", ("dagster_aws.S3Resource", ())),
        ("dagster.op", ("dagster.op", ())),
    ],
)
def test_canonicalize(qualname, expected):
    assert canonicalize(qualname) == expected


def test_only_published_packages_are_dagster():
    assert is_dagster_module("dagster_dbt.core")
    assert is_dagster_module("dagster")
    assert not is_dagster_module("dagster_open_platform.defs")
    assert not is_dagster_module("dagsterish")


def test_syntax_error_in_a_file_without_dagster_is_not_ours():
    """DZ000 only where Dagster code may be: a file that never names it is not parsed (flake8's E999)."""
    from dagster_zenml_lint.engine import check_source

    assert check_source("def f(:\n    pass\n", "plain.py") == []
    findings = check_source("import dagster\ndef f(:\n    pass\n", "jobs.py")
    assert [(f.code, f.line) for f in findings] == [("DZ000", 2)]


@pytest.mark.parametrize(
    "source",
    [
        # a comprehension variable, a lambda parameter and a walrus target shadow Dagster's ``asset``
        "from dagster import asset\n\nkeys = [asset.key for asset in load()]\n",
        "from dagster import asset\n\nkeys = {asset.key: 1 for asset in load() if asset}\n",
        "from dagster import asset\n\nget = lambda asset: asset.key\n",
        "from dagster import asset\n\ndef f():\n    if (asset := load()):\n        return asset.key\n",
        "from dagster import asset\n\nrows = [[asset.key for asset in group] for group in load()]\n",
        "from dagster import asset\n\nx = sorted(load(), key=lambda a: [asset.key for asset in a])\n",
    ],
)
def test_names_bound_inside_expressions_shadow_imports(source):
    from dagster_zenml_lint.analysis.walk import analyze

    ctx = analyze("<test>", source, ast.parse(source))
    assert [r.short for r in ctx.references] == []


def test_names_bound_inside_expressions_do_not_hide_the_import_elsewhere():
    from dagster_zenml_lint.analysis.walk import analyze

    source = "from dagster import asset\n\nkeys = [asset for asset in load()]\n\n@asset\ndef orders():\n    return 1\n"
    ctx = analyze("<test>", source, ast.parse(source))
    assert [(r.short, r.line) for r in ctx.references] == [("asset", 5)]


def test_a_walrus_binding_found_late_keeps_bindings_in_source_order():
    from dagster_zenml_lint.analysis.walk import analyze

    source = (
        "import dagster as dg\n\nif (dg := make()):\n    pass\nx = dg.asset\n\nimport dagster as dg\n\ny = dg.asset\n"
    )
    ctx = analyze("<test>", source, ast.parse(source))
    assert [r.line for r in ctx.references if r.attrs or r.canonical != "dagster"] == [9]
