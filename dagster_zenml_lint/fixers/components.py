"""Ops and the jobs that call them are converted together, as one fix.

A ZenML pipeline cannot call a Dagster op and a Dagster job cannot call a ZenML step,
so an op, every job of the file that calls it, and every op those jobs call form one
*component*: one fix converts all of them (with their retry policies and imports), and
it is only as safe as its least safe member. Each DZ101/DZ102/DZ103/DZ107/DZ228 finding
of the component carries that same fix, so the applier applies it once. The fixers the
rules name live here, above the modules that convert one op (``ops.py``), one job
(``jobs.py``) or one retry policy (``retry.py``), so no fixer module imports its caller.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import ImportedOpNeed, ImporterNeed
from dagster_zenml_lint.fixers.call_forms import CallFormInfo, as_member, call_form_uses, member_name
from dagster_zenml_lint.fixers.edits import (
    FixDraft,
    original_name,
    parent_of,
)
from dagster_zenml_lint.fixers.file_index import file_index, remembered
from dagster_zenml_lint.fixers.imports import ImportPlan, unused_after
from dagster_zenml_lint.fixers.jobs import convert_job, convert_job_uses, missing_inputs
from dagster_zenml_lint.fixers.op_graph import (
    Component,
    ComponentPlan,
    JobBody,
    OpGraph,
    job_decorator,
    op_decorator,
    relative_import,
    walk_component,
)
from dagster_zenml_lint.fixers.ops import convert_op
from dagster_zenml_lint.fixers.retry import RETRY_KEYWORDS, enclosing_retry_call
from dagster_zenml_lint.registry import FixOutcome

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo, Match


def _label(info: FunctionInfo) -> str:
    at = "" if isinstance(info, CallFormInfo) else "@"
    return f"{at}{'job' if job_decorator(info) else 'op'} '{member_name(info)}'"


def _uses(ctx: FileContext, info: FunctionInfo) -> list[ast.Name]:
    """Names that read the module-level binding of an op or job (not its own definition)."""
    if isinstance(info, CallFormInfo):
        return call_form_uses(file_index(ctx), info)
    return uses_of(ctx, info.node)


def uses_of(ctx: FileContext, definition: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> list[ast.Name]:
    """Names that read the binding a function or class definition makes."""
    from dagster_zenml_lint.fixers.edits import scope_of_node

    found = []
    for node in file_index(ctx).loads_by_name.get(definition.name, []):
        binding = ctx.model.lookup(node.id, scope_of_node(ctx, node), (node.lineno, node.col_offset))
        if binding is not None and binding.node is definition:
            found.append(node)
    return found


def enclosing_function(ctx: FileContext, node: ast.AST) -> FunctionInfo | None:
    """The innermost function definition a node sits in (None at module or class level); a
    function that a call form wraps is the op or job it makes (:mod:`.call_forms`)."""
    return _enclosing_function(ctx, node)


def _enclosing_function(ctx: FileContext, node: ast.AST) -> FunctionInfo | None:
    current = parent_of(ctx, node)
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
        current = parent_of(ctx, current)
    index = file_index(ctx)
    return as_member(index, index.function_of(current)) if current is not None else None


def _graph(ctx: FileContext) -> OpGraph:
    return file_index(ctx).op_graph


def _component(ctx: FileContext, start: FunctionInfo) -> Component:
    graph = _graph(ctx)
    shared = graph.components.get(id(start.node)) if graph.symmetric else None
    if shared is not None:
        return shared
    cached = remembered(graph.walked, id(start.node), lambda: walk_component(graph, start))
    lines = {m.node.lineno for m in cached.members}
    regular = op_decorator(start) is not None or job_decorator(start) is not None
    if graph.symmetric and regular and len(lines) == len(cached.members):
        # the same members, in the same (line) order, whichever member the walk starts from
        for member in cached.members:
            graph.components.setdefault(id(member.node), cached)
    return cached


def job_bodies(ctx: FileContext) -> dict[int, JobBody]:
    """What each job of the file calls, by the id of its function node (read once per file)."""
    return _graph(ctx).bodies


def component(ctx: FileContext, start: FunctionInfo) -> tuple[list[FunctionInfo], dict[int, object]]:
    """The ops and jobs converted together with ``start``, and each job's body reading."""
    return list(_component(ctx, start).members), _graph(ctx).bodies  # type: ignore[return-value]


