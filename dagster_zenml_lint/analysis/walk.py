"""The walker: one pass over a module that records its Dagster facts in a :class:`FileContext`."""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import Any

from dagster_zenml_lint.analysis.facts import (
    ClassInfo,
    ContextParam,
    ContextUse,
    FileContext,
    FunctionInfo,
    KeywordUse,
    MethodUse,
    Reference,
)
from dagster_zenml_lint.analysis.names import (
    CONTEXT_TYPES,
    EXECUTION_DECORATORS,
    IO_MANAGER_METHODS,
    OTHER_DECORATORS,
    canonicalize,
)
from dagster_zenml_lint.semantic import (
    CHILD_FIELDS,
    Scope,
    SemanticModel,
    child_fields,
    child_nodes,
    is_dagster_module,
)


def _value_name(node: ast.expr) -> str:
    while isinstance(node, ast.Call):
        node = node.func
    base, attrs = _chain(node)
    return ".".join([base.id, *attrs]) if isinstance(base, ast.Name) else "..."


# ------------------------------------------------------------------------ matching


def _chain(node: ast.expr) -> tuple[ast.expr, tuple[str, ...]]:
    """Split ``a.b.c`` into the base expression ``a`` and attributes ``("b", "c")``."""
    attrs: list[str] = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    attrs.reverse()
    return node, tuple(attrs)


def _short(canonical: str) -> str:
    return canonical.rsplit(".", 1)[-1]


def _callee_display(ctx: FileContext, use: KeywordUse) -> str:
    owner = f" '{use.owner}'" if use.owner else ""
    if use.callee is not None and use.callee.role == "decorator":
        return f"@{use.callee.short}{owner}"
    return f"{use.callee_name}(){owner}"


