"""Fixes that depend on other files of the project: what a converted op, job or config class breaks elsewhere.

A job whose body calls ``from .ops import load`` can only become a pipeline safely when
``load`` becomes a step too: when it is a ZenML step already, or an ``@op`` whose own fix
is safe (``check --fix`` on the project converts both files). The other way round, every
other file that imports what a fix converts must keep working: a job calling a converted
op must convert in the same run (safely, for a safe fix); a schedule, a sensor,
``Definitions(jobs=...)``, a test calling ``job.execute_in_process()`` or any other use
of a converted job, op or config class blocks the fix, and the blocker names the file
and line. Re-exports (``__init__`` imports, ``__all__``) are followed to their importers.

The engine stays a function of one file: a fixer that meets such a question records it
on the fix as a *need* (:class:`~dagster_zenml_lint.findings.ImportedOpNeed`,
:class:`~dagster_zenml_lint.findings.ImporterNeed`) and answers it optimistically. A
front-end then settles the needs against a :class:`ProjectIndex`: a summary of what each
file defines (its ops, jobs and steps, with their one-file fixes) and of how it uses the
names it imports, built from the files the run has linted already, and read from disk,
once, for any other file of the project (the files under its root that spell the name).
``check`` builds the index from its own results, so a project of thousands of files is
summarised once, not once per op. Nothing here raises on a file: a file that cannot be
read or analysed (or whose analysis died during the run, which is never repeated) is an
obstacle, never "nothing breaks".
"""

from __future__ import annotations

import ast
import os
import re
import sys
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from dagster_zenml_lint.class_bases import find_module_file
from dagster_zenml_lint.findings import Applicability, Finding, Fix, ImportedOpNeed, ImporterNeed
from dagster_zenml_lint.fixers.edits import original_name
from dagster_zenml_lint.fixers.file_index import literal_all
from dagster_zenml_lint.rules._calls import module_level_calls

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo
    from dagster_zenml_lint.config import Config

SEARCH_DEPTH = 6  # parent directories searched for an absolutely imported module or the project root
MAX_PROJECT_FILES = 20_000  # Python files of a project searched for importers (more: not every importer is known)
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git", "workspace.yaml", "dagster_cloud.yaml")
SKIPPED_DIRECTORIES = frozenset({"__pycache__", "node_modules", "site-packages", "dist-packages", "venv", "env"})
STAR_IMPORT = re.compile(r"import\s*\(?\s*\*")  # a pre-filter only: the parse decides

# How another file uses an imported name (ImportUse.kind)
JOB_CALL = "called in the body of a job"
DIRECT_CALL = "called directly"
ANNOTATION = "the annotation of a parameter"
REEXPORT = "imported into the namespace of the module"
STAR = "star import"
OTHER = "used"


class ImportUse(NamedTuple):
    """One use, in some file, of a name another module of the project may define.

    ``module``/``level`` say where the name is looked up (``from .ops import load``:
    ``ops``, 1, ``load``); ``function`` is the job whose body calls it (JOB_CALL) or the op
    whose parameter it annotates (ANNOTATION).
    """

    module: str
    level: int
    name: str
    line: int
    kind: str
    function: str = ""


@dataclass(frozen=True)
class FunctionFix:
    """An op's or job's one-file fix: its applicability (None: no fix), why, and its needs."""

    applicability: Applicability | None
    reason: str
    needs: tuple[ImportedOpNeed | ImporterNeed, ...] = ()


@dataclass(frozen=True)
class JobSummary:
    """A job of a file and its one-file fix (what it calls is in the fix's needs)."""

    name: str
    fix: FunctionFix


