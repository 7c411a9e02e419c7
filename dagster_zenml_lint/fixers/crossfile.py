"""Fixes that depend on other files of the project: ops a job imports, jobs that import an op.

A job whose body calls ``from .ops import load`` can only become a pipeline safely when
``load`` becomes a step too: when it is a ZenML step already, or an ``@op`` whose own fix
is safe (``check --fix`` on the project converts both files). The other way round, an op
that a job in a sibling file imports is converted safely only when that job converts
safely itself.

The engine stays a function of one file: a fixer that meets such a question records it
on the fix as a *need* (:class:`~dagster_zenml_lint.findings.ImportedOpNeed`,
:class:`~dagster_zenml_lint.findings.ImporterNeed`) and answers it optimistically. A
front-end then settles the needs against a :class:`ProjectIndex`: a summary of what each
file defines (its ops, jobs and steps, with their one-file fixes), built from the files
the run has linted already, and read from disk, once, for any other file it is asked
about. ``check`` builds the index from its own results, so a project of thousands of
files is summarised once, not once per op.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from dagster_zenml_lint.engine import may_contain_dagster
from dagster_zenml_lint.findings import Applicability, Finding, Fix, ImportedOpNeed, ImporterNeed

if TYPE_CHECKING:
    from dagster_zenml_lint.engine import FileContext, FunctionInfo

SEARCH_DEPTH = 6  # parent directories searched for an absolutely imported module
MAX_SIBLINGS = 200  # files of a directory read from disk (not linted by the run) for jobs importing an op


@dataclass(frozen=True)
class FunctionFix:
    """An op's or job's one-file fix: its applicability (None: no fix), why, and its needs."""

    applicability: Applicability | None
    reason: str
    needs: tuple[ImportedOpNeed | ImporterNeed, ...] = ()


@dataclass(frozen=True)
class JobSummary:
    """A job of a file and the imported names its body calls."""

    name: str
    imports: tuple[tuple[str, str], ...]  # (name an imported op is defined as, last segment of its module)
    fix: FunctionFix


@dataclass(frozen=True)
class FileSummary:
    """What a file defines at module level that other files' fixes ask about."""

    readable: bool = True
    functions: frozenset[str] = frozenset()
    steps: frozenset[str] = frozenset()  # functions decorated with ZenML's ``@step``
    ops: tuple[tuple[str, FunctionFix], ...] = ()
    jobs: tuple[JobSummary, ...] = ()

    def op(self, name: str) -> FunctionFix | None:
        """The fix of the module-level op ``name`` (None when it is not an op)."""
        return next((fix for op, fix in self.ops if op == name), None)


UNREADABLE = FileSummary(readable=False)
EMPTY = FileSummary()


def _function_fix(ctx: FileContext, info: FunctionInfo) -> FunctionFix:
    from dagster_zenml_lint.engine import internal_error_finding
    from dagster_zenml_lint.fixers.components import fix_for_function

    try:
        outcome = fix_for_function(ctx, info)
    except Exception as exc:  # the file's own lint reports it (DZ000); here: no fix
        return FunctionFix(None, internal_error_finding(f"the fix of '{info.node.name}'", exc).message)
    if outcome.fix is None:
        return FunctionFix(None, outcome.blocker or "")
    return FunctionFix(outcome.fix.applicability, outcome.blocker or "", outcome.fix.requires)


