"""Graph-backed assets (``@graph_asset``, ``@graph_multi_asset``): their ops are the pipeline's steps.

ZenML has no nested graphs. A graph-backed asset becomes two things (DZ203):

* its body, a plain function in the pipeline module that calls the ops' steps in the
  graph's order with the graph's data flow (the same translation a ``@graph`` used by a
  job gets), and
* a terminal step named after the asset that takes what the body returns and stores it
  under the asset's key(s) (``-> Annotated[Any, "<key>"]``): ZenML names an artifact by
  the step output that returns it, and other pipelines load the asset by that name.

What the asset is (its keys, parameters, the upstream asset each parameter receives, the
output names of ``outs=``) comes from the project model; this module only turns it into
generated code.
"""

from __future__ import annotations

import ast
import tokenize
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo
from dagster_zenml_lint.scaffold.code import (
    LINE_WIDTH,
    CopiedCode,
    ImportedName,
    Replacement,
    indentation,
    statement_first_line,
)
from dagster_zenml_lint.scaffold.markers import note
from dagster_zenml_lint.scaffold.names import NameSet, py_literal, python_name
from dagster_zenml_lint.scaffold.sources import SourceModule
from dagster_zenml_lint.scaffold.step_spec import StepSpec
from dagster_zenml_lint.scaffold.steps import StepCode
from dagster_zenml_lint.source import line_text, python_lines

GRAPH_ASSET_DECORATORS = frozenset({"dagster.graph_asset", "dagster.graph_multi_asset"})
STEP = ImportedName("zenml", "step", "step")
TYPING = (ImportedName("typing", "Annotated", "Annotated"), ImportedName("typing", "Any", "Any"))


@dataclass(frozen=True)
class GraphAsset:
    """One graph-backed asset: the plain function running its body and the terminal step storing its value."""

    step: str  # the terminal step (``StepSpec.name``), named after the asset's function
    module: str  # the source path of the definition
    function: str  # the decorated function in the source
    helper: str  # the plain function, in the pipeline module, that runs the graph's body
    inputs: tuple[tuple[str, str], ...]  # (graph parameter, upstream asset key), in parameter order
    outputs: tuple[tuple[str, str], ...]  # (output name, asset key); a @graph_asset has one, named "result"
    returns: str  # "value": one value; "by_name": a dict of outputs by output name; "by_position": a tuple
    from_graph: bool = False  # ``AssetsDefinition.from_graph(function)``: the body is that ``@graph``

    @property
    def keys(self) -> list[str]:
        """The asset keys the terminal step stores, in output order."""
        return [key for _, key in self.outputs]


def graph_asset_function(ctx: FileContext, name: str) -> FunctionInfo | None:
    """The module-level ``@graph_asset`` / ``@graph_multi_asset`` function ``name`` of a file, if any."""
    return next(
        (
            info
            for info in ctx.functions
            if info.node.name == name
            and info.parent_class is None
            and info.node in ctx.tree.body
            and any(d.canonical in GRAPH_ASSET_DECORATORS for d in info.decorators)
        ),
        None,
    )


def _returns(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr | None]:
    """The values of the body's own ``return`` statements (not those of nested functions)."""
    found: list[ast.expr | None] = []
    stack: list[ast.AST] = list(node.body)
    while stack:
        child = stack.pop()
        if isinstance(child, ast.Return):
            found.append(child.value)
        elif not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(child))
    return found


def return_form(node: ast.FunctionDef | ast.AsyncFunctionDef, outputs: tuple[tuple[str, str], ...]) -> str | None:
    """How the body hands its outputs over, or None when it is not statically clear.

    One output: whatever is returned. Several: a dict literal keyed by exactly the output
    names (``by_name``), or a tuple of as many items, or the call of one multi-output op
    (``by_position``, in ``outs=`` order, as Dagster maps them).
    """
    returned = _returns(node)
    if len(returned) != 1 or returned[0] is None:
        return None
    value = returned[0]
    if len(outputs) == 1:
        return "value"
    names = [name for name, _ in outputs]
    if isinstance(value, ast.Dict):
        keys = [k.value if isinstance(k, ast.Constant) else None for k in value.keys]
        return "by_name" if sorted(keys, key=str) == sorted(names) else None
    if isinstance(value, ast.Tuple):
        return "by_position" if len(value.elts) == len(outputs) else None
    if isinstance(value, ast.Call):
        return "by_position"
    return None