@dataclass(frozen=True)
class FileSummary:
    """What a file defines at module level that other files' fixes ask about, and what it imports."""

    readable: bool = True
    functions: frozenset[str] = frozenset()
    steps: frozenset[str] = frozenset()  # functions decorated with ZenML's ``@step``
    ops: tuple[tuple[str, FunctionFix], ...] = ()
    jobs: tuple[JobSummary, ...] = ()
    uses: tuple[ImportUse, ...] = ()  # uses of names imported from modules that may be the project's

    def op(self, name: str) -> FunctionFix | None:
        """The fix of the module-level op ``name`` (None when it is not an op)."""
        return next((fix for op, fix in self.ops if op == name), None)

    def job(self, name: str) -> JobSummary | None:
        """The job ``name`` (None when it is not a job)."""
        return next((job for job in self.jobs if job.name == name), None)


UNREADABLE = FileSummary(readable=False)
EMPTY = FileSummary()


def _function_fix(ctx: FileContext, info: FunctionInfo) -> FunctionFix:
    from dagster_zenml_lint.analysis.facts import internal_error_finding
    from dagster_zenml_lint.fixers.call_forms import member_name
    from dagster_zenml_lint.fixers.components import fix_for_function

    try:
        outcome = fix_for_function(ctx, info)
    except Exception as exc:  # the file's own lint reports it (DZ000); here: no fix
        return FunctionFix(None, internal_error_finding(f"the fix of '{member_name(info)}'", exc).message)
    if outcome.fix is None:
        return FunctionFix(None, outcome.blocker or "")
    return FunctionFix(outcome.fix.applicability, outcome.blocker or "", outcome.fix.requires)


def is_zenml_step(ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function is decorated with ZenML's ``@step`` (``zenml.step``)."""
    return any(_is_zenml_step_decorator(ctx, deco) for deco in func.decorator_list)


def _zenml_step_call_forms(ctx: FileContext) -> frozenset[str]:
    """Names bound at module level by ``name = step(fn)`` or ``name = step(...)(fn)``."""
    return frozenset(
        name
        for name, call in module_level_calls(ctx.tree)
        if len(call.args) == 1 and _is_zenml_step_decorator(ctx, call.func)
    )


def _is_zenml_step_decorator(ctx: FileContext, deco: ast.expr) -> bool:
    """Whether a decorator expression (``step``, ``zenml.step(...)``) is ZenML's ``step``."""
    target = deco.func if isinstance(deco, ast.Call) else deco
    base = target
    attrs: list[str] = []
    while isinstance(base, ast.Attribute):
        attrs.insert(0, base.attr)
        base = base.value
    if not isinstance(base, ast.Name):
        return False
    binding = ctx.model.lookup(base.id, ctx.model.module_scope, (deco.lineno, deco.col_offset))
    qualname = ".".join([binding.qualname, *attrs]) if binding is not None and binding.qualname else ""
    return qualname in ("zenml.step", "zenml.steps.step")


def summarize(ctx: FileContext | None) -> FileSummary:
    """The summary of one analysed file (a file without Dagster or ZenML code has an empty one).

    It never raises: a file whose summary cannot be worked out is UNREADABLE, which every
    question about it answers conservatively (an obstacle, never "nothing breaks").
    """
    if ctx is None:
        return EMPTY
    try:
        return _summarize(ctx)
    except Exception:  # any failure on one file makes it unknown, not a failed run
        if os.environ.get("DAGSTER_ZENML_LINT_DEBUG"):
            raise
        return UNREADABLE


def _summarize(ctx: FileContext) -> FileSummary:
    from dagster_zenml_lint.fixers.call_forms import member_name
    from dagster_zenml_lint.fixers.file_index import file_index
    from dagster_zenml_lint.fixers.jobs import job_decorator
    from dagster_zenml_lint.fixers.ops import op_decorator

    top = {id(stmt) for stmt in ctx.tree.body}
    forms = file_index(ctx).call_forms.members  # ``load = op(_load)``: the op is ``load``
    step_forms = _zenml_step_call_forms(ctx)
    functions = frozenset(
        [stmt.name for stmt in ctx.tree.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))]
        + [member_name(f) for f in forms]
        + list(step_forms)
    )
    infos = [*(f for f in ctx.functions if id(f.node) in top), *forms]
    steps = frozenset(f.node.name for f in ctx.functions if id(f.node) in top and is_zenml_step(ctx, f.node))
    ops = tuple((member_name(f), _function_fix(ctx, f)) for f in infos if op_decorator(f) is not None)
    jobs = tuple(JobSummary(member_name(f), _function_fix(ctx, f)) for f in infos if job_decorator(f))
    return FileSummary(True, functions, steps | step_forms, ops, jobs, import_uses(ctx))


