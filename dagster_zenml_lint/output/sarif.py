"""``--output-format sarif``: a SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` lists every rule of the registry (id = code, name =
symbol, help text with the ZenML target and the redesign hint, ``helpUri`` = the rule's
docs link, default level from its severity), so ``ruleIndex`` is stable across runs.
Each finding is a result with its region (1-based lines and columns counted in code
points: ``columnKind: unicodeCodePoints``) and, when the engine has one, its fix as
``artifactChanges``/``replacements`` (the fix's applicability is in its properties).
Paths under the working directory are relative to ``%SRCROOT%``, as code scanning expects.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from dagster_zenml_lint.findings import Finding, Fix, Mapping, Severity
from dagster_zenml_lint.locations import Span, TextIndex
from dagster_zenml_lint.output import OutputOptions, json_text
from dagster_zenml_lint.registry import Rule, all_rules
from dagster_zenml_lint.runner import FileResult
from dagster_zenml_lint.version import __version__

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL_NAME = "dagster-zenml-lint"
SRCROOT = "%SRCROOT%"
# SARIF level per severity: HIGH and MEDIUM need a person's decision (warning), LOW and
# INFO are mechanical (note); "error" is kept for files that could not be analysed.
LEVEL: dict[Severity, str] = {
    Severity.HIGH: "warning",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


def sarif_level(rule: Rule) -> str:
    """The SARIF level of a rule's results."""
    return "error" if rule.mapping is Mapping.ERROR else LEVEL[rule.severity]


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """A ``reportingDescriptor`` for one rule."""
    full = " ".join(part for part in (rule.what_it_does, rule.why) if part) or rule.title
    help_text = f"{rule.hint}\nZenML target: {rule.target}\nDocs: {rule.docs_url}\nZenML docs: {rule.zenml_docs_url}"
    help_markdown = (
        f"{rule.hint}\n\n**ZenML target:** {rule.target}\n\n"
        f"[Documentation]({rule.docs_url}) · [ZenML docs]({rule.zenml_docs_url})"
    )
    return {
        "id": rule.code,
        "name": rule.symbol,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_markdown},
        "helpUri": rule.docs_url,
        "defaultConfiguration": {"level": sarif_level(rule)},
        "properties": {
            "tags": ["dagster", "zenml", "migration", rule.mapping.value],
            "severity": rule.severity.name,
            "mapping": rule.mapping.value,
            "zenmlTarget": rule.target,
            "pylintMessageId": rule.pylint_msgid,
            "fixable": rule.fixer is not None,
        },
    }


def artifact_location(path: str, root: Path) -> dict[str, Any]:
    """An ``artifactLocation``: relative to ``%SRCROOT%`` under the root, else an absolute file URI."""
    absolute = Path(os.path.abspath(path))  # abspath also folds "..", so "../x.py" is outside
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    # the path's bytes, percent-encoded: a file name that is not UTF-8 still gives a valid URI
    return {"uri": quote(os.fsencode(relative.as_posix())), "uriBaseId": SRCROOT}


def region(span: Span) -> dict[str, Any]:
    """A text ``region`` (1-based lines and columns; the end column is one past the last character)."""
    return {
        "startLine": span.start_line,
        "startColumn": span.start_col + 1,
        "endLine": span.end_line,
        "endColumn": span.end_col + 1,
        "charOffset": span.start,
        "charLength": span.end - span.start,
    }


def sarif_fix(fix: Fix, index: TextIndex, location: dict[str, Any]) -> dict[str, Any]:
    """A SARIF ``fix``: the edits as replacements of regions of the original text."""
    replacements = []
    for edit in sorted(fix.edits):
        replacement: dict[str, Any] = {"deletedRegion": region(index.span(edit.start, edit.end))}
        if edit.replacement:
            replacement["insertedContent"] = {"text": edit.replacement}
        replacements.append(replacement)
    return {
        "description": {"text": fix.description},
        "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
        "properties": {"applicability": fix.applicability.value},
    }


def sarif_result(
    finding: Finding, rule: Rule, rule_index: int, location: dict[str, Any], index: TextIndex | None
) -> dict[str, Any]:
    """A ``result`` for one finding."""
    physical: dict[str, Any] = {"artifactLocation": location}
    if index is not None:
        physical["region"] = region(index.finding_span(finding))
    else:  # the file could not be read: only the reported line and column are known
        physical["region"] = {"startLine": max(finding.line, 1), "startColumn": finding.col + 1}
    result: dict[str, Any] = {
        "ruleId": rule.code,
        "ruleIndex": rule_index,
        "level": sarif_level(rule),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
        "properties": {"severity": rule.severity.name, "mapping": rule.mapping.value},
    }
    if finding.fix is not None and finding.fix.edits and index is not None:
        result["fixes"] = [sarif_fix(finding.fix, index, location)]
    elif finding.fix_blocker:
        result["properties"]["fixBlocker"] = finding.fix_blocker
    return result


def build_log(results: Sequence[FileResult], root: Path | None = None) -> dict[str, Any]:
    """The SARIF log (a JSON-ready dict) for the results of one run."""
    root = Path(os.path.abspath(root or Path.cwd()))
    rules = all_rules()
    positions = {rule.code: i for i, rule in enumerate(rules)}
    sarif_results = []
    notifications = []
    for file_result in results:
        location = artifact_location(file_result.path, root)
        index = TextIndex(file_result.source.text) if file_result.source is not None else None
        for finding in file_result.findings:
            rule_index = positions[finding.code]
            sarif_results.append(sarif_result(finding, rules[rule_index], rule_index, location, index))
        if file_result.error:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{file_result.path}: {file_result.error}"},
                    "locations": [{"physicalLocation": {"artifactLocation": location}}],
                }
            )
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [rule_descriptor(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri().rstrip("/") + "/"}},
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }


def render(results: Sequence[FileResult], options: OutputOptions) -> str:
    """The SARIF log as JSON text (``--statistics`` and ``--quiet`` do not apply)."""
    return json_text(build_log(results), indent=2) + "\n"
