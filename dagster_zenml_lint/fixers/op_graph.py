"""A file's ops and jobs and who calls whom: what the op/job fixes read before they edit.

An op, every job of the file that calls it, and every op those jobs call form one
*component*, converted by one fix (``components.py``). This module finds the ops and jobs,
reads each job's body (:func:`read_job_body`) and walks components; it answers from one
:class:`FileContext` and imports no other fixer module, so
:class:`~.file_index.FileIndex` computes the :class:`OpGraph` once per file.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dagster_zenml_lint.fixers.call_forms import member_name

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo, Reference
    from dagster_zenml_lint.fixers.edits import FixDraft
    from dagster_zenml_lint.registry import FixOutcome

COMPOSITION_METHODS = ("alias", "configured", "with_hooks", "with_retry_policy", "tag", "map", "collect")

MemberIds = frozenset[int]
"""The ids of the function nodes of a component's members: the key its shared plan is kept under."""
ComponentPlan = tuple["FixDraft", list["FunctionInfo"], dict[int, list[str]]]
"""A component's edits, its members, and each member's own blockers (by function node id)."""


def op_decorator(info: FunctionInfo) -> Reference | None:
    """The ``@op`` decorator reference of a function, if it has one."""
    return next((d for d in info.decorators if d.canonical == "dagster.op" and not d.attrs), None)


def job_decorator(info: FunctionInfo) -> Reference | None:
    """The ``@job`` decorator reference of a function, if it has one."""
    return next((d for d in info.decorators if d.canonical == "dagster.job" and not d.attrs), None)


@dataclass
class JobBody:
    """What a job body calls: op names (in this file), imported callables, problems."""

    ops: list[str] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)
    calls: list[ast.Call] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_job_body(ctx: FileContext, info: FunctionInfo, op_names: set[str]) -> JobBody:
    """Check that a job body only wires op calls, and list the ops it calls."""
    body = JobBody()
    outputs: set[str] = set()
    statements = list(info.node.body)
    if statements and isinstance(statements[0], ast.Expr) and isinstance(statements[0].value, ast.Constant):
        statements = statements[1:]
    for stmt in statements:
        if isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Return) and stmt.value is None):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            _read_call(ctx, stmt.value, op_names, outputs, body)
        elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and len(stmt.targets) == 1:
            _read_call(ctx, stmt.value, op_names, outputs, body)
            target = stmt.targets[0]
            names = target.elts if isinstance(target, ast.Tuple) else [target]
            if not all(isinstance(n, ast.Name) for n in names):
                body.problems.append(f"line {stmt.lineno} unpacks op outputs into something other than names")
            outputs.update(n.id for n in names if isinstance(n, ast.Name))
        else:
            body.problems.append(f"line {stmt.lineno} is not a plain op call (only op calls are rewritten)")
    return body


def _read_call(ctx: FileContext, call: ast.Call, op_names: set[str], outputs: set[str], body: JobBody) -> None:
    func = call.func
    if isinstance(func, ast.Attribute):
        method = func.attr if func.attr in COMPOSITION_METHODS else None
        shown = f".{method}()" if method else f"'{ctx.segment(func)}'"
        body.problems.append(f"line {call.lineno} calls {shown}, which has no plain step equivalent")
        return
    if isinstance(func, ast.Call):
        inner = func.func
        if isinstance(inner, ast.Attribute) and inner.attr in COMPOSITION_METHODS:
            body.problems.append(f"line {call.lineno} uses .{inner.attr}(), which has no plain step equivalent")
        else:
            body.problems.append(f"line {call.lineno} calls the result of a call")
        return
    if not isinstance(func, ast.Name):
        body.problems.append(f"line {call.lineno} calls something that is not an op")
        return
    if func.id in op_names:
        body.ops.append(func.id)
    elif _is_imported(ctx, func.id):
        body.imported.append(func.id)
    else:
        body.problems.append(f"line {call.lineno} calls '{func.id}', which is not an op of this file")
        return
    body.calls.append(call)
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        if isinstance(arg, ast.Call):
            _read_call(ctx, arg, op_names, outputs, body)
        elif isinstance(arg, ast.Name) and arg.id in outputs:
            continue
        else:
            body.problems.append(
                f"line {call.lineno} passes '{ctx.segment(arg)}' to '{func.id}' (only op outputs are rewritten)"
            )
    if any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        body.problems.append(f"line {call.lineno} unpacks arguments with * or **")


