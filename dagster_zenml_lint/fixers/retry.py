"""DZ103: Dagster ``RetryPolicy`` -> ZenML ``StepRetryConfig`` (``from zenml.config import StepRetryConfig``).

ZenML (0.98, ``zenml/execution/step/utils.py``) retries a step ``max_retries`` times
(``PositiveInt``, default 1), sleeping ``delay`` whole seconds before each retry and
then multiplying the delay by ``backoff`` (``NonNegativeInt``, default 0: only the first
retry waits). Dagster (1.13, ``dagster/_core/definitions/policy.py``) waits ``delay``
seconds (int or float) before every retry, ``n * delay`` with ``Backoff.LINEAR`` and
``(2**n - 1) * delay`` with ``Backoff.EXPONENTIAL``; ``Jitter`` randomises the wait.

So: an integer delay without backoff becomes ``delay=d, backoff=1`` (same waits, safe);
no delay keeps ``max_retries`` only (safe); a fractional delay is rounded up (unsafe);
``EXPONENTIAL`` becomes ``backoff=2`` (unsafe: d, 2d, 4d instead of d, 3d, 7d);
``LINEAR``, any jitter and ``max_retries=0`` have no equivalent: no fix.
"""

from __future__ import annotations

import ast
import cmath
import math
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Edit
from dagster_zenml_lint.fixers.edits import (
    FixDraft,
    call_arguments,
    keyword_name_span,
    parent_of,
    remove_items,
    resolves_to,
    scope_of_node,
)
from dagster_zenml_lint.fixers.file_index import file_index, remembered
from dagster_zenml_lint.fixers.imports import ImportPlan

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext

FIELDS = ("max_retries", "delay", "backoff", "jitter")
RETRY_KEYWORDS = {"retry_policy": "retry", "op_retry_policy": "retry"}
NUMERIC_MODULES = frozenset({"math", "cmath", "numpy"})
NON_FINITE_CONSTANTS = frozenset({"inf", "nan", "infj", "nanj", "Inf", "NaN", "NAN", "Infinity", "PINF", "NINF"})


def is_retry_policy_call(ctx: FileContext, node: ast.AST) -> bool:
    """Whether ``node`` is a call of Dagster's ``RetryPolicy``."""
    return isinstance(node, ast.Call) and resolves_to(ctx, node.func, "dagster.RetryPolicy")


def _module_int(ctx: FileContext, node: ast.expr) -> int | None:
    """The value of a name bound once at module level to an integer literal."""
    if not isinstance(node, ast.Name):
        return None
    assigned = [stmt.value for stmt in file_index(ctx).module_assignments.get(node.id, ())]
    if len(assigned) == 1 and isinstance(assigned[0], ast.Constant) and type(assigned[0].value) is int:
        return assigned[0].value
    return None


