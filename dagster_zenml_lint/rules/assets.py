"""Assets: DZ201 ``@asset``, DZ202 ``@multi_asset``, DZ203 graph-backed assets, DZ209 source/external assets.

``AssetSpec`` belongs to two rules: inside ``specs=`` of ``@multi_asset`` it names an output
(DZ202); anywhere else it declares an asset that Dagster does not compute (DZ209).
"""

from __future__ import annotations

import ast

from dagster_zenml_lint.analysis.facts import FileContext, Reference
from dagster_zenml_lint.registry import Rule, ScaffoldHandling, clean, flagged
from dagster_zenml_lint.rules._calls import ancestors, describe, described, referenced_call
from dagster_zenml_lint.rules._common import APPROXIMATE, MEDIUM

MULTI_ASSET = "dagster.multi_asset"


def _assigned_names(ctx: FileContext, node: ast.AST) -> set[str]:
    """Names the statement holding ``node`` assigns to (``specs = [...]`` -> ``{"specs"}``)."""
    for parent in ancestors(ctx, node):
        if isinstance(parent, ast.Assign):
            return {t.id for t in parent.targets if isinstance(t, ast.Name)}
        if isinstance(parent, (ast.AnnAssign, ast.AugAssign)) and isinstance(parent.target, ast.Name):
            return {parent.target.id}
        if isinstance(parent, (ast.stmt, ast.FunctionDef, ast.ClassDef)):
            return set()
    return set()


def in_multi_asset_specs(ctx: FileContext, ref: Reference) -> bool:
    """True when an ``AssetSpec`` is (or is assigned to a name passed as) ``specs=`` of ``@multi_asset``."""
    if ref.keyword == "specs" and ref.keyword_of == MULTI_ASSET:
        return True
    names = _assigned_names(ctx, ref.node)
    if not names:
        return False
    for use in ctx.keywords:
        if use.keyword.arg != "specs" or use.callee is None or use.callee.canonical != MULTI_ASSET:
            continue
        if any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(use.keyword.value)):
            return True
    return False


def _spec_in_specs(ctx: FileContext, ref: Reference) -> str | None:
    # a type use (``specs: list[AssetSpec] = [...]``) names no output: the @multi_asset is reported
    if ref.role == "annotation" or not in_multi_asset_specs(ctx, ref):
        return None
    return describe(ctx, ref, "names an output of a @multi_asset")


def _in_dagster_subclass(ctx: FileContext, ref: Reference) -> bool:
    """True inside a method of a class deriving from a Dagster class (a dbt/dlt/Sling translator override)."""
    function = ctx.function_at(ref.node)
    return function is not None and function.parent_class is not None and bool(function.parent_class.bases)


def _external_spec(ctx: FileContext, ref: Reference) -> str | None:
    """An ``AssetSpec(...)`` built outside ``specs=``; a type use (annotation, ``isinstance``) declares nothing."""
    if referenced_call(ctx, ref) is None or in_multi_asset_specs(ctx, ref) or _in_dagster_subclass(ctx, ref):
        return None
    return describe(ctx, ref, "declares an asset that Dagster does not compute")


def _graph_backed(ctx: FileContext, ref: Reference) -> str | None:
    """``AssetsDefinition.from_graph(...)`` is a graph-backed asset (DZ203 as well as DZ201)."""
    if ref.attrs[:1] != ("from_graph",):
        return None
    return describe(ctx, ref)


def _asset_definition_type(ctx: FileContext, ref: Reference) -> str | None:
    """``AssetsDefinition`` as a type: an asset made by hand or returned by a factory, not a type check."""
    parent = ctx.parent(ref.node)
    if isinstance(parent, (ast.Tuple, ast.List)):
        parent = ctx.parent(parent)
    if (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Name)
        and parent.func.id in ("isinstance", "issubclass")
        and ref.node is not parent.func
    ):
        return None  # ``isinstance(x, AssetsDefinition)`` inspects definitions; it defines no asset
    return describe(ctx, ref)


