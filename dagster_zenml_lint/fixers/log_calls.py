"""DZ106 ``context.log.<level>(...)`` and DZ108 ``get_dagster_logger()`` -> standard ``logging``.

ZenML captures a step's standard ``logging`` output, so both become a plain logger.
DZ108 is safe: ``get_dagster_logger()`` already returns a ``logging.Logger``, and the fix
asks for the same one by its name (``dagster.builtin[.<name>]``). DZ106 is
unsafe: the records leave Dagster's structured event log, and the context parameter is
removed from an op or asset when nothing else reads it (a signature change).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Edit
from dagster_zenml_lint.fixers.edits import (
    FixDraft,
    line_end,
    line_start,
    newline_of,
    parameter_list,
    parent_of,
    remove_items,
    scope_of_node,
    string_literal,
)
from dagster_zenml_lint.fixers.file_index import file_index, remembered
from dagster_zenml_lint.fixers.imports import ImportPlan, unused_after
from dagster_zenml_lint.registry import FixOutcome

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import ContextParam, FileContext, Match
    from dagster_zenml_lint.semantic import ImportRecord

# The logger get_dagster_logger() returns; a name is appended after a dot.
DAGSTER_LOGGER = "dagster.builtin"
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


def module_logger(ctx: FileContext, plan: ImportPlan) -> tuple[str, str]:
    """The module-level logger to log through: (its name, the lines defining it if new)."""
    existing = file_index(ctx).module_logger_name
    if existing is not None:
        return existing, ""
    logging_name = plan.module("logging")
    name = plan.free_name("logger", "module_")
    newline = newline_of(ctx.text)
    return name, f"{newline}{name} = {logging_name}.getLogger(__name__){newline}"


# Decorators whose body wires ops together: a call of an op there passes no context (Dagster does).
COMPOSITION_KINDS = frozenset({"job", "graph", "graph_asset", "graph_multi_asset"})


def context_removal_problem(ctx: FileContext, param: ContextParam) -> str | None:
    """Why the context parameter must stay although no attribute of it is read (None: it may go).

    Removing it is safe only when nothing refers to the name any more (a store, ``del``,
    ``nonlocal``/``global`` in a nested function, any rebinding: each one would then
    mean another variable or no variable at all), when only Dagster's decorators wrap
    the function (a user decorator may read ``args[0]`` as the context), and when no
    call in the file passes the context (``a(build_op_context())``, Dagster's test pattern).
    """
    function = param.function
    info = file_index(ctx).function_of(function)
    decorators = info.decorators if info is not None else []
    dagster_decorators = {id(d.node) for d in decorators} | {id(d.call) for d in decorators if d.call is not None}
    for decorator in function.decorator_list:
        if id(decorator) not in dagster_decorators:
            return (
                f"'{function.name}' is also wrapped by @{ctx.segment(decorator)}, which may read "
                "its arguments (the context first)"
            )
    reads = {id(node) for node, _chain in param.uses}
    occurrence = _other_occurrence(function, param.name, reads) if _spelled_elsewhere(ctx, param) else None
    if occurrence is not None:
        return occurrence
    return _call_passing_context(ctx, param)


def _spelled_elsewhere(ctx: FileContext, param: ContextParam) -> bool:
    """Whether the function's body spells the parameter's name anywhere but in its reads.

    Binding, deleting or declaring a name spells it, so when every spelling in the body is
    one of the reads, :func:`_other_occurrence` has nothing to find and its walk of the
    body is skipped (a name in a string or comment, or inside a longer name, only means the walk runs).
    """
    body = param.function.body
    first = [body[0], *getattr(body[0], "decorator_list", ())]  # a decorator comes before its ``def``
    # (line, column) positions order nodes as their offsets do: only the body's ends are converted
    begins = min((node.lineno, node.col_offset) for node in first)
    last = body[-1]
    ends = (last.end_lineno or last.lineno, last.end_col_offset or 0)
    inside = {id(node) for node, _chain in param.uses if begins <= (node.lineno, node.col_offset) < ends}
    start, end = ctx.offset(*begins), ctx.offset(*ends)
    return ctx.text.count(param.name, start, end) > len(inside)


def _other_occurrence(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, reads: set[int]) -> str | None:
    """The first place in a function's body that binds, deletes or declares ``name`` (reads in ``reads`` aside)."""
    for statement in function.body:
        for node in ast.walk(statement):
            what = _binding_kind(node, name)
            if what is not None and id(node) not in reads:
                return f"'{name}' is {what} on line {node.lineno}"  # type: ignore[attr-defined]
    return None


def _binding_kind(node: ast.AST, name: str) -> str | None:
    """How ``node`` refers to ``name``, if it does (``"assigned"``, ``"deleted"``...)."""
    if isinstance(node, ast.Name) and node.id == name:
        return {ast.Store: "assigned", ast.Del: "deleted"}.get(type(node.ctx), "read")
    if isinstance(node, ast.Nonlocal) and name in node.names:
        return "declared nonlocal"
    if isinstance(node, ast.Global) and name in node.names:
        return "declared global"
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
        return "redefined"
    if isinstance(node, ast.ExceptHandler) and node.name == name:
        return "bound by an except clause"
    if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
        (alias.asname or alias.name.split(".")[0]) == name for alias in node.names
    ):
        return "imported"
    if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name == name:
        return "bound by a match pattern"
    if isinstance(node, ast.MatchMapping) and node.rest == name:
        return "bound by a match pattern"
    return None