def is_zenml_step(ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function is decorated with ZenML's ``@step`` (``zenml.step``)."""
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        base = target
        attrs: list[str] = []
        while isinstance(base, ast.Attribute):
            attrs.insert(0, base.attr)
            base = base.value
        if not isinstance(base, ast.Name):
            continue
        binding = ctx.model.lookup(base.id, ctx.model.module_scope, (deco.lineno, deco.col_offset))
        qualname = ".".join([binding.qualname, *attrs]) if binding is not None and binding.qualname else ""
        if qualname in ("zenml.step", "zenml.steps.step"):
            return True
    return False


def summarize(ctx: FileContext | None) -> FileSummary:
    """The summary of one analysed file (a file without Dagster or ZenML code has an empty one)."""
    from dagster_zenml_lint.fixers.components import job_bodies
    from dagster_zenml_lint.fixers.jobs import job_decorator
    from dagster_zenml_lint.fixers.ops import op_decorator

    if ctx is None:
        return EMPTY
    top = {id(stmt) for stmt in ctx.tree.body}
    functions = frozenset(
        stmt.name for stmt in ctx.tree.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
    )
    infos = [f for f in ctx.functions if id(f.node) in top]
    steps = frozenset(f.node.name for f in infos if is_zenml_step(ctx, f.node))
    ops = tuple((f.node.name, _function_fix(ctx, f)) for f in infos if op_decorator(f) is not None)
    bodies = job_bodies(ctx)  # read once per file, shared with the component fixes
    jobs = []
    for info in ctx.functions:
        if job_decorator(info) is None:
            continue
        body = bodies[id(info.node)]
        imports = tuple(
            (original_name(record.node, name), (record.node.module or "").rsplit(".", 1)[-1])
            for name in dict.fromkeys(body.imported)
            for record in ctx.model.imports
            if record.name == name and isinstance(record.node, ast.ImportFrom)
        )
        jobs.append(JobSummary(info.node.name, imports, _function_fix(ctx, info)))
    return FileSummary(True, functions, steps, ops, tuple(jobs))


def original_name(node: ast.ImportFrom, bound: str) -> str:
    """The name a module defines for what ``from module import name as bound`` binds."""
    return next((alias.name for alias in node.names if (alias.asname or alias.name) == bound), bound)


def summary_key(path: str) -> str:
    """How the index names a file: its absolute, normalised path (symlinks are not resolved: a
    file reached through two names is summarised twice, which costs time, never correctness)."""
    return os.path.abspath(path)


class ProjectIndex:
    """File summaries by path: given up front (the files a run linted), or read from disk on demand."""

    def __init__(self, summaries: dict[str, FileSummary] | None = None, *, root: str | None = None) -> None:
        """``root``: the directory relative paths are relative to (default: the working directory)."""
        self.root = root
        self._summaries: dict[str, FileSummary] = {}
        for path, summary in (summaries or {}).items():
            self.add(path, summary)
        self._module_files: dict[tuple[str, str, int], str | None] = {}
        self._directories: dict[str, tuple[dict[str, list[tuple[str, FileSummary]]], list[str]]] = {}
        # Files known to hold no Dagster code: no op, no job; summarised from disk only if a
        # question is about them (a ZenML step a job imports, in a half-migrated project).
        self._without_dagster: set[str] = set()
        self._texts: dict[str, str | None] = {}

    def key(self, path: str) -> str:
        """How the index names a file: absolute (relative paths taken from ``root``), normalised."""
        if self.root is not None and not os.path.isabs(path):
            path = os.path.join(self.root, path)
        return summary_key(path)

    def add(self, path: str, summary: FileSummary) -> None:
        """Record the summary of a file the caller has analysed."""
        self._summaries[self.key(path)] = summary

    def add_without_dagster(self, path: str) -> None:
        """Record that a file the caller has read never names Dagster (it has no op and no job)."""
        self._without_dagster.add(self.key(path))

    def summary(self, path: str) -> FileSummary:
        """The summary of a file, analysing it from disk the first time it is asked for."""
        key = self.key(path)
        found = self._summaries.get(key)
        if found is None:
            found = self._summaries[key] = self._read_summary(key)
        return found

    def _text(self, key: str) -> str | None:
        if key not in self._texts:
            from dagster_zenml_lint.source import SourceError, read_source

            try:
                self._texts[key] = read_source(key).text
            except SourceError:
                self._texts[key] = None
        return self._texts[key]

    def _read_summary(self, key: str) -> FileSummary:
        from dagster_zenml_lint.engine import analyze

        text = self._text(key)
        if text is None:
            return UNREADABLE
        if not may_contain_dagster(text) and "zenml" not in text:
            return EMPTY
        try:
            tree = ast.parse(text, filename=key)
            return summarize(analyze(key, text, tree))
        except (SyntaxError, ValueError, RecursionError):
            return UNREADABLE

    def module_file(self, importer: str, module: str, level: int) -> str | None:
        """The file of ``module`` imported by ``importer``: next to it (relative) or in a parent directory."""
        cache_key = (importer, module, level)
        if cache_key not in self._module_files:
            self._module_files[cache_key] = _module_file(Path(self.key(importer)), module, level)
        return self._module_files[cache_key]

    def siblings_importing(self, path: str, stem: str) -> list[tuple[str, FileSummary]]:
        """Summaries of the other files in ``path``'s directory with a job importing from module ``stem``.

        Files the index knows are looked up by the modules their jobs import (indexed once
        per directory, so a directory of thousands of files costs no more per op); other
        files are read from disk, at most :data:`MAX_SIBLINGS` of them, and only when they
        name both the module and Dagster.
        """
        here = self.key(path)
        known, unknown = self._directory(os.path.dirname(here))
        found = [(sibling, summary) for sibling, summary in known.get(stem, ()) if sibling != here]
        for sibling in unknown:
            if sibling == here:
                continue
            text = self._text(sibling)
            if text is None or stem not in text or not may_contain_dagster(text):  # no job there
                continue
            summary = self.summary(sibling)
            if any(module == stem for job in summary.jobs for _name, module in job.imports):
                found.append((sibling, summary))
        return found

    def _directory(self, directory: str) -> tuple[dict[str, list[tuple[str, FileSummary]]], list[str]]:
        """A directory's ``*.py`` files: the known ones by imported module, and the first unknown ones."""
        if directory not in self._directories:
            try:
                names = sorted(n for n in os.listdir(directory) if n.endswith(".py"))
            except OSError:
                names = []
            known: dict[str, list[tuple[str, FileSummary]]] = {}
            unknown: list[str] = []
            for name in names:
                sibling = os.path.join(directory, name)
                summary = self._summaries.get(sibling)
                if summary is None and sibling in self._without_dagster:
                    continue  # no job can import anything there
                if summary is None:
                    if len(unknown) < MAX_SIBLINGS:
                        unknown.append(sibling)
                    continue
                for stem in dict.fromkeys(module for job in summary.jobs for _name, module in job.imports):
                    known.setdefault(stem, []).append((sibling, summary))
            self._directories[directory] = (known, unknown)
        return self._directories[directory]


@cache
def process_index() -> ProjectIndex:
    """One index for the life of a one-shot process (a pylint or flake8 run).

    Such a run lints many files of one unchanging tree, each on its own; sharing the
    index reads and summarises every other file once per run instead of once per file
    that asks. Long-lived processes (the editor server) use a fresh index per lint.
    """
    return ProjectIndex()


def _module_file(start: Path, module: str, level: int) -> str | None:
    parts = [p for p in module.split(".") if p]
    if not parts:
        return None
    if level:
        base = start.parent
        for _ in range(level - 1):
            base = base.parent
        bases = [base]
    else:
        bases = [start.parent, *list(start.parent.parents)[:SEARCH_DEPTH]]
    for base in bases:
        candidate = base.joinpath(*parts)
        for path in (candidate.with_suffix(".py"), candidate / "__init__.py"):
            if path.is_file():
                return str(path)
    return None


# ----------------------------------------------------------------------------- settling needs
def _imported_op_status(
    need: ImportedOpNeed, index: ProjectIndex, in_progress: frozenset[str]
) -> tuple[Applicability | None, str]:
    """How safely the op a job imports becomes a step: SAFE, UNSAFE, or None (no fix for the job)."""
    shown = "." * need.level + need.module
    if need.importer.startswith("<"):
        return Applicability.UNSAFE, f"'{need.name}' comes from another module that could not be checked"
    path = index.module_file(need.importer, need.module, need.level)
    if path is None:
        return Applicability.UNSAFE, f"'{need.name}' comes from {shown}, which was not found next to this file"
    key = index.key(path)
    if key in in_progress:
        return Applicability.UNSAFE, f"'{need.name}' comes from {shown}, which imports this file back"
    summary = index.summary(path)
    if not summary.readable:
        return Applicability.UNSAFE, f"'{need.name}' comes from {shown}, which could not be read"
    if need.original not in summary.functions:
        return Applicability.UNSAFE, f"'{need.name}' is not a function defined in {shown}"
    if need.original in summary.steps:
        return Applicability.SAFE, ""
    op = summary.op(need.original)
    if op is None:
        return None, f"'{need.name}' from {shown} is neither an op nor a ZenML step"
    applicability, reason = _settle(op, index, in_progress | {index.key(need.importer), key})
    if applicability is None:
        return None, f"op '{need.original}' in {shown} cannot be converted: {reason}"
    if applicability is not Applicability.SAFE:
        return Applicability.UNSAFE, f"op '{need.original}' in {shown} converts only unsafely: {reason}"
    return Applicability.SAFE, ""


def _importer_obstacles(need: ImporterNeed, index: ProjectIndex) -> list[str]:
    """Why converting an op breaks a job in a sibling file that imports it (empty: nothing breaks)."""
    if need.path.startswith("<") or not os.path.isfile(index.key(need.path)):
        return []
    stem = Path(need.path).stem
    obstacles = []
    for sibling, summary in index.siblings_importing(need.path, stem):
        for job in summary.jobs:
            if (need.op, stem) not in job.imports:
                continue
            # the job's own obstacles only: the ops it imports are taken as convertible
            if job.fix.applicability is not Applicability.SAFE:
                obstacles.append(
                    f"job '{job.name}' in {os.path.basename(sibling)} calls it and cannot be converted safely "
                    f"({job.fix.reason or 'its fix is unsafe'})"
                )
    return obstacles


def _settle(fix: FunctionFix, index: ProjectIndex, in_progress: frozenset[str]) -> tuple[Applicability | None, str]:
    """A one-file fix's applicability once its needs are answered (None: no fix), and why."""
    if fix.applicability is None:
        return None, fix.reason
    blockers, unsafe = _answers(fix.needs, index, in_progress)
    if blockers:
        return None, "; ".join(blockers)
    reasons = [r for r in [fix.reason, *unsafe] if r]
    if unsafe or fix.applicability is not Applicability.SAFE:
        return Applicability.UNSAFE, "; ".join(reasons)
    return Applicability.SAFE, ""


def _answers(
    needs: tuple[ImportedOpNeed | ImporterNeed, ...], index: ProjectIndex, in_progress: frozenset[str]
) -> tuple[list[str], list[str]]:
    """(blockers, unsafe reasons) that a fix's needs add."""
    blockers: list[str] = []
    unsafe: list[str] = []
    for need in needs:
        if isinstance(need, ImportedOpNeed):
            applicability, reason = _imported_op_status(need, index, in_progress)
            if applicability is None:
                blockers.append(f"job '{need.job}' calls {reason}")
            elif applicability is not Applicability.SAFE:
                unsafe.append(f"job '{need.job}' calls {reason}")
        else:
            unsafe.extend(f"op '{need.op}': {obstacle}" for obstacle in _importer_obstacles(need, index))
    return list(dict.fromkeys(blockers)), list(dict.fromkeys(unsafe))


def settle_findings(findings: list[Finding], index: ProjectIndex) -> list[Finding]:
    """Findings whose fixes have needs, with those needs answered against the project."""
    settled: dict[int, tuple[Fix | None, str | None]] = {}  # one answer per shared fix
    out = []
    for finding in findings:
        fix = finding.fix
        if fix is None or not fix.requires:
            out.append(finding)
            continue
        if id(fix) not in settled:
            settled[id(fix)] = _settle_fix(fix, index)
        new_fix, blocker = settled[id(fix)]
        out.append(replace(finding, fix=new_fix, fix_blocker=blocker if new_fix is None else finding.fix_blocker))
    return out


def _settle_fix(fix: Fix, index: ProjectIndex) -> tuple[Fix | None, str | None]:
    blockers, unsafe = _answers(fix.requires, index, frozenset())
    if blockers:
        return None, "; ".join(blockers)
    if not unsafe:
        return replace(fix, requires=()), None
    description = fix.description
    marker = " (unsafe: "
    if fix.applicability is Applicability.UNSAFE and marker in description and description.endswith(")"):
        description = f"{description[:-1]}; {'; '.join(unsafe)})"
    else:
        description = f"{description}{marker}{'; '.join(unsafe)})"
    return replace(fix, requires=(), applicability=Applicability.UNSAFE, description=description), "; ".join(unsafe)
