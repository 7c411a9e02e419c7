"""The static project model agrees with what the real dagster resolves for the fixture projects."""

from __future__ import annotations

import shutil
import textwrap

import pytest
from report_support import PACKAGES, PROJECTS, dagster_view

from dagster_zenml_lint.project import build_project
from dagster_zenml_lint.project.selection import (
    AllAssets,
    AssetGraphView,
    Closure,
    Combined,
    Groups,
    Keys,
    Unknown,
    evaluate,
    parse_selection_string,
)

SELECTION_STRINGS = (
    "*orders_clean",
    "orders_clean+",
    "raw/customers*",
    "group:orders",
    "key:raw/orders",
    "++daily_revenue",
    "*",
    "customer_dim",
)


@pytest.fixture(scope="module", params=sorted(PACKAGES))
def project_pair(request):
    """(static model, Dagster's view) of one fixture project."""
    name = request.param
    return name, build_project([PROJECTS / name]), dagster_view(PROJECTS / name, PACKAGES[name])


def test_asset_keys_and_dependencies_match_dagster(project_pair):
    _, project, view = project_pair
    external = project.external_upstreams  # sources and unknown keys are kept apart from computed assets
    ours = {
        key: sorted([*asset.upstream, *(up for up, dependents in external.items() if key in dependents)])
        for key, asset in project.assets.items()
    }
    assert ours == view["assets"]


def test_jobs_select_the_same_assets_and_ops_as_dagster(project_pair):
    _, project, view = project_pair
    ours = {
        job.name: {"assets": sorted(job.assets), "ops": sorted(op.name for op in job.ops)}
        for job in project.jobs.values()
    }
    assert ours == view["jobs"]


def test_selection_strings_evaluate_like_dagster():
    view = dagster_view(PROJECTS / "asset_shop", "shop", selections=SELECTION_STRINGS)
    project = build_project([PROJECTS / "asset_shop"])
    assert set(view["selections"]) == set(SELECTION_STRINGS)
    for text, expected in view["selections"].items():
        found, complete = project.evaluate_selection(
            parse_selection_string(text), project.assets["raw/orders"].location, text
        )
        assert complete, text
        assert sorted(found) == expected, text


EXTRA_JOBS = textwrap.dedent(
    """
    from dagster import AssetKey, AssetSelection, define_asset_job

    from shop.assets.marts import orders_clean

    up_job = define_asset_job("up_job", selection=AssetSelection.assets(orders_clean).upstream())
    down1 = define_asset_job("down1", selection=AssetSelection.keys("raw/orders").downstream(depth=1))
    excl = define_asset_job("excl", selection=AssetSelection.all() - AssetSelection.groups("orders", "customers"))
    inter = define_asset_job("inter", selection=AssetSelection.groups("orders") & AssetSelection.keys(
        AssetKey(["raw", "orders"]), "daily_revenue"))
    roots = define_asset_job("roots", selection=AssetSelection.groups("customers").roots())
    sinks = define_asset_job("sinks", selection=AssetSelection.all().sinks().required_multi_asset_neighbors())
    prefixed = define_asset_job("prefixed", selection=AssetSelection.key_prefixes("raw"))
    listed = define_asset_job("listed", selection=["orders_clean", "revenue_report"])
    strict_down = define_asset_job(
        "strict_down", selection=AssetSelection.keys("orders_clean").downstream(include_self=False)
    )
    """
)


def test_asset_selection_expressions_evaluate_like_dagster(tmp_path):
    root = tmp_path / "asset_shop"
    shutil.copytree(PROJECTS / "asset_shop", root)
    (root / "shop" / "extra_jobs.py").write_text(EXTRA_JOBS)
    view = dagster_view(root, "shop", extra_module="shop.extra_jobs")
    project = build_project([root])
    assert not project.unresolved
    for name, expected in view["jobs"].items():
        assert sorted(project.job_named(name).assets) == expected["assets"], name


def test_unresolvable_selection_is_reported_with_its_location(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    (root / "defs.py").write_text(
        textwrap.dedent(
            """
        from dagster import AssetSelection, asset, define_asset_job


        def pick():
            return AssetSelection.all()


        @asset(tags={"tier": "gold"})
        def gold() -> int:
            return 1


        by_tag = define_asset_job("by_tag", selection=AssetSelection.tag("tier", "gold"))
        computed = define_asset_job("computed", selection=pick())
        """
        )
    )
    project = build_project([root])
    subjects = {(str(u.location), u.subject.split(":")[0]) for u in project.unresolved}
    assert ("defs.py:14", "selection of asset job 'by_tag'") in subjects
    assert ("defs.py:15", "selection of asset job 'computed'") in subjects
    assert not project.job_named("by_tag").selection_complete
    assert project.job_named("by_tag").assets == ()  # never guessed


def test_partitions_variable_resolves_across_modules():
    project = build_project([PROJECTS / "asset_shop"])
    partitions = project.assets["orders_clean"].partitions
    assert partitions is not None
    assert (partitions.kind, partitions.label, str(partitions.location)) == (
        "DailyPartitionsDefinition",
        "daily",
        "shop/partitions.py:3",
    )
    assert project.assets["raw/orders"].partitions == partitions  # imported under another name elsewhere
    assert project.assets["customer_dim"].partitions is None


def test_missing_upstream_is_unresolved_not_guessed(tmp_path):
    (tmp_path / "a.py").write_text("from dagster import asset\n\n\n@asset\ndef b(missing_upstream):\n    return 1\n")
    project = build_project([tmp_path])
    assert project.assets["b"].upstream == ()
    assert project.external_upstreams == {"missing_upstream": ["b"]}
    assert [str(u.location) for u in project.unresolved] == ["a.py:4"]


def test_a_resource_class_re_exported_by_a_plain_package_init_is_no_upstream_asset(tmp_path):
    # regression (ipl-dagster-pipeline's ``lamassu: LamassuResource``): ``resources/__init__.py`` only
    # re-exports and never names Dagster; its imports were read only when it defined a class, so the
    # parameter was taken for an external upstream asset 'lamassu'
    package = tmp_path / "pkg"
    (package / "resources").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "resources" / "__init__.py").write_text("from .api import ApiResource\n", encoding="utf-8")
    (package / "resources" / "api.py").write_text(
        "from dagster import ConfigurableResource\n\n\nclass ApiResource(ConfigurableResource):\n    url: str\n",
        encoding="utf-8",
    )
    (package / "assets.py").write_text(
        "from dagster import asset\n\nfrom pkg.resources import ApiResource\n\n\n"
        "@asset\ndef rows(api: ApiResource, upstream_rows):\n    return 1\n",
        encoding="utf-8",
    )
    project = build_project([tmp_path])
    assert project.external_upstreams == {"upstream_rows": ["rows"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a", Keys(("a",))),
        ("group:g", Groups(("g",))),
        ("*", AllAssets()),
        ("*a", Closure(Keys(("a",)), "upstream", None)),
        ("a++", Combined("|", Keys(("a",)), Closure(Keys(("a",)), "downstream", 2))),
    ],
)
def test_parse_selection_string(text, expected):
    assert parse_selection_string(text) == expected


def test_unknown_selection_syntax_is_unknown():
    assert isinstance(parse_selection_string("tag:tier=gold"), Unknown)
    graph = AssetGraphView(frozenset({"a"}), {"a": "default"}, {"a": frozenset()}, {"a": frozenset()})
    result = evaluate(parse_selection_string("owner:me"), graph, lambda symbol: None)
    assert result.keys == frozenset() and result.unknown
