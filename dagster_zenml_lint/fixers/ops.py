"""DZ101: ``@op`` -> ``@step`` (``from zenml import step``).

What maps (zenml 0.98 ``zenml/steps/step_decorator.py``, dagster 1.13
``dagster/_core/definitions/decorators/op_decorator.py``):

* ``name=`` -> ``name=``; ``retry_policy=`` -> ``retry=`` (see :mod:`.retry`);
* ``out=Out(T)`` -> return annotation ``-> T``; ``out={"a": Out(T1), "b": Out(T2)}`` ->
  ``-> Tuple[Annotated[T1, "a"], Annotated[T2, "b"]]`` (ZenML names outputs this way);
* ``ins={"x": In(T)}`` -> parameter annotation ``x: T``;
* an unused Dagster context parameter is removed (a ZenML step would take it as an input).

``description=``, ``code_version=``, ``version=`` and ``pool=`` have no ZenML
counterpart: dropping them is unsafe. ``config_schema=``, ``required_resource_keys=``,
``tags=``, ``DynamicOut``, ``Out(is_required=False)``, ``In`` with metadata or a default,
a used context, Dagster objects in the body and generator ops block the fix; the
finding names what blocked it.
"""

from __future__ import annotations

import ast
import bisect
import json
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Edit
from dagster_zenml_lint.fixers.call_forms import CallFormInfo, function_uses, member_name
from dagster_zenml_lint.fixers.decorator_args import DecoratorTable, convert_decorator_keywords
from dagster_zenml_lint.fixers.edits import (
    FixDraft,
    closing_paren_of_parameters,
    parameter_list,
    resolves_to,
    scope_of_node,
)
from dagster_zenml_lint.fixers.file_index import file_index
from dagster_zenml_lint.fixers.imports import ImportPlan
from dagster_zenml_lint.fixers.log_calls import context_removal_problem, remove_context_parameter
from dagster_zenml_lint.fixers.op_graph import op_decorator
from dagster_zenml_lint.source import first_line

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo, Reference

DROPPED_UNSAFE = {
    "description": "description= is dropped (ZenML shows the docstring)",
    "code_version": "code_version= is dropped (ZenML caches on the step's code and inputs)",
    "version": "version= is dropped (ZenML caches on the step's code and inputs)",
    "pool": "pool= is dropped: the concurrency pool limit is lost",
}
BLOCKING = {
    "config_schema": "config_schema= (run config has no direct step equivalent; see DZ105)",
    "required_resource_keys": "required_resource_keys= (resources need a redesign; see DZ206)",
    "tags": "tags= (op tags configure Dagster infrastructure; see DZ214)",
}
OP_TABLE = DecoratorTable("op", "step", DROPPED_UNSAFE, BLOCKING)
TYPE_ARGUMENT = "dagster_type"


def _dagster_call(ctx: FileContext, node: ast.AST, *names: str) -> bool:
    return isinstance(node, ast.Call) and resolves_to(ctx, node.func, *(f"dagster.{n}" for n in names))


def type_problem(ctx: FileContext, node: ast.expr) -> str | None:
    """Why a type expression cannot be used as a plain Python annotation (None when it can)."""
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Name, ast.Attribute)) and _resolves_to_dagster(ctx, sub):
            return f"'{ctx.segment(sub)}' is a Dagster type"
        if isinstance(sub, ast.Name):
            binding = ctx.model.lookup(sub.id, scope_of_node(ctx, sub), (sub.lineno, sub.col_offset))
            if binding is not None and isinstance(binding.node, ast.Name):
                return f"'{sub.id}' is assigned, not defined: it may be a DagsterType"
    return None


def _resolves_to_dagster(ctx: FileContext, node: ast.expr) -> bool:
    return ctx.model.resolve(node, scope_of_node(ctx, node)) is not None


