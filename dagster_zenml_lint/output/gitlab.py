"""``--output-format gitlab``: a GitLab Code Quality report (``artifacts: reports: codequality``).

A JSON list with one issue per finding: ``description`` (the message), ``check_name``
(the code), ``fingerprint`` (stable across runs: a hash of the path, the code and the
finding's message, not of its line, so moving code does not make it a new issue),
``severity`` (HIGH ``major``, MEDIUM ``minor``, LOW/INFO ``info``; an unreadable file is
``critical``) and ``location`` (the path, relative to the working directory as GitLab
resolves it against the checkout, and the first and last line).
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dagster_zenml_lint.findings import Mapping, Severity
from dagster_zenml_lint.output import OutputOptions, finding_record, json_text
from dagster_zenml_lint.output.github import annotation_path
from dagster_zenml_lint.runner import FileResult

SEVERITY: dict[Severity, str] = {
    Severity.HIGH: "major",
    Severity.MEDIUM: "minor",
    Severity.LOW: "info",
    Severity.INFO: "info",
}


def render(results: Sequence[FileResult], options: OutputOptions) -> str:
    """The Code Quality JSON list (``--statistics`` and ``--quiet`` do not apply)."""
    issues: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    root = Path(os.path.abspath(Path.cwd()))
    for result in results:
        lines = result.lines
        path = annotation_path(result.path, root)
        for finding in result.findings:
            record = finding_record(result, finding, lines)
            key = f"{path}\0{record['code']}\0{record['message']}"
            seen[key] += 1  # the same message twice in one file: keep the fingerprints apart
            # surrogateescape: a file name that is not UTF-8 hashes as its bytes
            fingerprint = hashlib.sha256(f"{key}\0{seen[key]}".encode("utf-8", "surrogateescape")).hexdigest()
            error = record["mapping"] == Mapping.ERROR.value
            issues.append(
                {
                    "description": f"{record['code']} {record['message']}",
                    "check_name": record["code"],
                    "fingerprint": fingerprint,
                    "severity": "critical" if error else SEVERITY[Severity[record["severity"]]],
                    "location": {
                        "path": path,
                        "lines": {"begin": record["line"], "end": record["end_line"] or record["line"]},
                    },
                }
            )
    return json_text(issues, indent=2) + "\n"