def _is_imported(ctx: FileContext, name: str) -> bool:
    from dagster_zenml_lint.dagster_packages import DAGSTER_PACKAGES

    if any(r.name == name and r.qualname.split(".", 1)[0] not in DAGSTER_PACKAGES for r in ctx.model.imports):
        return True
    return relative_import(ctx, name) is not None


def relative_import(ctx: FileContext, name: str) -> ast.ImportFrom | None:
    """The ``from .module import name`` statement binding ``name`` at module level, if that is what binds it."""
    bindings = ctx.model.module_scope.bindings.get(name, [])
    node = bindings[-1].node if bindings else None
    return node if isinstance(node, ast.ImportFrom) and node.level else None


@dataclass
class Component:
    """Ops and jobs converted together, sorted by line, with the key their shared plan is kept under."""

    members: list[FunctionInfo]
    key: MemberIds


@dataclass
class OpGraph:
    """The file's ops and jobs and who calls whom, and what the component fixes worked out for them.

    The last four fields are filled by ``components.py`` as it answers findings: a walk
    from a member, a component's plan and outcome (by its members), a member's fix.
    """

    ops: dict[str, FunctionInfo]  # op name -> the (last) op of that name
    jobs: list[FunctionInfo]
    bodies: dict[int, JobBody]  # job node id -> what its body calls
    callers: dict[str, list[FunctionInfo]]  # op name -> jobs calling it, in file order
    symmetric: bool  # every edge is walked both ways: a component is the same from each member
    components: dict[int, Component] = field(default_factory=dict)  # shared by every member (symmetric)
    walked: dict[int, Component] = field(default_factory=dict)  # the walk from one start node
    plans: dict[MemberIds, ComponentPlan] = field(default_factory=dict)
    outcomes: dict[MemberIds, FixOutcome] = field(default_factory=dict)
    fixes: dict[int, FixOutcome] = field(default_factory=dict)  # function node id -> its component's fix


def read_op_graph(ctx: FileContext, candidates: list[FunctionInfo]) -> OpGraph:
    """The ops and jobs among ``candidates`` (functions, call forms) and the job bodies' calls, both ways."""
    op_infos = [f for f in candidates if op_decorator(f) is not None]
    ops = {member_name(f): f for f in op_infos}
    jobs = [f for f in candidates if job_decorator(f) is not None]
    bodies = {id(j.node): read_job_body(ctx, j, set(ops)) for j in jobs}
    callers: dict[str, list[FunctionInfo]] = {}
    for job in jobs:
        for name in dict.fromkeys(bodies[id(job.node)].ops):
            callers.setdefault(name, []).append(job)
    # A job reaches ops[name]; an op reaches the jobs calling its name. Both directions
    # agree unless an op name is defined twice or a function is both an op and a job.
    job_ids = {id(j.node) for j in jobs}
    symmetric = len(ops) == len(op_infos) and not any(id(f.node) in job_ids for f in op_infos)
    return OpGraph(ops, jobs, bodies, callers, symmetric)


def walk_component(graph: OpGraph, start: FunctionInfo) -> Component:
    """The members reached from ``start``: a job reaches the ops it calls, an op the jobs calling it."""
    members: list[FunctionInfo] = []
    seen: set[int] = set()
    pending = [start]
    while pending:
        info = pending.pop()
        if id(info.node) in seen:
            continue
        seen.add(id(info.node))
        members.append(info)
        if job_decorator(info) is not None:
            pending.extend(graph.ops[name] for name in graph.bodies[id(info.node)].ops)
        else:
            pending.extend(graph.callers.get(member_name(info), ()))
    members.sort(key=lambda f: f.node.lineno)
    return Component(members, frozenset(id(m.node) for m in members))


def by_decorator(
    candidates: list[FunctionInfo],
    kind: Callable[[FunctionInfo], object],
    key: Callable[[Reference], int | None] = lambda ref: id(ref.node),
) -> dict[int | None, FunctionInfo]:
    """Functions (and call forms) for which ``kind(info)`` is set, by a key of each of their
    decorators (default: the decorator node's id); the first of the file wins a key."""
    found: dict[int | None, FunctionInfo] = {}
    for info in candidates:
        if kind(info) is not None:
            for ref in info.decorators:
                found.setdefault(key(ref), info)
    return found


def decorator_call_id(ref: Reference) -> int | None:
    """The id of a decorator's call (``@op(...)``), None for a bare decorator."""
    return id(ref.call) if ref.call is not None else None