def _value_display(ctx: FileContext, node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        base, attrs = _chain(node.func)
        if not isinstance(base, ast.Name):
            return "..."
        # ``dg.DailyPartitionsDefinition(...)`` reads better without the module alias
        return ".".join(attrs) if attrs else base.id
    text = " ".join(ctx.segment(node).split())
    return text if len(text) <= 40 else text[:37] + "..."


# Nodes without children worth walking (constants are most of them): the walk records
# their parent and goes no further.
LEAF_NODES = frozenset({ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.alias, ast.Global, ast.Nonlocal})


def _attribute_bases(root: ast.AST) -> set[int]:
    """Ids of the nodes below ``root`` that are the ``value`` of an attribute (``dg`` in ``dg.X``)."""
    return {id(node.value) for node in ast.walk(root) if isinstance(node, ast.Attribute)}


# Builds a Reference from all its fields, in Reference's field order, in one C call
# (``Reference(...)`` runs a Python-level __new__; the walk makes one per Dagster name).
_new_reference = tuple.__new__


class _Walker:
    """The single walk over a module that collects references, keywords and contexts."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.model = ctx.model
        self.context_params: dict[int, ContextParam] = {}
        self.dagster_locals: set[int] = set()  # ids of binding nodes made by Dagster calls/decorators
        # Their names: a name outside these sets (and Dagster's imports) needs no scope lookup.
        self.dagster_local_names: set[str] = set()
        self.context_names: set[str] = set()
        self.function_stack: list[FunctionInfo] = []
        self.class_stack: list[ClassInfo] = []
        self.keyword_stack: list[tuple[str, str]] = []
        self.parents = ctx.parents
        self.name_loads = ctx.name_loads
        # The names that can resolve to Dagster (anything, under a Dagster star import): fixed by the model.
        self.dagster_names = ctx.model.dagster_bound_names
        self.dagster_star = ctx.model.has_dagster_star_import
        # ``load = op(_load)``: the decorator applied by hand gives ``_load`` its context too
        self.wrapped_kinds = wrapped_by_decorator_calls(ctx.model, ctx.tree)

    # -- helpers -------------------------------------------------------------------
    def reference(
        self,
        node: ast.expr,
        scope: Scope,
        role: str,
        *,
        call: ast.Call | None = None,
        owner: str | None = None,
        line: int | None = None,
        col: int | None = None,
    ) -> Reference | None:
        qual = self.model.resolve(node, scope)
        if qual is None:
            return None
        canonical, attrs = canonicalize(qual)
        kw, kw_of = self.keyword_stack[-1] if self.keyword_stack else (None, None)
        ref: Reference = _new_reference(
            Reference,
            (
                node,
                canonical,
                attrs,
                role,
                line if line is not None else node.lineno,
                col if col is not None else node.col_offset,
                call,
                owner,
                kw,
                kw_of,
            ),
        )
        self.ctx.references.append(ref)
        return ref

    def _is_dagster_value(self, node: ast.expr, scope: Scope) -> str | None:
        """Name of the Dagster object an expression evaluates to, if any."""
        while isinstance(node, ast.Call):
            node = node.func
        base, _attrs = _chain(node)
        if not isinstance(base, ast.Name):
            return None
        model = self.model
        name = base.id
        known = name in self.dagster_local_names or name in model.dagster_bound_names
        if not known and not model.has_dagster_star_import:
            return None
        binding = model.lookup(name, scope, (base.lineno, base.col_offset))
        if binding is None:
            return None
        if binding.qualname and is_dagster_module(binding.qualname):
            return base.id
        if id(binding.node) in self.dagster_locals:
            return base.id
        return None

    # -- walk ----------------------------------------------------------------------
    def walk(self, node: ast.AST, scope: Scope) -> None:
        """Visit the children of ``node`` (as :func:`child_nodes` lists them), recording their parent."""
        kind = type(node)
        read = _READ_FIELDS.get(kind)
        values: Any
        try:
            # one call for every field (not a getattr per field); a type with one field gives its value
            values = (read(node),) if kind in _ONE_FIELD else read(node)  # type: ignore[misc]
        except (TypeError, AttributeError):  # a type without a reader, a node built without some field
            values = [getattr(node, name, None) for name in child_fields(kind)]
        parents = self.parents
        handlers = _HANDLERS
        # A field read here holds a node, a list of nodes (and Nones: dict keys, kw_defaults) or None:
        # the grammar's scalar fields are not read (semantic.CHILD_FIELDS), so "not None" means a node.
        for value in values:
            if type(value) is list:
                for child in value:
                    kind = type(child)
                    if kind is ast.Name:  # the commonest child: decided here, without a call
                        parents[id(child)] = node
                        if type(child.ctx) is ast.Load:
                            self.read_name(child, scope)
                    elif kind in LEAF_NODES:
                        parents[id(child)] = node
                    elif child is not None:
                        parents[id(child)] = node
                        handlers.get(kind, _walk)(self, child, scope)
            elif value is not None:
                parents[id(value)] = node
                kind = type(value)
                if kind is ast.Name:
                    if type(value.ctx) is ast.Load:  # type: ignore[attr-defined]
                        self.read_name(value, scope)  # type: ignore[arg-type]
                elif kind not in LEAF_NODES:
                    handlers.get(kind, _walk)(self, value, scope)

    def visit(self, node: ast.AST, scope: Scope) -> None:
        """Record what one node holds: its own facts if the walker handles its type, else its children's."""
        kind = type(node)
        if kind not in LEAF_NODES:
            _HANDLERS.get(kind, _walk)(self, node, scope)

    def visit_expression_scope(self, node: ast.AST, scope: Scope) -> None:
        """A lambda or comprehension: its children are walked in the scope it opens."""
        self.walk(node, self.model.expression_scope(node, scope))

    def visit_named_expr(self, node: ast.NamedExpr, scope: Scope) -> None:
        """``target := value``: the binding is recorded where the walk meets it."""
        self.model.bind_named_expr(node, scope)
        self.walk(node, scope)

    def visit_dict(self, node: ast.Dict, scope: Scope) -> None:
        """A dict display, kept for the detectors."""
        self.ctx.dicts.append(node)
        self.walk(node, scope)

    def visit_reference(self, node: ast.Attribute, scope: Scope) -> None:
        """An attribute chain read outside a call, decorator, base or annotation."""
        self.visit_chain(node, scope, "reference")

    def visit_name(self, node: ast.Name, scope: Scope) -> None:
        """A bare name: :meth:`visit_chain` of a one-name chain, without its work for names no fact needs."""
        if type(node.ctx) is ast.Load:
            self.read_name(node, scope)

    def read_name(self, node: ast.Name, scope: Scope) -> None:
        """A name read: recorded, and a reference or context use when its name can make one."""
        self.name_loads.append((node, scope))
        name = node.id
        if name in self.dagster_names or self.dagster_star or name in self.context_names:
            self.after_load(node, node, (), scope, "reference", None, None, None)

    def visit_ann_assign(self, node: ast.AnnAssign, scope: Scope) -> None:
        """``target: annotation = value``: the annotation is read as one."""
        parents = self.parents
        parents[id(node.annotation)] = node
        self.visit_annotation(node.annotation, scope)
        for child in (node.target, node.value):
            if child is not None:
                parents[id(child)] = node
                self.visit(child, scope)

    def visit_assign(self, node: ast.Assign, scope: Scope) -> None:
        """An assignment; a name bound to a Dagster call's value is a Dagster-made local."""
        self.walk(node, scope)
        if isinstance(node.value, ast.Call) and self._is_dagster_value(node.value, scope):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.dagster_locals.add(id(target))
                    self.dagster_local_names.add(target.id)

    def visit_annotation(self, node: ast.expr, scope: Scope) -> None:
        """Record an annotation's names, parents and Dagster references (``dg.X`` once, not ``dg`` again)."""
        loads = self.name_loads
        if type(node) is ast.Name:  # the commonest annotation (``int``, ``AssetExecutionContext``): the loop's answer
            if type(node.ctx) is ast.Load:
                loads.append((node, scope))
            if node.id in self.dagster_names or self.dagster_star:  # else no reference (resolve's first test)
                self.reference(node, scope, "annotation")
            return
        if type(node) is ast.Attribute:  # ``dg.AssetExecutionContext``: a chain down to a name, decided here
            link: ast.expr = node
            while isinstance(link, ast.Attribute):
                self.parents[id(link.value)] = link
                link = link.value
            if type(link) is ast.Name:  # (the loop below: one reference for the chain, then its name read)
                if link.id in self.dagster_names or self.dagster_star:
                    self.reference(node, scope, "annotation")
                if type(link.ctx) is ast.Load:
                    loads.append((link, scope))
                return
        parents = self.ctx.parents
        chain_bases: set[int] = set()
        todo: deque[ast.AST] = deque([node])
        while todo:
            sub = todo.popleft()
            kind = type(sub)
            if kind is ast.Call:
                self.ctx.calls.append(sub)  # type: ignore[arg-type]
            elif kind is ast.Dict:
                self.ctx.dicts.append(sub)  # type: ignore[arg-type]
            if kind is ast.Name:
                if type(sub.ctx) is ast.Load:  # type: ignore[attr-defined]
                    loads.append((sub, scope))  # type: ignore[arg-type]
                if id(sub) not in chain_bases:
                    self.reference(sub, scope, "annotation")  # type: ignore[arg-type]
                continue
            if kind is ast.Attribute:
                chain_bases.add(id(sub.value))  # type: ignore[attr-defined]
                if id(sub) not in chain_bases:
                    self.reference(sub, scope, "annotation")  # type: ignore[arg-type]
            elif kind is ast.Constant:
                if isinstance(sub.value, str):  # type: ignore[attr-defined]
                    self.visit_string_annotation(sub, scope)  # type: ignore[arg-type]
                continue
            for child in child_nodes(sub):
                parents[id(child)] = sub
                todo.append(child)

    def visit_string_annotation(self, node: ast.Constant, scope: Scope) -> None:
        """References inside a string annotation (``"dg.AssetExecutionContext"``), located at the string."""
        try:
            inner = ast.parse(str(node.value), mode="eval").body
        except (SyntaxError, ValueError):  # ValueError: a lone surrogate ("\\ud800") the parser cannot encode
            return
        chain_bases = _attribute_bases(inner)
        for name in ast.walk(inner):
            if isinstance(name, (ast.Name, ast.Attribute)) and id(name) not in chain_bases:
                for part in ast.walk(name):
                    ast.copy_location(part, node)
                self.reference(name, scope, "annotation")

    def visit_chain(
        self,
        node: ast.expr,
        scope: Scope,
        role: str,
        *,
        call: ast.Call | None = None,
        owner: str | None = None,
        line: int | None = None,
    ) -> Reference | None:
        """Record a ``Name`` / ``Attribute`` chain read (its links' parents too); the Dagster reference it makes."""
        parents = self.parents
        attrs: list[str] = []
        base = node
        while isinstance(base, ast.Attribute):
            attrs.append(base.attr)
            parents[id(base.value)] = base
            base = base.value
        if not isinstance(base, ast.Name):
            # e.g. ``f().x``: walk into the base expression
            self.visit(base, scope)
            return None
        if not isinstance(base.ctx, ast.Load):
            return None
        self.ctx.name_loads.append((base, scope))
        name = base.id
        model = self.model
        if name in model.dagster_bound_names or model.has_dagster_star_import or name in self.context_names:
            attrs.reverse()
            return self.after_load(node, base, tuple(attrs), scope, role, call, owner, line)
        return None  # neither Dagster nor a context: what ``after_load`` would conclude

    def after_load(
        self,
        node: ast.expr,
        base: ast.Name,
        attrs: tuple[str, ...],
        scope: Scope,
        role: str,
        call: ast.Call | None,
        owner: str | None,
        line: int | None,
    ) -> Reference | None:
        """A chain read from a name (``node`` is ``base.attrs``): a Dagster reference, or a use of a context."""
        name = base.id
        if name in self.dagster_names or self.dagster_star:  # else no reference (resolve's first test)
            ref = self.reference(node, scope, role, call=call, owner=owner, line=line)
            if ref is not None:
                return ref
        if name not in self.context_names:
            return None
        binding = self.model.lookup(base.id, scope, (base.lineno, base.col_offset))
        if binding is not None and id(binding.node) in self.context_params:
            param = self.context_params[id(binding.node)]
            param.uses.append((base, attrs))
            func = self.function_stack[-1].node.name if self.function_stack else param.function.name
            self.ctx.context_uses.append(ContextUse(param, base, attrs, func))
        return None

    def visit_call(
        self, node: ast.Call, scope: Scope, *, role: str = "call", owner: str | None = None, line: int | None = None
    ) -> None:
        ctx = self.ctx
        parents = self.parents
        ctx.calls.append(node)
        func = node.func
        callee: Reference | None = None
        callee_name: str | None = None
        parents[id(func)] = node
        func_kind = type(func)  # (exact types: a parsed tree has no subclasses of the node types)
        if func_kind is ast.Name or func_kind is ast.Attribute:
            base: ast.expr = func
            while type(base) is ast.Attribute:
                base = base.value  # type: ignore[attr-defined]
            if type(base) is ast.Name:
                name = base.id
                may_be_dagster = name in self.dagster_names or self.dagster_star
                if may_be_dagster or name in self.context_names:
                    callee = self.visit_chain(func, scope, role, call=node, owner=owner, line=line)
                else:  # most calls (``len(x)``, ``rows.append(x)``): what visit_chain records of them
                    link: ast.expr = func
                    while isinstance(link, ast.Attribute):
                        parents[id(link.value)] = link
                        link = link.value
                    if type(base.ctx) is ast.Load:
                        self.name_loads.append((base, scope))
                if callee is not None:
                    callee_name = callee.short
                elif (may_be_dagster or name in self.dagster_local_names) and self._is_dagster_value(func, scope):
                    # (the membership tests first: most calls are not Dagster's)
                    _base, attrs = _chain(func)
                    callee_name = ".".join([base.id, *attrs])
                    if attrs:
                        self.record_method(func, node, base.id)  # type: ignore[arg-type]
            else:
                self.visit(func, scope)
                if isinstance(func, ast.Attribute) and self._is_dagster_value(func.value, scope):
                    self.record_method(func, node, _value_name(func.value))
        else:
            self.visit(func, scope)
        if owner is None and callee_name is not None and node.keywords:  # only keyword uses record an owner
            parent = parents.get(id(node))
            if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
                owner = parent.targets[0].id
        handlers = _HANDLERS
        for arg in node.args:
            parents[id(arg)] = node
            kind = type(arg)
            if kind is ast.Name:  # (``f(x)``: the name read decided here, without a call)
                if type(arg.ctx) is ast.Load:  # type: ignore[attr-defined]
                    self.read_name(arg, scope)  # type: ignore[arg-type]
            elif kind not in LEAF_NODES:
                handlers.get(kind, _walk)(self, arg, scope)
        for kw in node.keywords:
            parents[id(kw)] = node
            parents[id(kw.value)] = kw
            if callee_name is not None and kw.arg is not None:
                ctx.keywords.append(KeywordUse(kw, node, callee, callee_name, owner))
                self.keyword_stack.append((kw.arg, callee.canonical if callee else callee_name))
                self.visit(kw.value, scope)
                self.keyword_stack.pop()
            else:
                value = kw.value
                kind = type(value)
                if kind is ast.Name:  # (``f(x=y)``: the name read decided here, without a call)
                    if type(value.ctx) is ast.Load:  # type: ignore[attr-defined]
                        self.read_name(value, scope)  # type: ignore[arg-type]
                elif kind not in LEAF_NODES:
                    handlers.get(kind, _walk)(self, value, scope)

    def record_method(self, func: ast.Attribute, call: ast.Call, receiver: str) -> None:
        enclosing = self.function_stack[-1] if self.function_stack else None
        self.ctx.methods.append(MethodUse(func, call, receiver, enclosing))

    def visit_decorator(self, deco: ast.expr, scope: Scope, owner: str) -> Reference | None:
        before = len(self.ctx.references)
        if isinstance(deco, ast.Call):
            self.visit_call(deco, scope, role="decorator", owner=owner, line=deco.lineno)
        else:
            self.visit_chain(deco, scope, "decorator", owner=owner, line=deco.lineno)
        for ref in self.ctx.references[before:]:
            if ref.role == "decorator":
                return ref
        return None

    def visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> None:
        decorators: list[Reference] = []
        for deco in node.decorator_list:
            self.ctx.parents[id(deco)] = node
            ref = self.visit_decorator(deco, scope, node.name)
            if ref is not None:
                decorators.append(ref)
        arguments = node.args
        parents = self.ctx.parents
        parents[id(arguments)] = node
        if arguments.defaults or arguments.kw_defaults:
            for default in [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)]:
                parents[id(default)] = arguments
                self.visit(default, scope)
        all_args = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        for arg in [*all_args, arguments.vararg, arguments.kwarg]:
            if arg is None:
                continue
            parents[id(arg)] = arguments
            if arg.annotation is not None:
                parents[id(arg.annotation)] = arg
                self.visit_annotation(arg.annotation, scope)
        if node.returns is not None:
            self.ctx.parents[id(node.returns)] = node
            self.visit_annotation(node.returns, scope)
        if decorators:
            self.dagster_locals.add(id(node))
            self.dagster_local_names.add(node.name)
        info = FunctionInfo(node, decorators, None, self.class_stack[-1] if self.class_stack else None)
        info.context = self.find_context(info, all_args, scope)
        if info.context is not None:
            arg_node = next(a for a in all_args if a.arg == info.context.name)
            self.context_params[id(arg_node)] = info.context
            self.context_names.add(arg_node.arg)
        self.ctx.functions.append(info)
        inner = self.model.scope_of(node) or scope
        self.function_stack.append(info)
        self.visit_body(node, inner)
        self.function_stack.pop()

    def visit_body(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, scope: Scope) -> None:
        """The statements of a definition's body, in its scope (:meth:`visit` of each, without the call)."""
        parents = self.parents
        handlers = _HANDLERS
        for stmt in node.body:
            parents[id(stmt)] = node
            kind = type(stmt)
            if kind not in LEAF_NODES:
                handlers.get(kind, _walk)(self, stmt, scope)

    def find_context(self, info: FunctionInfo, args: list[ast.arg], scope: Scope) -> ContextParam | None:
        node = info.node
        for arg in args:
            if arg.annotation is None:
                continue
            qual = self.model.resolve(arg.annotation, scope)
            if qual is None and isinstance(arg.annotation, ast.Constant) and isinstance(arg.annotation.value, str):
                name = arg.annotation.value.rsplit(".", 1)[-1]
                kind = CONTEXT_TYPES.get(name) if self.ctx.imports_dagster() else None
                if kind:
                    return ContextParam(arg.arg, kind, node)
                continue
            if qual is not None and _short(qual) in CONTEXT_TYPES:
                return ContextParam(arg.arg, CONTEXT_TYPES[_short(qual)], node)
        kind = None
        wrapped = self.wrapped_kinds.get(id(node)) if self.wrapped_kinds else None
        for short in info.kinds | wrapped if wrapped else info.kinds:
            if short in EXECUTION_DECORATORS:
                kind = "execution"
            elif short in OTHER_DECORATORS:
                kind = OTHER_DECORATORS[short]
        if kind is None and info.parent_class is not None and info.parent_class.bases:
            kind = IO_MANAGER_METHODS.get(node.name)
            if kind is None and node.name == "create_resource":
                kind = "resource"
        if kind is None:
            return None
        positional = [a for a in args if a.arg not in ("self", "cls")]
        for arg in positional:
            if arg.arg in ("context", "ctx", "_context") and arg.annotation is None:
                return ContextParam(arg.arg, kind, node)
        if kind in ("io", "resource") and positional:
            # IO manager methods and ``@resource`` / ``@io_manager`` functions get their context
            # first, whatever its name (``init_context`` by Dagster's convention)
            return ContextParam(positional[0].arg, kind, node)
        return None

    def visit_class(self, node: ast.ClassDef, scope: Scope) -> None:
        for deco in node.decorator_list:
            self.ctx.parents[id(deco)] = node
            self.visit(deco, scope)
        bases: list[Reference] = []
        for base in node.bases:
            self.ctx.parents[id(base)] = node
            before = len(self.ctx.references)
            if isinstance(base, ast.Subscript):  # ResourceParam[...] / Generic[...]
                self.ctx.parents[id(base.value)] = base
                self.ctx.parents[id(base.slice)] = base
                self.visit_chain(base.value, scope, "base", owner=node.name, line=node.lineno) if isinstance(
                    base.value, (ast.Name, ast.Attribute)
                ) else None
                self.visit(base.slice, scope)
            elif isinstance(base, (ast.Name, ast.Attribute)):
                self.visit_chain(base, scope, "base", owner=node.name, line=node.lineno)
            else:
                self.visit(base, scope)
            bases.extend(r for r in self.ctx.references[before:] if r.role == "base")
        for kw in node.keywords:
            self.ctx.parents[id(kw)] = node
            self.ctx.parents[id(kw.value)] = kw
            self.visit(kw.value, scope)
        if bases:
            self.dagster_locals.add(id(node))
            self.dagster_local_names.add(node.name)
        info = ClassInfo(node, bases)
        self.ctx.classes.append(info)
        inner = self.model.scope_of(node) or scope
        self.class_stack.append(info)
        saved = self.function_stack
        self.function_stack = []
        self.visit_body(node, inner)
        self.function_stack = saved
        self.class_stack.pop()


