"""``--output-format json-lines``: one JSON finding record per line (the ``json`` format's records).

Streams well (``grep``, ``jq -c``, log shippers); nothing is printed when there are no
findings. ``--statistics`` gives one rule count per line.
"""

from __future__ import annotations

from collections.abc import Sequence

from dagster_zenml_lint.output import OutputOptions, finding_record, json_text, statistics
from dagster_zenml_lint.runner import FileResult


def render(results: Sequence[FileResult], options: OutputOptions) -> str:
    """One compact JSON object per line."""
    if options.statistics:
        rows = [
            {"code": r.rule.code, "symbol": r.rule.symbol, "count": r.count, "fixable": r.fixable}
            for r in statistics(results, options)
        ]
        return "".join(json_text(row) + "\n" for row in rows)
    out: list[str] = []
    for result in results:
        if result.findings:
            lines = result.lines
            out.extend(json_text(finding_record(result, f, lines)) for f in result.findings)
    return "".join(line + "\n" for line in out)
