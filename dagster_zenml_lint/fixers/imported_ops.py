"""Ops a job imports from another module of the project: will they become ZenML steps too?

A job whose body calls ``from .ops import load`` can only become a pipeline safely when
``load`` becomes a step as well: when it is already a ZenML step, or an ``@op`` whose own
fix is safe (``check --fix`` on the project converts both files). The module is found
next to the job's file (relative imports) or in a parent directory (absolute ones);
when it cannot be found or read, the job's fix stays unsafe.
"""

from __future__ import annotations

import ast
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Applicability
from dagster_zenml_lint.fixers.edits import per_file

if TYPE_CHECKING:
    from dagster_zenml_lint.engine import FileContext

# Files whose ops are being checked right now (a job in file A importing from B whose
# job imports from A must not recurse forever).
_IN_PROGRESS: ContextVar[frozenset[str]] = ContextVar("imported_ops_in_progress", default=frozenset())
SEARCH_DEPTH = 6


def _module_file(start: Path, module: str, level: int) -> Path | None:
    parts = [p for p in module.split(".") if p]
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
            if parts and path.is_file():
                return path
    return None


def _is_zenml_step(ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
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


def imported_op_safety(ctx: FileContext, name: str) -> tuple[Applicability | None, str]:
    """How safely the imported callable ``name`` becomes a step: SAFE, UNSAFE, or None (no fix).

    Worked out once per name and file (every job calling ``name`` asks the same question).
    """
    key = ("imported op safety", name, optimistic(), _IN_PROGRESS.get())
    return per_file(ctx, key, lambda: _imported_op_safety(ctx, name))


def _imported_op_safety(ctx: FileContext, name: str) -> tuple[Applicability | None, str]:
    from dagster_zenml_lint.engine import analyze
    from dagster_zenml_lint.fixers.components import fix_for_function
    from dagster_zenml_lint.fixers.ops import op_decorator
    from dagster_zenml_lint.source import SourceError, read_source

    if optimistic():
        return Applicability.SAFE, ""
    record = next((r for r in ctx.model.imports if r.name == name and isinstance(r.node, ast.ImportFrom)), None)
    node = record.node if record is not None else None
    if not isinstance(node, ast.ImportFrom) or ctx.path.startswith("<"):
        return Applicability.UNSAFE, f"'{name}' comes from another module that could not be checked"
    original = next((a.name for a in node.names if (a.asname or a.name) == name), name)
    path = _module_file(Path(ctx.path), node.module or "", node.level)
    shown = "." * node.level + (node.module or "")
    if path is None:
        return Applicability.UNSAFE, f"'{name}' comes from {shown}, which was not found next to this file"
    key = str(path.resolve())
    if key in _IN_PROGRESS.get():
        return Applicability.UNSAFE, f"'{name}' comes from {shown}, which imports this file back"
    try:
        text = read_source(path).text
        tree = ast.parse(text, filename=str(path))
    except (SourceError, SyntaxError, ValueError):
        return Applicability.UNSAFE, f"'{name}' comes from {shown}, which could not be read"
    other = analyze(str(path), text, tree)
    info = next((f for f in other.functions if f.node.name == original and f.node in tree.body), None)
    if info is None:
        return Applicability.UNSAFE, f"'{name}' is not a function defined in {shown}"
    if _is_zenml_step(other, info.node):
        return Applicability.SAFE, ""
    if op_decorator(info) is None:
        return None, f"'{name}' from {shown} is neither an op nor a ZenML step"
    token = _IN_PROGRESS.set(_IN_PROGRESS.get() | {str(Path(ctx.path).resolve()), key})
    try:
        outcome = fix_for_function(other, info)
    finally:
        _IN_PROGRESS.reset(token)
    if outcome.fix is None:
        return None, f"op '{original}' in {shown} cannot be converted: {outcome.blocker}"
    if outcome.fix.applicability is not Applicability.SAFE:
        return Applicability.UNSAFE, f"op '{original}' in {shown} converts only unsafely: {outcome.blocker}"
    return Applicability.SAFE, ""


# While checking the jobs of an importing file for an op's sake, ops those jobs import are
# taken as convertible: only the jobs' own obstacles count, and nothing recurses.
_OPTIMISTIC: ContextVar[bool] = ContextVar("imported_ops_optimistic", default=False)
MAX_SIBLINGS = 200


def optimistic() -> bool:
    """Whether imported ops are being assumed convertible (see :func:`importer_obstacles`)."""
    return _OPTIMISTIC.get()


def _importing_siblings(here: Path) -> list[tuple[Path, FileContext]]:
    """Parsed ``*.py`` files next to ``here`` that import from its module."""
    from dagster_zenml_lint.engine import analyze
    from dagster_zenml_lint.source import SourceError, read_source

    found = []
    siblings = sorted(p for p in here.parent.glob("*.py") if p.resolve() != here.resolve())[:MAX_SIBLINGS]
    for sibling in siblings:
        try:
            text = read_source(sibling).text
        except SourceError:
            continue
        if here.stem not in text or "dagster" not in text:
            continue
        try:
            tree = ast.parse(text, filename=str(sibling))
        except (SyntaxError, ValueError):
            continue
        found.append((sibling, analyze(str(sibling), text, tree)))
    return found


def _source_of(ctx: FileContext, node: ast.AST) -> str:
    """``ast.unparse`` of a node, once per file context."""
    return per_file(ctx, ("unparsed", id(node)), lambda: ast.unparse(node))


def importer_obstacles(ctx: FileContext, op_name: str) -> list[str]:
    """Why converting an op would break a job in a sibling file that imports it (empty: nothing breaks).

    Looks at the ``*.py`` files in the op's directory that import ``op_name`` from the
    op's module and call it from an ``@job``: each such job must convert safely itself.
    """
    from dagster_zenml_lint.fixers.components import fix_for_function
    from dagster_zenml_lint.fixers.jobs import job_decorator

    if optimistic() or ctx.path.startswith("<"):
        return []
    here = Path(ctx.path)
    if not here.is_file():
        return []
    obstacles: list[str] = []
    for sibling, other in per_file(ctx, "importing siblings", lambda: _importing_siblings(here)):
        imported_here = any(
            isinstance(r.node, ast.ImportFrom)
            and (r.node.module or "").rsplit(".", 1)[-1] == here.stem
            and any(a.name == op_name for a in r.node.names)
            for r in other.model.imports
        )
        if not imported_here:
            continue
        token = _OPTIMISTIC.set(True)
        try:
            for info in other.functions:
                if job_decorator(info) is None or op_name not in _source_of(other, info.node):
                    continue
                outcome = fix_for_function(other, info)
                if outcome.fix is None or outcome.fix.applicability is not Applicability.SAFE:
                    obstacles.append(
                        f"job '{info.node.name}' in {sibling.name} calls it and cannot be converted safely "
                        f"({outcome.blocker})"
                    )
        finally:
            _OPTIMISTIC.reset(token)
    return obstacles
