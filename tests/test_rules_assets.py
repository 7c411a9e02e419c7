"""Asset rules: AssetSpec placement (DZ202 inside ``specs=`` vs DZ209 elsewhere), graph-backed assets."""

from __future__ import annotations


def test_asset_spec_inside_specs_is_multi_asset_not_external(lint):
    result = lint(
        """
        import dagster as dg

        @dg.multi_asset(specs=[
            dg.AssetSpec("a"),
            dg.AssetSpec("b"),
        ])
        def both():
            pass
        """,
        "assets.py",
    ).found()
    assert {("DZ202", 5), ("DZ202", 6)} <= result
    assert not {code for code, line in result if code == "DZ209"}


def test_asset_spec_through_a_variable_passed_to_specs(lint):
    result = lint(
        """
        from dagster import AssetSpec, multi_asset

        SPECS = [AssetSpec("a"), AssetSpec("b")]

        @multi_asset(specs=SPECS)
        def both():
            pass
        """,
        "assets.py",
    ).found()
    assert ("DZ202", 4) in result
    assert ("DZ209", 4) not in result


def test_asset_spec_elsewhere_is_external(lint):
    result = lint(
        """
        import dagster as dg

        raw = dg.AssetSpec("raw")
        UNUSED = [dg.AssetSpec("other")]

        @dg.multi_asset(specs=[dg.AssetSpec("x")])
        def x():
            pass

        defs = dg.Definitions(assets=[raw, dg.AssetSpec("inline")])
        """,
        "assets.py",
    ).found()
    assert {("DZ209", 4), ("DZ209", 5), ("DZ209", 11)} <= result
    assert ("DZ202", 4) not in result and ("DZ202", 5) not in result
    assert ("DZ209", 7) not in result


def test_asset_spec_annotation_is_neither(lint):
    result = lint(
        """
        import dagster as dg

        def spec_for(name: str) -> dg.AssetSpec:
            return name
        """,
        "assets.py",
    ).found()
    assert not {code for code, _ in result if code in ("DZ202", "DZ209")}


def test_asset_applied_as_call_and_alias(lint):
    result = lint(
        """
        import dagster
        from dagster import asset as dasset

        def compute():
            return 1

        a = dagster.asset(compute)
        b = dasset(name="b")(compute)
        """,
        "assets.py",
    ).found()
    assert {("DZ201", 8), ("DZ201", 9)} <= result


def test_graph_backed_assets(lint):
    result = lint(
        """
        import dagster as dg

        @dg.graph
        def g():
            pass

        asset_from_graph = dg.AssetsDefinition.from_graph(g)
        plain = dg.AssetsDefinition.from_op(g)
        """,
        "assets.py",
    ).found()
    assert {("DZ203", 8), ("DZ201", 8), ("DZ201", 9), ("DZ204", 4)} <= result
    assert ("DZ203", 9) not in result


def test_asset_spec_built_in_a_translator_override_is_not_external(lint):
    result = lint(
        """
        import dagster as dg
        from dagster_dbt import DagsterDbtTranslator

        class Translator(DagsterDbtTranslator):
            def get_asset_spec(self, manifest, unique_id, project):
                return dg.AssetSpec(key=unique_id)

        def standalone():
            return dg.AssetSpec("raw")
        """,
        "assets.py",
    ).found()
    assert ("DZ209", 7) not in result
    assert ("DZ209", 10) in result


def test_asset_spec_as_a_type_is_not_external(lint):
    result = lint(
        """
        from typing import Callable
        import dagster as dg

        Fn = Callable[[dg.AssetSpec], dg.AssetSpec]

        def is_spec(x) -> bool:
            return isinstance(x, (dg.AssetsDefinition, dg.AssetSpec))
        """,
        "assets.py",
    ).found()
    assert not {code for code, _ in result if code == "DZ209"}


def test_an_asset_spec_annotation_names_no_output(lint):
    result = lint(
        """
        import dagster as dg

        def spec_for(name: str) -> dg.AssetSpec:
            return dg.AssetSpec(name)

        SPECS: list[dg.AssetSpec] = [spec_for(n) for n in ("a", "b")]

        @dg.multi_asset(specs=SPECS)
        def both():
            pass
        """,
        "assets.py",
    ).found()
    assert ("DZ202", 7) not in result  # the annotation is a type use; the @multi_asset below is reported
    assert ("DZ202", 9) in result
