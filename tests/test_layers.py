"""The package's modules import each other in one direction only, and never in a circle.

The test reads every module of ``dagster_zenml_lint`` with :mod:`ast` (nothing is
imported) and collects what it depends on: ``import``/``from ... import`` statements at
any depth (module level and inside functions), and the ``"module:function"`` strings of
lazily loaded fixers (``registry.lazy_fixer``). Imports under ``if TYPE_CHECKING:`` name
types for annotations only and run no code, so they are left out. The registry's run-time
discovery of rule modules (``pkgutil`` over ``rules/``) is no import either: the rule
modules sit above the fixers they name, and nothing below imports them.

``LAYERS`` is the map drawn in ``docs/architecture.md``: a module may import from its own
layer and the layers below it, never from one above.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dagster_zenml_lint"
NAME = PACKAGE.name
LAZY_TARGET = re.compile(rf"{NAME}(?:\.\w+)+:\w+")

# Bottom to top. A key names a module, or a package and everything under it (the longest
# key that names a module decides).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "values",
        (
            "findings",
            "source",
            "locations",
            "dagster_packages",
            "ignore_files",
            "semantic",
            "version",
            "requires_python",
        ),
    ),
    # ``rules`` is the package of rule modules (only a docstring), which the registry walks
    ("settings", ("config", "registry", "discovery", "suppression", "rules")),
    ("engine", ("engine", "analysis", "class_bases", "components_yaml", "rules._common", "rules._calls")),
    ("fixers", ("fixers",)),
    ("rules", ("rules.*",)),
    ("runner", ("runner", "parallel", "cache")),
    ("project", ("project",)),
    ("report, scaffold, output", ("report", "scaffold", "output")),
    (
        "front-ends",
        (
            "",
            "__main__",
            "cli",
            "commands",
            "fixers.files",  # check --fix/--diff: reads, fixes and writes back the files of a run
            "baseline",
            "flake8_plugin",
            "pylint_plugin",
            "lsp",
            "docs_gen",
        ),
    ),
)


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    """Ids of every node under an ``if TYPE_CHECKING:`` block."""
    nodes: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            nodes.update(id(sub) for stmt in node.body for sub in ast.walk(stmt))
    return nodes


def _absolute(module: str, node: ast.ImportFrom) -> str:
    """The module a ``from ... import`` statement reads, with relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if MODULES[module].name != "__init__.py":
        base.pop()
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports(module: str, *, annotations: bool = False) -> set[str]:
    """The package's modules that ``module`` depends on (with ``annotations``, also those it names for types)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    skipped = set() if annotations else _type_checking_nodes(tree)
    targets: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            # ``from package import module`` depends on that module, anything else on ``base``
            targets.update(f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and LAZY_TARGET.fullmatch(node.value):
            targets.add(node.value.partition(":")[0])
    return {t for t in targets if t in MODULES and t != module}


GRAPH = {module: _imports(module) for module in MODULES}


def layer_of(module: str) -> int:
    """The index in ``LAYERS`` of a module (the longest matching key wins)."""
    relative = module.removeprefix(NAME).removeprefix(".")
    best: tuple[int, int] | None = None
    for index, (_name, keys) in enumerate(LAYERS):
        for key in keys:
            if key.endswith(".*"):
                parent = key[:-2]
                matches = relative.startswith(f"{parent}.") and not relative.rsplit(".", 1)[-1].startswith("_")
                length = len(parent) + 1
            else:
                matches = relative == key or (key != "" and relative.startswith(f"{key}."))
                length = len(key)
            if matches and (best is None or length > best[0]):
                best = (length, index)
    if best is None:
        raise AssertionError(f"{module} is in no layer of LAYERS: add it to the map (and to docs/architecture.md)")
    return best[1]


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_no_import_circle() -> None:
    assert _circles(GRAPH) == []


def test_no_module_imports_from_a_layer_above_it() -> None:
    upward = [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, targets in sorted(GRAPH.items())
        for target in sorted(targets)
        if layer_of(target) > layer_of(module)
    ]
    assert upward == []


def test_the_engine_imports_no_fixer() -> None:
    assert not {t for t in GRAPH[f"{NAME}.engine"] if t.startswith(f"{NAME}.fixers")}


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_the_circle_finder_finds_circles(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert _circles(graph) == expected


def test_the_graph_sees_function_level_and_lazy_imports() -> None:
    """The walk is not blind: imports inside functions and lazy fixer strings are edges."""
    assert f"{NAME}.fixers.components" in GRAPH[f"{NAME}.rules.ops_jobs"]  # lazy_fixer("...components:fix_op")
    assert f"{NAME}.pylint_plugin" in GRAPH[NAME]  # inside register()


def test_the_generator_feeds_the_renderer_one_way_even_in_annotations() -> None:
    """``scaffold``: plan -> files. ``render`` reads the ``Project`` value (``scaffold.project``), never the
    generator that fills it, not even to name a type: no circle among scaffold modules."""
    inside = {m for m in MODULES if m.startswith(f"{NAME}.scaffold")}
    scaffold = {m: _imports(m, annotations=True) & inside for m in inside}
    assert f"{NAME}.scaffold.render" in scaffold[f"{NAME}.scaffold.generate"]
    assert _circles(scaffold) == []


def test_the_scaffold_plans_steps_from_the_project_model_not_a_second_one() -> None:
    """Issue 14: ``scaffold/inventory.py`` (a second model derived from the engine's facts) is gone; what a
    step receives is planned in ``scaffold/step_spec.py`` from the project model's facts and
    classification (``ProjectModel.injection``)."""
    assert f"{NAME}.scaffold.inventory" not in MODULES
    assert {f"{NAME}.project.model", f"{NAME}.project.facts"} <= GRAPH[f"{NAME}.scaffold.step_spec"]