def _io_type(ctx: FileContext, call: ast.Call, what: str, draft: FixDraft) -> ast.expr | None:
    """The type of an ``In(...)``/``Out(...)`` call; records blockers for other arguments."""
    if len(call.args) > 1 or any(isinstance(a, ast.Starred) for a in call.args):
        draft.block(f"{what} has positional arguments beyond the type")
        return None
    type_node = call.args[0] if call.args else None
    for keyword in call.keywords:
        if keyword.arg == TYPE_ARGUMENT:
            type_node = keyword.value
        elif keyword.arg == "description":
            draft.unsafe(f"{what}: description= is dropped")
        elif keyword.arg == "is_required" and isinstance(keyword.value, ast.Constant) and keyword.value.value is True:
            continue
        elif keyword.arg == "is_required":
            draft.block(f"{what.split('(')[0]}(is_required=False) (every ZenML output is always produced; see DZ221)")
        else:
            draft.block(f"{what.split('(')[0]}({keyword.arg}=...) has no step equivalent")
    if type_node is not None:
        problem = type_problem(ctx, type_node)
        if problem:
            draft.block(f"{what}: {problem}")
            return None
    return type_node


def _same_annotation(first: ast.expr, second: ast.expr) -> bool:
    return ast.dump(first) == ast.dump(second)


def convert_out(
    ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef, value: ast.expr, plan: ImportPlan, draft: FixDraft
) -> None:
    """``out=`` -> the function's return annotation."""
    if _dagster_call(ctx, value, "DynamicOut"):
        draft.block("out=DynamicOut() (dynamic fan-out needs a dynamic pipeline; see DZ211)")
        return
    if _dagster_call(ctx, value, "Out"):
        type_node = _io_type(ctx, value, "out=Out(...)", draft)  # type: ignore[arg-type]
        if type_node is None:
            return
        _set_return(ctx, func, type_node, ctx.segment(type_node), draft)
        return
    if not isinstance(value, ast.Dict) or not value.keys:
        draft.block(f"out={ctx.segment(value)} is not an Out(...) or a dict of them")
        return
    parts: list[str] = []
    for key, out in zip(value.keys, value.values, strict=True):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            draft.block("out= has a key that is not a string literal")
            return
        if _dagster_call(ctx, out, "DynamicOut"):
            draft.block(f"out={{'{key.value}': DynamicOut()}} (see DZ211)")
            return
        if not _dagster_call(ctx, out, "Out"):
            draft.block(f"out={{'{key.value}': ...}} is not an Out(...)")
            return
        type_node = _io_type(ctx, out, f"out={{'{key.value}': Out(...)}}", draft)  # type: ignore[arg-type]
        type_text = ctx.segment(type_node) if type_node is not None else plan.name("typing", "Any")
        if type_node is None and draft.blockers:
            return
        parts.append(f"{plan.name('typing', 'Annotated')}[{type_text}, {json.dumps(key.value)}]")
    annotation = parts[0] if len(parts) == 1 else f"{plan.name('typing', 'Tuple')}[{', '.join(parts)}]"
    if func.returns is not None and not _is_tuple_annotation(func.returns, len(parts)):
        draft.block(
            f"the return annotation '{ctx.segment(func.returns)}' does not match out= with {len(parts)} outputs"
        )
        return
    _set_return(ctx, func, None, annotation, draft)


def _is_tuple_annotation(node: ast.expr, count: int) -> bool:
    if count == 1:
        return True
    if not isinstance(node, ast.Subscript):
        return False
    base = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", "")
    elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    return base in ("tuple", "Tuple") and len(elements) == count


def _set_return(
    ctx: FileContext,
    func: ast.FunctionDef | ast.AsyncFunctionDef,
    type_node: ast.expr | None,
    text: str,
    draft: FixDraft,
) -> None:
    if func.returns is None:
        close = closing_paren_of_parameters(ctx, func)
        draft.add(Edit(close + 1, close + 1, f" -> {text}"))
    elif type_node is not None and _same_annotation(func.returns, type_node):
        return
    elif type_node is not None:
        draft.block(f"out=Out({text}) disagrees with the return annotation '{ctx.segment(func.returns)}'")
    else:
        draft.add(Edit(*ctx.node_span(func.returns), text))