# The handler of each node type the walker handles itself (a dict lookup instead of a chain of
# isinstance tests on every one of the tree's nodes); every other node only has its children
# walked (``_walk``). Plain functions, called with the walker: a table of bound methods on
# the walker would make every file's walker, facts and tree one reference cycle, which only
# the garbage collector could free (with refcounting alone they go when the file is done).
_walk = _Walker.walk
# Every field :func:`child_nodes` looks into, read in one call per node type (``attrgetter``);
# for the types with one such field it returns that field's value, not a tuple.
_READ_FIELDS: dict[type, Callable[[Any], Any]] = {
    kind: attrgetter(*names) for kind, names in CHILD_FIELDS.items() if names
}
_ONE_FIELD = frozenset(kind for kind, names in CHILD_FIELDS.items() if len(names) == 1)
_HANDLERS: dict[type, Callable[[_Walker, Any, Scope], None]] = {
    ast.FunctionDef: _Walker.visit_function,
    ast.AsyncFunctionDef: _Walker.visit_function,
    ast.ClassDef: _Walker.visit_class,
    ast.Lambda: _Walker.visit_expression_scope,
    ast.ListComp: _Walker.visit_expression_scope,
    ast.SetComp: _Walker.visit_expression_scope,
    ast.DictComp: _Walker.visit_expression_scope,
    ast.GeneratorExp: _Walker.visit_expression_scope,
    ast.NamedExpr: _Walker.visit_named_expr,
    ast.Dict: _Walker.visit_dict,
    ast.Call: _Walker.visit_call,
    ast.Attribute: _Walker.visit_reference,
    ast.Name: _Walker.visit_name,
    ast.AnnAssign: _Walker.visit_ann_assign,
    ast.Assign: _Walker.visit_assign,
}


