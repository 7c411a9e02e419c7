"""Name resolution: which names in a module really refer to Dagster objects.

One pass over the tree records every binding per scope (imports, definitions,
assignments, parameters, ...). :meth:`SemanticModel.resolve` then answers, for a
``Name`` or a dotted ``Attribute`` chain at a position, the fully qualified object it
refers to (``dagster.asset``) or ``None`` when it is local, shadowed or unknown.

Rules never see spellings: they see canonical names such as ``dagster.asset``,
``dagster.AssetSelection`` or ``dagster_dbt.dbt_assets``.
"""

from __future__ import annotations

import ast
import bisect
import builtins
from dataclasses import dataclass, field
from typing import NamedTuple, cast

from dagster_zenml_lint.dagster_packages import DAGSTER_PACKAGES

# ``from dagster import *`` never rebinds Python's builtins (``int``, ``print``...).
BUILTIN_NAMES = frozenset(dir(builtins))
IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# Fields that only ever hold leaf nodes no analysis looks at: expression contexts
# (Load/Store/Del) and operators. Leaving them out of walks saves about a third of the nodes.
LEAF_FIELDS = frozenset({"ctx", "op", "ops"})
# Node types whose bindings ``SemanticModel._visit`` records itself; every other node
# only needs its children visited.
BINDING_NODES = frozenset(
    {
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Lambda,
        *COMPREHENSIONS,
        ast.Import,
        ast.ImportFrom,
        ast.Try,
        *((ast.TryStar,) if hasattr(ast, "TryStar") else ()),
        ast.Global,
        ast.Nonlocal,
        ast.Name,
        ast.NamedExpr,
        ast.ExceptHandler,
        ast.MatchAs,
        ast.MatchStar,
        ast.MatchMapping,
    }
)


# Expressions a statements-only model skips: every expression except those that can be
# assignment targets (``a``, ``a, b``, ``[a, *b]``), whose names it binds.
SKIPPED_EXPRESSIONS = frozenset(
    cls
    for cls in vars(ast).values()
    if isinstance(cls, type)
    and issubclass(cls, ast.expr)
    and cls not in (ast.expr, ast.Name, ast.Tuple, ast.List, ast.Starred)
)

# Node types that never have children worth walking (their fields are names and values).
LEAF_TYPES = frozenset({ast.Constant, ast.Name, ast.alias, ast.Global, ast.Nonlocal, ast.Pass, ast.Break, ast.Continue})


# The grammar's types of fields that hold a name, a string, a number or a constant, never a node.
SCALAR_FIELD_TYPES = frozenset({"identifier", "string", "int", "constant"})


def declared_scalar_fields(node_type: type[ast.AST]) -> frozenset[str]:
    """The fields of a node type that the grammar declares as scalars (``FunctionDef.name``, ``ImportFrom.level``).

    Read from the signature that heads every node class's docstring in Python 3.10 to 3.13
    (``FunctionDef(identifier name, arguments args, ...)``); a signature that does not name
    exactly the class's fields gives no scalar field, so every field is still looked into.
    """
    signature = (node_type.__doc__ or "").split("\n", 1)[0].strip()
    head, _, rest = signature.partition("(")
    if head != node_type.__name__ or not rest.endswith(")"):
        return frozenset()
    declared = [part.rsplit(" ", 1) for part in rest[:-1].split(", ") if part]
    if [pair[-1] for pair in declared] != list(node_type._fields) or any(len(pair) != 2 for pair in declared):
        return frozenset()
    return frozenset(name for kind, name in declared if kind.rstrip("*?") in SCALAR_FIELD_TYPES)


def _fields_to_walk(node_type: type[ast.AST]) -> tuple[str, ...]:
    if node_type in LEAF_TYPES:
        return ()
    scalars = declared_scalar_fields(node_type)  # never hold a node: not read on every visit
    return tuple(name for name in node_type._fields if name not in LEAF_FIELDS and name not in scalars)


# The fields :func:`child_nodes` looks into, for every node type of this Python (a dict
# lookup: walks ask it for every node).
CHILD_FIELDS: dict[type, tuple[str, ...]] = {
    cls: _fields_to_walk(cls) for cls in vars(ast).values() if isinstance(cls, type) and issubclass(cls, ast.AST)
}


