"""Syntax questions the rule predicates of DZ215-DZ313 ask about calls and statements.

Kept apart from the rules so that each rule module stays a table of names and keywords.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from dagster_zenml_lint.registry import NamePredicate

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo, KeywordUse, Reference

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
# Statements under which a yield may not happen. ``for`` is left out: looping over the
# outputs to yield each one (``for name, df in frames.items()``) produces all of them.
BRANCH_NODES = (ast.If, ast.IfExp, ast.Match, ast.While, ast.ExceptHandler)
LOOP_NODES = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def argument(call: ast.Call | None, name: str, index: int | None = None) -> ast.expr | None:
    """The argument passed as keyword ``name``, or at position ``index`` when given, if any.

    A position after a ``*args`` is unknown, so it is never answered.
    """
    if call is None:
        return None
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if (
        index is not None
        and index < len(call.args)
        and not any(isinstance(a, ast.Starred) for a in call.args[: index + 1])
    ):
        return call.args[index]
    return None


def module_level_calls(tree: ast.Module) -> Iterator[tuple[str, ast.Call]]:
    """``(name, call)`` of every module-level ``name = call(...)`` statement (one plain name as target), in order."""
    for stmt in tree.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Call)
        ):
            yield stmt.targets[0].id, stmt.value


def has_keyword(call: ast.Call | None, name: str) -> bool:
    """True when the call passes keyword ``name``."""
    return call is not None and any(kw.arg == name for kw in call.keywords)


def is_false(node: ast.expr | None) -> bool:
    """True for the literal ``False``."""
    return isinstance(node, ast.Constant) and node.value is False


def is_true(node: ast.expr | None) -> bool:
    """True for the literal ``True``."""
    return isinstance(node, ast.Constant) and node.value is True


def ancestors(ctx: FileContext, node: ast.AST) -> Iterator[ast.AST]:
    """The syntactic parents of a node, innermost first, up to the module."""
    current = ctx.parent(node)
    while current is not None:
        yield current
        current = ctx.parent(current)


def inside(ctx: FileContext, node: ast.AST, kinds: tuple[type, ...]) -> ast.AST | None:
    """The innermost ancestor of one of ``kinds`` within the enclosing function, if any."""
    for parent in ancestors(ctx, node):
        if isinstance(parent, FUNCTION_NODES):
            return None
        if isinstance(parent, kinds):
            return parent
    return None


def referenced_call(ctx: FileContext, ref: Reference) -> ast.Call | None:
    """The call a reference is the callee of (``Out(...)`` for ``Out``), if it is called."""
    if ref.call is not None:
        return ref.call
    parent = ctx.parent(ref.node)
    if isinstance(parent, ast.Call) and parent.func is ref.node:
        return parent
    return None


def resolves_to(ctx: FileContext, node: ast.AST, *names: str) -> bool:
    """True when ``node`` is a reference the engine resolved to one of the canonical ``names``."""
    ref = ctx.reference_of(node)
    return ref is not None and ref.canonical in names


def dagster_name_of(ctx: FileContext, node: ast.AST) -> str | None:
    """The canonical Dagster name an expression refers to (unwrapping calls), if any."""
    while isinstance(node, ast.Call):
        node = node.func
    ref = ctx.reference_of(node)
    return ref.canonical if ref is not None else None


def callee_is(use: KeywordUse, *names: str) -> bool:
    """True when a keyword is passed to one of the canonical Dagster ``names``."""
    return use.callee is not None and use.callee.canonical in names


def asset_function_names(ctx: FileContext) -> set[str]:
    """Names of the module's functions decorated as assets (``@asset``, ``@multi_asset``...)."""
    kinds = {
        "asset",
        "multi_asset",
        "graph_asset",
        "graph_multi_asset",
        "observable_source_asset",
        "dbt_assets",
        "sling_assets",
        "dlt_assets",
    }
    return {f.node.name for f in ctx.functions if f.kinds & kinds}


