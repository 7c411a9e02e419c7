"""The comments generated code carries: ``# Migration note:`` (approximate) and ``# TODO(migration):`` (absent).

The wording follows the registry (the same hint the report prints for a finding), so a
marker in the code and the row in ``MIGRATION_REPORT.md`` say the same thing.
"""

from __future__ import annotations

import textwrap

from dagster_zenml_lint.findings import Finding, Mapping
from dagster_zenml_lint.registry import Rule, rules_by_code

WIDTH = 100

# What changes, for approximate patterns the generator itself translated (shorter and more
# concrete than the rule's hint, which tells a person what to do).
TRANSLATED_NOTES = {
    "DZ201": "the Dagster asset is now this step's output artifact (same name); it is produced by "
    "pipeline runs and versioned by ZenML, never materialized on its own.",
    "DZ202": "the multi-asset is one step with several named outputs; every output is always produced.",
    "DZ105": "the Dagster Config class is a pydantic model; its values come from configs/*.yaml.",
    "DZ226": "the data-less `deps=` became ordering only: the pipeline calls this step with `after=`.",
    "DZ228": "asset inputs and outputs are wired by calling the steps in the pipeline; outputs are named "
    "with Annotated[T, \"name\"].",
    "DZ215": "Dagster metadata has no automatic counterpart: log it with zenml.log_metadata(...).",
}


def wrap(prefix: str, text: str, indent: str = "") -> list[str]:
    """A comment of one or more lines starting with ``prefix``; continuation lines start with ``# ``."""
    lines = textwrap.wrap(f"{prefix} {text}".strip(), width=WIDTH - len(indent), subsequent_indent="#   ")
    return [f"{indent}{line}" if line.startswith("#") else f"{indent}# {line}" for line in lines]


def todo(rule: Rule, subject: str, indent: str = "") -> list[str]:
    """``# TODO(migration):`` for an absent pattern: what Dagster did here and the redesign hint."""
    text = f"{rule.code} {rule.symbol} -- {subject.rstrip('.')}. {rule.hint}"
    return wrap("# TODO(migration): UNSUPPORTED --", text, indent)


def note(text: str, indent: str = "") -> list[str]:
    """``# Migration note:`` with a concise statement of what behaves differently."""
    return wrap("# Migration note:", text, indent)


def for_finding(finding: Finding, indent: str = "") -> list[str]:
    """The marker a finding deserves in generated code (empty for direct mappings)."""
    rule = rules_by_code().get(finding.code)
    if rule is None:
        return []
    if rule.mapping == Mapping.ABSENT:
        return todo(rule, finding.message, indent)
    if rule.mapping == Mapping.APPROXIMATE:
        text = TRANSLATED_NOTES.get(rule.code) or f"{finding.message}: {rule.hint}"
        return note(f"{text} ({rule.code})", indent)
    return []