def child_fields(node_type: type[ast.AST]) -> tuple[str, ...]:
    """The fields of a node type that :func:`child_nodes` looks into (none for leaves)."""
    found = CHILD_FIELDS.get(node_type)
    return found if found is not None else _fields_to_walk(node_type)


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """The direct children of a node, like :func:`ast.iter_child_nodes` without contexts and operators."""
    children: list[ast.AST] = []
    names = CHILD_FIELDS.get(type(node))
    for name in names if names is not None else _fields_to_walk(type(node)):
        value = getattr(node, name, None)
        if type(value) is list:
            for item in value:
                if isinstance(item, ast.AST):
                    children.append(item)
        elif isinstance(value, ast.AST):
            children.append(value)
    return children


def is_dagster_module(module: str) -> bool:
    """True for ``dagster``, its submodules and Dagster's published packages (``dagster_dbt``...).

    A project's own package named ``dagster_something`` is not Dagster: only the
    packages published as ``dagster-*`` count (see :mod:`dagster_packages`).
    """
    return module.split(".", 1)[0] in DAGSTER_PACKAGES


class Binding(NamedTuple):
    """A name bound in a scope at a position; ``qualname`` is set for imports."""

    name: str
    position: tuple[int, int]
    qualname: str | None
    node: ast.AST
    fallback: bool = False  # bound in an ``except ImportError`` handler
    star: bool = False


@dataclass
class Scope:
    """A module, class, function, lambda or comprehension scope."""

    node: ast.AST
    parent: Scope | None
    kind: str
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)
    star_modules: list[str] = field(default_factory=list)

    def add(self, binding: Binding) -> None:
        """Record a binding."""
        self.bindings.setdefault(binding.name, []).append(binding)

    def add_in_order(self, binding: Binding) -> None:
        """Record a binding found after the others, keeping each name's bindings in source order."""
        bisect.insort(self.bindings.setdefault(binding.name, []), binding, key=lambda b: b.position)


# Builds a Binding from all its fields in one C call (``Binding(...)`` is a Python-level __new__).
_new_binding = tuple.__new__


class ImportRecord(NamedTuple):
    """One imported name, for rules about imports (DZ104, DZ399)."""

    node: ast.Import | ast.ImportFrom
    name: str  # bound name
    qualname: str
    fallback: bool
    scope: Scope