def _is_library(module: str, level: int) -> bool:
    """Whether an import is of Dagster, ZenML or the standard library (never a project module)."""
    if level:
        return False
    from dagster_zenml_lint.dagster_packages import DAGSTER_PACKAGES

    top = module.split(".", 1)[0]
    # listed packages only: a project's own ``dagster_open_platform`` is the project's
    return top in DAGSTER_PACKAGES or top == "zenml" or top in sys.stdlib_module_names


def _import_origin(binding_node: ast.AST, name: str) -> tuple[str, int, str | None] | None:
    """(module, level, name looked up in it) of an import binding ``name``; None for other bindings.

    ``from pkg import x as name``: ("pkg", 0, "x"); ``import pkg.sub as name``: ("pkg.sub", 0,
    None); ``import pkg.sub`` binding ``pkg``: ("pkg", 0, None): a module, whose attributes are
    the names looked up.
    """
    if isinstance(binding_node, ast.ImportFrom):
        return binding_node.module or "", binding_node.level, original_name(binding_node, name)
    if isinstance(binding_node, ast.Import):
        for alias in binding_node.names:
            if alias.asname == name:
                return alias.name, 0, None
            if alias.asname is None and alias.name.split(".", 1)[0] == name:
                return name, 0, None
    return None


def _join(module: str, *parts: str) -> str:
    return ".".join(p for p in (module, *parts) if p)


def import_uses(ctx: FileContext) -> tuple[ImportUse, ...]:
    """Every use of a name the file imports from a module that may be one of the project's.

    ``from .ops import load`` then ``load()`` gives ("ops", 1, "load"); ``import pkg.jobs as
    j`` then ``j.daily.execute_in_process()`` gives ("pkg.jobs", 0, "daily"), and also
    ("pkg.jobs.daily", 0, "execute_in_process"), since which of them is a module is only
    known from the other files. An import nothing in the file reads is a re-export.
    """
    from dagster_zenml_lint.fixers.edits import scope_of_node

    imported: dict[str, list[tuple[ast.AST, tuple[str, int, str | None], bool]]] = {}
    module_scope = ctx.model.module_scope
    for scope in [module_scope, *ctx.model.scopes.values()]:
        for name, bindings in scope.bindings.items():
            for bound in bindings:
                origin = _import_origin(bound.node, name)
                if origin is not None and not _is_library(origin[0], origin[1]):
                    imported.setdefault(name, []).append((bound.node, origin, scope is module_scope))
    uses: list[ImportUse] = []
    read: set[tuple[int, str]] = set()
    for node, _scope in ctx.name_loads:
        if node.id not in imported:
            continue
        binding = ctx.model.lookup(node.id, scope_of_node(ctx, node), (node.lineno, node.col_offset))
        if binding is None:
            continue
        origin = _import_origin(binding.node, node.id)
        if origin is None or _is_library(origin[0], origin[1]):
            continue
        read.add((id(binding.node), node.id))
        module, level, first = origin
        chain: list[str] = [] if first is None else [first]
        expr: ast.AST = node
        parent = ctx.parent(node)
        if first is not None:
            uses.append(ImportUse(module, level, first, node.lineno, *_use_kind(ctx, expr)))
        while isinstance(parent, ast.Attribute) and parent.value is expr and len(chain) < 4:
            uses.append(ImportUse(_join(module, *chain), level, parent.attr, node.lineno, *_use_kind(ctx, parent)))
            chain.append(parent.attr)
            expr, parent = parent, ctx.parent(parent)
    exported = literal_all(ctx.tree.body)  # None: not built from literals, it may name anything
    package = os.path.basename(ctx.path) == "__init__.py"
    for name, found in imported.items():
        for binding_node, (module, level, first), at_module_level in found:
            # another module may import the name from here: its uses count as well
            if (
                first is not None
                and at_module_level
                and (package or exported is None or name in exported or (id(binding_node), name) not in read)
            ):
                uses.append(ImportUse(module, level, first, getattr(binding_node, "lineno", 0), REEXPORT))
    uses.extend(_star_imports(ctx))
    return tuple(dict.fromkeys(uses))


