"""Ops and the jobs that call them are converted together, as one fix.

A ZenML pipeline cannot call a Dagster op and a Dagster job cannot call a ZenML step,
so an op, every job of the file that calls it, and every op those jobs call form one
*component*: one fix converts all of them (with their retry policies and imports), and
it is only as safe as its least safe member. Each DZ101/DZ102/DZ103/DZ107 finding of
the component carries that same fix, so the applier applies it once.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Applicability
from dagster_zenml_lint.fixers.edits import FixDraft, per_file
from dagster_zenml_lint.fixers.imported_ops import imported_op_safety, importer_obstacles
from dagster_zenml_lint.fixers.imports import ImportPlan, removal_edits, replace_removed_import, unused_after
from dagster_zenml_lint.fixers.jobs import convert_job, convert_job_uses, job_decorator, missing_inputs, read_job_body
from dagster_zenml_lint.fixers.ops import convert_op, op_decorator
from dagster_zenml_lint.registry import FixOutcome

if TYPE_CHECKING:
    from dagster_zenml_lint.engine import FileContext, FunctionInfo


def _label(info: FunctionInfo) -> str:
    return f"@{'job' if job_decorator(info) else 'op'} '{info.node.name}'"


def _loads_by_name(ctx: FileContext) -> dict[str, list[ast.Name]]:
    def compute() -> dict[str, list[ast.Name]]:
        index: dict[str, list[ast.Name]] = {}
        for node in ast.walk(ctx.tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                index.setdefault(node.id, []).append(node)
        return index

    return per_file(ctx, "loads by name", compute)


def _uses(ctx: FileContext, info: FunctionInfo) -> list[ast.Name]:
    """Names that read the module-level binding of a function (not its own definition)."""
    from dagster_zenml_lint.fixers.edits import scope_of_node

    found = []
    for node in _loads_by_name(ctx).get(info.node.name, []):
        binding = ctx.model.lookup(node.id, scope_of_node(ctx, node), (node.lineno, node.col_offset))
        if binding is not None and binding.node is info.node:
            found.append(node)
    return found


def _enclosing_function(ctx: FileContext, node: ast.AST) -> FunctionInfo | None:
    from dagster_zenml_lint.fixers.edits import parent_of

    current = parent_of(ctx, node)
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
        current = parent_of(ctx, current)
    return next((f for f in ctx.functions if f.node is current), None) if current is not None else None


def component(ctx: FileContext, start: FunctionInfo) -> tuple[list[FunctionInfo], dict[int, object]]:
    """The ops and jobs converted together with ``start``, and each job's body reading."""
    ops = {f.node.name: f for f in ctx.functions if op_decorator(f) is not None}
    jobs = [f for f in ctx.functions if job_decorator(f) is not None]
    bodies = per_file(ctx, "job bodies", lambda: {id(j.node): read_job_body(ctx, j, set(ops)) for j in jobs})
    members: list[FunctionInfo] = []
    pending = [start]
    while pending:
        info = pending.pop()
        if any(m.node is info.node for m in members):
            continue
        members.append(info)
        if job_decorator(info) is not None:
            pending.extend(ops[name] for name in bodies[id(info.node)].ops)  # type: ignore[attr-defined]
        else:
            pending.extend(j for j in jobs if info.node.name in bodies[id(j.node)].ops)  # type: ignore[attr-defined]
    members.sort(key=lambda f: f.node.lineno)
    return members, bodies  # type: ignore[return-value]


def _check_op_uses(ctx: FileContext, info: FunctionInfo, members: list[FunctionInfo], draft: FixDraft) -> None:
    member_nodes = {id(m.node) for m in members}
    for use in _uses(ctx, info):
        owner = _enclosing_function(ctx, use)
        if owner is not None and id(owner.node) in member_nodes and job_decorator(owner) is not None:
            continue
        if owner is not None and id(owner.node) in member_nodes:
            draft.unsafe(
                f"op '{info.node.name}' is called inside op '{owner.node.name}' (line {use.lineno}); "
                "a step calling a step is not a plain function call"
            )
            continue
        if owner is not None and owner.decorators:
            draft.block(
                f"op '{info.node.name}' is used by {', '.join('@' + d.short for d in owner.decorators)} "
                f"'{owner.node.name}' (line {use.lineno}), which stays Dagster"
            )
            continue
        from dagster_zenml_lint.fixers.edits import parent_of

        parent = parent_of(ctx, use)
        if not (isinstance(parent, ast.Call) and parent.func is use):
            draft.unsafe(f"op '{info.node.name}' is also used on line {use.lineno}, where Dagster may expect an op")


