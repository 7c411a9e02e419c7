"""DZ219: an execution context used for more than logging becomes ``get_step_context()``."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo, Match, Reference
from dagster_zenml_lint.registry import Rule, ScaffoldHandling, clean, flagged
from dagster_zenml_lint.rules._common import APPROXIMATE, LOW

EXECUTION_CONTEXTS = ("AssetExecutionContext", "OpExecutionContext", "AssetCheckExecutionContext")


def _never(ctx: FileContext, ref: Reference) -> None:
    """The annotation itself is not a finding: the ``def`` line is, when the context is used."""
    return None


def _logs_only(
    ctx: FileContext, info: FunctionInfo, helpers: dict[str, FunctionInfo], seen: frozenset[str] = frozenset()
) -> bool:
    """True when a function's context parameter is used for ``.log`` only (also through helpers that log)."""
    param = info.context
    if param is None:
        return False
    seen = seen | {info.node.name}
    return all(
        chain[:1] == ("log",) or (not chain and _passed_to_logging_helper(ctx, node, helpers, seen))
        for node, chain in param.uses
    )


def _passed_to_logging_helper(
    ctx: FileContext, node: ast.Name, helpers: dict[str, FunctionInfo], seen: frozenset[str] = frozenset()
) -> bool:
    """True when a bare context is an argument of this file's helper that only logs with it.

    ``_safe_download(client, path, context)`` where ``_safe_download`` only calls
    ``context.log.warning(...)``: the context is still used for logging only.
    """
    call = ctx.parent(node)
    if isinstance(call, ast.keyword):
        keyword, call = call, ctx.parent(call)
    else:
        keyword = None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
        return False
    helper = helpers.get(call.func.id)
    if helper is None or helper.context is None or helper.node.name in seen:
        return False
    if not _logs_only(ctx, helper, helpers, seen):
        return False
    if keyword is not None:
        return keyword.arg == helper.context.name
    positional = [a.arg for a in (*helper.node.args.posonlyargs, *helper.node.args.args)]
    index = next((i for i, arg in enumerate(call.args) if arg is node), None)
    return index is not None and index < len(positional) and positional[index] == helper.context.name


def _module_helpers(ctx: FileContext) -> dict[str, FunctionInfo]:
    """The module-level functions that take a context, by name."""
    top = {id(stmt) for stmt in ctx.tree.body}
    return {info.node.name: info for info in ctx.functions if id(info.node) in top and info.context is not None}


def _context_beyond_logging(ctx: FileContext) -> Iterator[Match]:
    helpers: dict[str, FunctionInfo] | None = None  # worked out at the first bare context use (most files: never)
    for info in ctx.functions:
        param = info.context
        if param is None or param.kind != "execution":
            continue
        uses: list[str] = []
        for node, chain in param.uses:
            if chain[:1] == ("log",):
                continue
            if not chain:
                if helpers is None:
                    helpers = _module_helpers(ctx)
                if _passed_to_logging_helper(ctx, node, helpers):
                    continue
            uses.append(".".join([param.name, *chain[:2]]))
        if not uses:
            continue
        distinct = list(dict.fromkeys(uses))
        shown = ", ".join(distinct[:3]) + (", ..." if len(distinct) > 3 else "")
        subject = f"'{info.node.name}' uses its context beyond logging ({shown})"
        yield Match("DZ219", info.node.lineno, info.node.col_offset, subject, info.node)


DZ219 = Rule(
    code="DZ219",
    scaffold=ScaffoldHandling(resolved=True),
    symbol="dagster-execution-context",
    severity=LOW,
    mapping=APPROXIMATE,
    title="Execution context beyond logging becomes `get_step_context()`",
    target="`get_step_context()` (`from zenml import get_step_context`) for run and step information; "
    "explicit parameters or `Client()` for the rest",
    hint="Replace each context attribute with its ZenML counterpart (`get_step_context()`, a parameter, "
    "`Client()`) and drop the context parameter.",
    docs=("STEPS",),
    message="{subject}: use get_step_context() or explicit parameters",
    what_it_does="Reports the `def` line of a function whose execution context (a parameter annotated "
    "`AssetExecutionContext` / `OpExecutionContext` / `AssetCheckExecutionContext`, or the `context` of an "
    "op or asset) is used for anything but `.log`, including being passed on to another function (unless "
    "that function is defined in the same file and only logs with it).",
    why="ZenML steps get no context argument; run and step details come from `get_step_context()` and "
    "everything else must be passed in explicitly. A context used only for logging is DZ106.",
    fix_safety="No fix: each attribute needs its own replacement.",
    names={f"dagster.{name}": _never for name in EXECUTION_CONTEXTS},
    detectors=(_context_beyond_logging,),
    examples=(
        flagged(
            "from dagster import AssetExecutionContext, asset\n\n\n@asset\n"
            "def orders(context: AssetExecutionContext) -> str:\n    return context.run_id\n",
        ),
        flagged(
            "from dagster import op\n\n\ndef audit(context) -> None:\n    print(context.run_id)\n\n\n"
            "@op\ndef load(context) -> int:\n    audit(context)\n    return 1\n",
            title="an unannotated op context passed to a helper",
        ),
        clean(
            "from dagster import AssetExecutionContext, asset\n\n\n@asset\n"
            "def orders(context: AssetExecutionContext) -> int:\n    context.log.info('loading')\n    return 1\n",
            title="logging only (DZ106)",
        ),
        clean(
            "from dagster import OpExecutionContext, op\n\n\n"
            "def warn(message: str, context: OpExecutionContext) -> None:\n    context.log.warning(message)\n\n\n"
            "@op\ndef load(context: OpExecutionContext) -> int:\n    warn('empty', context)\n    return 0\n",
            title="passed to a helper of the file that only logs with it",
        ),
    ),
)

RULES = (DZ219,)