DZ201 = Rule(
    code="DZ201",
    scaffold=ScaffoldHandling(
        note=(
            "the Dagster asset is now this step's output artifact (same name); it is produced by pipeline"
            " runs and versioned by ZenML, never materialized on its own."
        )
    ),
    symbol="dagster-asset",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="`@asset` becomes a step whose output artifact carries the asset's name",
    target='a `@step` whose output is named after the asset (`Annotated[T, "<asset>"]` or `ArtifactConfig(name=...)`)',
    hint="Keep the body as a step whose output artifact carries the asset's name, and wire it into a pipeline only "
    "after deciding the pipeline boundaries.",
    docs=("ART",),
    message="{subject}: becomes a step whose output artifact is named after the asset",
    what_it_does="Reports `@asset` (bare, called, `asset(fn)`) and `AssetsDefinition` objects and annotations. "
    "Loading assets from modules (`load_assets_from_modules`, ...) is composition: DZ212.",
    why="A Dagster asset is a persistent, always-addressable node of a graph; a ZenML step only runs inside a "
    "pipeline and versions its output as an artifact, so which pipeline runs it must be decided first.",
    fix_safety="No fix: the pipeline-boundary decision must come first.",
    names={
        **described("asset"),
        **dict.fromkeys(("dagster.AssetsDefinition", "dagster.CacheableAssetsDefinition"), _asset_definition_type),
    },
    examples=(
        flagged("from dagster import asset\n\n\n@asset\ndef orders() -> list[int]:\n    return [1, 2]\n"),
        flagged(
            "import dagster as dg\n\n\n@dg.asset(group_name='sales')\ndef orders() -> list[int]:\n    return [1, 2]\n",
            title="called decorator through the `dg` alias",
        ),
        flagged(
            "import dagster\n\n\ndef compute_orders() -> list[int]:\n    return [1, 2]\n\n\n"
            "orders = dagster.asset(compute_orders)\n",
            title="`asset(fn)` applied as a call",
        ),
        flagged(
            "from dagster import asset as dasset\n\n\n@dasset\ndef orders() -> list[int]:\n    return [1, 2]\n",
            title="renamed import",
        ),
        clean(
            "from typing import Annotated\n\nfrom zenml import step\n\n\n@step\n"
            "def orders() -> Annotated[list[int], 'orders']:\n    return [1, 2]\n",
        ),
        clean(
            "def asset(fn):\n    return fn\n\n\n@asset\ndef orders() -> list[int]:\n    return [1, 2]\n",
            title="trap: a local decorator called asset",
        ),
    ),
)

DZ202 = Rule(
    code="DZ202",
    scaffold=ScaffoldHandling(
        note="the multi-asset is one step with several named outputs; every output is always produced."
    ),
    symbol="dagster-multi-asset",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="`@multi_asset` becomes a step with several named outputs",
    target='a `@step` returning a tuple of `Annotated[T, "<name>"]` outputs',
    hint="Use one multi-output step only if every output is always produced together; otherwise split the body "
    "into one step per asset.",
    docs=("ART",),
    message="{subject}: becomes a step with several named outputs",
    what_it_does="Reports `@multi_asset`, `AssetOut(...)` and `AssetSpec(...)` given to `specs=` of a "
    "`@multi_asset` (directly or through a variable).",
    why="A ZenML step can return several named artifacts, but it always produces all of them: Dagster's "
    "per-output selection has no counterpart.",
    fix_safety="No fix: the outputs must be named in the step signature by hand.",
    names={**described("multi_asset", "AssetOut"), "dagster.AssetSpec": _spec_in_specs},
    examples=(
        flagged(
            "from dagster import AssetOut, multi_asset\n\n\n"
            "@multi_asset(outs={'orders': AssetOut(), 'users': AssetOut()})\ndef load():\n    return [1], [2]\n",
        ),
        flagged(
            "import dagster as dg\n\nSPECS = [dg.AssetSpec('orders'), dg.AssetSpec('users')]\n\n\n"
            "@dg.multi_asset(specs=SPECS)\ndef load():\n    yield dg.MaterializeResult(asset_key='orders')\n"
            "    yield dg.MaterializeResult(asset_key='users')\n",
            title="specs held in a variable",
        ),
        clean(
            "from typing import Annotated\n\nfrom zenml import step\n\n\n@step\n"
            "def load() -> tuple[Annotated[list[int], 'orders'], Annotated[list[int], 'users']]:\n"
            "    return [1], [2]\n",
        ),
        clean(
            "import dagster as dg\n\nraw = dg.AssetSpec('raw_events')\ndefs = dg.Definitions(assets=[raw])\n",
            title="an AssetSpec outside `specs=` is an external asset (DZ209), not a multi-asset",
        ),
    ),
)