def _call_passing_context(ctx: FileContext, param: ContextParam) -> str | None:
    """A call of the function in this file (outside job bodies) that passes it its context."""
    function = param.function
    params = parameter_list(function.args)
    position = next(i for i, p in enumerate(params) if p.arg == param.name)
    for call in calls_of(ctx, function):
        caller = ctx.function_at(call)
        if caller is not None and caller.kinds & COMPOSITION_KINDS:
            continue  # a job body wires ops: Dagster passes the context, the call does not
        positional = len(call.args) > position or any(isinstance(a, ast.Starred) for a in call.args)
        keyword = any(k.arg in (param.name, None) for k in call.keywords)
        if positional or keyword:
            return (
                f"'{function.name}' is called with its context on line {call.lineno} "
                "(removing the parameter would break that call)"
            )
    return None


def calls_of(ctx: FileContext, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Call]:
    """Calls in the file whose callee is the name bound by ``function`` (``a(...)`` for ``def a``)."""
    found = []
    for call in file_index(ctx).calls_by_callee_name.get(function.name, ()):
        callee = call.func  # a Name spelling the function's name (the index holds only those)
        binding = ctx.model.lookup(function.name, scope_of_node(ctx, callee), (callee.lineno, callee.col_offset))
        if binding is not None and binding.node is function:
            found.append(call)
    return found


def remove_context_parameter(ctx: FileContext, param: ContextParam, draft: FixDraft) -> None:
    """Delete a context parameter from its function's signature (the caller checked that it may go)."""
    args = param.function.args
    params = parameter_list(args)
    index = next(i for i, p in enumerate(params) if p.arg == param.name)
    if args.posonlyargs or args.kwonlyargs:
        draft.block("the context parameter sits among positional-only or keyword-only markers")
        return
    if len(params) == 1 and not (args.vararg or args.kwarg):
        draft.add(_remove_only_parameter(ctx, params[0]))
        return
    if len(params) == 1:
        draft.block("the context parameter is followed by *args/**kwargs")
        return
    for edit in remove_items(ctx, params, {index}):
        draft.add(edit)


def _remove_only_parameter(ctx: FileContext, param: ast.arg) -> Edit:
    """Delete a function's only parameter with its trailing comma (its whole line when it has one)."""
    text = ctx.text
    start, end = ctx.node_span(param)
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after < len(text) and text[after] == ",":
        end = after + 1
        while after + 1 < len(text) and text[after + 1] in " \t":
            after += 1
        if text[after + 1 : after + 2] == ")":
            end = after + 1  # ``(context , )`` -> ``()``
    first = line_start(text, start)
    last = line_end(text, end)
    if not text[first:start].strip() and not text[end:last].strip():
        return Edit(first, last, "")  # ``context,`` alone on its line
    return Edit(start, end, "")