def _star_imports(ctx: FileContext) -> list[ImportUse]:
    if not STAR_IMPORT.search(ctx.text):
        return []
    return [
        ImportUse(node.module or "", node.level, "*", node.lineno, STAR)
        for node in ast.walk(ctx.tree)
        if isinstance(node, ast.ImportFrom)
        and any(a.name == "*" for a in node.names)
        and not _is_library(node.module or "", node.level)
    ]


def _use_kind(ctx: FileContext, expr: ast.AST) -> tuple[str, str]:
    """How an expression naming an imported object uses it, and the job or op concerned."""
    from dagster_zenml_lint.fixers.call_forms import member_name
    from dagster_zenml_lint.fixers.components import enclosing_function
    from dagster_zenml_lint.fixers.jobs import job_decorator
    from dagster_zenml_lint.fixers.ops import op_decorator

    parent = ctx.parent(expr)
    if isinstance(parent, ast.arg) and parent.annotation is expr:
        owner = enclosing_function(ctx, parent)  # a call form's function is its op
        if owner is not None and op_decorator(owner) is not None:
            return ANNOTATION, member_name(owner)
        return OTHER, ""
    if isinstance(parent, ast.Call) and parent.func is expr:
        owner = enclosing_function(ctx, parent)
        if owner is None:
            return DIRECT_CALL, ""
        if job_decorator(owner) is not None and isinstance(ctx.parent(parent), (ast.Expr, ast.Assign, ast.Call)):
            return JOB_CALL, member_name(owner)
        if not owner.decorators and not owner.node.decorator_list:
            return DIRECT_CALL, ""
    return OTHER, ""


def summary_key(path: str) -> str:
    """How the index names a file: its absolute, normalised path (symlinks are not resolved: a
    file reached through two names is summarised twice, which costs time, never correctness)."""
    return os.path.abspath(path)


def project_root(path: str) -> str:
    """The directory whose files may import ``path``: the nearest one with a project marker
    (``pyproject.toml``, ``setup.py``, ``.git``...), else the one above its top package."""
    directory = os.path.dirname(summary_key(path))
    current = directory
    for _ in range(SEARCH_DEPTH + 1):
        try:
            if any(os.path.exists(os.path.join(current, marker)) for marker in PROJECT_MARKERS):
                return current
        except (OSError, ValueError):
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    top = directory
    while os.path.isfile(os.path.join(top, "__init__.py")) and os.path.dirname(top) != top:
        top = os.path.dirname(top)
    return top


def _walk_python_files(root: str, limit: int) -> list[str] | None:
    """The ``*.py`` files under ``root`` (virtual environments, caches and hidden directories
    left out); None when there are more than ``limit`` of them, or of directories."""
    found: list[str] = []
    for visited, (directory, subdirectories, names) in enumerate(os.walk(root)):
        if visited > limit:  # a home directory of photos is not a project either
            return None
        subdirectories[:] = sorted(
            d
            for d in subdirectories
            if not d.startswith(".")
            and d not in SKIPPED_DIRECTORIES
            and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
        )
        for name in sorted(names):
            if name.endswith(".py"):
                found.append(os.path.join(directory, name))
                if len(found) > limit:
                    return None
    return found


