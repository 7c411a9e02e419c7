"""Ops and jobs made by calling ``op``/``job`` by hand: ``load = op(_load)``, ``load = op(name="x")(_load)``.

A call form is the decorator applied to a function defined elsewhere in the file. The fix
treats it as the decorated function it stands for: a :class:`CallFormInfo` is that
function's :class:`FunctionInfo` with the call's reference as its one decorator and the
name the assignment binds as its name (what jobs call, what other modules import), so the
op/job component, its plan and the cross-file questions are the decorator's. The file's call
forms are found once (``FileIndex.call_forms``); this module sits below ``file_index.py``
and ``op_graph.py``, and is handed the index for the lookups it shares. The rewrite
is the decorator's too: ``op`` becomes ``step`` in the call, the keyword arguments of
``op(...)`` map as ``@op(...)``'s do, and the function's signature gets the same edits.

Only the shapes whose meaning is the decorator's are taken: one module-level assignment
to a name, of ``op(fn)`` or ``op(...)(fn)``, of a module-level function without
decorators that nothing else wraps. ``op(fn, name="x")`` is refused: Dagster ignores
keywords given with the function, ZenML's ``step`` does not.

``migrate`` reads a call form as the decorated function it stands for: :func:`decorator_form_edits`
puts the decorator on the function (named as the assignment names it, with the Dagster name
kept by ``name=``) and drops the assignment, so every later stage sees one form.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dagster_zenml_lint.analysis.facts import FunctionInfo
from dagster_zenml_lint.findings import Edit
from dagster_zenml_lint.fixers.edits import line_end, line_start, newline_of, parent_of, scope_of_node

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext, Reference
    from dagster_zenml_lint.fixers.file_index import FileIndex

# The decorators whose call forms are read as decorated functions: ``check --fix`` converts
# ops and jobs; the others matter because their functions call ops (a graph calling an op
# keeps it Dagster) and because ``migrate`` reads them as decorated functions.
DECORATORS = {
    f"dagster.{name}": name
    for name in ("op", "job", "asset", "multi_asset", "graph", "graph_asset", "graph_multi_asset", "asset_check")
}
LONGEST_SHOWN_CALL = 60  # longer calls are named ``op(...)`` in a blocker


@dataclass
class CallFormInfo(FunctionInfo):
    """The wrapped function of ``name = op(fn)`` seen as the op (or job) the assignment makes.

    ``decorators`` holds the call's reference, whose ``call`` is the keyword call
    (``op(name="x")``) or None (``op(fn)``), as a bare or called decorator would.
    """

    name: str = ""  # the name the assignment binds: what jobs call and other modules import
    target: ast.Name | None = None
    wrapper: ast.Call | None = None  # the call that receives the function: op(fn), op(...)(fn)


@dataclass
class CallForms:
    """The file's call forms: those converted like decorators, and why the others are not."""

    members: list[CallFormInfo] = field(default_factory=list)
    by_function: dict[int, CallFormInfo] = field(default_factory=dict)  # id of the wrapped function node
    problems: dict[int, str] = field(default_factory=dict)  # id of the reference node -> blocker


def member_name(info: FunctionInfo) -> str:
    """The name an op or job is known by in its module (a call form's assigned name)."""
    return info.name if isinstance(info, CallFormInfo) else info.node.name


def as_member(index: FileIndex, info: FunctionInfo | None) -> FunctionInfo | None:
    """``info``, or the op/job a call form makes of it when one wraps it."""
    if info is None or info.decorators:
        return info
    return index.call_forms.by_function.get(id(info.node), info)


def call_form_uses(index: FileIndex, info: CallFormInfo) -> list[ast.Name]:
    """Names that read the binding a call form's assignment makes."""
    return _binding_uses(index, info.name, info.target)


def function_uses(index: FileIndex, info: CallFormInfo) -> list[ast.Name]:
    """Uses of the wrapped function other than its call form (it stays a plain function there)."""
    wrapped = info.wrapper.args[0] if info.wrapper is not None else None
    return [use for use in _binding_uses(index, info.node.name, info.node) if use is not wrapped]


