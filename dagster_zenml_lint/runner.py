"""Lint files on disk: discovery -> source -> engine -> suppressions, for the CLI and tools on top.

This is the adapter between paths and the pure engine. It decides nothing about what a
finding is; it only reads files, hands their text to :func:`engine.check_source`, and
applies the suppressions that belong to files (``# noqa``, ``per-file-ignores``). Every
function here is a plain top-level function over picklable values, so a parallel
runner can map :func:`lint_file` over worker processes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from dagster_zenml_lint.analysis.facts import DEBUG_ENV
from dagster_zenml_lint.class_bases import recording
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import DiscoveredFile, FileKind, discover
from dagster_zenml_lint.engine import check_source_with_context
from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.rules import PARSE_ERROR
from dagster_zenml_lint.source import SourceError, SourceFile, decode_source, names_dagster, python_lines, read_bytes
from dagster_zenml_lint.suppression import (  # per-file ignores: re-exported for the front-ends
    drop_ignored,
    per_file_ignored,
    reported,
)

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext
    from dagster_zenml_lint.class_bases import Dependency
    from dagster_zenml_lint.fixers.crossfile import FileSummary, ProjectIndex

# A noqa directive listing a DZ code: a file without Dagster that has one is analysed (DZ001).
NOQA_DZ_BYTES = re.compile(rb"noqa\s*:[\s,A-Z0-9]*DZ", re.IGNORECASE)


@dataclass(frozen=True)
class FileResult:
    """What linting one file produced."""

    path: str  # as the user will see it
    kind: FileKind
    findings: tuple[Finding, ...] = ()
    source: SourceFile | None = None  # None when the file could not be read or decoded
    error: str | None = None  # the one-line reason the file was not analysed
    notes: tuple[str, ...] = field(default=(), compare=False)
    summary: FileSummary | None = field(default=None, compare=False)  # for the project index (crossfile.py)
    # what the analysis looked up in other files, when recorded for the cache (class_bases.recording)
    dependencies: tuple[Dependency, ...] | None = field(default=None, compare=False)

    @property
    def lines(self) -> list[str]:
        """The file's lines (without line endings), for column conversion and excerpts."""
        return python_lines(self.source.text) if self.source is not None else []

    def with_dependencies(self, dependencies: tuple[Dependency, ...] | None) -> FileResult:
        """This result with other ``dependencies`` (what ``dataclasses.replace`` gives, at a fraction of its cost)."""
        return FileResult(
            path=self.path,
            kind=self.kind,
            findings=self.findings,
            source=self.source,
            error=self.error,
            notes=self.notes,
            summary=self.summary,
            dependencies=dependencies,
        )


def unreadable_result(path: str, kind: FileKind, reason: str, config: Config) -> FileResult:
    """The result of a file that was not analysed: its DZ000, unless disabled or ignored for the path."""
    findings: tuple[Finding, ...] = ()
    if config.enabled(rules_by_code()[PARSE_ERROR]):
        findings = drop_ignored([unreadable_finding(reason)], per_file_ignored(path, config))
    return FileResult(path=path, kind=kind, findings=findings, error=reason)


def unreadable_finding(reason: str) -> Finding:
    """The DZ000 finding for a file that cannot be read or decoded."""
    return Finding(PARSE_ERROR, 1, 0, f"cannot analyse the file: {reason}")


def check_component_yaml(text: str, path: str, config: Config) -> list[Finding]:
    """Check a ``defs.yaml`` component file."""
    # imported on first use: a run without component files never loads the YAML parser
    from dagster_zenml_lint.components_yaml import check_defs_yaml

    return list(check_defs_yaml(text, path, config=config))


def lint_text(
    text: str,
    path: str,
    config: Config,
    *,
    kind: FileKind = FileKind.PYTHON,
    with_fixes: bool = False,
    project: ProjectIndex | None = None,
) -> list[Finding]:
    """Lint already-decoded text as the CLI does (engine, then ``# noqa`` and per-file ignores)."""
    return lint_text_with_context(text, path, config, kind=kind, with_fixes=with_fixes, project=project)[0]


def lint_text_with_context(
    text: str,
    path: str,
    config: Config,
    *,
    kind: FileKind = FileKind.PYTHON,
    with_fixes: bool = False,
    settle: bool = True,
    project: ProjectIndex | None = None,
) -> tuple[list[Finding], FileContext | None]:
    """The one lint path: the engine, fixes' cross-file needs settled, then the user's suppressions.

    Returns the findings a front-end shows and the file's facts (None for a component
    file, or a file the engine could not or need not analyse). With fixes, the needs are
    answered from ``project`` (or the files on disk); ``settle=False`` leaves them open
    for :func:`settle_results`. ``check``, the editor, the report and ``migrate`` lint here.
    """
    if not text.strip():
        return [], None
    if kind is FileKind.COMPONENT_YAML:
        return reported(check_component_yaml(text, path, config), None, path, config), None
    root = project.root if project is not None else None
    found, ctx = check_source_with_context(text, path, config=config, with_fixes=with_fixes, root=root)
    if with_fixes and settle:
        from dagster_zenml_lint.fixers.crossfile import settle_safely

        found = settle_safely(found, project, config)
    return reported(found, text, path, config), ctx