def _bound_names(stmt: ast.stmt) -> list[str]:
    """The names a module-level statement binds (definitions, assignments, imports)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [stmt.name]
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split(".")[0] for alias in stmt.names]
    return [n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]


def graph_asset_specs(
    model: object, modules: dict[str, SourceModule], taken: Collection[str]
) -> list[tuple[StepSpec, GraphAsset]]:
    """A terminal step for every graph-backed asset of the project model whose outputs are statically clear.

    ``taken``: the names of the other steps (the terminal step gets a unique name).
    """
    names = NameSet(taken)
    found: list[tuple[StepSpec, GraphAsset]] = []
    seen: set[tuple[str, str]] = set()
    assets = getattr(model, "assets", None) or {}
    for asset in sorted(assets.values(), key=lambda a: (a.path, a.definition.location.line, a.key)):
        definition = asset.definition
        place = (asset.path, definition.function)
        if not definition.kind.startswith("graph") or place in seen:
            continue
        seen.add(place)
        module = modules.get(asset.path)
        ctx = module.context if module is not None else None
        info = graph_asset_function(ctx, definition.function) if ctx is not None else None
        path, function = asset.path, definition.function
        inputs: tuple[tuple[str, str], ...] | None = None
        origin = None
        if info is None:  # AssetsDefinition.from_graph(graph): the @graph's body is the asset's body
            origin = _from_graph(model, modules, definition)
            if origin is None:
                continue
            path, ctx, info = origin
            function = info.node.name
            inputs = graph_inputs(info)
        if definition.kind == "graph_asset":
            outputs: tuple[tuple[str, str], ...] = (("result", definition.keys[0]),)
        else:
            outputs = definition.outputs
        if not outputs or len(outputs) != len(definition.keys):
            continue
        returns = return_form(info.node, outputs)
        if returns is None:
            continue
        step_name = python_name(definition.function, names, suffix="_step")
        names.add(step_name)
        # the body function sits in a pipeline module beside what it needs from its source module
        # (nested graphs, helpers): never one of those names
        assert ctx is not None  # info was found in it
        local = NameSet(names.folded | {n.casefold() for stmt in ctx.tree.body for n in _bound_names(stmt)})
        helper = python_name(f"{function}_graph", local, suffix="_body")
        names.add(helper)
        if inputs is None:
            inputs = model.data_inputs(definition)  # type: ignore[attr-defined]
        line = info.decorators[0].line if info.decorators else info.node.lineno
        spec = StepSpec(
            name=step_name,
            kind="asset" if len(outputs) == 1 else "multi_asset",
            module=path,
            line=line,
            function=info,
            outputs=[key for _, key in outputs],
            inputs=dict(inputs),
        )
        graph = GraphAsset(step_name, path, function, helper, inputs, outputs, returns, origin is not None)
        found.append((spec, graph))
    return found


def _from_graph(
    model: object, modules: dict[str, SourceModule], definition: Any
) -> tuple[str, FileContext, FunctionInfo] | None:
    """Where the ``@graph`` of ``AssetsDefinition.from_graph(graph)`` is: its source path, file and function."""
    if definition.kind != "graph_asset" or len(definition.calls) != 1:
        return None
    found = model.follow(definition.calls[0])  # type: ignore[attr-defined]
    if found is None:
        return None
    facts, name = found
    module = modules.get(facts.path)
    ctx = module.context if module is not None else None
    if ctx is None:
        return None
    info = next(
        (
            f
            for f in ctx.functions
            if f.node.name == name
            and f.parent_class is None
            and f.node in ctx.tree.body
            and any(d.canonical == "dagster.graph" for d in f.decorators)
        ),
        None,
    )
    return (facts.path, ctx, info) if info is not None else None


def graph_inputs(info: FunctionInfo) -> tuple[tuple[str, str], ...]:
    """A ``from_graph`` asset's upstream assets: Dagster maps each graph input to the asset of its name."""
    args = info.node.args
    return tuple((a.arg, a.arg) for a in [*args.posonlyargs, *args.args, *args.kwonlyargs])