def convert_ins(
    ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef, value: ast.expr, draft: FixDraft
) -> None:
    """``ins={"x": In(T)}`` -> parameter annotations."""
    if not isinstance(value, ast.Dict):
        draft.block(f"ins={ctx.segment(value)} is not a dict literal")
        return
    params = {a.arg: a for a in parameter_list(func.args)}
    for key, spec in zip(value.keys, value.values, strict=True):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)) or key.value not in params:
            draft.block("ins= names an input that is not a parameter")
            return
        if not _dagster_call(ctx, spec, "In"):
            draft.block(f"ins={{'{key.value}': ...}} is not an In(...)")
            return
        type_node = _io_type(ctx, spec, f"ins={{'{key.value}': In(...)}}", draft)  # type: ignore[arg-type]
        if type_node is None:
            continue
        param = params[key.value]
        if param.annotation is None:
            end = ctx.node_span(param)[1]
            draft.add(Edit(end, end, f": {ctx.segment(type_node)}"))
        elif not _same_annotation(param.annotation, type_node):
            draft.block(
                f"ins={{'{key.value}': In({ctx.segment(type_node)})}} disagrees with the annotation "
                f"'{ctx.segment(param.annotation)}'"
            )


def _references_between(ctx: FileContext, first_line: int, last_line: int) -> list[Reference]:
    """References whose node starts on a line in ``[first_line, last_line]``, in ``ctx.references`` order."""
    lines, positions = file_index(ctx).references_by_line
    low, high = bisect.bisect_left(lines, first_line), bisect.bisect_right(lines, last_line)
    return [ctx.references[i] for i in sorted(positions[low:high])]


def _body_problems(ctx: FileContext, info: FunctionInfo) -> list[str]:
    node = info.node
    problems: list[str] = []
    body_line, last_line = node.body[0].lineno, node.end_lineno or node.lineno
    body_start = ctx.node_span(node.body[0])[0]
    for ref in _references_between(ctx, body_line, last_line):
        if ctx.offset(ref.node.lineno, ref.node.col_offset) >= body_start:
            problems.append(f"the body uses Dagster's {ref.short} (line {ref.line})")
    # a yield's text starts with the word: a function whose text (decorators included) lacks it has none
    if "yield" in ctx.text[ctx.offset(first_line(node), 0) : ctx.node_span(node)[1]]:
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Yield, ast.YieldFrom)):
                problems.append("the op yields its outputs (a step returns them)")
                break
    if info.context is not None and info.context.uses:
        used = sorted({".".join([info.context.name, *chain[:2]]) for _, chain in info.context.uses})
        problems.append(f"it uses the Dagster context ({', '.join(used)}; see DZ106/DZ219)")
    return problems


def _parameter_problems(ctx: FileContext, info: FunctionInfo) -> list[str]:
    problems = []
    node = info.node
    if node.args.vararg or node.args.kwarg:
        problems.append("it takes *args/**kwargs")
    for param in parameter_list(node.args):
        if info.context is not None and param.arg == info.context.name:
            continue
        if param.annotation is None:
            continue
        chains = [s for s in ast.walk(param.annotation) if isinstance(s, (ast.Name, ast.Attribute))]
        if any(_resolves_to_dagster(ctx, s) for s in chains):
            problems.append(f"parameter '{param.arg}' is a Dagster object ({ctx.segment(param.annotation)})")
        elif isinstance(param.annotation, ast.Name):
            cls = file_index(ctx).dagster_classes.get(param.annotation.id)
            if cls is not None:
                problems.append(
                    f"parameter '{param.arg}' receives {', '.join(sorted(cls.base_names))} "
                    f"'{cls.node.name}' from Dagster (see DZ105/DZ206)"
                )
    if node.returns is not None and any(
        _resolves_to_dagster(ctx, s) for s in ast.walk(node.returns) if isinstance(s, (ast.Name, ast.Attribute))
    ):
        problems.append(f"the return annotation '{ctx.segment(node.returns)}' is a Dagster type")
    return problems