def display(ctx: FileContext, node: ast.AST, limit: int = 40) -> str:
    """The node's source text on one line, shortened to ``limit`` characters."""
    text = " ".join(ctx.segment(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def owner_suffix(ref: Reference) -> str:
    """`` 'name'`` for a reference made inside a decorator or assigned to a name."""
    return f" '{ref.owner}'" if ref.owner else ""


def assigned_name(ctx: FileContext, node: ast.AST | None) -> str | None:
    """The single name a call's result is assigned to (``daily = ...`` -> ``daily``), if any."""
    if node is None:
        return None
    parent = ctx.parent(node)
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return parent.targets[0].id
    if isinstance(parent, ast.AnnAssign) and isinstance(parent.target, ast.Name):
        return parent.target.id
    return None


def describe(ctx: FileContext, ref: Reference, what: str = "") -> str:
    """A subject naming a referenced object and where it sits: ``DailyPartitionsDefinition(...) 'daily'``."""
    call = referenced_call(ctx, ref)
    if ref.role == "decorator":
        text = f"@{ref.short}{owner_suffix(ref)}"
    elif ref.role == "base":
        text = f"class '{ref.owner}' derives from {ref.short}"
    elif ref.role == "annotation":
        text = f"annotation {ref.short}"
    elif ref.role == "import":
        text = f"import of {ref.short}"
    elif call is not None:
        name = ref.owner or assigned_name(ctx, call)
        text = f"{ref.short}(...)" + (f" assigned to '{name}'" if name else "")
    else:
        text = ref.short
    return f"{text} {what}".rstrip()


def _describe_predicate(ctx: FileContext, ref: Reference) -> str:
    return describe(ctx, ref)


def described(*qualnames: str) -> dict[str, NamePredicate | None]:
    """Claim canonical names (``dagster.X`` when no package is given) with a subject that names the object."""
    return {(q if "." in q else f"dagster.{q}"): _describe_predicate for q in qualnames}


def function_name_at(ctx: FileContext, node: ast.AST) -> str | None:
    """The name of the innermost ``def`` containing a node (found through its parents)."""
    for parent in ancestors(ctx, node):
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return parent.name
    return None


SENSOR_DECORATORS = frozenset(
    {
        "sensor",
        "asset_sensor",
        "multi_asset_sensor",
        "run_status_sensor",
        "run_failure_sensor",
        "freshness_policy_sensor",
    }
)
SCHEDULE_DECORATORS = frozenset({"schedule"})


def enclosing_trigger(ctx: FileContext, node: ast.AST) -> tuple[str, FunctionInfo] | None:
    """``("schedule", fn)`` or ``("sensor", fn)`` for the innermost schedule or sensor function around a node.

    A ``RunRequest`` belongs to the schedule or sensor that returns it; a helper called by
    either is not followed (it is reported as a sensor object, the conservative reading).
    """
    for parent in (node, *ancestors(ctx, node)):
        if not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        info = next((f for f in ctx.functions if f.node is parent), None)
        if info is None:
            continue
        kinds = info.kinds
        if kinds & SCHEDULE_DECORATORS:
            return "schedule", info
        if kinds & SENSOR_DECORATORS:
            return "sensor", info
        passed = _passed_as_trigger_function(ctx, parent.name)
        if passed is not None:
            return passed, info
    return None


# ``ScheduleDefinition(execution_fn=f)`` / ``SensorDefinition(evaluation_fn=f)``: a plain function
# that Dagster calls as the schedule's or the sensor's body.
TRIGGER_FUNCTION_KEYWORDS = {
    ("dagster.ScheduleDefinition", "execution_fn"): "schedule",
    ("dagster.SensorDefinition", "evaluation_fn"): "sensor",
    ("dagster.SensorDefinition", "asset_materialization_fn"): "sensor",
}


def _passed_as_trigger_function(ctx: FileContext, name: str) -> str | None:
    """``"schedule"`` or ``"sensor"`` when the file passes the function ``name`` as a schedule or sensor body."""
    for use in ctx.keywords:
        value = use.keyword.value
        if not (isinstance(value, ast.Name) and value.id == name) or use.callee is None:
            continue
        kind = TRIGGER_FUNCTION_KEYWORDS.get((use.callee.canonical, use.keyword.arg or ""))
        if kind is not None:
            return kind
    return None


def local_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names a function binds itself: its parameters and every name it assigns."""
    args = function.args
    names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    names.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    for sub in ast.walk(function):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
    return names


DECISION_NODES = (ast.If, ast.IfExp, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.Match, ast.comprehension)


def is_fixed_request(ctx: FileContext, call: ast.Call, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """True when a run request is always the same: the function decides nothing and the arguments are fixed.

    Fixed arguments are literals and module-level names; anything read from the function's
    parameters or locals (the context, a computed key) or computed by a call is not.
    """
    body = [sub for stmt in function.body for sub in ast.walk(stmt)]
    if any(isinstance(sub, DECISION_NODES) for sub in body):
        return False
    if any(dagster_name_of(ctx, sub) == "dagster.SkipReason" for sub in body if isinstance(sub, ast.Call)):
        return False
    bound = local_names(function)
    for arg in (*call.args, *(kw.value for kw in call.keywords)):
        for sub in ast.walk(arg):
            if isinstance(sub, ast.Call) or (isinstance(sub, ast.Name) and sub.id in bound):
                return False
    return True
