"""DZ399: any Dagster object no other rule names (core or integration packages)."""

from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._common import APPROXIMATE, MEDIUM

RULES = (
    Rule(
        code="DZ399",
        symbol="dagster-unmapped",
        severity=MEDIUM,
        mapping=APPROXIMATE,
        title="Dagster object without a specific rule",
        target="review by hand: find the ZenML integration or plain Python that covers it",
        hint="No rule knows this object yet: check what it does and rebuild it with ZenML steps, "
        "stack components or plain Python.",
        docs=("STEPS",),
        message="{subject}: no specific migration rule; review by hand",
        what_it_does="Reports every use of a Dagster object (from `dagster` or a `dagster_*` "
        "integration package) that no other rule covers.",
        why="Nothing in a codebase should be skipped silently; an unknown object is still migration work.",
        examples=(
            flagged(
                "from dagster import TranslatorResolvingInfo\n\n\n"
                "def spec(info: TranslatorResolvingInfo) -> str:\n    return str(info)\n"
            ),
            clean("from slack_sdk import WebClient\n\nclient = WebClient(token='t')\n"),
        ),
    ),
)