class ProjectIndex:
    """File summaries by path: given up front (the files a run linted), or read from disk on demand."""

    def __init__(self, summaries: dict[str, FileSummary] | None = None, *, root: str | None = None) -> None:
        """``root``: the directory relative paths are relative to (default: the working directory)."""
        self.root = root
        self._summaries: dict[str, FileSummary] = {}
        self._module_files: dict[tuple[str, str, int, str], str | None] = {}
        # Files known to hold no Dagster code: no op, no job; summarised only if a question is
        # about them (a ZenML step a job imports, a test that imports a job).
        self._without_dagster: set[str] = set()
        self._texts: dict[str, str | None] = {}
        self._words: dict[str, frozenset[str] | None] = {}
        self._star: dict[str, bool] = {}
        self._project_files: dict[str, list[str] | None] = {}
        # (file, name) -> its users in other files, and the files that could not be searched
        self.users_found: dict[tuple[str, str], tuple[list[tuple[str, ImportUse]], list[str]]] = {}
        for path, summary in (summaries or {}).items():
            self.add(path, summary)

    def key(self, path: str) -> str:
        """How the index names a file: absolute (relative paths taken from ``root``), normalised."""
        if self.root is not None and not os.path.isabs(path):
            path = os.path.join(self.root, path)
        return summary_key(path)

    def add(self, path: str, summary: FileSummary, *, text: str | None = None) -> None:
        """Record the summary of a file the caller has analysed (and its text, if it has it)."""
        key = self.key(path)
        self._summaries[key] = summary
        if text is not None:
            self._texts[key] = text

    def add_text(self, path: str, text: str) -> None:
        """Record the text of a file the caller has read but not summarised (analysed only if asked)."""
        self._texts[self.key(path)] = text

    def add_without_dagster(self, path: str) -> None:
        """Record that a file the caller has read never names Dagster (it has no op and no job)."""
        self._without_dagster.add(self.key(path))

    def summary(self, path: str) -> FileSummary:
        """The summary of a file, analysing it the first time it is asked for; never raises."""
        key = self.key(path)
        found = self._summaries.get(key)
        if found is None:
            try:
                found = self._read_summary(key)
            except Exception:  # an unknown file is an obstacle, never a failed run
                if os.environ.get("DAGSTER_ZENML_LINT_DEBUG"):
                    raise
                found = UNREADABLE
            self._summaries[key] = found
        return found

    def _text(self, key: str) -> str | None:
        if key not in self._texts:
            from dagster_zenml_lint.source import read_source

            try:
                self._texts[key] = read_source(key).text
            except Exception:  # SourceError, and whatever else a hostile file raises
                self._texts[key] = None
        return self._texts[key]

    def _read_summary(self, key: str) -> FileSummary:
        from dagster_zenml_lint.analysis.walk import analyze

        text = self._text(key)
        if text is None:
            return UNREADABLE
        tree = ast.parse(text, filename=key)
        return summarize(analyze(key, text, tree))

    def words(self, path: str) -> frozenset[str] | None:
        """The identifiers a file's text holds (a pre-filter: a file that never spells a name
        cannot import it); None when the file cannot be read."""
        key = self.key(path)
        if key not in self._words:
            text = self._text(key)
            self._words[key] = None if text is None else frozenset(re.findall(r"\w+", text))
        return self._words[key]

    def has_star_import(self, path: str) -> bool:
        """Whether a file's text may hold ``from module import *`` (a pre-filter)."""
        key = self.key(path)
        if key not in self._star:
            self._star[key] = bool(STAR_IMPORT.search(self._text(key) or ""))
        return self._star[key]

    def project_files(self, path: str) -> tuple[str, list[str] | None]:
        """The project root of ``path`` and every Python file that may import it: the files
        the index knows and those under the root (None: too many to search)."""
        root = project_root(self.key(path))
        if root not in self._project_files:
            walked = _walk_python_files(root, MAX_PROJECT_FILES)
            if walked is not None:
                known = [*self._summaries, *self._without_dagster, *self._texts]
                walked = list(dict.fromkeys([*(summary_key(p) for p in walked), *known]))
            self._project_files[root] = walked
        return root, self._project_files[root]

    def module_file(self, importer: str, module: str, level: int, name: str = "") -> str | None:
        """The file ``from <level dots><module> import <name>`` in ``importer`` takes ``name`` from
        (:func:`class_bases.find_module_file`, the one lookup every cross-file question uses)."""
        cache_key = (importer, module, level, name)
        if cache_key not in self._module_files:
            try:
                found = find_module_file(self.key(importer), module, level, name)
            except (OSError, ValueError, RuntimeError):  # a name too long for the file system, a NUL, a link loop
                found = None
            self._module_files[cache_key] = found
        return self._module_files[cache_key]