def wrapped_by_decorator_calls(model: SemanticModel, tree: ast.Module) -> dict[int, set[str]]:
    """Module-level functions that a module-level call applies a Dagster decorator to, by node id.

    ``load = op(_load)`` and ``load = op(name="x")(_load)`` make ``_load`` an op as
    ``@op`` would: its context parameter is found the same way. Each value holds the
    decorators' short names (``{"op"}``).
    """
    functions = {stmt.name: stmt for stmt in tree.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
    found: dict[int, set[str]] = {}
    if not functions:
        return found
    for stmt in tree.body:
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.Expr)) else None
        if not (isinstance(value, ast.Call) and len(value.args) == 1 and isinstance(value.args[0], ast.Name)):
            continue
        wrapped = functions.get(value.args[0].id)
        decorator = value.func.func if isinstance(value.func, ast.Call) else value.func
        if wrapped is None or not isinstance(decorator, (ast.Name, ast.Attribute)):
            continue
        qualname = model.resolve(decorator, model.module_scope)
        if qualname is not None:
            found.setdefault(id(wrapped), set()).add(_short(canonicalize(qualname)[0]))
    return found


def analyze(path: str, text: str, tree: ast.Module) -> FileContext:
    """Walk a parsed module and collect its Dagster facts."""
    model = SemanticModel(tree, statements_only=True)  # the walk below adds what expressions bind
    ctx = FileContext(path=path, text=text, tree=tree, model=model)
    _Walker(ctx).walk(tree, model.module_scope)
    ctx.references.extend(_unused_integration_imports(ctx))
    return ctx