def _lint_text(
    text: str, path: str, config: Config, *, kind: FileKind, with_fixes: bool, settle: bool
) -> tuple[list[Finding], FileSummary | None]:
    """Findings of a text, and with unsettled fixes the file's summary for the project index."""
    findings, ctx = lint_text_with_context(text, path, config, kind=kind, with_fixes=with_fixes, settle=settle)
    if with_fixes and not settle and ctx is not None:
        from dagster_zenml_lint.fixers.crossfile import summarize

        return findings, summarize(ctx)
    return findings, None


def lint_file(
    file: DiscoveredFile,
    config: Config,
    *,
    with_fixes: bool = False,
    settle: bool = True,
    record_dependencies: bool = False,
    data: bytes | None = None,
) -> FileResult:
    """Read, decode and lint one file; a file that cannot be read gives a DZ000 finding.

    ``settle=False`` (with fixes) leaves fixes that depend on other files unanswered and
    returns the file's summary instead: :func:`settle_results` answers them for a run.
    ``record_dependencies`` also returns what the analysis looked up in other files (for
    the cache, which keeps the result only while those lookups give the same answers).
    ``data``: the file's bytes when the caller has read them already (the cache, which
    must analyse exactly the bytes it hashed); they are not read again.
    """
    if record_dependencies:
        with recording() as dependencies:
            result = lint_file(file, config, with_fixes=with_fixes, settle=settle, data=data)
        return result.with_dependencies(tuple(dependencies))
    path = str(file.location)
    try:
        source = read_for_lint(path, file.kind, data)
        if source is None:
            return FileResult(path=path, kind=file.kind)
    except SourceError as exc:
        return unreadable_result(path, file.kind, str(exc), config)
    try:
        found, summary = _lint_text(source.text, path, config, kind=file.kind, with_fixes=with_fixes, settle=settle)
        findings = tuple(found)
    except Exception as exc:  # a bug of ours must not end the run or print a traceback
        if os.environ.get(DEBUG_ENV):
            raise
        reason = f"internal error while analysing the file ({type(exc).__name__}: {exc}); please report it"
        return FileResult(
            path=path, kind=file.kind, findings=(unreadable_finding(reason),), source=source, error=reason
        )
    return FileResult(path=path, kind=file.kind, findings=findings, source=source, summary=summary)


def settle_results(results: Sequence[FileResult]) -> tuple[list[FileResult], ProjectIndex]:
    """Answer the cross-file needs of every result's fixes from the run's own file summaries.

    Files the run did not lint (a sibling left out of a pre-commit run) are read from
    disk when a need asks about them. The index is returned for ``--fix`` to reuse.
    """
    from dagster_zenml_lint.fixers.crossfile import UNREADABLE, ProjectIndex, settle_safely

    index = ProjectIndex()
    for result in results:
        if result.kind is not FileKind.PYTHON:
            continue
        text = result.source.text if result.source is not None else None
        if result.error is not None:  # unreadable, or its analysis died: unknown, never read again
            index.add(result.path, UNREADABLE, text=text)
        elif result.summary is not None:
            index.add(result.path, result.summary, text=text)
        elif text is not None:  # no Dagster code, or does not parse: analysed only if asked about
            index.add_text(result.path, text)
        else:  # never names Dagster: read again only if asked about
            index.add_without_dagster(result.path)
    settled = []
    for result in results:
        if any(f.fix is not None and f.fix.requires for f in result.findings):
            result = replace(result, findings=tuple(settle_safely(list(result.findings), index)))
        settled.append(replace(result, summary=None) if result.summary is not None else result)
    return settled, index


def worth_reading(data: bytes) -> bool:
    """Whether a Python file's bytes can hold anything this tool reports.

    Dagster code (the bytes name ``dagster``), or a ``# noqa`` listing DZ codes that a
    migration left behind (DZ001). Every other file is not decoded or parsed at all: it
    holds nothing to migrate, and its syntax errors are flake8's and ruff's to report.
    """
    return names_dagster(data) or (b"DZ" in data and NOQA_DZ_BYTES.search(data) is not None)


def read_for_lint(path: str | Path, kind: FileKind, data: bytes | None = None) -> SourceFile | None:
    """The decoded source of a file to analyse; None for a Python file that can hold nothing to report.

    Raises :class:`SourceError` (the DZ000 reason) for a file that cannot be read (we
    cannot tell what it holds) and for one that names Dagster but cannot be decoded. A
    file that never names Dagster and cannot be decoded is nobody's business here.
    ``data``: the file's bytes, already read by the caller (else they are read here).
    """
    if data is None:
        data = read_bytes(path)
    if kind is FileKind.PYTHON and not worth_reading(data):
        return None
    try:
        return decode_source(data, str(path))
    except SourceError:
        if kind is FileKind.PYTHON and not names_dagster(data):
            return None
        raise


def lint_paths(paths: Iterable[str | Path], config: Config, *, with_fixes: bool = False) -> Iterator[FileResult]:
    """Lint every file under ``paths`` in order (raises DiscoveryError for a missing path)."""
    for file in list(discover(paths, config)):
        yield lint_file(file, config, with_fixes=with_fixes)