@cache
def process_index() -> ProjectIndex:
    """One index for the life of a one-shot process (a pylint or flake8 run).

    Such a run lints many files of one unchanging tree, each on its own; sharing the
    index reads and summarises every other file once per run instead of once per file
    that asks. The editor server keeps one index per workspace instead, dropped when one of
    the workspace's documents changes (``lsp.DagsterZenmlLanguageServer.project_index``).
    """
    return ProjectIndex()


def _module_names(path: str) -> str:
    """A file's path as a dotted module path without the suffix (``a/b/c.py``, ``a/b/c/__init__.py``: ``a.b.c``)."""
    stem = path[: -len("/__init__.py")] if path.endswith(os.sep + "__init__.py") else path.removesuffix(".py")
    return stem.replace(os.sep, ".")


def imports_module(importer: str, module: str, level: int, target: str) -> bool:
    """Whether ``from <level dots><module> import ...`` in file ``importer`` may read file ``target``.

    Relative imports are resolved exactly; an absolute one matches every file whose path
    ends with the module's (``pkg.jobs``: ``.../pkg/jobs.py`` or ``.../pkg/jobs/__init__.py``),
    whatever the import path is at run time: a false match costs a fix, a miss breaks code.
    """
    if level:
        base = os.path.dirname(importer)
        for _ in range(level - 1):
            base = os.path.dirname(base)
        candidate = os.path.join(base, *[p for p in module.split(".") if p])
        return target in (candidate + ".py", os.path.join(candidate, "__init__.py"))
    if not module:
        return False
    dotted = _module_names(target)
    return dotted == module or dotted.endswith("." + module)


# ----------------------------------------------------------------------------- settling needs
class _Search:
    """One settlement: the functions visited so far (each is asked about once)."""

    def __init__(self, index: ProjectIndex) -> None:
        self.index = index
        self.visited: set[tuple[str, str]] = set()

    def first_visit(self, path: str, name: str) -> bool:
        key = (self.index.key(path), name)
        if key in self.visited:
            return False
        self.visited.add(key)
        return True


def _imported_op_status(need: ImportedOpNeed, search: _Search) -> tuple[Applicability | None, str]:
    """How safely the op a job imports becomes a step: SAFE, UNSAFE, or None (no fix for the job)."""
    index = search.index
    shown = "." * need.level + need.module
    if need.importer.startswith("<"):
        return Applicability.UNSAFE, f"'{need.name}' comes from another module that could not be checked"
    path = index.module_file(need.importer, need.module, need.level, need.original)
    if path is None:
        return Applicability.UNSAFE, f"'{need.name}' comes from {shown}, which was not found next to this file"
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
    if not search.first_visit(path, need.original):
        return Applicability.SAFE, ""  # its own answer is being worked out: it holds for this one too
    applicability, reason = _settle(op, search)
    if applicability is None:
        return None, f"op '{need.original}' in {shown} cannot be converted: {reason}"
    if applicability is not Applicability.SAFE:
        return Applicability.UNSAFE, f"op '{need.original}' in {shown} converts only unsafely: {reason}"
    return Applicability.SAFE, ""


def _users(search: _Search, path: str, name: str) -> tuple[list[tuple[str, ImportUse]], list[str]]:
    """Every use of ``name`` from file ``path`` in the other files of the project (following
    re-exports), and the files that could not be searched (unreadable, too many); worked
    out once per index (the index does not change while it answers)."""
    index = search.index
    key = (index.key(path), name)
    if key not in index.users_found:
        index.users_found[key] = _search_users(index, *key)
    return index.users_found[key]