def convert_op(ctx: FileContext, info: FunctionInfo, plan: ImportPlan, draft: FixDraft, users: set[int]) -> None:
    """Add the edits turning one ``@op`` function into a ``@step`` (or blockers)."""
    node = info.node
    name = member_name(info)
    ref = op_decorator(info)
    if ref is None or (ref.role != "decorator" and not isinstance(info, CallFormInfo)):
        draft.block(f"op '{name}' is not made with a plain @op decorator")
        return
    if not file_index(ctx).is_module_level(node):
        draft.block(f"op '{name}' is not defined at module level (ZenML loads steps by module path)")
    if isinstance(node, ast.AsyncFunctionDef):
        draft.block(f"op '{name}' is async")
    if len(node.decorator_list) > 1:
        draft.block(f"op '{name}' has other decorators")
    for problem in _body_problems(ctx, info) + _parameter_problems(ctx, info):
        draft.block(f"op '{name}': {problem}")
    # Even when blocked, read the decorator arguments so the finding names every reason.
    draft.add(Edit(*ctx.node_span(ref.node), plan.name("zenml", "step")))
    call = ref.call
    if call is not None:
        _convert_decorator_arguments(ctx, info, call, plan, draft, users)
    _check_single_tuple_output(ctx, info, draft)
    if info.context is not None and not info.context.uses:
        kept = context_removal_problem(ctx, info.context)
        if kept is None and isinstance(info, CallFormInfo):
            kept = _plain_use_problem(ctx, info)
        if kept is None:
            remove_context_parameter(ctx, info.context, draft)
        else:
            draft.block(f"op '{name}': its unused '{info.context.name}' parameter cannot be removed: {kept}")


def _plain_use_problem(ctx: FileContext, info: CallFormInfo) -> str | None:
    """Why the wrapped function of a call form must keep its signature: it is used elsewhere as itself."""
    uses = function_uses(file_index(ctx), info)
    if not uses:
        return None
    return f"'{info.node.name}' is also used on line {uses[0].lineno}, where it stays a plain function"


def _is_subscripted_tuple(node: ast.expr | None) -> bool:
    if not isinstance(node, ast.Subscript):
        return False
    base = node.value
    name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
    return name in ("tuple", "Tuple")


def _check_single_tuple_output(ctx: FileContext, info: FunctionInfo, draft: FixDraft) -> None:
    """ZenML turns a ``Tuple[...]`` return annotation into several outputs; Dagster keeps one."""
    call = next((d.call for d in info.decorators if d.canonical == "dagster.op"), None)
    out = next((k.value for k in call.keywords if k.arg == "out"), None) if call is not None else None
    if isinstance(out, ast.Dict):
        return
    annotation = info.node.returns
    if out is not None and isinstance(out, ast.Call) and (out.args or out.keywords):
        annotation = out.args[0] if out.args else next((k.value for k in out.keywords if k.arg == TYPE_ARGUMENT), None)
    if _is_subscripted_tuple(annotation):
        draft.block(
            f"op '{info.node.name}' returns one {ctx.segment(annotation)}; ZenML would split a Tuple[...] "  # type: ignore[arg-type]
            "return into several outputs"
        )


def _convert_decorator_arguments(
    ctx: FileContext, info: FunctionInfo, call: ast.Call, plan: ImportPlan, draft: FixDraft, users: set[int]
) -> None:
    def out(keyword: ast.keyword) -> bool:
        convert_out(ctx, info.node, keyword.value, plan, draft)
        return True

    def ins(keyword: ast.keyword) -> bool:
        convert_ins(ctx, info.node, keyword.value, draft)
        return True

    convert_decorator_keywords(ctx, call, member_name(info), OP_TABLE, plan, draft, users, {"out": out, "ins": ins})