def terminal_step(spec: StepSpec, graph: GraphAsset) -> StepCode:
    """The step that stores what the graph's body returns under the asset key(s) (identity on the values)."""
    taken = NameSet()
    params = []
    for name, _ in graph.outputs:
        param = python_name(name if name != "result" else "value", taken, suffix="_value")
        taken.add(param)
        params.append(param)
    outputs = [f"Annotated[Any, {py_literal(key)}]" for key in graph.keys]
    returned = outputs[0] if len(outputs) == 1 else f"tuple[{', '.join(outputs)}]"
    header = [f"def {spec.name}({', '.join(f'{p}: Any' for p in params)}) -> {returned}:"]
    if len(header[0]) > LINE_WIDTH:  # exploded with trailing commas: what ruff format keeps
        closing = f") -> {returned}:"
        if len(closing) > LINE_WIDTH:
            closing = ") -> tuple[\n" + "".join(f"    {o},\n" for o in outputs) + "]:"
        header = [f"def {spec.name}(", *(f"    {p}: Any," for p in params), *closing.split("\n")]
    what = "@graph_asset" if len(outputs) == 1 else "@graph_multi_asset"
    if graph.from_graph:
        what = "AssetsDefinition.from_graph of the @graph"
    lines = [
        "@step",
        *header,
        *note(
            f"the Dagster {what} '{graph.function}' ({graph.module}:{spec.line}) ran its ops as one asset; "
            "they are steps of the pipeline now, and this step stores what the graph returned under the "
            "asset's name, so other pipelines load it by that name. (DZ203)",
            "    ",
        ),
        f"    return {', '.join(params)}",
    ]
    return StepCode(spec=spec, text="\n".join(lines) + "\n", imports={STEP, *TYPING})


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _closing_paren(text: str, node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, int, bool] | None:
    """Where the parameter list of ``node`` closes: (line, byte column, whether a comma precedes it)."""
    lines = python_lines(text)  # the def header: a few lines from its ``def`` line, as Python numbers them
    header = iter(line + "\n" for line in lines[node.lineno - 1 : (node.body[0].lineno if node.body else node.lineno)])
    depth = 0
    previous = ""
    try:
        for token in tokenize.generate_tokens(lambda: next(header, "")):
            if token.type != tokenize.OP:
                if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
                    previous = token.string
                continue
            if token.string in "([{":
                depth += 1
            elif token.string in ")]}":
                depth -= 1
                if depth == 0:
                    row, col = token.start
                    source_line = lines[node.lineno - 1 + row - 1]
                    return node.lineno + row - 1, len(source_line[:col].encode()), previous == ","
            previous = token.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return None


def keyword_parameters(node: ast.FunctionDef | ast.AsyncFunctionDef, names: Sequence[str], comma: bool) -> str | None:
    """The text that adds ``names`` as keyword-only parameters before the closing parenthesis (None: cannot)."""
    args = node.args
    if args.kwarg is not None:
        return None  # nothing may follow ``**kwargs``
    existing = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if any(a.arg in names for a in existing) or (args.vararg is not None and args.vararg.arg in names):
        return None
    joined = ", ".join(names)
    if not existing and args.vararg is None:
        return f"*, {joined}"
    lead = "" if comma else ", "
    return f"{lead}{joined}" if args.vararg is not None or args.kwonlyargs else f"{lead}*, {joined}"


