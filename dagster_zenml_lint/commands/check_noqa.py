"""``dagster-zenml-lint check --add-noqa``: silence every current finding with ``# noqa: CODES`` (ruff's flag).

For adopting the linter on a large code base: the findings of today are marked where they
are, and only new code is held to the rules. Each file is re-read, must be unchanged since
it was linted, and is written back atomically in its own encoding, BOM and line endings.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dagster_zenml_lint.discovery import FileKind
from dagster_zenml_lint.runner import FileResult
from dagster_zenml_lint.source import SourceError, decode_source
from dagster_zenml_lint.suppression import add_noqa


def add_noqa_to_files(results: Sequence[FileResult]) -> int:
    """Write the directives; print how many were added (and any file that could not be written); exit 0."""
    from dagster_zenml_lint.fixers.apply import write_atomically

    added = 0
    for result in results:
        if result.kind is not FileKind.PYTHON or result.source is None or not result.findings:
            continue
        try:
            before = os.stat(result.path)
            data = Path(result.path).read_bytes()
            source = decode_source(data, result.path)
        except (OSError, SourceError) as exc:
            print(f"{result.path}: cannot read it again: {exc}", file=sys.stderr)
            continue
        if source.text != result.source.text:
            print(f"{result.path}: changed on disk while it was being checked; not changed", file=sys.stderr)
            continue
        text, count = add_noqa(source.text, result.findings)
        if not count:
            continue
        try:
            write_atomically(result.path, source.encode(text), before, original_data=data)
        except (OSError, UnicodeEncodeError) as exc:
            print(f"{result.path}: not written: {exc}", file=sys.stderr)
            continue
        added += count
    print(f"Added {added} noqa directive{'' if added == 1 else 's'}.")
    return 0