def fix_context_log(ctx: FileContext, match: Match) -> FixOutcome:
    """DZ106 fixer: every ``context.log.<level>`` of the function goes through a module logger."""

    use = file_index(ctx).context_uses_by_node.get(id(match.node))
    if use is None:
        return FixOutcome(blocker="only context.log.<level>(...) calls are rewritten")
    # The fix depends only on the parameter: every log call of the function shares it.
    param = use.param
    return remembered(file_index(ctx).context_log_fixes, id(param), lambda: _fix_parameter_logs(ctx, param))


def _logger(ctx: FileContext) -> tuple[ImportPlan, str, str]:
    """The module logger the file's log calls go through: (the plan importing it, its name, its new lines).

    The same for every context parameter of the file (a fresh plan names it the same way each
    time), so it is worked out once per file.
    """
    index = file_index(ctx)
    if index.module_logger is None:
        plan = ImportPlan(index.ctx)  # kept by the index: the context's weak proxy (no cycle)
        index.module_logger = (plan, *module_logger(ctx, plan))
    return index.module_logger


def _logger_edits(ctx: FileContext, removing: list[ImportRecord]) -> list[Edit]:
    """The edits adding the module logger (its import and definition) and removing ``removing``.

    The same for every context parameter of the file whose fix orphans the same imports:
    worked out once per file and set of removed imports.
    """
    plan, _, definition = _logger(ctx)
    key = tuple(id(record) for record in removing)
    return remembered(
        file_index(ctx).logger_import_edits, key, lambda: plan.edits(extra_lines=definition, removing=removing)
    )


def _fix_parameter_logs(ctx: FileContext, param: ContextParam) -> FixOutcome:
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
    _, logger, _ = _logger(ctx)
    for log_attr in logs:
        draft.add(Edit(*ctx.node_span(log_attr), logger))
    removed = False
    kept = ""
    function = file_index(ctx).function_of(param.function)
    if others == 0 and param.kind == "execution" and function is not None and function.decorators:
        problem = context_removal_problem(ctx, param)
        if problem is None:
            remove_context_parameter(ctx, param, draft)
            removed = not draft.blockers
        else:
            kept = f" (the '{param.name}' parameter stays: {problem})"
    if draft.blockers:
        return draft.outcome("")
    draft.edits.extend(_logger_edits(ctx, unused_after(ctx, draft.replaced_spans())))
    what = f" and drop the unused '{param.name}' parameter" if removed else kept
    return draft.outcome(f"Log through a module-level logging logger in '{param.function.name}'{what}")


def fix_dagster_logger(ctx: FileContext, match: Match) -> FixOutcome:
    """DZ108 fixer: ``get_dagster_logger(name)`` -> ``logging.getLogger("dagster.builtin.<name>")``.

    Dagster names the logger ``dagster.builtin`` (no name, or an empty one) or
    ``dagster.builtin.<name>`` (dagster 1.13, ``dagster/_utils/log.py``); code may
    configure that hierarchy, so the fix keeps the name. A name that is not a string
    literal cannot be prefixed without changing the code's shape: that fix is unsafe.
    """
    node = match.node
    call = parent_of(ctx, node) if node is not None else None
    if not (isinstance(call, ast.Call) and call.func is node):
        return FixOutcome(blocker="only a call get_dagster_logger(...) is rewritten")
    if len(call.args) > 1 or (call.keywords and [k.arg for k in call.keywords] != ["name"]):
        return FixOutcome(blocker="get_dagster_logger(...) takes unexpected arguments")
    plan = ImportPlan(ctx)
    draft = FixDraft()
    argument = call.args[0] if call.args else (call.keywords[0].value if call.keywords else None)
    if argument is None or (isinstance(argument, ast.Constant) and not argument.value):
        name_text = string_literal(DAGSTER_LOGGER)
    elif isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        name_text = string_literal(f"{DAGSTER_LOGGER}.{argument.value}")
    else:
        name_text = ctx.segment(argument)
        draft.unsafe(f"the logger was named '{DAGSTER_LOGGER}.' + {name_text}; it is now named {name_text}")
    draft.add(Edit(*ctx.node_span(call), f"{plan.module('logging')}.getLogger({name_text})"))
    draft.edits.extend(plan.edits(removing=unused_after(ctx, draft.replaced_spans())))
    return draft.outcome("Use logging.getLogger (with the logger's Dagster name) instead of get_dagster_logger")
