"""DZ105: ``class X(Config)`` -> ``class X(pydantic.BaseModel)`` with a migration note (unsafe).

Dagster's ``Config`` is a pydantic model, so the fields keep working; what changes is
where the values come from: a ZenML step receives the model as an ordinary parameter,
filled from the pipeline call or from ``configs/*.yaml``, not from Dagster run config.
Only plain ``Config`` bases are rewritten (``PermissiveConfig`` accepts unknown fields,
which a plain model does not), and only when every function taking the class (in this
file or another) is an op converted in the same run: Dagster refuses a ``config:``
parameter that is not a ``Config`` when the definitions load.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Edit, ImporterNeed
from dagster_zenml_lint.fixers.edits import FixDraft, indentation_at, line_start, newline_of, parent_of
from dagster_zenml_lint.fixers.imports import ImportPlan, unused_after
from dagster_zenml_lint.registry import FixOutcome

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext, Match

NOTE = "# Migration note: {name} was Dagster run config; step parameter values now come from configs/*.yaml"


def fix_config_class(ctx: FileContext, match: Match) -> FixOutcome:
    """Rewrite the ``Config`` base of a class to ``pydantic.BaseModel`` and note where values live now."""
    info = next((c for c in ctx.classes if any(b.node is match.node for b in c.bases)), None)
    if info is None:
        return FixOutcome(
            blocker="only a class deriving from Config is rewritten (config_schema= and "
            "context.op_config need a redesign into typed parameters)"
        )
    base = next(b for b in info.bases if b.node is match.node)
    if base.canonical != "dagster.Config" or base.attrs:
        return FixOutcome(blocker=f"{base.short} has no plain pydantic equivalent")
    node = info.node
    body_start = ctx.node_span(node.body[0])[0]
    body_end = ctx.node_span(node)[1]
    for ref in ctx.references:
        if body_start <= ctx.node_span(ref.node)[0] <= body_end:
            return FixOutcome(blocker=f"the class body uses Dagster's {ref.short} (line {ref.line})")
    if node.keywords:
        return FixOutcome(blocker="the class passes keywords to its base")
    plan = ImportPlan(ctx)
    draft = FixDraft()
    _check_takers(ctx, node, draft)
    if draft.blockers:
        return draft.outcome("")
    draft.unsafe("the values now come from step parameters / configs/*.yaml instead of Dagster run config")
    draft.add(Edit(*ctx.node_span(base.node), f"{plan.module('pydantic')}.BaseModel"))
    first = node.decorator_list[0] if node.decorator_list else node
    start = line_start(ctx.text, ctx.offset(first.lineno, first.col_offset))
    indent = indentation_at(ctx.text, start)
    draft.add(Edit(start, start, f"{indent}{NOTE.format(name=node.name)}{newline_of(ctx.text)}"))
    draft.edits.extend(plan.edits(removing=unused_after(ctx, draft.replaced_spans())))
    return draft.outcome(f"Make '{node.name}' a pydantic model")


def _check_takers(ctx: FileContext, node: ast.ClassDef, draft: FixDraft) -> None:
    """Block the fix unless every function taking the class becomes a step in the same run.

    Dagster rejects a ``config:`` parameter whose class is not a ``Config`` at load time,
    so an op that stays Dagster keeps its class Dagster; so does any other use (run
    config, a subclass, an asset). The ops of this file must be convertible (their own
    cross-file needs are the fix's too); other files are asked through the project index.
    """
    from dagster_zenml_lint.fixers.components import enclosing_function, fix_for_function, uses_of
    from dagster_zenml_lint.fixers.ops import op_decorator

    for use in uses_of(ctx, node):
        parent = parent_of(ctx, use)
        owner = enclosing_function(ctx, parent) if isinstance(parent, ast.arg) else None
        if not (isinstance(parent, ast.arg) and parent.annotation is use and owner is not None):
            draft.block(f"'{node.name}' is also used on line {use.lineno}, where Dagster expects its Config class")
            continue
        if op_decorator(owner) is None:
            draft.block(f"'{owner.node.name}' (line {owner.node.lineno}) takes it and stays Dagster")
            continue
        taker = fix_for_function(ctx, owner)
        if taker.fix is None:
            draft.block(f"op '{owner.node.name}' takes it and cannot be converted ({taker.blocker})")
            continue
        for need in taker.fix.requires:
            draft.require(need)
    draft.require(ImporterNeed(node.name, ctx.path, "config"))  # ops of other files that take it
