"""The keyword arguments of ``@op(...)`` and ``@job(...)``, mapped to ``@step`` / ``@pipeline``.

Both decorators share the shape of the rewrite: ``name=`` stays, a retry policy becomes
``retry=`` (:mod:`.retry`), some keywords are dropped at the price of an unsafe fix, some
block the fix, and anything unknown blocks it too. Each decorator gives its own tables
and, for ``@op``, the keywords only it converts (``out=``, ``ins=``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Edit
from dagster_zenml_lint.fixers.edits import FixDraft, call_arguments, remove_items
from dagster_zenml_lint.fixers.imports import ImportPlan
from dagster_zenml_lint.fixers.retry import RETRY_KEYWORDS, rename_retry_keyword, retry_value

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext

# Converts one decorator-specific keyword and says whether to drop it from the call.
KeywordConverter = Callable[[ast.keyword], bool]


@dataclass(frozen=True)
class DecoratorTable:
    """How one Dagster decorator's keywords map to its ZenML counterpart."""

    decorator: str  # "op" / "job", for messages
    target: str  # "step" / "pipeline", for messages
    dropped_unsafe: Mapping[str, str]  # keyword -> why dropping it changes behaviour
    blocking: Mapping[str, str]  # keyword -> why it cannot be converted


def convert_decorator_keywords(
    ctx: FileContext,
    call: ast.Call,
    name: str,
    table: DecoratorTable,
    plan: ImportPlan,
    draft: FixDraft,
    users: set[int],
    special: Mapping[str, KeywordConverter] | None = None,
) -> None:
    """Rewrite (or refuse) the arguments of a decorator call; ``special`` handles extra keywords."""
    label = f"@{table.decorator} '{name}'"
    if call.args:
        draft.block(f"@{table.decorator} for '{name}' takes positional arguments")
        return
    arguments = call_arguments(call)
    drop: set[int] = set()
    for index, keyword in enumerate(arguments):
        if not isinstance(keyword, ast.keyword):
            continue  # positional arguments were refused above
        arg = keyword.arg
        if arg is None:
            draft.block(f"{label} takes **kwargs")
        elif arg == "name":
            continue
        elif arg in RETRY_KEYWORDS:
            rename_retry_keyword(ctx, keyword, draft)
            retry_value(ctx, keyword, plan, draft, users)
        elif special is not None and arg in special:
            if special[arg](keyword):
                drop.add(index)
        elif arg in table.dropped_unsafe:
            draft.unsafe(f"{label}: {table.dropped_unsafe[arg]}")
            drop.add(index)
        elif arg in table.blocking:
            draft.block(f"{label} uses {table.blocking[arg]}")
        else:
            draft.block(f"{label} uses {arg}=, which has no {table.target} equivalent")
    if drop and len(drop) == len(arguments):
        draft.add(Edit(ctx.node_span(call.func)[1], ctx.node_span(call)[1], ""))
    elif drop:
        for edit in remove_items(ctx, arguments, drop):
            draft.add(edit)