DZ203 = Rule(
    code="DZ203",
    symbol="dagster-graph-asset",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Graph-backed assets become helper steps plus a terminal step",
    target="one `@step` per inner op, wired in the pipeline; the terminal step's output is named after the asset",
    hint="Make the hidden ops visible as steps in the pipeline and keep the asset's identity only as the name of "
    "the last step's output.",
    docs=("ART",),
    message="{subject}: becomes helper steps plus a terminal step named after the asset",
    what_it_does="Reports `@graph_asset`, `@graph_multi_asset` and `AssetsDefinition.from_graph(...)`.",
    why="ZenML has no nested graphs: the ops inside a graph asset become ordinary steps of the calling pipeline.",
    fix_safety="No fix: the inner ops must be rewired in the pipeline.",
    names={**described("graph_asset", "graph_multi_asset"), "dagster.AssetsDefinition": _graph_backed},
    examples=(
        flagged(
            "from dagster import graph_asset, op\n\n\n@op\ndef fetch() -> list[int]:\n    return [1, 2]\n\n\n"
            "@op\ndef clean_rows(rows: list[int]) -> list[int]:\n    return rows\n\n\n"
            "@graph_asset\ndef orders():\n    return clean_rows(fetch())\n",
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.op\ndef fetch() -> int:\n    return 1\n\n\n@dg.graph\ndef build():\n"
            "    return fetch()\n\n\norders = dg.AssetsDefinition.from_graph(build)\n",
            title="an asset made from a graph",
        ),
        clean(
            "from dagster import asset\n\n\n@asset\ndef orders() -> list[int]:\n    return [1, 2]\n",
            title="a plain asset is DZ201 only",
        ),
    ),
)

DZ209 = Rule(
    code="DZ209",
    symbol="dagster-source-asset",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Source and external assets become an explicit loading step",
    target="`ExternalArtifact(value=...)` (`from zenml import ExternalArtifact`), a first loader `@step`, or "
    "`Client().get_artifact_version(...)`",
    hint="Make loading the external data an explicit first step of the pipeline (an `ExternalArtifact` input "
    "disables caching of the consuming step).",
    docs=("ART",),
    message="{subject}: load it in an explicit source step or ExternalArtifact",
    what_it_does="Reports `SourceAsset(...)` and `AssetSpec(...)` used outside `specs=` of a `@multi_asset` "
    "(an external asset, e.g. in `Definitions(assets=[...])` or `deps=[...]`).",
    why="ZenML only knows artifacts produced by its own steps or passed in explicitly; data that some other "
    "system produces has to be loaded by a step or wrapped in an `ExternalArtifact`.",
    fix_safety="No fix: the loader step depends on where the data lives.",
    names={**described("SourceAsset"), "dagster.AssetSpec": _external_spec},
    examples=(
        flagged(
            "from dagster import Definitions, SourceAsset\n\nraw_events = SourceAsset(key='raw_events')\n"
            "defs = Definitions(assets=[raw_events])\n",
        ),
        flagged(
            "import dagster as dg\n\nraw = dg.AssetSpec('raw_events', group_name='external')\n"
            "defs = dg.Definitions(assets=[raw])\n",
            title="an external AssetSpec",
        ),
        clean(
            "from zenml import ExternalArtifact\n\nraw_events = ExternalArtifact(value=[1, 2, 3])\n",
        ),
        clean(
            "import dagster as dg\n\n\n@dg.multi_asset(specs=[dg.AssetSpec('orders'), dg.AssetSpec('users')])\n"
            "def load():\n    yield dg.MaterializeResult(asset_key='orders')\n"
            "    yield dg.MaterializeResult(asset_key='users')\n",
            title="AssetSpec inside `specs=` names a multi-asset output (DZ202)",
        ),
    ),
)

RULES = (DZ201, DZ202, DZ203, DZ209)