def _check_op_uses(ctx: FileContext, info: FunctionInfo, member_nodes: set[int], draft: FixDraft) -> None:
    name = member_name(info)
    for use in _uses(ctx, info):
        owner = _enclosing_function(ctx, use)
        if owner is not None and id(owner.node) in member_nodes and job_decorator(owner) is not None:
            continue
        if owner is not None and id(owner.node) in member_nodes:
            draft.unsafe(
                f"op '{name}' is called inside op '{member_name(owner)}' (line {use.lineno}); "
                "a step calling a step is not a plain function call"
            )
            continue
        if owner is not None and owner.decorators:
            draft.block(
                f"op '{name}' is used by {', '.join('@' + d.short for d in owner.decorators)} "
                f"'{member_name(owner)}' (line {use.lineno}), which stays Dagster"
            )
            continue
        parent = parent_of(ctx, use)
        if not (isinstance(parent, ast.Call) and parent.func is use):
            # Definitions(...), a schedule, a list handed to Dagster: a step there fails at import
            draft.block(f"op '{name}' is also used on line {use.lineno}, where Dagster may expect an op")


def _check_job_body(
    ctx: FileContext, job: FunctionInfo, body: object, ops: dict[str, FunctionInfo], draft: FixDraft
) -> None:
    name = member_name(job)
    for problem in body.problems:  # type: ignore[attr-defined]
        draft.block(f"job '{name}': {problem}")
    for imported in dict.fromkeys(body.imported):  # type: ignore[attr-defined]
        # whether the imported op converts too is for the other module to say (crossfile.py)
        node = next(
            (r.node for r in ctx.model.imports if r.name == imported and isinstance(r.node, ast.ImportFrom)),
            relative_import(ctx, imported),
        )
        if not isinstance(node, ast.ImportFrom):
            draft.unsafe(f"job '{name}' calls '{imported}', which comes from another module that could not be checked")
            continue
        need = ImportedOpNeed(name, imported, original_name(node, imported), node.module or "", node.level, ctx.path)
        draft.require(need)
    for call in body.calls:  # type: ignore[attr-defined]
        callee = ops.get(call.func.id)
        if callee is None:
            continue
        for missing in missing_inputs(callee, call):
            draft.block(
                f"job '{name}' does not pass input '{missing}' of op '{member_name(callee)}' "
                "(Dagster reads it from run config)"
            )


def plan_component(ctx: FileContext, start: FunctionInfo) -> ComponentPlan:
    """Collect the edits converting ``start``'s component; blockers are kept per member."""
    found = _component(ctx, start)
    graph = _graph(ctx)
    return remembered(graph.plans, found.key, lambda: _plan(ctx, list(found.members), graph))


def _plan(ctx: FileContext, members: list[FunctionInfo], graph: OpGraph) -> ComponentPlan:
    ops, bodies = graph.ops, graph.bodies
    plan = ImportPlan(ctx)
    users = {id(ref.call) for m in members for ref in m.decorators if ref.call is not None}
    member_nodes = {id(m.node) for m in members}
    combined = FixDraft()
    blockers: dict[int, list[str]] = {}
    for member in members:
        draft = FixDraft()
        if job_decorator(member) is not None:
            convert_job(ctx, member, plan, draft, users)
            _check_job_body(ctx, member, bodies[id(member.node)], ops, draft)
            convert_job_uses(ctx, member, _uses(ctx, member), draft)
            draft.require(ImporterNeed(member_name(member), ctx.path, "job"))  # schedules, tests... in other files
        else:
            convert_op(ctx, member, plan, draft, users)
            _check_op_uses(ctx, member, member_nodes, draft)
            draft.require(ImporterNeed(member_name(member), ctx.path))  # jobs and others in other files that import it
        blockers[id(member.node)] = draft.blockers
        combined.edits.extend(draft.edits)
        for reason in draft.unsafe_reasons:
            combined.unsafe(reason)
        for need in draft.needs:
            combined.require(need)
    if not any(blockers.values()):
        orphans = unused_after(ctx, combined.replaced_spans())
        combined.edits.extend(plan.edits(removing=orphans))
    return combined, members, blockers


def fix_for_function(ctx: FileContext, info: FunctionInfo) -> FixOutcome:
    """The fix converting the component of an op or job (or why there is none)."""
    return remembered(_graph(ctx).fixes, id(info.node), lambda: _fix_for_function(ctx, info))


def _fix_for_function(ctx: FileContext, info: FunctionInfo) -> FixOutcome:
    draft, members, blockers = plan_component(ctx, info)
    own = blockers.get(id(info.node), [])
    if own:
        return FixOutcome(blocker="; ".join(own))
    # Every member without blockers of its own gets the same answer: work it out once.
    key = _component(ctx, info).key
    return remembered(_graph(ctx).outcomes, key, lambda: _component_outcome(draft, members, blockers))


