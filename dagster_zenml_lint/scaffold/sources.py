"""The migrated sources: each file read, linted by the engine (with fixes), and its direct fixes applied.

The generator works on two texts per file: the original (what the findings and the
project model describe) and the text after the direct-mapping fixes (what step and pipeline
code is copied from). The files are ``report``'s (``project.model.project_files``) and the
original is linted on the CLI's own path (``runner.lint_text_with_context``), so the
project's configuration (``exclude``, ``select``, ``ignore``, ``per-file-ignores``) and
``# noqa`` comments leave out the same files and silence the same findings in the
generated markers and report as in ``check``.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from dagster_zenml_lint.analysis.facts import FileContext
from dagster_zenml_lint.analysis.walk import analyze
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import DiscoveredFile, FileKind
from dagster_zenml_lint.engine import check_source_with_context, may_contain_dagster
from dagster_zenml_lint.findings import Applicability, Edit, Finding
from dagster_zenml_lint.fixers.apply import BOM, fix_text, is_allowed
from dagster_zenml_lint.fixers.call_forms import decorator_form_edits
from dagster_zenml_lint.fixers.crossfile import SETTLING_FAILED, ProjectIndex
from dagster_zenml_lint.fixers.file_index import file_index
from dagster_zenml_lint.project.model import project_files, relative_path
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.rules import PARSE_ERROR
from dagster_zenml_lint.runner import lint_text_with_context
from dagster_zenml_lint.scaffold.code import module_definitions, statement_first_line
from dagster_zenml_lint.source import SourceError, SourceFile, decode_source, names_dagster, python_lines, read_bytes
from dagster_zenml_lint.suppression import per_file_ignored

# Why a file is skipped when the configuration silences its DZ000 finding.
UNANALYSED = "the file cannot be analysed (its DZ000 finding is silenced by the configuration)"
# Fix families applied while generating: the direct mappings (DZ1xx). Approximate and
# absent patterns are translated by the generator itself, with markers.
DIRECT_PREFIX = "DZ1"
# The configuration the direct fixes are worked out under: the direct mappings, nothing else.
DIRECT_CONFIG = Config(select=(DIRECT_PREFIX,))


@dataclass
class SourceModule:
    """One Python file of the Dagster codebase, analysed."""

    location: str  # the discovered name (``DiscoveredFile.location``: no ``Path`` per file)
    relpath: str  # posix, relative to the migrated root
    source: SourceFile
    findings: list[Finding]  # as ``check`` reports them (suppression comments respected), with fixes
    context: FileContext | None
    fixed_text: str
    fixed_context: FileContext | None
    # The parse of ``fixed_text``: given for Dagster files; a file without Dagster code is parsed on
    # first use (most never are: only those the generated code takes definitions from).
    _fixed_tree: ast.Module | None = field(default=None, repr=False)
    _parsed: bool = field(default=False, repr=False)
    # The analysis of the user's own text when migrate analysed a rewritten one (call forms written
    # as decorators, see :func:`decorator_form_text`): findings and facts shown to the user carry
    # the lines of the file they read, as in ``report``. None: ``findings`` and ``context`` are that.
    original: tuple[SourceFile, list[Finding], FileContext | None] | None = None

    @property
    def reported(self) -> tuple[SourceFile, list[Finding], FileContext | None]:
        """The source, findings and analysis of the user's text (what ``report`` reads)."""
        return self.original if self.original is not None else (self.source, self.findings, self.context)

    @property
    def fixed_tree(self) -> ast.Module | None:
        """The syntax tree of ``fixed_text`` (None when it does not parse)."""
        if not self._parsed:
            self._fixed_tree, self._parsed = _parse(self.fixed_text), True
        return self._fixed_tree

    @property
    def path(self) -> Path:
        """The file's path."""
        return Path(self.location)

    @property
    def text(self) -> str:
        """The original source text."""
        return self.source.text

    @cached_property
    def dotted(self) -> str:
        """The module's import path relative to the root (``pkg/jobs.py`` -> ``pkg.jobs``); worked out once
        (generation asks for it about four times per module)."""
        directory, _, name = self.relpath.rpartition("/")
        dot = name.rfind(".")
        if 0 < dot < len(name) - 1:  # the suffix as ``PurePath.suffix`` finds it
            name = name[:dot]
        parts = [*directory.split("/"), name] if directory else [name]
        if parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)


