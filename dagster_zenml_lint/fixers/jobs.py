"""DZ102: ``@job`` -> ``@pipeline`` (``from zenml import pipeline``).

Safe when the job takes no arguments beyond ``name=`` (``op_retry_policy=`` becomes
``retry=`` through :mod:`.retry`) and its body only calls the file's ops and passes
their outputs along. ``config=``, ``resource_defs=``, ``executor_def=``,
``partitions_def=``, ``hooks=``, ``tags=`` and the like block the fix, as do
``.alias()``, ``.configured()``, ``.with_hooks()``, ``.map()`` and ``.collect()``
in the body. ``my_job.execute_in_process()`` without arguments, as a statement,
becomes ``my_job()`` (ZenML runs a pipeline by calling it); any other use of the job
(a schedule, a sensor, ``Definitions(jobs=...)``) blocks the fix, in this file or another
(:mod:`.crossfile`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Edit
from dagster_zenml_lint.fixers.call_forms import CallFormInfo, member_name
from dagster_zenml_lint.fixers.decorator_args import DecoratorTable, convert_decorator_keywords
from dagster_zenml_lint.fixers.edits import (
    FixDraft,
    parameter_list,
    parent_of,
)
from dagster_zenml_lint.fixers.file_index import file_index
from dagster_zenml_lint.fixers.imports import ImportPlan
from dagster_zenml_lint.fixers.op_graph import job_decorator

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo

BLOCKING = {
    "config": "config= (run config moves to configs/*.yaml; see DZ217)",
    "resource_defs": "resource_defs= (resources need a redesign; see DZ206)",
    "executor_def": "executor_def= (the executor becomes a stack orchestrator; see DZ213)",
    "partitions_def": "partitions_def= (partitions have no ZenML equivalent; see DZ301)",
    "hooks": "hooks= (hooks become on_success/on_failure; see DZ216)",
    "tags": "tags= (job tags configure Dagster infrastructure; see DZ214)",
    "run_tags": "run_tags=",
    "metadata": "metadata=",
    "logger_defs": "logger_defs=",
    "input_values": "input_values= (ZenML pipeline parameters differ)",
    "owners": "owners=",
}
DROPPED_UNSAFE = {"description": "description= is dropped (ZenML shows the docstring)"}
JOB_TABLE = DecoratorTable("job", "pipeline", DROPPED_UNSAFE, BLOCKING)


def missing_inputs(info: FunctionInfo, call: ast.Call) -> list[str]:
    """Required op inputs that a job's call does not pass (Dagster would read them from run config)."""
    context = info.context.name if info.context is not None else None
    params = [p for p in parameter_list(info.node.args) if p.arg != context]
    args = info.node.args
    defaults = len(args.defaults)
    positional = [*args.posonlyargs, *args.args]
    with_default = {p.arg for p in positional[len(positional) - defaults :]} if defaults else set()
    with_default |= {p.arg for p, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None}
    given = {p.arg for p in params[: len(call.args)]} | {k.arg for k in call.keywords if k.arg}
    return [p.arg for p in params if p.arg not in given and p.arg not in with_default]


def convert_job(ctx: FileContext, info: FunctionInfo, plan: ImportPlan, draft: FixDraft, users: set[int]) -> None:
    """Add the edits turning one ``@job`` function into a ``@pipeline`` (or blockers)."""
    node = info.node
    name = member_name(info)
    ref = job_decorator(info)
    if ref is None or (ref.role != "decorator" and not isinstance(info, CallFormInfo)):
        draft.block(f"job '{name}' is not made with a plain @job decorator")
        return
    if not file_index(ctx).is_module_level(node):
        draft.block(f"job '{name}' is not defined at module level")
    if len(node.decorator_list) > 1 or isinstance(node, ast.AsyncFunctionDef):
        draft.block(f"job '{name}' has other decorators or is async")
    if parameter_list(node.args) or node.args.vararg or node.args.kwarg:
        draft.block(f"job '{name}' takes parameters")
    if draft.blockers:
        return
    draft.add(Edit(*ctx.node_span(ref.node), plan.name("zenml", "pipeline")))
    call = ref.call
    if call is None:
        return
    convert_decorator_keywords(ctx, call, name, JOB_TABLE, plan, draft, users)


def convert_job_uses(ctx: FileContext, info: FunctionInfo, uses: list[ast.Name], draft: FixDraft) -> None:
    """Rewrite ``job.execute_in_process()`` to ``job()``; any other use makes the fix unsafe."""
    name = member_name(info)
    for use in uses:
        attribute = parent_of(ctx, use)
        call = parent_of(ctx, attribute) if isinstance(attribute, ast.Attribute) else None
        if not (
            isinstance(attribute, ast.Attribute)
            and attribute.attr == "execute_in_process"
            and isinstance(call, ast.Call)
            and call.func is attribute
        ):
            # a schedule, a sensor, Definitions(jobs=...): handed a pipeline, Dagster fails at import
            draft.block(f"job '{name}' is also used on line {use.lineno}, where Dagster expects a job")
            continue
        if call.args or call.keywords:
            shown = ", ".join(f"{k.arg}=" if k.arg else "**" for k in call.keywords) or "..."
            draft.block(
                f"{name}.execute_in_process({shown}) on line {call.lineno} passes run settings (see DZ107/DZ217)"
            )
            continue
        draft.add(Edit(*ctx.node_span(attribute), name))
        if not _result_unused(ctx, call):
            draft.unsafe(
                f"the result of {name}.execute_in_process() on line {call.lineno} is used; "
                "calling a ZenML pipeline returns a pipeline run, not an ExecuteInProcessResult"
            )


def _result_unused(ctx: FileContext, call: ast.Call) -> bool:
    """Whether a call's value is thrown away (a statement, or a name nothing reads)."""
    parent = parent_of(ctx, call)
    if isinstance(parent, ast.Expr):
        return True
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return not file_index(ctx).loads_by_name.get(parent.targets[0].id)
    return False