def _check_job_body(
    ctx: FileContext, job: FunctionInfo, body: object, ops: dict[str, FunctionInfo], draft: FixDraft
) -> None:
    name = job.node.name
    for problem in body.problems:  # type: ignore[attr-defined]
        draft.block(f"job '{name}': {problem}")
    for imported in dict.fromkeys(body.imported):  # type: ignore[attr-defined]
        applicability, reason = imported_op_safety(ctx, imported)
        if applicability is None:
            draft.block(f"job '{name}' calls {reason}")
        elif applicability is not Applicability.SAFE:
            draft.unsafe(f"job '{name}' calls {reason}")
    for call in body.calls:  # type: ignore[attr-defined]
        callee = ops.get(call.func.id)
        if callee is None:
            continue
        for missing in missing_inputs(callee, call):
            draft.block(
                f"job '{name}' does not pass input '{missing}' of op '{callee.node.name}' "
                "(Dagster reads it from run config)"
            )


def plan_component(ctx: FileContext, start: FunctionInfo) -> tuple[FixDraft, list[FunctionInfo], dict[int, list[str]]]:
    """Collect the edits converting ``start``'s component; blockers are kept per member."""
    members, bodies = component(ctx, start)
    key = ("component plan", frozenset(id(m.node) for m in members))
    return per_file(ctx, key, lambda: _plan(ctx, members, bodies))


def _plan(
    ctx: FileContext, members: list[FunctionInfo], bodies: dict[int, object]
) -> tuple[FixDraft, list[FunctionInfo], dict[int, list[str]]]:
    ops = {f.node.name: f for f in ctx.functions if op_decorator(f) is not None}
    plan = ImportPlan(ctx)
    users = {id(ref.call) for m in members for ref in m.decorators if ref.call is not None}
    combined = FixDraft()
    blockers: dict[int, list[str]] = {}
    for member in members:
        draft = FixDraft()
        if job_decorator(member) is not None:
            convert_job(ctx, member, plan, draft, users)
            _check_job_body(ctx, member, bodies[id(member.node)], ops, draft)
            convert_job_uses(ctx, member, _uses(ctx, member), draft)
        else:
            convert_op(ctx, member, plan, draft, users)
            _check_op_uses(ctx, member, members, draft)
            for obstacle in importer_obstacles(ctx, member.node.name):
                draft.unsafe(f"op '{member.node.name}': {obstacle}")
        blockers[id(member.node)] = draft.blockers
        combined.edits.extend(draft.edits)
        for reason in draft.unsafe_reasons:
            combined.unsafe(reason)
    if not any(blockers.values()):
        orphans = unused_after(ctx, combined.replaced_spans())
        combined.edits.extend(replace_removed_import(ctx, plan.edits(), removal_edits(ctx, orphans)))
    return combined, members, blockers


def fix_for_function(ctx: FileContext, info: FunctionInfo) -> FixOutcome:
    """The fix converting the component of an op or job (or why there is none)."""
    return per_file(ctx, ("component fix", id(info.node)), lambda: _fix_for_function(ctx, info))


def _fix_for_function(ctx: FileContext, info: FunctionInfo) -> FixOutcome:
    draft, members, blockers = plan_component(ctx, info)
    own = blockers.get(id(info.node), [])
    if own:
        return FixOutcome(blocker="; ".join(own))
    others = [(m, blockers[id(m.node)]) for m in members if blockers[id(m.node)]]
    if others:
        member, reasons = others[0]
        return FixOutcome(blocker=f"converted together with {_label(member)}, which cannot be: {reasons[0]}")
    labels = [_label(m) for m in members]
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return draft.outcome(f"Convert {listed} to ZenML")


def fix_for_decorator_call(ctx: FileContext, call: ast.AST | None) -> FixOutcome:
    """The fix for the op or job whose decorator call is ``call`` (for retry policies)."""
    for info in ctx.functions:
        converted = op_decorator(info) is not None or job_decorator(info) is not None
        if converted and any(ref.call is call for ref in info.decorators):
            return fix_for_function(ctx, info)
    return FixOutcome(blocker="only a RetryPolicy(...) given to an op or job is rewritten")
