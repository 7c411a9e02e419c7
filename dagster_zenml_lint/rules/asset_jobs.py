"""DZ218 asset jobs over the whole graph and DZ305 asset selection.

``define_asset_job`` without a selection runs every asset (DZ218, approximate: one
pipeline); with one it materializes a subset of the graph (DZ305, absent in ZenML).
"""

from __future__ import annotations

import ast

from dagster_zenml_lint.analysis.facts import FileContext, KeywordUse, Reference
from dagster_zenml_lint.registry import MissingFeature, Rule, clean, flagged
from dagster_zenml_lint.rules._calls import (
    argument,
    asset_function_names,
    describe,
    described,
    display,
    resolves_to,
)
from dagster_zenml_lint.rules._common import ABSENT, APPROXIMATE, HIGH, MEDIUM


def _job_without_selection(ctx: FileContext, ref: Reference) -> str | None:
    if ref.call is None:
        return describe(ctx, ref)
    if argument(ref.call, "selection", 1) is not None:
        return None
    return describe(ctx, ref, "selects every asset")


def _job_with_positional_selection(ctx: FileContext, ref: Reference) -> str | None:
    if ref.call is None or len(ref.call.args) < 2:
        return None
    return describe(ctx, ref, f"selects {display(ctx, ref.call.args[1])}")


def _is_asset_selection(ctx: FileContext, node: ast.expr) -> bool:
    """A string, a list of strings / asset functions, or an ``AssetSelection`` expression."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        assets = asset_function_names(ctx)
        return bool(node.elts) and all(
            (isinstance(e, ast.Constant) and isinstance(e.value, str)) or (isinstance(e, ast.Name) and e.id in assets)
            for e in node.elts
        )
    return any(resolves_to(ctx, sub, "dagster.AssetSelection") for sub in ast.walk(node))


def _takes_selection_target(use: KeywordUse) -> bool:
    """True when the callee's ``target=`` is an asset selection: a core Dagster schedule or sensor.

    Elsewhere ``target=`` means something else (``DbtCliResource(target="PROD")`` is a dbt
    profile target), so only these callees make a string or list passed as ``target=`` a selection.
    """
    callee = use.callee
    if callee is None or not callee.canonical.startswith("dagster."):
        return False
    short = callee.canonical.rsplit(".", 1)[-1].lower()
    return "schedule" in short or "sensor" in short


def _target_is_selection(ctx: FileContext, use: KeywordUse) -> str | None:
    if not _takes_selection_target(use) or not _is_asset_selection(ctx, use.keyword.value):
        return None
    return ""


DZ218 = Rule(
    code="DZ218",
    symbol="dagster-asset-job",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="An asset job over all assets becomes one pipeline",
    target="one `@pipeline` that calls the asset steps in dependency order",
    hint="Decide the pipeline boundary first, then write one pipeline that calls the asset steps in "
    "dependency order (never one pipeline per asset).",
    docs=("STEPS",),
    message="{subject}: becomes one ZenML pipeline wiring the asset steps",
    what_it_does="Reports `define_asset_job(...)` without a selection, which materializes every asset.",
    why="ZenML has no asset graph to select from: the job's implicit wiring must be written out as step "
    "calls in a pipeline.",
    fix_safety="No fix: the pipeline boundary is a human decision.",
    names={"dagster.define_asset_job": _job_without_selection},
    examples=(
        flagged("from dagster import define_asset_job\n\nall_assets = define_asset_job('all_assets')\n"),
        clean(
            "from dagster import AssetSelection, define_asset_job\n\n"
            "sales = define_asset_job('sales', selection=AssetSelection.groups('sales'))\n",
            title="a selection is DZ305, not DZ218",
        ),
    ),
)

DZ305 = Rule(
    code="DZ305",
    missing_feature=MissingFeature(
        "Running a subset of a pipeline",
        "running only selected steps on demand while the other steps' latest artifacts are loaded.",
    ),
    symbol="dagster-asset-selection",
    severity=HIGH,
    mapping=ABSENT,
    title="Asset selection has no ZenML equivalent",
    target="split the asset group into several pipelines; load shared upstreams via `ExternalArtifact`",
    hint="Split the assets into pipelines along real operational lines and load shared upstream results "
    "with `ExternalArtifact` or an explicit loader step.",
    docs=("ART",),
    message="{subject}: ZenML cannot run a subset of a graph; split into pipelines",
    what_it_does="Reports `AssetSelection` expressions, `selection=` / `asset_selection=` arguments "
    "(`define_asset_job`, `materialize`, sensors), selection strings and asset lists given as `target=` to a "
    "schedule or sensor, "
    "and dbt selection builders.",
    why="Dagster can materialize any slice of the asset graph on demand; a ZenML pipeline always runs all "
    "of its steps.",
    fix_safety="No fix.",
    names={
        **described("AssetSelection", "dagster_dbt.build_dbt_asset_selection", "dagster_dbt.DbtManifestAssetSelection"),
        "dagster.define_asset_job": _job_with_positional_selection,
    },
    keywords={"selection": None, "asset_selection": None, "target": _target_is_selection},
    examples=(
        flagged(
            "import dagster as dg\n\n"
            "sales = dg.define_asset_job('sales', selection=dg.AssetSelection.groups('sales').downstream())\n"
        ),
        flagged(
            "from dagster import define_asset_job\n\nsales = define_asset_job('sales', 'group:sales')\n",
            title="a selection string passed positionally",
        ),
        flagged(
            "from dagster import ScheduleDefinition, asset\n\n\n@asset\ndef orders() -> int:\n    return 1\n\n\n"
            "nightly = ScheduleDefinition(name='nightly', target=[orders], cron_schedule='0 0 * * *')\n",
            title="a schedule targeting a list of assets",
        ),
        clean("from dagster import define_asset_job\n\nall_assets = define_asset_job('all_assets')\n"),
        clean(
            "from dagster_dbt import DbtCliResource\n\ndbt = DbtCliResource(project_dir='jaffle', target='PROD')\n",
            title="a dbt profile target is not a selection",
        ),
    ),
)

RULES = (DZ218, DZ305)
