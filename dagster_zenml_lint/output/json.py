"""``--output-format json``: a list of finding records (or rule counts with ``--statistics``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dagster_zenml_lint.output import OutputOptions, finding_record, json_text, statistics
from dagster_zenml_lint.runner import FileResult


def render(results: Sequence[FileResult], options: OutputOptions) -> str:
    """Serialize every finding as a JSON list, ordered by path then position."""
    if options.statistics:
        rows = [
            {
                "code": row.rule.code,
                "symbol": row.rule.symbol,
                "severity": row.rule.severity.name,
                "count": row.count,
                "fixable": row.fixable,
            }
            for row in statistics(results, options)
        ]
        return json_text(rows, indent=2) + "\n"
    records: list[dict[str, Any]] = []
    for result in results:
        if result.findings:
            lines = result.lines
            records.extend(finding_record(result, finding, lines) for finding in result.findings)
    return json_text(records, indent=2) + "\n"
