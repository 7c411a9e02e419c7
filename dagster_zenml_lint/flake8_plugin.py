"""The flake8 front-end: ``flake8 --select DZ FILES``.

Registered under the ``flake8.extension`` entry point ``DZ``. flake8 parses the file
once and hands the tree over; the engine reuses it. ``# noqa`` handling is flake8's own.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from functools import cache
from typing import Any, ClassVar

from dagster_zenml_lint import __version__
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.findings import Severity
from dagster_zenml_lint.fixers import fixable_note
from dagster_zenml_lint.fixers.crossfile import check_with_fixes, process_index
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.source import char_column


@cache
def _config(min_severity: Severity) -> Config:
    """The configuration of a run's files (built once per run, not once per file)."""
    return Config(min_severity=min_severity)


class DagsterZenmlChecker:
    """flake8 AST checker reporting ``DZxxx [SEVERITY] message`` for every Dagster pattern."""

    name = "dagster-zenml-lint"
    version = __version__
    # flake8 configures plugins through class attributes (parse_options is a classmethod).
    min_severity: ClassVar[Severity] = Severity.INFO

    def __init__(self, tree: ast.Module, filename: str, lines: list[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, parser: Any) -> None:
        """Declare ``--dagster-min-severity`` (also readable from flake8's config files)."""
        parser.add_option(
            "--dagster-min-severity",
            default="info",
            parse_from_config=True,
            choices=[s.name.lower() for s in Severity],
            type=str.lower,
            help="report DZ findings at or above this severity: info, low, medium, high (default: info)",
        )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Store the parsed options for the checker instances."""
        value = getattr(options, "dagster_min_severity", "info") or "info"
        try:
            cls.min_severity = Severity.parse(value)
        except ValueError as exc:
            # flake8 checks ``choices`` on the command line only; a value from its config file
            # arrives here unchecked. One line and exit 2, as argparse does for a bad flag.
            print(f"flake8: error: dagster-min-severity: {exc}", file=sys.stderr)
            raise SystemExit(2) from None

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        """Yield ``(line, col, "DZxxx [SEVERITY] message", type)`` per finding."""
        text = "".join(self.lines)
        by_code = rules_by_code()
        findings, _ = check_with_fixes(
            text, self.filename, tree=self.tree, config=_config(self.min_severity), project=process_index()
        )
        for finding in findings:
            rule = by_code[finding.code]
            line_text = self.lines[finding.line - 1] if 0 < finding.line <= len(self.lines) else ""
            col = char_column(line_text, finding.col)
            message = f"{finding.code} [{rule.severity.name}] {finding.message}{fixable_note(finding)}"
            yield finding.line, col, message, type(self)
