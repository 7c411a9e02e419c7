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
        hint=(
            "The linter skipped this file: fix the syntax error or the encoding and run again (newer syntax: "
            "run the linter under the Python the project targets)."
        ),
        docs=("ZENML",),
        what_it_does=(
            "Reports a file that may hold Dagster code (its bytes name `dagster`, or a `defs.yaml`/"
            "`component.yaml`) but cannot be parsed or decoded, and any file that cannot be read at all, "
            "so it is never skipped silently. A file that never names Dagster is not parsed: its syntax "
            "errors are for flake8 or ruff. The linter parses with the Python that runs it, so a syntax error "
            "may be newer syntax, not a mistake: when the project targets a newer Python (`target-version`, "
            "else the lowest Python `requires-python` allows), the message names both and says to run the "
            "linter under the newer one; otherwise a line of type parameters or a `type` alias (Python 3.12) "
            "says that it is Python 3.12 syntax."
        ),
        why="A file the linter cannot read may hide Dagster code that still needs migrating.",
        examples=(
            flagged("from dagster import asset\n\n@asset(\ndef orders():\n    return 1\n"),
            clean("from dagster import asset\n\n\n@asset\ndef orders():\n    return 1\n"),
        ),
    ),
)
