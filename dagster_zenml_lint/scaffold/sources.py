"""The migrated sources: each file read, linted by the engine (with fixes), and its direct fixes applied.

The generator works on two texts per file: the original (what the findings and the
inventory describe) and the text after the direct-mapping fixes (what step and pipeline
code is copied from). The original is linted on the CLI's own path
(``runner.lint_text_with_context``), so the project's configuration (``select``,
``ignore``, ``per-file-ignores``) and ``# noqa`` comments silence the same findings in
the generated markers and report as in ``check``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from dagster_zenml_lint.analysis.facts import FileContext
from dagster_zenml_lint.analysis.walk import analyze
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import FileKind, discover
from dagster_zenml_lint.engine import may_contain_dagster
from dagster_zenml_lint.findings import Applicability, Edit, Finding
from dagster_zenml_lint.fixers.apply import fix_text
from dagster_zenml_lint.fixers.crossfile import ProjectIndex
from dagster_zenml_lint.rules import PARSE_ERROR
from dagster_zenml_lint.runner import lint_text_with_context
from dagster_zenml_lint.source import SourceError, SourceFile, decode_source, names_dagster, read_bytes

# Why a file is skipped when the configuration silences its DZ000 finding.
UNANALYSED = "the file cannot be analysed (its DZ000 finding is silenced by the configuration)"
# Fix families applied while generating: the direct mappings (DZ1xx). Approximate and
# absent patterns are translated by the generator itself, with markers.
DIRECT_PREFIX = "DZ1"


@dataclass
class SourceModule:
    """One Python file of the Dagster codebase, analysed."""

    path: Path
    relpath: str  # posix, relative to the migrated root
    source: SourceFile
    findings: list[Finding]  # as ``check`` reports them (suppression comments respected), with fixes
    context: FileContext | None
    fixed_text: str
    fixed_context: FileContext | None
    fixed_tree: ast.Module | None

    @property
    def text(self) -> str:
        """The original source text."""
        return self.source.text

    @property
    def dotted(self) -> str:
        """The module's import path relative to the root (``pkg/jobs.py`` -> ``pkg.jobs``)."""
        parts = list(Path(self.relpath).with_suffix("").parts)
        if parts and parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)


def source_root(paths: list[Path]) -> Path:
    """The directory the sources are named relative to: the given directory, or the common parent."""
    resolved = [p.resolve() for p in paths]
    if len(resolved) == 1:
        return resolved[0] if resolved[0].is_dir() else resolved[0].parent
    parents = [p if p.is_dir() else p.parent for p in resolved]
    common = Path(*Path(parents[0]).parts)
    for parent in parents[1:]:
        while common not in (parent, *parent.parents):
            common = common.parent
    return common


def _apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (later overlapping ones are skipped)."""
    pieces: list[str] = []
    position = 0
    for edit in sorted(edits):
        if edit.start < position:
            continue
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


def apply_direct_fixes(text: str, path: str, findings: list[Finding], project: ProjectIndex | None = None) -> str:
    """The text after the fixes of direct mappings (DZ1xx, safe and unsafe), or the text unchanged.

    Uses the fix applier of :mod:`dagster_zenml_lint.fixers` (rounds until stable, orphaned
    Dagster imports removed); should a fixer fail, applies the findings' non-overlapping
    edits once. A result that does not parse is dropped.
    """
    fixed = None
    try:
        fixed = fix_text(text, path, Config(select=(DIRECT_PREFIX,)), unsafe=True, project=project).text
    except Exception:  # a fixer bug must not stop the migration: fall back to the findings' own edits
        fixed = None
    if fixed is None:
        edits = [
            edit
            for finding in findings
            if finding.code.startswith(DIRECT_PREFIX)
            and finding.fix is not None
            and finding.fix.applicability != Applicability.DISPLAY_ONLY
            for edit in finding.fix.edits
        ]
        fixed = _apply_edits(text, edits) if edits else text
    try:
        ast.parse(fixed)
    except SyntaxError:
        return text
    return fixed


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


@dataclass(frozen=True)
class SkippedModule:
    """A path ``check`` reports as DZ000 (unreadable, unparsable, too deep): not migrated, listed in README.md."""

    relpath: str
    reason: str  # the DZ000 message


def load_sources(
    paths: list[Path], config: Config | None = None
) -> tuple[Path, list[SourceModule], list[SkippedModule]]:
    """Read and analyse every Python file under ``paths`` (sorted, deterministic).

    ``config`` is the project's configuration (as ``check`` reads it); its suppressions
    apply to the findings. A file the engine could not analyse (DZ000) is skipped and
    returned in the third list, whether or not the configuration silences DZ000.
    """
    config = config or Config()
    root = source_root(paths)
    index = ProjectIndex(root=str(root))  # cross-file fixes answered from the project, whatever the cwd
    modules: list[SourceModule] = []
    skipped: list[SkippedModule] = []
    for found in discover(paths):
        if found.kind != FileKind.PYTHON:
            continue
        relpath = found.path.resolve().relative_to(root).as_posix()
        try:
            data = read_bytes(found.path)
        except SourceError as exc:
            # unreadable (a directory discovery could not list, a locked file): we cannot
            # tell what it holds, so it is listed rather than dropped silently
            skipped.append(SkippedModule(relpath, str(exc)))
            continue
        try:
            source = decode_source(data, str(found.path))
        except SourceError as exc:
            if names_dagster(data):  # Dagster code we cannot decode; other files are not ours
                skipped.append(SkippedModule(relpath, str(exc)))
            continue
        findings, context = lint_text_with_context(source.text, relpath, config, with_fixes=True, project=index)
        if context is None and may_contain_dagster(source.text):
            # the text cannot be parsed or walked: nothing of it can be copied safely
            broken = next((f.message for f in findings if f.code == PARSE_ERROR), UNANALYSED)
            skipped.append(SkippedModule(relpath, broken))
            continue
        if context is None:  # no Dagster here: plain code that steps may import helpers from
            fixed_text, fixed_tree, fixed_context = source.text, _parse(source.text), None
        else:
            fixed_text = apply_direct_fixes(source.text, relpath, findings, index)
            if fixed_text == source.text:
                fixed_tree, fixed_context = context.tree, context
            else:
                fixed_tree = _parse(fixed_text)
                fixed_context = analyze(relpath, fixed_text, fixed_tree) if fixed_tree is not None else None
        modules.append(
            SourceModule(found.path, relpath, source, list(findings), context, fixed_text, fixed_context, fixed_tree)
        )
    modules.sort(key=lambda m: m.relpath)
    return root, modules, sorted(skipped, key=lambda s: s.relpath)
