"""``--output-format github``: GitHub Actions workflow commands, shown as annotations on the PR diff.

One line per finding::

    ::warning file=pipelines/orders.py,line=7,col=2,endLine=7,endColumn=8,title=DZ301 (dagster-partitions)::...

The level follows the severity (HIGH/MEDIUM ``warning``, LOW/INFO ``notice``; a file
that could not be analysed is an ``error``); the message is the finding's message and,
on a second line, the redesign hint. Values are escaped as the runner expects (``%``,
CR and LF everywhere; ``:`` and ``,`` in properties too).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from dagster_zenml_lint.findings import Mapping, Severity
from dagster_zenml_lint.locations import TextIndex
from dagster_zenml_lint.output import OutputOptions
from dagster_zenml_lint.registry import Rule, rules_by_code
from dagster_zenml_lint.runner import FileResult

LEVEL: dict[Severity, str] = {
    Severity.HIGH: "warning",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
    Severity.INFO: "notice",
}


def annotation_level(rule: Rule) -> str:
    """The workflow command for a rule's findings."""
    return "error" if rule.mapping is Mapping.ERROR else LEVEL[rule.severity]


def escape_data(text: str) -> str:
    """Escape a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_path(path: str, root: Path) -> str:
    """The path GitHub resolves against the checkout: relative to the working directory when under it."""
    absolute = Path(os.path.abspath(path))  # abspath also folds "..", so "../x.py" is outside
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def render(results: Sequence[FileResult], options: OutputOptions) -> str:
    """One workflow command per finding (``--statistics`` and ``--quiet`` do not apply)."""
    root = Path(os.path.abspath(Path.cwd()))
    by_code = rules_by_code()
    lines = []
    for result in results:
        index = TextIndex(result.source.text) if result.source is not None else None
        file = escape_property(annotation_path(result.path, root))
        for finding in result.findings:
            rule = by_code[finding.code]
            if index is not None:
                span = index.finding_span(finding)
                where = (
                    f"line={span.start_line},col={span.start_col + 1},"
                    f"endLine={span.end_line},endColumn={span.end_col + 1}"
                )
            else:
                where = f"line={max(finding.line, 1)},col={finding.col + 1}"
            title = escape_property(f"{rule.code} ({rule.symbol})")
            message = escape_data(f"{finding.message}\n{rule.hint}")
            lines.append(f"::{annotation_level(rule)} file={file},{where},title={title}::{message}")
    return "".join(line + "\n" for line in lines)
