"""DZ310: subsettable multi-assets (``can_subset=True``, optional ``AssetOut``, selected outputs)."""

from __future__ import annotations

from dagster_zenml_lint.analysis.facts import FileContext, KeywordUse
from dagster_zenml_lint.registry import MissingFeature, Rule, clean, flagged
from dagster_zenml_lint.rules._calls import callee_is, is_false
from dagster_zenml_lint.rules._common import ABSENT, HIGH


def _enabled(ctx: FileContext, use: KeywordUse) -> str | None:
    """``can_subset=`` / ``skippable=`` unless literally ``False``."""
    return None if is_false(use.keyword.value) else ""


def _optional_asset_out(ctx: FileContext, use: KeywordUse) -> str | None:
    if not callee_is(use, "dagster.AssetOut") or not is_false(use.keyword.value):
        return None
    return f"AssetOut(is_required=False){f' in {use.owner!r}' if use.owner else ''} makes the output optional"


DZ310 = Rule(
    code="DZ310",
    missing_feature=MissingFeature(
        "Running a subset of a pipeline",
        "running only selected steps on demand while the other steps' latest artifacts are loaded.",
    ),
    symbol="dagster-asset-subset",
    severity=HIGH,
    mapping=ABSENT,
    title="Subset materialization has no ZenML equivalent",
    target="separate steps (or separate pipelines) for outputs that are materialized independently",
    hint="Split the shared body so that each independently materialized output has its own step, or mark "
    "subsetting as unsupported.",
    docs=("ART",),
    message="{subject}: ZenML steps always produce every output; split the step",
    what_it_does="Reports `can_subset=True`, `AssetOut(is_required=False)`, `AssetSpec(skippable=True)` and "
    "reads of `context.selected_output_names`, `context.selected_asset_keys`, `context.is_subset`.",
    why="A subsettable multi-asset computes only the outputs a run selected; a ZenML step always runs whole "
    "and always returns all of its outputs.",
    fix_safety="No fix.",
    keywords={"can_subset": _enabled, "skippable": _enabled, "is_required": _optional_asset_out},
    context_attrs=("selected_output_names", "selected_asset_keys", "selected_asset_check_keys", "is_subset"),
    examples=(
        flagged(
            "from dagster import AssetExecutionContext, AssetOut, Output, multi_asset\n\n\n"
            "@multi_asset(outs={'a': AssetOut(is_required=False), 'b': AssetOut(is_required=False)},"
            " can_subset=True)\n"
            "def both(context: AssetExecutionContext):\n"
            "    for name in sorted(context.selected_output_names):\n"
            "        yield Output(1, output_name=name)\n",
        ),
        clean(
            "from dagster import AssetOut, multi_asset\n\n\n"
            "@multi_asset(outs={'a': AssetOut(), 'b': AssetOut()})\ndef both():\n    return 1, 2\n"
        ),
        clean(
            "from dagster import AssetOut, multi_asset\n\n\n"
            "@multi_asset(outs={'a': AssetOut()}, can_subset=False)\ndef one():\n    return 1\n",
            title="can_subset=False",
        ),
    ),
)

RULES = (DZ310,)