def _search_users(index: ProjectIndex, target: str, name: str) -> tuple[list[tuple[str, ImportUse]], list[str]]:
    root, files = index.project_files(target)
    if files is None:
        return [], [f"the project under {root} has more than {MAX_PROJECT_FILES} Python files to search for importers"]
    found: list[tuple[str, ImportUse]] = []
    unknown: list[str] = []
    pending = [(target, name)]
    seen = {(target, name)}
    while pending:
        module_path, wanted = pending.pop()
        for candidate in files:
            if candidate == module_path:
                continue
            words = index.words(candidate)
            if words is None:
                unknown.append(f"{_shown(candidate, root)} could not be read to search it for importers")
                continue
            if wanted not in words and not index.has_star_import(candidate):
                continue  # a file that never spells the name cannot import it
            summary = index.summary(candidate)
            if not summary.readable:
                unknown.append(f"{_shown(candidate, root)} could not be searched for its importers")
                continue
            for use in summary.uses:
                if use.name not in (wanted, "*") or not imports_module(candidate, use.module, use.level, module_path):
                    continue
                if use.kind == REEXPORT:
                    if (candidate, wanted) not in seen:
                        seen.add((candidate, wanted))
                        pending.append((candidate, wanted))
                    continue
                found.append((candidate, use))
    return found, list(dict.fromkeys(unknown))


def _shown(path: str, root: str) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return path


def _importer_answers(need: ImporterNeed, search: _Search) -> tuple[list[str], list[str]]:
    """(blockers, unsafe reasons) from the other files that use what ``need`` converts."""
    index = search.index
    if need.path.startswith("<") or not os.path.isfile(index.key(need.path)):
        return [], []
    what = {"op": "op", "job": "job", "config": "config class"}.get(need.kind, need.kind)
    users, unknown = _users(search, need.path, need.op)
    root = project_root(index.key(need.path))
    blockers = [f"{what} '{need.op}': {problem}" for problem in unknown]
    unsafe: list[str] = []
    for file, use in users:
        where = f"{_shown(file, root)}:{use.line}"
        if use.kind == STAR:
            blockers.append(f"{what} '{need.op}' may be used by {where}, which imports * from its module")
        elif use.kind == JOB_CALL and need.kind == "op":
            problem = _importing_function_problem(search, file, use.function, job=True)
            if problem is None:
                continue
            applicability, reason = problem
            message = f"job '{use.function}' in {where} calls it and cannot be converted"
            if applicability is None:
                blockers.append(f"op '{need.op}': {message} ({reason})")
            else:
                unsafe.append(f"op '{need.op}': {message} safely ({reason or 'its fix is unsafe'})")
        elif use.kind == ANNOTATION and need.kind == "config":
            problem = _importing_function_problem(search, file, use.function, job=False)
            if problem is not None and problem[0] is None:
                blockers.append(f"op '{use.function}' in {where} takes it and cannot be converted ({problem[1]})")
        elif use.kind == DIRECT_CALL and need.kind == "op":
            unsafe.append(
                f"op '{need.op}' is called directly by {where}; a ZenML step called outside a pipeline "
                "runs as a one-step pipeline"
            )
        else:
            dagster_what = "a Dagster job" if need.kind == "job" else f"a Dagster {what}"
            blockers.append(f"{what} '{need.op}' is used as {dagster_what} by {where}")
    return blockers, unsafe


def _importing_function_problem(
    search: _Search, file: str, function: str, *, job: bool
) -> tuple[Applicability | None, str] | None:
    """Why a job (or op) in another file that uses a converted object does not convert safely
    with it (None: it does, or it is being answered already)."""
    summary = search.index.summary(file)
    found = summary.job(function) if job else None
    fix = found.fix if found is not None else summary.op(function)
    if fix is None:
        return None, f"'{function}' is not a module-level {'job' if job else 'op'}"
    if not search.first_visit(file, function):
        return None
    applicability, reason = _settle(fix, search)
    return None if applicability is Applicability.SAFE else (applicability, reason)