def _unused_integration_imports(ctx: FileContext) -> Iterator[Reference]:
    """Imports from integration packages (``dagster_dbt``...) whose name the file never uses.

    They become references at the import line (role ``import``), so the rule that claims
    the object, or DZ399, still reports them. An ``except ImportError`` fallback import
    of a name imported above it is the same import, reported once.
    """
    integration = [
        r for r in ctx.model.imports if r.qualname.split(".", 1)[0] != "dagster" and is_dagster_module(r.qualname)
    ]
    if not integration:
        return
    loaded = {node.id for node, _scope in ctx.name_loads}
    for ref in ctx.references:  # uses inside string annotations are not in the tree
        base, _ = _chain(ref.node)
        if isinstance(base, ast.Name):
            loaded.add(base.id)
    primary = {record.name for record in ctx.model.imports if not record.fallback}
    for record in integration:
        if record.name in loaded:
            continue
        if record.fallback and record.name in primary:
            continue
        alias = next(
            (
                a
                for a in record.node.names
                if (a.asname or a.name.split(".", 1)[0]) == record.name
                or a.asname == record.name
                or a.name == record.name
            ),
            None,
        )
        position = alias if alias is not None and hasattr(alias, "lineno") else record.node
        canonical, attrs = canonicalize(record.qualname)
        yield Reference(
            node=record.node,  # type: ignore[arg-type]  # an unused import points at its statement
            canonical=canonical,
            attrs=attrs,
            role="import",
            line=position.lineno,
            col=position.col_offset,
        )
