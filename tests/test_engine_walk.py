"""The engine's one walk records what the fixers used to walk the tree again for.

Fixers look up any node's parent and every ``Name`` read in the file (with its scope);
the walk collects both so no fixer walks the tree a second time. If the walk missed a
node, a fix would silently lose its parent (and, say, not find the statement to remove),
so this compares the walk against a plain full traversal on every fixture and example.
"""

from __future__ import annotations

import ast
import gc

import pytest
from fuzz_strategies import seed_sources

from dagster_zenml_lint.analysis.walk import analyze
from dagster_zenml_lint.semantic import child_nodes

SOURCES = []
for text in seed_sources():
    try:
        ast.parse(text)
    except SyntaxError:
        continue
    SOURCES.append(text)

EXTRA = [
    # chains with a call at their base, subscripted bases, class keywords, nested annotations
    "import dagster as dg\n\nx = f().a.b.c\n\nclass R(dg.ConfigurableResource[int], metaclass=M):\n"
    "    y: 'dg.AssetKey' = dg.AssetKey(['a'])\n\n"
    "def g(a: dict[str, dg.AssetKey] = {}, *args: int, b=lambda q: q, **kw: 'dg.Output') -> list[dg.Output]:\n"
    "    return [a for a in args if (n := a)]\n\n"
    "def h(x: Annotated[int, Field(default={'k': f()})]) -> None:\n    pass\n",
]


def walk_nodes(root: ast.AST) -> list[ast.AST]:
    """Every node below ``root`` that the engine keeps track of (contexts and operators left out)."""
    found, todo = [], [root]
    while todo:
        node = todo.pop()
        found.append(node)
        todo.extend(child_nodes(node))
    return found


def full_parents(tree: ast.AST) -> dict[int, ast.AST]:
    parents: dict[int, ast.AST] = {}
    for node in walk_nodes(tree):
        for child in child_nodes(node):
            parents[id(child)] = node
    return parents