def _binding_uses(index: FileIndex, name: str, binding_node: ast.AST | None) -> list[ast.Name]:
    ctx = index.ctx
    found = []
    for node in index.loads_by_name.get(name, []):
        binding = ctx.model.lookup(node.id, scope_of_node(ctx, node), (node.lineno, node.col_offset))
        if binding is not None and binding.node is binding_node:
            found.append(node)
    return found


def find_call_forms(index: FileIndex) -> CallForms:
    """The op and job call forms of the file: those converted like decorators, and why the others are not."""
    ctx = index.ctx
    found = CallForms()
    candidates: list[tuple[Reference, str, ast.Call, ast.Call | None]] = []
    for ref in ctx.references:
        kind = DECORATORS.get(ref.canonical)
        if kind is None or ref.attrs or ref.role != "call" or ref.call is None or ref.call.func is not ref.node:
            continue
        shaped = _shape(ctx, ref.call)
        if isinstance(shaped, str):
            found.problems[id(ref.node)] = _blocker(ctx, ref, kind, shaped)
        else:
            candidates.append((ref, kind, *shaped))
    wrapped_count: dict[int, int] = {}
    infos: list[tuple[Reference, str, ast.Call, ast.Call | None, ast.Name, FunctionInfo]] = []
    for ref, kind, wrapper, keywords in candidates:
        problem, target, function = _binding(index, wrapper)
        if problem is not None:
            found.problems[id(ref.node)] = _blocker(ctx, ref, kind, problem)
            continue
        wrapped_count[id(function.node)] = wrapped_count.get(id(function.node), 0) + 1  # type: ignore[union-attr]
        infos.append((ref, kind, wrapper, keywords, target, function))  # type: ignore[arg-type]
    for ref, kind, wrapper, keywords, target, function in infos:
        if wrapped_count[id(function.node)] > 1:
            problem = f"'{function.node.name}' is wrapped by more than one op(...)/job(...) call"
            found.problems[id(ref.node)] = _blocker(ctx, ref, kind, problem)
            continue
        member = CallFormInfo(
            node=function.node,
            decorators=[ref._replace(call=keywords)],
            context=function.context,
            parent_class=None,
            name=target.id,
            target=target,
            wrapper=wrapper,
        )
        found.members.append(member)
        found.by_function[id(function.node)] = member
    return found


def _shape(ctx: FileContext, call: ast.Call) -> tuple[ast.Call, ast.Call | None] | str:
    """(the call receiving the function, the keyword call or None), or why the shape is not taken."""
    if call.args or call.keywords:
        if len(call.args) == 1 and not call.keywords and isinstance(call.args[0], ast.Name):
            return call, None
        if call.args and call.keywords:
            return "Dagster ignores keywords given together with the function (ZenML's step does not)"
        if call.args:
            return "only a function named by its name is rewritten"
    outer = parent_of(ctx, call)
    if not (isinstance(outer, ast.Call) and outer.func is call):
        return "only a call that receives the function, op(fn) or op(...)(fn), is rewritten"
    if len(outer.args) != 1 or outer.keywords or not isinstance(outer.args[0], ast.Name):
        return "only a function named by its name is rewritten"
    return outer, call


def _binding(index: FileIndex, wrapper: ast.Call) -> tuple[str | None, ast.Name | None, FunctionInfo | None]:
    """(a problem, the assigned name, the wrapped function's info): where the call form binds, and what."""
    ctx = index.ctx
    statement = parent_of(ctx, wrapper)
    if not (
        isinstance(statement, ast.Assign)
        and statement.value is wrapper
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and index.is_module_level(statement)
    ):
        return "only 'name = op(fn)' at module level is rewritten", None, None
    target = statement.targets[0]
    assert isinstance(target, ast.Name)
    if len(ctx.model.module_scope.bindings.get(target.id, [])) != 1:
        return f"'{target.id}' is bound more than once in the module", None, None
    argument = wrapper.args[0]
    assert isinstance(argument, ast.Name)
    binding = ctx.model.lookup(argument.id, ctx.model.module_scope, (argument.lineno, argument.col_offset))
    function = index.function_of(binding.node) if binding is not None else None
    if function is None or not index.is_module_level(function.node):
        return f"'{argument.id}' is not a function defined at module level in this file", None, None
    if function.node.decorator_list:
        return f"'{argument.id}' has decorators", None, None
    return None, target, function