def _body_node(module: SourceModule, graph: GraphAsset) -> tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """The text the body is copied from (after the direct fixes) and the graph asset's function in it."""
    ctx = module.fixed_context or module.context
    text = module.fixed_text if module.fixed_context is not None else module.text
    assert ctx is not None
    node = next(
        f.node
        for f in ctx.functions
        if f.node.name == graph.function and f.parent_class is None and f.node in ctx.tree.body
    )
    return text, node


def body_function(
    module: SourceModule,
    graph: GraphAsset,
    prepare: Callable[[ast.Module, CopiedCode], Sequence[str]],
    parameters: Sequence[str] = (),
) -> str:
    """The graph asset's body as a plain function named ``graph.helper`` (its decorators become a note).

    ``prepare`` adds the generator's rewrites of the body (a fan-out, step calls passing the
    pipeline's parameters) to the copied code and returns the marker lines (comments for what
    the body still does the Dagster way) that go first in the body, after its docstring.
    ``parameters`` (a partition key its steps take) are added as keyword-only parameters;
    :func:`threadable` says whether they can be.
    """
    text, node = _body_node(module, graph)
    copied = CopiedCode(text, statement_first_line(node), node.end_lineno or node.lineno)
    header = note(
        f"this Dagster graph-backed asset is now a plain function that calls its ops' steps inside the "
        f"pipeline; the step `{graph.step}` stores what it returns (DZ203).",
    )
    def_line = line_text(text, node.lineno).encode()
    name_at = def_line.index(graph.function.encode(), def_line.index(b"def", node.col_offset) + 3)
    keyword = def_line[node.col_offset : name_at].decode()
    replacement = "\n".join(header) + "\n" + keyword + graph.helper
    first = statement_first_line(node)
    copied.replacements.append(
        Replacement((first, 0), (node.lineno, name_at + len(graph.function.encode())), replacement)
    )
    if parameters:
        closing = _closing_paren(text, node)
        added = keyword_parameters(node, parameters, closing[2]) if closing is not None else None
        assert closing is not None and added is not None, "threadable() was not asked first"
        copied.replacements.append(Replacement(closing[:2], closing[:2], added))
    marker_lines = prepare(ast.Module(body=node.body, type_ignores=[]), copied)
    body = node.body[1:] if _is_docstring(node.body[0]) else node.body
    if marker_lines and body and body[0].lineno > node.lineno:
        indent = indentation(text, body[0])
        insertion = "".join(f"{indent}{line}\n" for line in marker_lines)
        copied.replacements.append(Replacement((body[0].lineno, 0), (body[0].lineno, 0), insertion))
    return copied.render_dedented()


def threadable(module: SourceModule, graph: GraphAsset, parameters: Sequence[str]) -> bool:
    """Whether the body function can take ``parameters`` as keyword-only parameters."""
    text, node = _body_node(module, graph)
    closing = _closing_paren(text, node)
    return closing is not None and keyword_parameters(node, parameters, closing[2]) is not None


def _call(target: str, function: str, arguments: list[str]) -> str:
    """``    target = function(arguments)``; one argument a line (trailing comma, as ruff format keeps it) when long."""
    line = f"    {target} = {function}({', '.join(arguments)})"
    if len(line) <= LINE_WIDTH or not arguments:
        return line
    return f"    {target} = {function}(\n" + "".join(f"        {a},\n" for a in arguments) + "    )"


def call_lines(graph: GraphAsset, arguments: list[str], results: list[str], value: str) -> list[str]:
    """Pipeline lines: run the body, then the terminal step on what it returned (``results`` = its outputs).

    ``value`` is a free variable name for what the body returns, when it needs one.
    """
    target = ", ".join(results)
    if graph.returns == "value":
        nested = f"    {target} = {graph.step}({graph.helper}({', '.join(arguments)}))"
        if len(nested) <= LINE_WIDTH:
            return [nested]
        items = [value]
    elif graph.returns == "by_name":
        items = [f"{value}[{py_literal(name)}]" for name, _ in graph.outputs]
    else:
        items = [f"{value}[{index}]" for index in range(len(graph.outputs))]
    return [_call(value, graph.helper, arguments), _call(target, graph.step, items)]
