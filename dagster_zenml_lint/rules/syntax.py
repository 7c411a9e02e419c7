"""DZ000: a file that may hold Dagster code could not be analysed (syntax error, undecodable bytes)."""

from dagster_zenml_lint.findings import Mapping, Severity
from dagster_zenml_lint.registry import Rule, clean, flagged

RULES = (
    Rule(
        code="DZ000",
        symbol="dagster-parse-error",
        severity=Severity.HIGH,
        mapping=Mapping.ERROR,
        title="File could not be analysed",
        target="fix the file so that Python can parse it",
        hint="The linter skipped this file: fix the syntax error or the encoding and run again.",
        docs=("ZENML",),
        what_it_does=(
            "Reports a file that may hold Dagster code (its bytes name `dagster`, or a `defs.yaml`/"
            "`component.yaml`) but cannot be parsed or decoded, and any file that cannot be read at all, "
            "so it is never skipped silently. A file that never names Dagster is not parsed: its syntax "
            "errors are for flake8 or ruff."
        ),
        why="A file the linter cannot read may hide Dagster code that still needs migrating.",
        examples=(
            flagged("from dagster import asset\n\n@asset(\ndef orders():\n    return 1\n"),
            clean("from dagster import asset\n\n\n@asset\ndef orders():\n    return 1\n"),
        ),
    ),
)
