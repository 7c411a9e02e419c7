"""DZ001: a ``# noqa`` that lists DZ codes silencing nothing (ruff's RUF100), fixable.

The detection runs after every other rule, on the file's findings: see
:func:`dagster_zenml_lint.suppression.unused_noqa_findings` (called by the engine).
"""

from dagster_zenml_lint.findings import Mapping, Severity
from dagster_zenml_lint.registry import Rule, clean, flagged

RULES = (
    Rule(
        code="DZ001",
        symbol="unused-noqa",
        severity=Severity.LOW,
        mapping=Mapping.META,
        title="`# noqa` lists DZ codes that silence nothing",
        target="no directive: remove the unused codes",
        hint="Remove the codes (or the whole `# noqa`) that no longer silence a finding on the line; "
        "`check --fix` does it.",
        docs=("STEPS",),
        what_it_does="Reports a `# noqa: DZxxx` comment whose DZ codes match no finding on its line, and DZ "
        "codes that name no rule. Codes of other tools (`E501`, `F401`) and a bare `# noqa` are left alone; "
        "so are codes of rules the configuration does not enable.",
        why="A stale directive hides the next finding on that line: once the Dagster code it silenced is "
        "migrated, the comment only keeps a new problem from being reported.",
        fix_safety="Safe: only the comment changes (the codes, the directive, or a line holding nothing else).",
        examples=(
            flagged(
                "from dagster import asset\n\n\n@asset  # noqa: DZ201\ndef orders() -> int:  # noqa: DZ301\n"
                "    return 1\n",
                fixed="from dagster import asset\n\n\n@asset  # noqa: DZ201\ndef orders() -> int:\n    return 1\n",
            ),
            clean("from dagster import asset\n\n\n@asset  # noqa: DZ201\ndef orders() -> int:\n    return 1\n"),
        ),
    ),
)