def _pos(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _handler_catches_import_error(handler: ast.ExceptHandler) -> bool:
    kind = handler.type
    if kind is None:
        return True
    names = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    for item in names:
        if isinstance(item, ast.Name) and item.id in IMPORT_ERRORS:
            return True
        if isinstance(item, ast.Attribute) and item.attr in IMPORT_ERRORS:
            return True
    return False


class SemanticModel:
    """Scopes and bindings of one module, and resolution of names to Dagster objects."""

    def __init__(self, tree: ast.Module, *, statements_only: bool = False) -> None:
        """Collect the bindings of a module.

        ``statements_only`` leaves expressions out: the bindings they make (``:=``, and the
        scopes of lambdas and comprehensions) are added when a walk of the tree reaches them
        (:meth:`expression_scope`, :meth:`bind_named_expr`). Imports, definitions, parameters
        and assignment targets, which are statements, are all collected up front. The engine's
        walk visits every expression, so after it the model is complete; skipping them here
        saves most of this pass.
        """
        self.tree = tree
        self.module_scope = Scope(tree, None, "module")
        self.scopes: dict[int, Scope] = {id(tree): self.module_scope}
        self.imports: list[ImportRecord] = []
        self._skipped: frozenset[type] = SKIPPED_EXPRESSIONS if statements_only else frozenset()
        self._bound_named_exprs: set[int] = set()
        self._collect(tree, self.module_scope, fallback=False)
        # Only these names can resolve to Dagster (plus anything, under a Dagster star import):
        # resolution of every other name stops before the scope lookup.
        self.dagster_bound_names = frozenset(
            binding.name
            for scope in self.scopes.values()
            for bindings in scope.bindings.values()
            for binding in bindings
            if binding.qualname and is_dagster_module(binding.qualname)
        )
        self.has_dagster_star_import = any(
            is_dagster_module(module) for scope in self.scopes.values() for module in scope.star_modules
        )

    # ------------------------------------------------------------------ collection
    def _bind(
        self,
        scope: Scope,
        name: str,
        node: ast.AST,
        qualname: str | None = None,
        fallback: bool = False,
        position: tuple[int, int] | None = None,
    ) -> None:
        target = self.module_scope if name in scope.global_names else scope
        if position is None:
            position = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
        # (what Scope.add does with Binding(...), without the two Python-level calls: every
        # parameter and assignment target of a module passes here)
        binding = _new_binding(Binding, (name, position, qualname, node, fallback, False))
        found = target.bindings.get(name)
        if found is None:
            target.bindings[name] = [binding]
        else:
            found.append(binding)

    def _bind_target(self, scope: Scope, target: ast.AST, fallback: bool) -> None:
        if type(target) is ast.Name:  # the common ``for x in ...``: what the walk below would find
            if type(target.ctx) is not ast.Load:  # type: ignore[attr-defined]
                self._bind(scope, target.id, target, fallback=fallback)  # type: ignore[attr-defined]
            return
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                self._bind(scope, node.id, node, fallback=fallback)
            elif isinstance(node, ast.Starred):
                continue

    def _new_scope(self, node: ast.AST, parent: Scope, kind: str) -> Scope:
        scope = Scope(node, parent, kind)
        self.scopes[id(node)] = scope
        return scope

    def _collect_args(self, args: ast.arguments, scope: Scope) -> None:
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        if args.vararg:
            every.append(args.vararg)
        if args.kwarg:
            every.append(args.kwarg)
        for arg in every:
            self._bind(scope, arg.arg, arg)

    def _collect(self, node: ast.AST, scope: Scope, fallback: bool) -> None:
        """Record bindings below ``node`` (recursive, scope-aware)."""
        for child in child_nodes(node):
            self._visit(child, scope, fallback)

    def _visit_children(self, node: ast.AST, scope: Scope, fallback: bool) -> None:
        """:meth:`_visit` every child of a node, with the two commonest cases decided here.

        The same as ``for child in child_nodes(node): self._visit(child, scope, fallback)``,
        without a call for a skipped expression or a name read.
        """
        skipped = self._skipped
        names = CHILD_FIELDS.get(type(node))
        for field_name in names if names is not None else child_fields(type(node)):
            value = getattr(node, field_name, None)
            if type(value) is list:
                for item in value:
                    kind = type(item)
                    if kind is ast.Name:
                        if type(item.ctx) is not ast.Load:
                            self._bind(scope, item.id, item, fallback=fallback)
                    elif kind not in skipped and item is not None:  # (None: a ``**`` dict key, a kw_default)
                        self._visit(item, scope, fallback)
            elif value is not None:  # a node: the fields read here hold nodes, lists of them or None
                kind = type(value)
                if kind is ast.Name:
                    name = cast(ast.Name, value)
                    if type(name.ctx) is not ast.Load:
                        self._bind(scope, name.id, name, fallback=fallback)
                elif kind not in skipped:
                    self._visit(value, scope, fallback)

    def _visit(self, child: ast.AST, scope: Scope, fallback: bool) -> None:
        """Record the bindings one node makes, then those below it."""
        node_type = type(child)
        if node_type is ast.Name:  # the commonest node: binds when stored or deleted
            name = cast(ast.Name, child)  # ``type() is`` is faster than isinstance here; mypy cannot narrow it
            if type(name.ctx) is not ast.Load:
                self._bind(scope, name.id, name, fallback=fallback)
        elif node_type in self._skipped:  # statements_only: an expression, collected when walked
            return
        elif node_type not in BINDING_NODES:  # most other nodes: only their children can bind
            self._visit_children(child, scope, fallback)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._bind(scope, child.name, child, fallback=fallback)
            for deco in child.decorator_list:
                self._collect_expr(deco, scope, fallback)
            self._collect_defaults(child.args, scope, fallback)
            if child.returns:
                self._collect_expr(child.returns, scope, fallback)
            inner = self._new_scope(child, scope, "function")
            self._collect_args(child.args, inner)
            self._collect_body(child.body, inner)
        elif isinstance(child, ast.ClassDef):
            self._bind(scope, child.name, child, fallback=fallback)
            for expr in [*child.decorator_list, *child.bases, *(k.value for k in child.keywords)]:
                self._collect_expr(expr, scope, fallback)
            inner = self._new_scope(child, scope, "class")
            self._collect_body(child.body, inner)
        elif isinstance(child, ast.Lambda):
            self._collect_defaults(child.args, scope, fallback)
            inner = self._new_scope(child, scope, "lambda")
            self._collect_args(child.args, inner)
            self._collect_expr(child.body, inner, False)
        elif isinstance(child, COMPREHENSIONS):
            inner = self._new_scope(child, scope, "comprehension")
            for gen in child.generators:
                self._bind_target(inner, gen.target, False)
            self._collect(child, inner, False)
        elif isinstance(child, ast.Import):
            for alias in child.names:
                if alias.asname:
                    self._bind(scope, alias.asname, child, alias.name, fallback)
                    self._record_import(child, alias.asname, alias.name, fallback, scope)
                else:
                    top = alias.name.split(".", 1)[0]
                    self._bind(scope, top, child, top, fallback)
                    self._record_import(child, top, alias.name, fallback, scope)
        elif isinstance(child, ast.ImportFrom):
            module = child.module or ""
            if child.level:
                module = "." * child.level + module
            for alias in child.names:
                if alias.name == "*":
                    if not child.level:
                        scope.star_modules.append(module)
                    continue
                bound = alias.asname or alias.name
                qual = f"{module}.{alias.name}" if not child.level else None
                self._bind(scope, bound, child, qual, fallback)
                if qual:
                    self._record_import(child, bound, qual, fallback, scope)
        elif isinstance(child, ast.Try) or type(child).__name__ == "TryStar":
            self._collect_body(child.body, scope, fallback)  # type: ignore[attr-defined]
            for handler in child.handlers:  # type: ignore[attr-defined]
                in_fallback = fallback or _handler_catches_import_error(handler)
                if handler.name:
                    self._bind(scope, handler.name, handler, fallback=True)
                if handler.type is not None:
                    self._collect_expr(handler.type, scope, fallback)
                self._collect_body(handler.body, scope, in_fallback)
            self._collect_body(child.orelse, scope, fallback)  # type: ignore[attr-defined]
            self._collect_body(child.finalbody, scope, fallback)  # type: ignore[attr-defined]
        elif isinstance(child, (ast.Global, ast.Nonlocal)):
            if isinstance(child, ast.Global):
                scope.global_names.update(child.names)
        elif isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
            self._bind(scope, child.id, child, fallback=fallback)
        elif isinstance(child, ast.NamedExpr):
            self._bound_named_exprs.add(id(child))
            target_scope = scope
            while target_scope.kind == "comprehension" and target_scope.parent:
                target_scope = target_scope.parent
            self._bind(target_scope, child.target.id, child.target, fallback=fallback)
            self._collect(child.value, scope, fallback)
        elif isinstance(child, ast.ExceptHandler):
            return
        elif isinstance(child, (ast.MatchAs, ast.MatchStar)) and getattr(child, "name", None):
            self._bind(scope, child.name, child, fallback=fallback)  # type: ignore[arg-type]
            self._collect(child, scope, fallback)
        elif isinstance(child, ast.MatchMapping) and child.rest:
            self._bind(scope, child.rest, child, fallback=fallback)
            self._collect(child, scope, fallback)
        else:
            self._collect(child, scope, fallback)

    def _collect_body(self, body: list[ast.stmt], scope: Scope, fallback: bool = False) -> None:
        for stmt in body:
            self._visit(stmt, scope, fallback)

    def _collect_expr(self, expr: ast.AST, scope: Scope, fallback: bool) -> None:
        self._visit(expr, scope, fallback)

    def _collect_defaults(self, args: ast.arguments, scope: Scope, fallback: bool) -> None:
        # Defaults and annotations are read, never bound: only an expression the model does not
        # skip can hold a binding (a name read binds nothing), so the others are not visited.
        skipped = self._skipped
        for expr in [*args.defaults, *args.kw_defaults]:
            if expr is not None and type(expr) not in skipped and type(expr) is not ast.Name:
                self._visit(expr, scope, fallback)
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None:
                annotation = arg.annotation
                if annotation is not None and type(annotation) not in skipped and type(annotation) is not ast.Name:
                    self._visit(annotation, scope, fallback)

    def _record_import(
        self, node: ast.Import | ast.ImportFrom, name: str, qual: str, fallback: bool, scope: Scope
    ) -> None:
        self.imports.append(ImportRecord(node, name, qual, fallback, scope))

    def expression_scope(self, node: ast.AST, scope: Scope) -> Scope:
        """The scope a lambda or comprehension opens, collected now if the model skipped it."""
        found = self.scopes.get(id(node))
        if found is None and self._skipped and isinstance(node, COMPREHENSIONS):
            # Only the comprehension's own bindings (its targets): the expressions inside it
            # stay skipped, and the walk, which visits them next, collects what they bind
            # (nested lambdas and comprehensions, ``:=``) as it reaches them, in the order a
            # full collection here would have (both go through the children in field order).
            found = self._new_scope(node, scope, "comprehension")
            for gen in node.generators:
                self._bind_target(found, gen.target, False)
            self._collect(node, found, False)
        elif found is None:
            skipped, self._skipped = self._skipped, frozenset()
            try:
                self._visit(node, scope, False)
            finally:
                self._skipped = skipped
            found = self.scopes.get(id(node), scope)
        return found

    def bind_named_expr(self, node: ast.NamedExpr, scope: Scope) -> None:
        """Record the binding of ``target := value`` met by a walk (once; the scope is where it is met)."""
        if id(node) in self._bound_named_exprs or not isinstance(node.target, ast.Name):
            return
        self._bound_named_exprs.add(id(node))
        target_scope = scope
        while target_scope.kind == "comprehension" and target_scope.parent:
            target_scope = target_scope.parent
        if node.target.id in target_scope.global_names:
            target_scope = self.module_scope
        binding = Binding(node.target.id, _pos(node.target), None, node.target)
        if scope.kind == "comprehension":
            # What a full collection of the comprehension (:meth:`expression_scope`) did before
            # the walk reached it: append, not sort in (the facts stay those of that collection).
            target_scope.add(binding)
        else:
            target_scope.add_in_order(binding)

    # ------------------------------------------------------------------ resolution
    def scope_of(self, node: ast.AST) -> Scope | None:
        """The scope that a scope-creating node opens (function, class, lambda...)."""
        return self.scopes.get(id(node))

    def lookup(self, name: str, scope: Scope, position: tuple[int, int]) -> Binding | None:
        """The binding a use of ``name`` at ``position`` in ``scope`` refers to."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if current.kind == "class" and not first:
                current = current.parent
                continue
            found = current.bindings.get(name)
            if found:
                return self._pick(found, position)
            for module in current.star_modules:
                if is_dagster_module(module) and name not in BUILTIN_NAMES:
                    return Binding(name, (0, 0), f"{module}.{name}", current.node, star=True)
            current = current.parent
            first = False
        return None

    @staticmethod
    def _pick(bindings: list[Binding], position: tuple[int, int]) -> Binding:
        """Choose among several bindings of one name.

        Import fallbacks (``except ImportError: name = None``) never hide the import
        they stand in for. The last binding before the use wins (definitions run in
        order); a use before every binding (a function body that runs later) sees the
        first one.
        """
        if len(bindings) == 1:  # the common case; the rules below would pick it too
            return bindings[0]
        primary = [b for b in bindings if not b.fallback] or bindings
        before = [b for b in primary if b.position <= position]
        if before:
            return before[-1]
        return primary[0]

    def resolve_binding(self, binding: Binding | None) -> str | None:
        """The qualified name an import binding stands for (None for local definitions)."""
        if binding is None:
            return None
        return binding.qualname

    def resolve(self, node: ast.AST, scope: Scope) -> str | None:
        """Resolve a ``Name`` / ``Attribute`` chain to a qualified Dagster name, or None."""
        parts: list[str] = []
        current = node
        while isinstance(current, ast.Attribute):
            parts.append(current.attr)
            current = current.value
        if not isinstance(current, ast.Name):
            return None
        if current.id not in self.dagster_bound_names and not self.has_dagster_star_import:
            return None
        binding = self.lookup(current.id, scope, _pos(current))
        qual = self.resolve_binding(binding)
        if qual is None or not is_dagster_module(qual):
            return None
        parts.reverse()
        return ".".join([qual, *parts]) if parts else qual