@pytest.mark.parametrize("text", SOURCES + EXTRA)
def test_walk_records_every_parent_and_every_name_read(text):
    tree = ast.parse(text)
    ctx = analyze("<test>", text, tree)
    expected = full_parents(tree)
    wrong = [k for k, parent in expected.items() if ctx.parents.get(k) is not parent]
    assert not wrong
    loads = [n for n in walk_nodes(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    recorded = [name for name, _scope in ctx.name_loads]
    assert sorted(map(id, recorded)) == sorted(map(id, loads))  # each read once, none missing
    for kind, collected in ((ast.Call, ctx.calls), (ast.Dict, ctx.dicts)):  # what detectors loop over
        assert sorted(map(id, collected)) == sorted(id(n) for n in walk_nodes(tree) if isinstance(n, kind))


def test_names_read_carry_their_scope():
    text = "import dagster as dg\n\ndef f(dg):\n    return dg\n\nclass C:\n    dg = 1\n    z = dg\n\nw = dg\n"
    ctx = analyze("<test>", text, ast.parse(text))
    kinds = {(name.lineno, scope.kind) for name, scope in ctx.name_loads}
    assert kinds == {(4, "function"), (8, "class"), (10, "module")}


def test_a_files_analysis_is_freed_without_the_cycle_collector():
    """Linting a file leaves no reference cycle: its tree, facts and walker go when it is done.

    A cycle (say, a table of the walker's bound methods kept on the walker) makes every
    file's whole analysis garbage only the cycle collector can free, which then traverses
    it again and again during a run: a few percent of a cold ``check``.
    """
    from dagster_zenml_lint.config import Config
    from dagster_zenml_lint.runner import lint_text

    config = Config()
    for text in [*SOURCES, *EXTRA]:
        lint_text(text, "module.py", config)  # memoised look-ups warm, outside the count
    gc.collect()
    gc.disable()
    try:
        for text in [*SOURCES, *EXTRA]:
            lint_text(text, "module.py", config)
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0


def test_comprehension_scopes_collected_by_the_walk_keep_their_bindings():
    """A comprehension's scope is collected when the walk reaches it, its inner expressions as the walk goes.

    The bindings (and their order, which picks among several bindings of a name) are
    those the full collection of each comprehension gave: every target bound twice in its
    comprehension, each ``:=`` appended to the enclosing function's scope (after the
    statements' own bindings), a lambda's default evaluated outside it.
    """
    text = (
        "import dagster as dg\n\n"
        "def f(xs):\n"
        "    ys = [y := dg.AssetKey(x) for x in xs]\n"
        "    y = 1\n"
        "    zs = [[w := a for a in b] for b in xs if (v := b)]\n"
        "    return y, w, v, ys, zs, {k: (lambda q=(u := k): q + u)() for k in xs}\n"
    )
    ctx = analyze("<test>", text, ast.parse(text))
    found = sorted(
        (scope.kind, getattr(scope.node, "lineno", 0), sorted((n, [b.position for b in bs]) for n, bs in bindings))
        for scope in ctx.model.scopes.values()
        for bindings in [scope.bindings.items()]
    )
    function = [("u", [(7, 43)]), ("v", [(6, 46)]), ("w", [(6, 11)]), ("xs", [(3, 6)]), ("y", [(5, 4), (4, 10)])]
    assert found == [
        ("comprehension", 4, [("x", [(4, 34), (4, 34)])]),
        ("comprehension", 6, [("a", [(6, 22), (6, 22)])]),
        ("comprehension", 6, [("b", [(6, 34), (6, 34)])]),
        ("comprehension", 7, [("k", [(7, 65), (7, 65)])]),
        ("function", 3, [*function, ("ys", [(4, 4)]), ("zs", [(6, 4)])]),
        ("lambda", 7, [("q", [(7, 40)])]),
        ("module", 0, [("dg", [(1, 0)]), ("f", [(3, 0)])]),
    ]


def _standard_library_sources() -> list[str]:
    """Large, varied real modules (every statement and expression form the standard library uses)."""
    import dataclasses
    import inspect
    import typing

    return [inspect.getsource(module) for module in (ast, dataclasses, inspect, typing)]


def test_child_nodes_leaves_out_only_fields_that_never_hold_a_node():
    # The walk reads only the fields the grammar does not declare as names, strings or numbers
    # (``FunctionDef.name``, ``ImportFrom.level``...): every child ``ast`` itself lists is still there.
    leaves = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)
    for text in _standard_library_sources():
        for node in ast.walk(ast.parse(text)):
            expected = [c for c in ast.iter_child_nodes(node) if not isinstance(c, leaves)]
            assert child_nodes(node) == expected, type(node).__name__


@pytest.mark.skipif(not hasattr(ast, "TypeAlias"), reason="type statements: Python 3.12+")
def test_a_type_alias_name_is_a_child():  # ``type X = ...``: a ``name`` field that holds a node
    tree = ast.parse("type X = int")
    alias = tree.body[0]
    assert alias.name in child_nodes(alias)  # type: ignore[attr-defined]


def test_a_tree_built_without_optional_fields_is_walked():
    # Hand-built nodes may lack optional fields (``Return()`` has no ``value`` before Python 3.13).
    call = ast.Call(func=ast.Name(id="f", ctx=ast.Load()), args=[], keywords=[])
    tree = ast.Module(body=[ast.Return(), ast.Expr(value=call), ast.Raise()], type_ignores=[])
    ast.fix_missing_locations(tree)
    ctx = analyze("<test>", "", tree)
    assert ctx.calls == [call]
    assert ctx.parents[id(call)] is tree.body[1]
    assert [name.id for name, _scope in ctx.name_loads] == ["f"]


def test_references_and_bindings_made_in_one_call_have_every_field():
    # The walk and the model build these tuples from all their fields at once (tuple.__new__):
    # a field added to Reference or Binding must be added there too, or this fails.
    from dagster_zenml_lint.analysis.facts import Reference
    from dagster_zenml_lint.semantic import Binding

    text = EXTRA[0]
    ctx = analyze("<test>", text, ast.parse(text))
    assert ctx.references
    for ref in ctx.references:
        assert len(ref) == len(Reference._fields)
        assert ref == Reference(**ref._asdict())
    bindings = [b for scope in ctx.model.scopes.values() for found in scope.bindings.values() for b in found]
    assert bindings
    for binding in bindings:
        assert len(binding) == len(Binding._fields)
        assert binding == Binding(**binding._asdict())