class ModuleDefinitions(Mapping[str, dict[str, ast.stmt]]):
    """Source path -> its module-level definitions (:func:`~dagster_zenml_lint.scaffold.code.module_definitions`
    of the fixed text), for the modules that parse; each module is parsed and read when first asked for."""

    def __init__(self, modules: Mapping[str, SourceModule]) -> None:
        self._modules = modules
        self._found: dict[str, dict[str, ast.stmt] | None] = {}

    def _definitions(self, path: str) -> dict[str, ast.stmt] | None:
        if path not in self._found:
            module = self._modules.get(path)
            tree = module.fixed_tree if module is not None else None
            self._found[path] = module_definitions(tree) if tree else None
        return self._found[path]

    def __getitem__(self, path: str) -> dict[str, ast.stmt]:
        found = self._definitions(path)
        if found is None:
            raise KeyError(path)
        return found

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self._definitions(path) is not None

    def __iter__(self) -> Iterator[str]:
        return (path for path in self._modules if self._definitions(path) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def package_root(relpath: str, root: Path) -> str:
    """The directory a module's absolute imports start from: the one above its topmost package.

    ``week_2/workspaces/content/etl.py`` (``workspaces/`` and ``content/`` hold an
    ``__init__.py``, ``week_2/`` does not) imports ``workspaces.types`` from ``week_2``; a
    module outside any package imports its neighbours from its own directory.
    """
    directory = Path(relpath).parent
    while directory != Path(".") and (root / directory / "__init__.py").is_file():
        directory = directory.parent
    return "" if directory == Path(".") else directory.as_posix()


# Files that make a directory an installable Python project (its packages are imported from it or its src/).
PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")


def project_roots(relpath: str, root: Path) -> list[str]:
    """The nearest Python project around ``relpath`` (a directory with a ``pyproject.toml``,
    ``setup.py`` or ``setup.cfg``, up to the migrated root): that directory and its ``src/``.

    Installed, the project's packages are imported from there, also through directories
    without an ``__init__.py`` (namespace packages: ``src/pkg/lesson/defs/assets/x.py``
    is ``pkg.lesson.defs.assets.x``, though ``defs/`` has no ``__init__.py``).
    """
    directory = Path(relpath).parent
    while True:
        if any((root / directory / name).is_file() for name in PROJECT_FILES):
            found = "" if directory == Path(".") else directory.as_posix()
            source = directory / "src"
            return [found, source.as_posix()] if (root / source).is_dir() else [found]
        if directory == Path("."):
            return []
        directory = directory.parent


def import_roots(
    relpath: str, root: Path, code_location: str, projects: Sequence[str] | None = None
) -> tuple[str, ...]:
    """Directories (relative to the migrated root, "" the root itself) that ``relpath``'s absolute imports
    may be resolved against, most specific first: its package root, its code location, the Python
    project around it (and its ``src/``), the migrated root.

    Several code locations (one ``workspaces`` package per course week) each import their own
    modules by the same dotted names; each module finds them under its own roots. ``projects``:
    :func:`project_roots` of ``relpath``, when the caller has it already.
    """
    around = project_roots(relpath, root) if projects is None else projects
    return tuple(dict.fromkeys([package_root(relpath, root), code_location, *around, ""]))


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


def direct_codes() -> tuple[str, ...]:
    """The codes of the direct mappings (DZ1xx)."""
    return tuple(code for code in rules_by_code() if code.startswith(DIRECT_PREFIX))


def reads_direct_alike(config: Config) -> bool:
    """Whether a lint under ``config`` keeps every direct mapping's findings and fixes as a lint
    under :data:`DIRECT_CONFIG` does, per-file ignores aside (see :func:`direct_findings`).

    It does when it enables every DZ1xx rule (``select``, ``ignore``, ``min-severity``) and
    turns off no rule's fixes: ``fixable`` / ``unfixable`` turn off a fix that a DZ1xx
    finding shares with a finding of another rule when that rule's fixes are off.
    """
    by_code = rules_by_code()
    return all(config.enabled(by_code[code]) for code in direct_codes()) and all(map(config.may_fix, by_code))


def direct_findings(findings: list[Finding], path: str, config: Config, alike: bool) -> list[Finding] | None:
    """The direct mappings' findings of a file's lint under the project's ``config``, when they are
    the findings with fixes that :func:`~dagster_zenml_lint.fixers.apply.fix_text` would find linting
    the same analysis under :data:`DIRECT_CONFIG`; None when they may differ.

    One analysis gives every rule's matches, and each finding is kept or dropped on its own
    code and line (the configuration's rules, ``# noqa``, ``per-file-ignores``), in one order,
    with its fix worked out and its cross-file needs answered (against one project index) the
    same way under either configuration. So they are the same when ``alike``
    (:func:`reads_direct_alike` of ``config``), ``per-file-ignores`` leave the DZ1xx codes alone
    for ``path``, and answering the needs did not fail (that withdraws the fixes of every finding
    linted together). The lint under :data:`DIRECT_CONFIG` may also hold DZ000 findings (a
    fixer that failed): they carry no fix.
    """
    if not alike:
        return None
    ignored = per_file_ignored(path, config)
    if ignored and ("ALL" in ignored or any(code.startswith(ignored) for code in direct_codes())):
        return None
    direct = [finding for finding in findings if finding.code.startswith(DIRECT_PREFIX)]
    if any(finding.fix_blocker == SETTLING_FAILED for finding in direct):
        return None
    return direct


def apply_direct_fixes(
    text: str,
    path: str,
    findings: list[Finding],
    project: ProjectIndex | None = None,
    tree: ast.Module | None = None,
    context: FileContext | None = None,
    direct: list[Finding] | None = None,
) -> tuple[str, FileContext | None]:
    """The text after the fixes of direct mappings (DZ1xx, safe and unsafe), or the text unchanged,
    with the analysis of that text when the fix applier made one (else None).

    Uses the fix applier of :mod:`dagster_zenml_lint.fixers` (rounds until stable; the Dagster
    imports the fixes leave unused stay: generation writes no import statement of a source, it
    derives each from the names the copied code reads); should a fixer fail, applies the findings' non-overlapping
    edits once. A result that does not parse is dropped. The applier's last round lints the
    text it settled on, which is the analysis ``analyze`` would make again; there is none
    when the fixed text no longer names Dagster, or comes from the fallback. ``tree`` and
    ``context``: the parse and the analysis of ``text`` the caller's lint made (the applier's
    first round reads them: the file is not parsed or walked again for its fixes); ``direct``: the
    findings of ``context`` under :data:`DIRECT_CONFIG` (:func:`direct_findings`), when known (the
    first round takes its fixes from them).
    """
    fixed = None
    analysed = None  # the analysis of ``fixed``
    try:
        result = fix_text(
            text,
            path,
            DIRECT_CONFIG,
            unsafe=True,
            project=project,
            tree=tree,
            context=context,
            findings=direct,
            orphans=False,  # no import statement of a source is copied: each is derived from names read
        )
        fixed, analysed = result.text, result.context
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
    if analysed is not None and analysed.text == fixed:
        return fixed, analysed  # it parsed: the applier analysed it
    try:
        ast.parse(fixed)
    except SyntaxError:
        return text, None
    return fixed, None


def decorator_form_text(text: str, context: FileContext | None) -> str | None:
    """The text with its op/asset/job call forms written as decorators (None: it has none to rewrite).

    ``migrate`` copies functions and their decorators; ``load = op(_load)`` is the same op as
    ``@op(name='_load') def load``, and in that form every later stage reads it (see
    :func:`~dagster_zenml_lint.fixers.call_forms.decorator_form_edits`).
    """
    if context is None or not file_index(context).call_forms.members:
        return None
    edits = decorator_form_edits(file_index(context))
    decorated = _apply_edits(text, edits) if edits else text
    return decorated if decorated != text and _parse(decorated) is not None else None


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


@dataclass(frozen=True)
class SkippedModule:
    """A path ``check`` reports as DZ000 (unreadable, unparsable, too deep): not migrated, listed in README.md.

    With ``name``, only one top-level function or class of the file (at ``line``) was left
    out, because the engine cannot analyse it; the rest of the file was migrated.
    """

    relpath: str
    reason: str  # the DZ000 message
    name: str = ""
    line: int = 0


def blank_lines(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the lines of each ``(first, last)`` span (1-based, inclusive) emptied.

    Every other line keeps its number and its columns, so positions found in the result
    are positions of the original text.
    """
    lines = python_lines(text, keepends=True)
    for first, last in spans:
        for index in range(first - 1, min(last, len(lines))):
            body = lines[index].rstrip("\r\n")
            lines[index] = lines[index][len(body) :]
    return "".join(lines)


def _analysis_fails(text: str, relpath: str, root: str) -> str | None:
    """Why the engine cannot analyse ``text`` (the DZ000 message), or None when it can."""
    if not may_contain_dagster(text):
        return None
    findings, context = check_source_with_context(text, relpath, root=root)
    if context is not None:
        return None
    return next((f.message for f in findings if f.code == PARSE_ERROR), UNANALYSED)


def _names_used(tree: ast.Module) -> set[str]:
    """Every name the code may use an object by: names read, parameter names (an asset's
    upstream), and strings (asset keys, ``__all__``), on the cautious side."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)
    return names


def without_failing_objects(text: str, relpath: str, root: str) -> tuple[str, list[SkippedModule]] | None:
    """A file the engine cannot analyse whole, without the top-level functions and classes that make it fail.

    Returns the text with those objects' lines emptied (positions of the rest unchanged)
    and one :class:`SkippedModule` per object left out. Leaving them out is sound only
    when the file parses and the module-level code without any function or class
    analyses: otherwise, or when the objects fail only together, None (the whole file is
    skipped). Each object is tried alone beside the module-level code, so the failure is
    pinned on the objects that cause it (rare: only files the engine rejected are tried).
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # nothing can be told apart in a file that does not parse
    objects = [s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    spans = {id(s): (statement_first_line(s), s.end_lineno or s.lineno) for s in objects}

    def without_objects_but(kept: ast.stmt | None) -> str:
        return blank_lines(text, [spans[id(s)] for s in objects if s is not kept])

    if not objects or _analysis_fails(without_objects_but(None), relpath, root) is not None:
        return None  # the module-level code itself fails
    failing = [
        (s, reason) for s in objects if (reason := _analysis_fails(without_objects_but(s), relpath, root)) is not None
    ]
    if not failing:
        return None
    rest = blank_lines(text, [spans[id(s)] for s, _ in failing])
    if any(s.name in _names_used(ast.parse(rest)) for s, _ in failing):
        return None  # a job calling it, an asset depending on it: the rest would not work without it
    return rest, [SkippedModule(relpath, _cause(reason), name=s.name, line=spans[id(s)][0]) for s, reason in failing]


def _cause(message: str) -> str:
    """A DZ000 message without its last clause, which speaks of the whole file ("the file was not
    analysed", "it was skipped here"): only the object was left out."""
    head, separator, _ = message.rpartition("; ")
    return head if separator else message


def load_sources(
    paths: list[Path],
    config: Config | None = None,
    discovered: tuple[Path, list[DiscoveredFile]] | None = None,
) -> tuple[Path, list[SourceModule], list[SkippedModule]]:
    """Read and analyse every Python file under ``paths`` (sorted, deterministic).

    ``config`` is the project's configuration (as ``check`` reads it); its exclusions and
    suppressions apply. The files and the root their names are relative to are ``report``'s
    (:func:`~dagster_zenml_lint.project.model.project_files`; ``discovered``: its answer, when
    the caller has it already). A file the engine could not analyse (DZ000) is skipped and
    returned in the third list, whether or not the configuration silences DZ000.
    """
    config = config or Config()
    root, found_files = discovered if discovered is not None else project_files(paths, config)
    index = ProjectIndex(root=str(root))  # cross-file fixes answered from the project, whatever the cwd
    alike = reads_direct_alike(config)
    modules: list[SourceModule] = []
    skipped: list[SkippedModule] = []
    for found in found_files:
        if found.kind != FileKind.PYTHON:
            continue
        # the discovered name (a string): ``found.path`` builds a ``Path``, made once per module kept
        relpath = relative_path(found.location, root)
        try:
            data = read_bytes(found.location)
        except SourceError as exc:
            # unreadable (a directory discovery could not list, a locked file): we cannot
            # tell what it holds, so it is listed rather than dropped silently
            skipped.append(SkippedModule(relpath, str(exc)))
            continue
        try:
            source = decode_source(data, found.location)
        except SourceError as exc:
            if names_dagster(data):  # Dagster code we cannot decode; other files are not ours
                skipped.append(SkippedModule(relpath, str(exc)))
            continue
        findings, context = lint_text_with_context(source.text, relpath, config, with_fixes=True, project=index)
        original = None
        decorated = decorator_form_text(source.text, context)
        if decorated is not None:  # ``load = op(_load)``: read as the decorated function it stands for
            original = (source, list(findings), context)
            source = dataclasses.replace(source, text=decorated)
            findings, context = lint_text_with_context(decorated, relpath, config, with_fixes=True, project=index)
        if context is None and may_contain_dagster(source.text):
            # one function or class the engine cannot analyse costs itself, not the whole file
            partial = without_failing_objects(source.text, relpath, str(root))
            if partial is not None:
                rest, failing = partial
                findings, context = lint_text_with_context(rest, relpath, config, with_fixes=True, project=index)
                if context is not None:
                    skipped.extend(failing)
                    source = dataclasses.replace(source, text=rest)
        if context is None and may_contain_dagster(source.text):
            # the text cannot be parsed or walked: nothing of it can be copied safely
            broken = next((f.message for f in findings if f.code == PARSE_ERROR), UNANALYSED)
            skipped.append(SkippedModule(relpath, broken))
            continue
        if context is None:  # no Dagster here: plain code that steps may import helpers from
            modules.append(SourceModule(found.location, relpath, source, list(findings), None, source.text, None))
            continue
        # The direct fixes as the lint above worked them out, when the project's configuration
        # gives them as the fix applier's does (most projects): not worked out again.
        direct = (
            direct_findings(findings, relpath, config, alike)
            if context.text == source.text and not source.text.startswith(BOM)
            else None
        )
        if direct is not None and not any(is_allowed(finding.fix, unsafe=True) for finding in direct):
            fixed_text, analysed = source.text, None  # nothing to fix: what the applier gives back
        else:
            fixed_text, analysed = apply_direct_fixes(
                source.text, relpath, findings, index, context.tree, context, direct
            )
        fixed_tree: ast.Module | None
        fixed_context: FileContext | None
        if fixed_text == source.text:
            fixed_tree, fixed_context = context.tree, context
        elif analysed is not None:
            fixed_tree, fixed_context = analysed.tree, analysed
        else:
            fixed_tree = _parse(fixed_text)
            fixed_context = analyze(relpath, fixed_text, fixed_tree) if fixed_tree is not None else None
        modules.append(
            SourceModule(
                found.location,
                relpath,
                source,
                list(findings),
                context,
                fixed_text,
                fixed_context,
                _fixed_tree=fixed_tree,
                _parsed=True,
                original=original,
            )
        )
    modules.sort(key=lambda m: m.relpath)
    return root, modules, sorted(skipped, key=lambda s: s.relpath)