def _blocker(ctx: FileContext, ref: Reference, kind: str, problem: str) -> str:
    """Why a call form is not rewritten, naming the call as written."""
    outermost: ast.AST = ref.node
    parent = parent_of(ctx, outermost)
    while isinstance(parent, ast.Call) and parent.func is outermost:  # op(fn), op(name="x")(fn)
        outermost = parent
        parent = parent_of(ctx, parent)
    called = ctx.segment(outermost)
    shown = f"'{called}'" if called and len(called) <= LONGEST_SHOWN_CALL and "\n" not in called else f"{kind}(...)"
    return f"{shown} applies @{kind} by hand in a form that is not rewritten: {problem}"


DEF_NAME = re.compile(r"(?:async\s+)?def\s+(\w+)")


def decorator_form_edits(index: FileIndex) -> list[Edit]:
    """Edits turning every call form whose function is used nowhere else into its decorator form.

    ``load = op(_load)`` after ``def _load(...)`` becomes ``@op(name='_load')`` on ``def load(...)``
    (Dagster names the op after the function, so ``name=`` keeps that name), and
    ``load = op(name="x")(_load)`` becomes ``@op(name="x")`` on ``def load(...)``. The decorator
    takes the blank line above the ``def`` when there is one and the assignment leaves a blank
    line, so the other lines keep their numbers.
    """
    ctx = index.ctx
    edits: list[Edit] = []
    for member in in_decorator_form(index):
        header = DEF_NAME.match(ctx.text, ctx.offset(member.node.lineno, member.node.col_offset))
        assert header is not None and member.wrapper is not None  # checked by in_decorator_form
        start, end = ctx.node_span(parent_of(ctx, member.wrapper))  # type: ignore[arg-type]
        tail = ctx.text[end : line_end(ctx.text, end)].rstrip("\r\n")
        comment = tail if tail.strip().startswith("#") else ""  # a suppression comment follows the finding
        edits.append(Edit(header.start(1), header.end(1), member.name))
        edits.append(_decorator_line(ctx, member, comment))
        edits.append(Edit(start, end + len(comment), ""))
    return edits


def in_decorator_form(index: FileIndex) -> list[CallFormInfo]:
    """The call forms ``migrate`` and the project model read as decorated functions: those whose
    function is used nowhere else (its name becomes the assigned one)."""
    ctx = index.ctx
    return [
        member
        for member in index.call_forms.members
        if member.wrapper is not None
        and isinstance(parent_of(ctx, member.wrapper), ast.Assign)
        and DEF_NAME.match(ctx.text, ctx.offset(member.node.lineno, member.node.col_offset)) is not None
        and not function_uses(index, member)
    ]


def _decorator_line(ctx: FileContext, member: CallFormInfo, comment: str) -> Edit:
    """The decorator line put above the wrapped function (on the blank line there, or inserted),
    followed by the assignment's trailing ``comment``."""
    ref = member.decorators[0]
    keywords = ref.call
    dagster_name = repr(member.node.name) if member.name != member.node.name else None
    if keywords is None:
        decorator = ctx.segment(ref.node) + (f"(name={dagster_name})" if dagster_name else "")
    elif dagster_name is None or any(k.arg == "name" for k in keywords.keywords):
        decorator = ctx.segment(keywords)
    else:
        opening = ctx.text.index("(", ctx.node_span(keywords.func)[1])
        inside = ctx.text[opening + 1 : ctx.node_span(keywords)[1] - 1]
        separator = ", " if inside.strip() else ""
        decorator = f"{ctx.segment(keywords.func)}(name={dagster_name}{separator}{inside})"
    text = ctx.text
    definition = line_start(text, ctx.offset(member.node.lineno, member.node.col_offset))
    above = line_start(text, definition - 1) if definition else definition
    if definition and not text[above:definition].strip():
        return Edit(above, above + len(text[above:definition].rstrip("\r\n")), f"@{decorator}{comment}")
    return Edit(definition, definition, f"@{decorator}{comment}{newline_of(text)}")