def _component_outcome(draft: FixDraft, members: list[FunctionInfo], blockers: dict[int, list[str]]) -> FixOutcome:
    others = [(m, blockers[id(m.node)]) for m in members if blockers[id(m.node)]]
    if others:
        member, reasons = others[0]
        return FixOutcome(blocker=f"converted together with {_label(member)}, which cannot be: {reasons[0]}")
    labels = [_label(m) for m in members]
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return draft.outcome(f"Convert {listed} to ZenML")


def fix_for_decorator_call(ctx: FileContext, call: ast.AST | None) -> FixOutcome:
    """The fix for the op or job whose decorator call is ``call`` (for retry policies)."""
    index = file_index(ctx).ops_and_jobs_by_decorator_call
    info = index.get(id(call) if call is not None else None)
    if info is not None:
        return fix_for_function(ctx, info)
    return FixOutcome(blocker="only a RetryPolicy(...) given to an op or job is rewritten")


# The fixers the rules name (``lazy_fixer("...components:fix_op")``): each finds the
# member of a component its finding is about and returns the component's one fix.


def fix_op(ctx: FileContext, match: Match) -> FixOutcome:
    """DZ101 fixer: the op (``@op`` or ``op(fn)``) is converted together with the jobs that call it."""
    info = file_index(ctx).ops_by_decorator_node.get(id(match.node))
    if info is None:
        return _call_form_blocker(ctx, match.node, "op")
    return fix_for_function(ctx, info)


def _call_form_blocker(ctx: FileContext, node: ast.AST | None, decorator: str) -> FixOutcome:
    """Why an op or job reference that is neither a decorator nor a rewritten call form has no fix."""
    problem = file_index(ctx).call_forms.problems.get(id(node))
    return FixOutcome(blocker=problem or f"only an @{decorator} or '{decorator}(fn)' assigned to a name is rewritten")


def fix_io_spec(ctx: FileContext, match: Match) -> FixOutcome:
    """DZ228 fixer: a plain ``In``/``Out`` given to an ``@op`` moves into the signature with the op's fix."""
    decorator_calls = file_index(ctx).op_decorator_calls
    current = parent_of(ctx, match.node) if match.node is not None else None
    while current is not None and not isinstance(current, ast.stmt):
        if id(current) in decorator_calls:
            return fix_for_decorator_call(ctx, current)
        current = parent_of(ctx, current)
    return FixOutcome(blocker="only In(...)/Out(...) given to an @op are rewritten (with the op)")


def fix_job(ctx: FileContext, match: Match) -> FixOutcome:
    """DZ102 fixer: the job is converted together with the ops it calls."""
    info = file_index(ctx).jobs_by_decorator_node.get(id(match.node))
    if info is None:
        return _call_form_blocker(ctx, match.node, "job")
    return fix_for_function(ctx, info)


def fix_execute_in_process(ctx: FileContext, match: Match) -> FixOutcome:
    """DZ107 fixer for ``my_job.execute_in_process()``: part of converting ``my_job``."""
    call = match.node
    func = call.func if isinstance(call, ast.Call) else None
    receiver = func.value if isinstance(func, ast.Attribute) and func.attr == "execute_in_process" else None
    if not isinstance(receiver, ast.Name):
        return FixOutcome(blocker="only execute_in_process() on a job defined in this file is rewritten")

    info = file_index(ctx).jobs_by_name.get(receiver.id)
    if info is None:
        return FixOutcome(blocker="only execute_in_process() on a job defined in this file is rewritten")
    return fix_for_function(ctx, info)


def fix_retry_policy(ctx: FileContext, match: Match) -> FixOutcome:
    """DZ103 fixer: the policy is converted together with the op or job that uses it."""

    if isinstance(match.node, ast.keyword) and match.node.arg in RETRY_KEYWORDS:
        return fix_for_decorator_call(ctx, parent_of(ctx, match.node))
    call = enclosing_retry_call(ctx, match.node)
    if call is None:
        return FixOutcome(blocker="only a RetryPolicy(...) given to an op or job is rewritten")
    parent = parent_of(ctx, call)
    if isinstance(parent, ast.keyword) and parent.arg in RETRY_KEYWORDS:
        return fix_for_decorator_call(ctx, parent_of(ctx, parent))
    if isinstance(parent, ast.Assign):
        return FixOutcome(blocker="converted together with the ops and jobs that use it")
    return FixOutcome(blocker="only a RetryPolicy(...) given to an op or job is rewritten")
