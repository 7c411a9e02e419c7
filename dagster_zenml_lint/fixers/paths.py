"""DZ109 ``file_relative_path(__file__, rel)`` -> ``os.path.realpath(os.path.join(__file__, os.pardir, rel))``.

Dagster computes ``os.fspath(Path(dunderfile, "..", relative_path).resolve())``. Since Python
3.10 ``Path.resolve()`` is ``os.path.realpath``, and ``Path(a, "..", b)`` keeps the ``..``
segment, so the replacement gives the same string for every input: absolute, symlinks
resolved (also when the module file itself is a symlink, which
``os.path.join(os.path.dirname(__file__), rel)`` would not follow), ``..`` collapsed.
The one difference is the type check: Dagster rejects anything but ``str``, ``os.path``
also accepts path objects; the fix is safe only when both arguments are visibly strings.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from dagster_zenml_lint.findings import Edit
from dagster_zenml_lint.fixers.edits import FixDraft, parent_of
from dagster_zenml_lint.fixers.imports import ImportPlan, unused_after
from dagster_zenml_lint.registry import FixOutcome
from dagster_zenml_lint.rules._calls import argument

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext, Match


def _is_string(node: ast.expr) -> bool:
    """A string literal or ``__file__``: a ``str`` for certain."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Name) and node.id == "__file__"


def fix_file_relative_path(ctx: FileContext, match: Match) -> FixOutcome:
    """DZ109 fixer: rewrite a call of ``file_relative_path`` with ``os.path``."""
    node = match.node
    call = parent_of(ctx, node) if node is not None else None
    if not (isinstance(call, ast.Call) and call.func is node):
        return FixOutcome(blocker="only a call file_relative_path(...) is rewritten")
    dunderfile = argument(call, "dunderfile", 0)
    relative = argument(call, "relative_path", 1)
    known = {"dunderfile", "relative_path"}
    if (
        dunderfile is None
        or relative is None
        or len(call.args) + len(call.keywords) != 2
        or any(k.arg not in known for k in call.keywords)
        or any(isinstance(a, ast.Starred) for a in call.args)
    ):
        return FixOutcome(blocker="file_relative_path(...) takes unexpected arguments")
    call_start, call_end = ctx.node_span(call)
    first_start, first_end = ctx.node_span(dunderfile)
    second_start, second_end = ctx.node_span(relative)
    if second_start < first_end:
        return FixOutcome(blocker="file_relative_path(...) names its arguments in reverse order")
    plan = ImportPlan(ctx)
    draft = FixDraft()
    os_name = plan.module("os")
    # The arguments keep their text; only what surrounds them changes.
    draft.add(Edit(call_start, first_start, f"{os_name}.path.realpath({os_name}.path.join("))
    draft.add(Edit(first_end, second_start, f", {os_name}.pardir, "))
    draft.add(Edit(second_end, call_end, "))"))
    if not (_is_string(dunderfile) and _is_string(relative)):
        draft.unsafe("file_relative_path accepts only strings; os.path also accepts path objects")
    draft.edits.extend(plan.edits(removing=unused_after(ctx, draft.replaced_spans())))
    return draft.outcome("Use os.path instead of file_relative_path")
