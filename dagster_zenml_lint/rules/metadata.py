"""DZ215: materialization events and metadata become ZenML ``log_metadata(...)``."""

from __future__ import annotations

from dagster_zenml_lint.analysis.facts import FileContext, Reference
from dagster_zenml_lint.registry import Rule, ScaffoldHandling, clean, flagged
from dagster_zenml_lint.rules._calls import described, has_keyword, referenced_call
from dagster_zenml_lint.rules._common import APPROXIMATE, LOW

METADATA_OBJECTS = (
    "MetadataValue",
    "MaterializeResult",
    "AssetMaterialization",
    "AssetObservation",
    "TableSchema",
    "TableColumn",
    "TableRecord",
    "TableColumnConstraints",
    "TableConstraints",
    "TableColumnLineage",
    "TableColumnDep",
    "MetadataEntry",
    "ExpectationResult",
    "*MetadataValue",
)


def _output_with_metadata(ctx: FileContext, ref: Reference) -> str | None:
    call = referenced_call(ctx, ref)
    if call is None or not has_keyword(call, "metadata"):
        return None
    return "Output(..., metadata=...)"


DZ215 = Rule(
    code="DZ215",
    scaffold=ScaffoldHandling(
        note="Dagster metadata has no automatic counterpart: log it with zenml.log_metadata(...)."
    ),
    symbol="dagster-metadata",
    severity=LOW,
    mapping=APPROXIMATE,
    title="Metadata and materialization events become `log_metadata`",
    target="`log_metadata(metadata={...})` from inside the step (`from zenml import log_metadata`)",
    hint="Return the data from the step and log the extra facts as JSON-friendly values with `log_metadata(...)`.",
    docs=("META",),
    message="{subject}: log it with ZenML log_metadata(...)",
    what_it_does="Reports `MetadataValue` and the `*MetadataValue` classes, `MaterializeResult`, "
    "`AssetMaterialization`, `AssetObservation`, table schemas, `metadata=` arguments (`Output`, decorators, "
    "specs), and `context.add_output_metadata(...)` / `context.log_event(...)`.",
    why="ZenML records metadata on artifacts and runs through `log_metadata`; Dagster's typed metadata "
    "values and event objects do not exist there.",
    fix_safety="No fix: metadata values must be converted to plain Python values.",
    names={**described(*METADATA_OBJECTS), "dagster.Output": _output_with_metadata},
    keywords={"metadata": None, "output_metadata": None},
    context_attrs=("add_output_metadata", "add_asset_metadata", "log_event"),
    examples=(
        flagged(
            "import dagster as dg\n\n\n@dg.asset\ndef orders() -> dg.MaterializeResult:\n"
            "    return dg.MaterializeResult(metadata={'rows': dg.MetadataValue.int(10)})\n",
        ),
        flagged(
            "from dagster import AssetExecutionContext, asset\n\n\n@asset\n"
            "def orders(context: AssetExecutionContext) -> int:\n"
            "    context.add_output_metadata({'rows': 10})\n    return 10\n",
            title="metadata added through the context",
        ),
        clean(
            "from zenml import log_metadata, step\n\n\n@step\ndef orders() -> int:\n"
            "    log_metadata(metadata={'rows': 10})\n    return 10\n"
        ),
    ),
)

RULES = (DZ215,)
