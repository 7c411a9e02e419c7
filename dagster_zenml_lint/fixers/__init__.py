"""Fixers: turn findings of direct mappings into text edits (ruff's model).

One module per fix family (:mod:`.ops`, :mod:`.jobs`, :mod:`.retry`, :mod:`.imports`,
:mod:`.log_calls`, :mod:`.config_models`, :mod:`.markers`), the applier
(:mod:`.apply`) and the file-level driver of ``check --fix`` (:mod:`.files`).
"""

from __future__ import annotations

from dagster_zenml_lint.findings import Applicability, Finding

CLI_NAME = "dagster-zenml-lint"


def fixable_note(finding: Finding) -> str:
    """A message suffix for front-ends without a fix API (pylint, flake8): how to fix it with the CLI."""
    if finding.fix is None:
        return ""
    if finding.fix.applicability is Applicability.SAFE:
        return f" (fixable with {CLI_NAME} check --fix)"
    if finding.fix.applicability is Applicability.UNSAFE:
        return f" (fixable with {CLI_NAME} check --fix --unsafe-fixes)"
    return ""