def _settle(fix: FunctionFix, search: _Search) -> tuple[Applicability | None, str]:
    """A one-file fix's applicability once its needs are answered (None: no fix), and why."""
    if fix.applicability is None:
        return None, fix.reason
    blockers, unsafe = _answers(fix.needs, search)
    if blockers:
        return None, "; ".join(blockers)
    reasons = [r for r in [fix.reason, *unsafe] if r]
    if unsafe or fix.applicability is not Applicability.SAFE:
        return Applicability.UNSAFE, "; ".join(reasons)
    return Applicability.SAFE, ""


def _answers(needs: tuple[ImportedOpNeed | ImporterNeed, ...], search: _Search) -> tuple[list[str], list[str]]:
    """(blockers, unsafe reasons) that a fix's needs add."""
    blockers: list[str] = []
    unsafe: list[str] = []
    for need in needs:  # what this fix converts is being answered: asked again, it holds
        if isinstance(need, ImporterNeed):
            search.first_visit(need.path, need.op)
    for need in needs:
        if isinstance(need, ImportedOpNeed):
            applicability, reason = _imported_op_status(need, search)
            if applicability is None:
                blockers.append(f"job '{need.job}' calls {reason}")
            elif applicability is not Applicability.SAFE:
                unsafe.append(f"job '{need.job}' calls {reason}")
        else:
            more_blockers, more_unsafe = _importer_answers(need, search)
            blockers.extend(more_blockers)
            unsafe.extend(more_unsafe)
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
    try:
        blockers, unsafe = _answers(fix.requires, _Search(index))
    except Exception as exc:  # a question about other files that fails is a "no"
        if os.environ.get("DAGSTER_ZENML_LINT_DEBUG"):
            raise
        blockers, unsafe = [f"the other files of the project could not be checked ({type(exc).__name__})"], []
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


# Why a fix was withdrawn when answering the cross-file needs of a file's fixes raised.
SETTLING_FAILED = "the cross-file check of this fix failed (see DZ000)"


def settle_safely(
    findings: list[Finding], project: ProjectIndex | None = None, config: Config | None = None
) -> list[Finding]:
    """Findings with their fixes' cross-file needs answered; a failing answer withdraws those fixes (DZ000).

    ``project`` defaults to a fresh index that reads the other files from disk.
    """
    if not any(f.fix is not None and f.fix.requires for f in findings):
        return findings
    from dagster_zenml_lint.analysis.facts import internal_error_finding
    from dagster_zenml_lint.config import Config
    from dagster_zenml_lint.engine import with_faults

    try:
        return settle_findings(findings, project if project is not None else ProjectIndex())
    except Exception as exc:
        fault = internal_error_finding("the cross-file check of fixes", exc)
    kept = [
        replace(f, fix=None, fix_blocker=SETTLING_FAILED) if f.fix is not None and f.fix.requires else f
        for f in findings
    ]
    return with_faults(kept, [fault], config or Config())


def check_with_fixes(
    text: str,
    path: str = "<string>",
    *,
    tree: ast.Module | None = None,
    config: Config | None = None,
    project: ProjectIndex | None = None,
) -> tuple[list[Finding], FileContext | None]:
    """The engine's findings of one file with fixes, their cross-file needs settled against ``project``.

    The per-file entry point of front-ends that show or apply fixes one file at a time (the
    plugins, the editor, ``fix_text``, the report): the engine leaves the needs open, this
    layer answers them (from ``project``, or from the files on disk when it is None).
    """
    from dagster_zenml_lint.engine import check_source_with_context

    root = project.root if project is not None else None
    findings, ctx = check_source_with_context(text, path, tree=tree, config=config, with_fixes=True, root=root)
    return settle_safely(findings, project, config), ctx