def convert_retry_policy(ctx: FileContext, call: ast.Call, plan: ImportPlan, draft: FixDraft) -> None:
    """Add the edits turning one ``RetryPolicy(...)`` call into ``StepRetryConfig(...)``."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        draft.block("RetryPolicy(...) takes *args/**kwargs: its arguments cannot be mapped")
        return
    if len(call.args) > len(FIELDS):
        draft.block("RetryPolicy(...) has too many positional arguments")
        return
    values: dict[str, ast.expr] = {FIELDS[i]: arg for i, arg in enumerate(call.args)}
    values.update({k.arg: k.value for k in call.keywords if k.arg})
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        draft.block(f"RetryPolicy({unknown[0]}=...) is not a RetryPolicy argument")
        return
    for field_name, value in values.items():
        if not_finite(ctx, value):
            draft.block(f"RetryPolicy({field_name}={ctx.segment(value)}): the value is not a finite number")
    if draft.blockers:
        return
    arguments = call_arguments(call)
    drop: set[int] = set()

    def drop_argument(field_name: str) -> None:
        drop.add(next(i for i, a in enumerate(arguments) if _argument_value(a) is values[field_name]))

    max_retries = values.get("max_retries")
    if isinstance(max_retries, ast.Constant) and type(max_retries.value) is int and max_retries.value < 1:
        draft.block(
            f"RetryPolicy(max_retries={max_retries.value}) never retries; "
            "ZenML's StepRetryConfig needs max_retries >= 1 (drop the policy instead)"
        )
    delay = values.get("delay")
    has_delay = delay is not None and not (isinstance(delay, ast.Constant) and delay.value is None)
    if delay is not None and not has_delay:
        drop_argument("delay")
    if has_delay:
        _convert_delay(ctx, delay, draft)  # type: ignore[arg-type]
    backoff = values.get("backoff")
    backoff_given = backoff is not None and not (isinstance(backoff, ast.Constant) and backoff.value is None)
    if backoff is not None and not backoff_given:
        drop_argument("backoff")
    if backoff_given:
        if resolves_to(ctx, backoff, "dagster.Backoff.EXPONENTIAL"):  # type: ignore[arg-type]
            draft.add(Edit(*ctx.node_span(backoff), "2"))  # type: ignore[arg-type]
            draft.unsafe(
                "Backoff.EXPONENTIAL becomes backoff=2: ZenML waits d, 2d, 4d... where Dagster waited d, 3d, 7d..."
            )
        elif resolves_to(ctx, backoff, "dagster.Backoff.LINEAR"):  # type: ignore[arg-type]
            draft.block(
                "RetryPolicy(backoff=Backoff.LINEAR) waits n*delay; ZenML's backoff multiplies "
                "the delay, so there is no equivalent"
            )
        else:
            draft.block(f"RetryPolicy(backoff={ctx.segment(backoff)}) cannot be mapped")  # type: ignore[arg-type]
    jitter = values.get("jitter")
    if jitter is not None:
        if isinstance(jitter, ast.Constant) and jitter.value is None:
            drop_argument("jitter")
        else:
            draft.block(f"RetryPolicy(jitter={ctx.segment(jitter)}) randomises the wait; ZenML has no jitter")
    if draft.blockers:
        return
    draft.add(Edit(*ctx.node_span(call.func), plan.name("zenml.config", "StepRetryConfig")))
    for index, arg in enumerate(call.args):
        start = ctx.node_span(arg)[0]
        draft.add(Edit(start, start, f"{FIELDS[index]}="))
    for edit in remove_items(ctx, arguments, drop) if drop and len(drop) < len(arguments) else ():
        draft.add(edit)
    if drop and len(drop) == len(arguments):
        draft.add(Edit(ctx.node_span(call.func)[1], ctx.node_span(call)[1], "()"))
    if has_delay and not backoff_given:
        kept = [a for i, a in enumerate(arguments) if i not in drop]
        end = ctx.node_span(kept[-1])[1]
        draft.add(Edit(end, end, ", backoff=1"))


def not_finite(ctx: FileContext, node: ast.expr) -> bool:
    """Whether an expression holds an infinite or NaN number (``1e400``, ``float("inf")``, ``math.nan``).

    No whole number of seconds matches such a value (``math.ceil`` of it raises).
    """
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, (float, complex)):
            if not cmath.isfinite(sub.value):
                return True
        elif isinstance(sub, ast.Call) and _is_builtin_float(ctx, sub.func) and sub.args:
            argument = sub.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                try:
                    if not math.isfinite(float(argument.value)):
                        return True
                except ValueError:
                    continue
        elif isinstance(sub, ast.Attribute) and sub.attr in NON_FINITE_CONSTANTS and isinstance(sub.value, ast.Name):
            base = sub.value
            binding = ctx.model.lookup(base.id, scope_of_node(ctx, base), (base.lineno, base.col_offset))
            if binding is not None and binding.qualname in NUMERIC_MODULES:
                return True
    return False


def _is_builtin_float(ctx: FileContext, node: ast.expr) -> bool:
    """Whether ``node`` is the builtin ``float`` (a name the file does not bind itself)."""
    return (
        isinstance(node, ast.Name)
        and node.id == "float"
        and ctx.model.lookup("float", scope_of_node(ctx, node), (node.lineno, node.col_offset)) is None
    )


def _argument_value(argument: ast.AST) -> ast.AST:
    return argument.value if isinstance(argument, ast.keyword) else argument


def _convert_delay(ctx: FileContext, delay: ast.expr, draft: FixDraft) -> None:
    """Whole seconds stay; integral floats become ints; fractions round up (unsafe)."""
    if isinstance(delay, ast.Constant) and type(delay.value) is int:
        return
    if isinstance(delay, ast.Constant) and type(delay.value) is float:
        if delay.value < 0:
            draft.block(f"RetryPolicy(delay={delay.value}) is negative")
            return
        whole = math.ceil(delay.value)
        draft.add(Edit(*ctx.node_span(delay), str(whole)))
        if whole != delay.value:
            draft.unsafe(f"delay={ctx.segment(delay)} s rounded up to {whole} s (ZenML takes whole seconds)")
        return
    if _module_int(ctx, delay) is not None:
        return
    draft.unsafe(f"delay={ctx.segment(delay)} is computed; ZenML needs a whole number of seconds")


def rename_retry_keyword(ctx: FileContext, keyword: ast.keyword, draft: FixDraft) -> None:
    """``retry_policy=`` / ``op_retry_policy=`` -> ``retry=``."""
    draft.add(Edit(*keyword_name_span(ctx, keyword), RETRY_KEYWORDS[keyword.arg or ""]))


def retry_value(ctx: FileContext, keyword: ast.keyword, plan: ImportPlan, draft: FixDraft, users: set[int]) -> None:
    """Convert the value of a retry keyword: an inline ``RetryPolicy(...)`` or a module-level name.

    ``users`` holds ids of the decorator calls converted by the same fix; a shared
    policy variable is converted only when every keyword using it is among them.
    """
    value = keyword.value
    if is_retry_policy_call(ctx, value):
        convert_retry_policy(ctx, value, plan, draft)  # type: ignore[arg-type]
        return
    if isinstance(value, ast.Constant) and value.value is None:
        return
    if not isinstance(value, ast.Name):
        draft.block(f"{keyword.arg}={ctx.segment(value)} is not a RetryPolicy(...) the fix can read")
        return
    assignments = [stmt for stmt in file_index(ctx).module_assignments.get(value.id, ()) if len(stmt.targets) == 1]
    if len(assignments) != 1 or not is_retry_policy_call(ctx, assignments[0].value):
        draft.block(f"{keyword.arg}={value.id}: not a module-level RetryPolicy(...) the fix can read")
        return
    outside = _use_outside(ctx, value.id, users)
    if outside is not None:
        draft.block(
            f"retry policy '{value.id}' is also used on line {outside.lineno}, "
            "outside the ops and jobs this fix converts"
        )
        return
    convert_retry_policy(ctx, assignments[0].value, plan, draft)  # type: ignore[arg-type]


def _use_outside(ctx: FileContext, name: str, users: set[int]) -> ast.Name | None:
    """The first read of ``name`` that is not a retry keyword of a decorator call in ``users``.

    Every op and job of one fix shares ``users``: the answer is worked out once per set
    (the cache keeps the set itself, so its id is not reused while the answer is kept).
    """

    def compute() -> tuple[set[int], ast.Name | None]:
        for use in file_index(ctx).loads_by_name.get(name, ()):
            parent = parent_of(ctx, use)
            owner = parent_of(ctx, parent) if isinstance(parent, ast.keyword) else None
            if not (isinstance(parent, ast.keyword) and parent.arg in RETRY_KEYWORDS and id(owner) in users):
                return users, use
        return users, None

    kept, found = remembered(file_index(ctx).retry_uses_outside, (name, id(users)), compute)
    return found if kept is users else compute()[1]


def enclosing_retry_call(ctx: FileContext, node: ast.AST | None) -> ast.Call | None:
    """The ``RetryPolicy(...)`` call a match sits in (the call itself, or ``Backoff`` inside it)."""
    current = node
    while current is not None:
        if is_retry_policy_call(ctx, current):
            return current  # type: ignore[return-value]
        current = parent_of(ctx, current)
    return None
