"""DZ226: ordering-only dependencies (``deps=``, ``In(Nothing)``, ``Nothing`` outputs)."""

from __future__ import annotations

from dagster_zenml_lint.analysis.facts import FileContext, Reference
from dagster_zenml_lint.registry import Rule, ScaffoldHandling, clean, flagged
from dagster_zenml_lint.rules._calls import ancestors, dagster_name_of
from dagster_zenml_lint.rules._common import APPROXIMATE, LOW


def _nothing(ctx: FileContext, ref: Reference) -> str:
    """Name the spec ``Nothing`` sits in: ``In(Nothing)``, ``Out(Nothing)``."""
    for parent in ancestors(ctx, ref.node):
        name = dagster_name_of(ctx, parent) if hasattr(parent, "func") else None
        if name in ("dagster.In", "dagster.Out", "dagster.GraphIn", "dagster.GraphOut"):
            return f"{name.rsplit('.', 1)[-1]}(Nothing) declares an ordering-only dependency"
        if hasattr(parent, "body"):
            break
    return "Nothing declares an ordering-only dependency"


DZ226 = Rule(
    code="DZ226",
    scaffold=ScaffoldHandling(
        note=(
            "the data-less `deps=` is ordering only: inside one pipeline the step is called with "
            "`after=`; across pipelines the order of runs is up to whoever starts them."
        )
    ),
    symbol="dagster-nothing-dependency",
    severity=LOW,
    mapping=APPROXIMATE,
    title="Ordering-only dependencies become `after=`",
    target="an ordering-only dependency in the pipeline: `step(after=...)` / `.after()`",
    hint="Call the upstream step first and pass `after=` (or use `.after()`) in the pipeline; no data flows "
    "between the two steps.",
    docs=("STEPS",),
    message="{subject}: use after= in the ZenML pipeline",
    what_it_does="Reports `deps=[...]` (and `additional_deps=`, legacy `non_argument_deps=`) on assets, checks "
    "and specs, and the `Nothing` type in `In(Nothing)` / `Out(Nothing)`.",
    why="These dependencies carry no data; ZenML expresses pure ordering with `after=` when the pipeline "
    "calls the step.",
    fix_safety="No fix.",
    names={"dagster.Nothing": _nothing},
    keywords={"deps": None, "non_argument_deps": None, "additional_deps": None},
    examples=(
        flagged(
            "from dagster import asset\n\n\n@asset\ndef raw() -> None:\n    return None\n\n\n"
            "@asset(deps=[raw])\ndef clean() -> int:\n    return 1\n"
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.op(ins={'start': dg.In(dg.Nothing)})\ndef after_start() -> int:\n"
            "    return 1\n",
            title="In(Nothing)",
        ),
        clean("from dagster import asset\n\n\n@asset\ndef clean(raw: int) -> int:\n    return raw\n"),
    ),
)

RULES = (DZ226,)
