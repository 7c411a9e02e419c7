"""DZ106 ``context.log.<level>(...)`` and DZ108 ``get_dagster_logger()`` -> standard ``logging``.

ZenML captures a step's standard ``logging`` output, so both become a plain logger.
DZ108 is safe: ``get_dagster_logger()`` already returns a ``logging.Logger``. DZ106 is
unsafe: the records leave Dagster's structured event log, and the context parameter is
removed from an op or asset when nothing else reads it (a signature change).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Edit
from dagster_zenml_lint.fixers.edits import (
    FixDraft,
    function_of_node,
    newline_of,
    parameter_list,
    parent_of,
    per_file,
    remove_items,
    resolves_to,
)
from dagster_zenml_lint.fixers.imports import ImportPlan, removal_edits, unused_after
from dagster_zenml_lint.registry import FixOutcome

if TYPE_CHECKING:
    from dagster_zenml_lint.engine import ContextParam, ContextUse, FileContext, Match

LOG_METHODS = frozenset({"debug", "info", "warning", "error", "critical", "exception", "log"})


def _log_call(ctx: FileContext, name: ast.Name, chain: tuple[str, ...]) -> ast.Attribute | None:
    """The ``context.log`` attribute of a ``context.log.<level>(...)`` call, else None."""
    if len(chain) != 2 or chain[0] != "log" or chain[1] not in LOG_METHODS:
        return None
    log_attr = parent_of(ctx, name)
    method_attr = parent_of(ctx, log_attr) if isinstance(log_attr, ast.Attribute) else None
    call = parent_of(ctx, method_attr) if isinstance(method_attr, ast.Attribute) else None
    if isinstance(call, ast.Call) and call.func is method_attr:
        return log_attr  # type: ignore[return-value]
    return None


def _is_name_dunder(args: list[ast.expr]) -> bool:
    return len(args) == 1 and isinstance(args[0], ast.Name) and args[0].id == "__name__"


def _existing_module_logger(ctx: FileContext) -> str | None:
    """The name of the first module-level ``x = logging.getLogger(__name__)`` (or ``get_dagster_logger()``)."""
    for stmt in ctx.tree.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Call)
            and (
                (ctx.segment(stmt.value.func).endswith("getLogger") and _is_name_dunder(stmt.value.args))
                or (resolves_to(ctx, stmt.value.func, "dagster.get_dagster_logger") and not stmt.value.args)
            )
        ):
            return stmt.targets[0].id
    return None


def module_logger(ctx: FileContext, plan: ImportPlan) -> tuple[str, str]:
    """The module-level logger to log through: (its name, the lines defining it if new)."""
    existing = per_file(ctx, "module logger", lambda: _existing_module_logger(ctx))
    if existing is not None:
        return existing, ""
    logging_name = plan.module("logging")
    name = plan.free_name("logger", "module_")
    newline = newline_of(ctx.text)
    return name, f"{newline}{name} = {logging_name}.getLogger(__name__){newline}"


def remove_context_parameter(ctx: FileContext, param: ContextParam, draft: FixDraft) -> None:
    """Delete a context parameter from its function's signature."""
    args = param.function.args
    params = parameter_list(args)
    index = next(i for i, p in enumerate(params) if p.arg == param.name)
    if args.posonlyargs or args.kwonlyargs:
        draft.block("the context parameter sits among positional-only or keyword-only markers")
        return
    if len(params) == 1 and not (args.vararg or args.kwarg):
        draft.add(Edit(*ctx.node_span(params[0]), ""))
        return
    if len(params) == 1:
        draft.block("the context parameter is followed by *args/**kwargs")
        return
    for edit in remove_items(ctx, params, {index}):
        draft.add(edit)


def fix_context_log(ctx: FileContext, match: Match) -> FixOutcome:
    """DZ106 fixer: every ``context.log.<level>`` of the function goes through a module logger."""

    def index() -> dict[int, ContextUse]:
        found: dict[int, ContextUse] = {}
        for use in ctx.context_uses:
            found.setdefault(id(use.node), use)
        return found

    use = per_file(ctx, "context uses by node", index).get(id(match.node))
    if use is None:
        return FixOutcome(blocker="only context.log.<level>(...) calls are rewritten")
    # The fix depends only on the parameter: every log call of the function shares it.
    param = use.param
    return per_file(ctx, ("context log fix", id(param)), lambda: _fix_parameter_logs(ctx, param))


def _fix_parameter_logs(ctx: FileContext, param: ContextParam) -> FixOutcome:
    plan = ImportPlan(ctx)
    draft = FixDraft()
    draft.unsafe("log records leave Dagster's event log for standard logging")
    logs: list[ast.Attribute] = []
    others = 0
    for name, chain in param.uses:
        log_attr = _log_call(ctx, name, chain)
        if log_attr is not None:
            logs.append(log_attr)
        elif chain[:1] == ("log",):
            return FixOutcome(blocker=f"{param.name}.{'.'.join(chain)} is not a plain log call")
        else:
            others += 1
    if not logs:
        return FixOutcome(blocker="only context.log.<level>(...) calls are rewritten")
    logger, definition = module_logger(ctx, plan)
    for log_attr in logs:
        draft.add(Edit(*ctx.node_span(log_attr), logger))
    removed = False
    function = function_of_node(ctx, param.function)
    if others == 0 and param.kind == "execution" and function is not None and function.decorators:
        remove_context_parameter(ctx, param, draft)
        removed = not draft.blockers
    if draft.blockers:
        return draft.outcome("")
    draft.edits.extend(removal_edits(ctx, unused_after(ctx, draft.replaced_spans())))
    draft.edits.extend(plan.edits(extra_lines=definition))
    what = f" and drop the unused '{param.name}' parameter" if removed else ""
    return draft.outcome(f"Log through a module-level logging logger in '{param.function.name}'{what}")


def fix_dagster_logger(ctx: FileContext, match: Match) -> FixOutcome:
    """DZ108 fixer: ``get_dagster_logger(...)`` -> ``logging.getLogger(...)`` (``__name__`` by default)."""
    node = match.node
    call = parent_of(ctx, node) if node is not None else None
    if not (isinstance(call, ast.Call) and call.func is node):
        return FixOutcome(blocker="only a call get_dagster_logger(...) is rewritten")
    if len(call.args) > 1 or (call.keywords and [k.arg for k in call.keywords] != ["name"]):
        return FixOutcome(blocker="get_dagster_logger(...) takes unexpected arguments")
    plan = ImportPlan(ctx)
    draft = FixDraft()
    argument = call.args[0] if call.args else (call.keywords[0].value if call.keywords else None)
    name_text = "__name__" if argument is None else ctx.segment(argument)
    draft.add(Edit(*ctx.node_span(call), f"{plan.module('logging')}.getLogger({name_text})"))
    draft.edits.extend(removal_edits(ctx, unused_after(ctx, draft.replaced_spans())))
    draft.edits.extend(plan.edits())
    return draft.outcome("Use logging.getLogger instead of get_dagster_logger")
