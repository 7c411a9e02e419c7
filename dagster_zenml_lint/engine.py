"""The per-file engine: (path, text, config) -> findings. Pure and front-end agnostic.

Parse once, resolve names once (:mod:`semantic`), walk once. During the walk every
Dagster reference, keyword, method call and context-attribute use is looked up in
indexes built from the registry; rules with detectors then query the collected facts.
"""

from __future__ import annotations

import ast
import fnmatch
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import NamedTuple

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.registry import FixOutcome, NamePredicate, Rule, all_rules, rules_by_code
from dagster_zenml_lint.rules import PARSE_ERROR, UNMAPPED
from dagster_zenml_lint.semantic import Scope, SemanticModel, child_nodes, is_dagster_module

# Decorators whose first ``context`` parameter is a Dagster context.
CONTEXT_TYPES = {
    "AssetExecutionContext": "execution",
    "OpExecutionContext": "execution",
    "AssetCheckExecutionContext": "execution",
    "SensorEvaluationContext": "sensor",
    "MultiAssetSensorEvaluationContext": "sensor",
    "RunStatusSensorContext": "sensor",
    "RunFailureSensorContext": "sensor",
    "ScheduleEvaluationContext": "schedule",
    "HookContext": "hook",
    "InputContext": "io",
    "OutputContext": "io",
    "InitResourceContext": "resource",
}
EXECUTION_DECORATORS = {
    "op",
    "asset",
    "multi_asset",
    "graph_asset",
    "graph_multi_asset",
    "asset_check",
    "multi_asset_check",
    "observable_source_asset",
    "multi_observable_source_asset",
    "dbt_assets",
    "sling_assets",
    "dlt_assets",
}
OTHER_DECORATORS = {
    "sensor": "sensor",
    "asset_sensor": "sensor",
    "multi_asset_sensor": "sensor",
    "run_status_sensor": "sensor",
    "run_failure_sensor": "sensor",
    "schedule": "schedule",
    "success_hook": "hook",
    "failure_hook": "hook",
    "io_manager": "resource",
    "resource": "resource",
    "freshness_policy_sensor": "sensor",
}
IO_MANAGER_METHODS = {"load_input": "io", "handle_output": "io"}
LINE_END = re.compile(r"\r\n|\r|\n")
# Set to re-raise internal errors instead of reporting them as DZ000 (for debugging).
DEBUG_ENV = "DAGSTER_ZENML_LINT_DEBUG"
# Longest exception text a DZ000 finding quotes (the finding must stay one readable line).
MAX_ERROR_TEXT = 200


class Reference(NamedTuple):
    """A resolved use of a Dagster object in the source."""

    node: ast.expr
    canonical: str  # "dagster.asset"
    attrs: tuple[str, ...]  # attributes after the object: AssetSelection.groups -> ("groups",)
    role: str  # decorator | call | base | annotation | reference
    line: int
    col: int
    call: ast.Call | None = None
    owner: str | None = None
    keyword: str | None = None  # the keyword of an enclosing Dagster call this sits in
    keyword_of: str | None = None  # canonical name of that enclosing call

    @property
    def short(self) -> str:
        """The object's short name, as a user writes it (``AssetSelection.groups``)."""
        return ".".join([self.canonical.rsplit(".", 1)[-1], *self.attrs])


class KeywordUse(NamedTuple):
    """A keyword argument given to a call of a Dagster object."""

    keyword: ast.keyword
    call: ast.Call
    callee: Reference | None  # None when the callee is a Dagster-made local (my_job(...))
    callee_name: str
    owner: str | None


class MethodUse(NamedTuple):
    """A method called on a Dagster-made object (``my_job.execute_in_process()``)."""

    node: ast.Attribute
    call: ast.Call
    receiver: str
    enclosing: FunctionInfo | None


@dataclass
class ContextParam:
    """A parameter that receives a Dagster context, and where it is used."""

    name: str
    kind: str  # execution | sensor | schedule | hook | io | resource
    function: ast.FunctionDef | ast.AsyncFunctionDef
    uses: list[tuple[ast.Name, tuple[str, ...]]] = field(default_factory=list)


class ContextUse(NamedTuple):
    """An attribute chain read on a context parameter (``context.partition_key``)."""

    param: ContextParam
    node: ast.Name
    chain: tuple[str, ...]
    function_name: str


@dataclass
class FunctionInfo:
    """A function definition with its Dagster decorators resolved."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    decorators: list[Reference]
    context: ContextParam | None
    parent_class: ClassInfo | None

    @property
    def kinds(self) -> set[str]:
        """Short names of its Dagster decorators (``{"asset"}``)."""
        return {d.canonical.rsplit(".", 1)[-1] for d in self.decorators}


@dataclass
class ClassInfo:
    """A class definition with its Dagster bases resolved."""

    node: ast.ClassDef
    bases: list[Reference]

    @property
    def base_names(self) -> set[str]:
        """Short names of its Dagster bases (``{"ConfigurableResource"}``)."""
        return {b.canonical.rsplit(".", 1)[-1] for b in self.bases}


class Match(NamedTuple):
    """A rule applying at a location; becomes a :class:`Finding`."""

    code: str
    line: int
    col: int
    subject: str
    node: ast.AST | None = None
    end_line: int | None = None
    end_col: int | None = None


@dataclass
class FileContext:
    """Everything the engine learnt about one file, for detectors and fixers."""

    path: str
    text: str
    tree: ast.Module
    model: SemanticModel
    references: list[Reference] = field(default_factory=list)
    keywords: list[KeywordUse] = field(default_factory=list)
    methods: list[MethodUse] = field(default_factory=list)
    functions: list[FunctionInfo] = field(default_factory=list)
    classes: list[ClassInfo] = field(default_factory=list)
    context_uses: list[ContextUse] = field(default_factory=list)
    # Child id -> parent, for every node of the tree (the walk records all of them).
    parents: dict[int, ast.AST] = field(default_factory=dict)
    # Every ``Name`` read in the tree with the scope it is read in, in walk order.
    name_loads: list[tuple[ast.Name, Scope]] = field(default_factory=list)
    # Every call and every dict display of the tree, for detectors (no detector walks the tree).
    calls: list[ast.Call] = field(default_factory=list)
    dicts: list[ast.Dict] = field(default_factory=list)
    # Names imported from the project's own modules that are Dagster IO manager classes there
    # (answered by ``class_bases`` before matching; the engine itself reads no other file).
    io_bases: frozenset[str] = frozenset()
    # Names imported from the project's own modules that are ``DynamicPartitionsDefinition(...)`` there.
    dynamic_partitions: frozenset[str] = frozenset()
    _line_starts: list[int] | None = None
    _ascii_lines: list[bool] | None = None
    _references_by_node: dict[int, Reference] | None = None

    @property
    def lines(self) -> list[str]:
        """The source split into lines (keeping line endings)."""
        return self.text.splitlines(keepends=True)

    def offset(self, line: int, col: int) -> int:
        """Character offset of a 1-based line and a 0-based column (ast uses UTF-8 bytes).

        Line starts are found once; on a line of ASCII text a byte column is the character
        column, so only columns on lines with other characters need decoding.
        """
        starts = self._line_starts
        if starts is None:
            starts = self._index_lines()
        last = len(starts) - 1
        first = min(line - 1, last)
        start = starts[first]
        end = starts[min(line, last)]
        if col >= 0 and first >= 0 and end >= start and self._ascii_lines[first]:  # type: ignore[index]
            return start + min(col, end - start)
        line_text = self.text[start:end]
        return start + len(line_text.encode("utf-8")[:col].decode("utf-8", "ignore"))

    def _index_lines(self) -> list[int]:
        """Compute the line starts and which lines are pure ASCII (once per context)."""
        # Only \r\n, \r and \n end a line for Python (str.splitlines also splits on
        # form feeds and other separators that may sit in comments and strings).
        text = self.text
        starts = [0, *(m.end() for m in LINE_END.finditer(text))]
        if starts[-1] != len(text):
            starts.append(len(text))
        if text.isascii():
            ascii_lines = [True] * len(starts)
        else:
            ascii_lines = [text[a:b].isascii() for a, b in pairwise(starts)]
            ascii_lines.append(True)  # the empty "line" after the last one
        self._line_starts = starts
        self._ascii_lines = ascii_lines
        return starts

    def node_span(self, node: ast.AST) -> tuple[int, int]:
        """Character offsets (start, end) of a node in the text."""
        return (
            self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            self.offset(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
        )

    def segment(self, node: ast.AST) -> str:
        """The exact source text of a node."""
        start, end = self.node_span(node)
        return self.text[start:end]

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The syntactic parent of a node."""
        return self.parents.get(id(node))

    def reference_of(self, node: ast.AST) -> Reference | None:
        """The Dagster reference made by exactly this node, if any (indexed once, after the walk)."""
        if self._references_by_node is None:
            self._references_by_node = {}
            for ref in self.references:
                self._references_by_node.setdefault(id(ref.node), ref)
        return self._references_by_node.get(id(node))

    def function_at(self, node: ast.AST) -> FunctionInfo | None:
        """The innermost function definition that contains a node."""
        current = self.parent(node)
        while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            current = self.parent(current)
        if current is None:
            return None
        return next((f for f in self.functions if f.node is current), None)

    def imports_dagster(self) -> bool:
        """True when the module imports anything from Dagster."""
        return any(is_dagster_module(i.qualname) for i in self.model.imports)


class Index(NamedTuple):
    """Lookup tables from the registry, built once per process."""

    names: dict[str, list[tuple[Rule, NamePredicate | None]]]
    name_globs: list[tuple[str, Rule, NamePredicate | None]]
    keywords: dict[str, list[tuple[Rule, NamePredicate | None]]]
    methods: dict[str, list[tuple[Rule, NamePredicate | None]]]
    context_attrs: dict[str, list[Rule]]
    detectors: list[tuple[Rule, object]]

    def rules_for_name(self, canonical: str) -> list[tuple[Rule, NamePredicate | None]]:
        """Rules that claim a canonical name (exact keys first, then globs)."""
        exact = self.names.get(canonical)
        if exact is not None:
            return exact
        return [(r, p) for pattern, r, p in self.name_globs if fnmatch.fnmatchcase(canonical, pattern)]


@cache
def build_index() -> Index:
    """Index every rule's declarative matchers."""
    names: dict[str, list[tuple[Rule, NamePredicate | None]]] = {}
    globs: list[tuple[str, Rule, NamePredicate | None]] = []
    keywords: dict[str, list[tuple[Rule, NamePredicate | None]]] = {}
    methods: dict[str, list[tuple[Rule, NamePredicate | None]]] = {}
    context_attrs: dict[str, list[Rule]] = {}
    detectors: list[tuple[Rule, object]] = []
    for rule in all_rules():
        for name, pred in rule.names.items():
            if "*" in name:
                globs.append((name, rule, pred))
            else:
                names.setdefault(name, []).append((rule, pred))
        for kw, pred in rule.keywords.items():
            keywords.setdefault(kw, []).append((rule, pred))
        for method, pred in rule.methods.items():
            methods.setdefault(method, []).append((rule, pred))
        for attr in rule.context_attrs:
            context_attrs.setdefault(attr, []).append(rule)
        detectors.extend((rule, det) for det in rule.detectors)
    return Index(names, globs, keywords, methods, context_attrs, detectors)


@cache
def known_names() -> frozenset[str]:
    """Canonical names some rule claims (used to canonicalize dotted paths)."""
    return frozenset(build_index().names)


def canonicalize(qualname: str) -> tuple[str, tuple[str, ...]]:
    """Split ``dagster._core.definitions.DailyPartitionsDefinition`` into the public
    object ``dagster.DailyPartitionsDefinition`` and trailing attributes.

    Internal modules (``_core``) and lower-case module segments are skipped; the first
    segment that names a known object, or starts with a capital, or is the last one,
    is the object.
    """
    known = known_names()
    if qualname in known:
        return qualname, ()
    parts = qualname.split(".")
    top = parts[0]
    for i in range(1, len(parts)):
        joined = ".".join(parts[: i + 1])
        if joined in known:
            return joined, tuple(parts[i + 1 :])
        candidate = f"{top}.{parts[i]}"
        if candidate in known and not _is_module_segment(parts, i):
            return candidate, tuple(parts[i + 1 :])
    for i in range(1, len(parts)):
        segment = parts[i]
        if segment.startswith("_"):
            continue
        if segment[:1].isupper() or i == len(parts) - 1:
            return f"{top}.{segment}", tuple(parts[i + 1 :])
    return top, ()


def _is_module_segment(parts: list[str], i: int) -> bool:
    """True when ``parts[i]`` is a module on the path, not an object, although an object has its name.

    ``dagster._core.executor.multiprocess.MultiprocessExecutor``: ``executor`` (a module
    below an internal one) is not ``dagster.executor``; neither is ``io_manager`` in
    ``dagster._core.storage.io_manager.IOManager`` (a lower-case segment followed by a class).
    """
    if i == len(parts) - 1 or parts[i][:1].isupper():
        return False
    return any(p.startswith("_") for p in parts[1:i]) or parts[i + 1][:1].isupper()


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


# Node types the walker handles itself; every other node only has its children walked.
VISITED_NODES = frozenset(
    {
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Lambda,
        ast.ListComp,
        ast.SetComp,
        ast.DictComp,
        ast.GeneratorExp,
        ast.Call,
        ast.Attribute,
        ast.Name,
        ast.AnnAssign,
        ast.Assign,
        ast.NamedExpr,
        ast.Dict,
    }
)


def _attribute_bases(root: ast.AST) -> set[int]:
    """Ids of the nodes below ``root`` that are the ``value`` of an attribute (``dg`` in ``dg.X``)."""
    return {id(node.value) for node in ast.walk(root) if isinstance(node, ast.Attribute)}


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
        ref = Reference(
            node=node,
            canonical=canonical,
            attrs=attrs,
            role=role,
            line=line if line is not None else node.lineno,
            col=col if col is not None else node.col_offset,
            call=call,
            owner=owner,
            keyword=kw,
            keyword_of=kw_of,
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
        parents = self.ctx.parents
        for child in child_nodes(node):
            parents[id(child)] = node
            self.visit(child, scope)

    def visit(self, node: ast.AST, scope: Scope) -> None:
        if type(node) not in VISITED_NODES:  # most nodes: nothing to record, only children to walk
            self.walk(node, scope)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.visit_function(node, scope)
        elif isinstance(node, ast.ClassDef):
            self.visit_class(node, scope)
        elif isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            self.walk(node, self.model.expression_scope(node, scope))
        elif isinstance(node, ast.NamedExpr):
            self.model.bind_named_expr(node, scope)
            self.walk(node, scope)
        elif isinstance(node, ast.Dict):
            self.ctx.dicts.append(node)
            self.walk(node, scope)
        elif isinstance(node, ast.Call):
            self.visit_call(node, scope)
        elif isinstance(node, (ast.Attribute, ast.Name)):
            self.visit_chain(node, scope, "reference")
        elif isinstance(node, ast.AnnAssign):
            self.ctx.parents[id(node.annotation)] = node
            self.visit_annotation(node.annotation, scope)
            for child in (node.target, node.value):
                if child is not None:
                    self.ctx.parents[id(child)] = node
                    self.visit(child, scope)
        elif isinstance(node, ast.Assign):
            self.walk(node, scope)
            if isinstance(node.value, ast.Call) and self._is_dagster_value(node.value, scope):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.dagster_locals.add(id(target))
                        self.dagster_local_names.add(target.id)
        else:
            self.walk(node, scope)

    def visit_annotation(self, node: ast.expr, scope: Scope) -> None:
        """Record an annotation's names, parents and Dagster references (``dg.X`` once, not ``dg`` again)."""
        parents = self.ctx.parents
        loads = self.ctx.name_loads
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
        except SyntaxError:
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
    ) -> None:
        base, attrs = _chain(node)
        parents = self.ctx.parents
        link = node
        while isinstance(link, ast.Attribute):
            parents[id(link.value)] = link
            link = link.value
        if not isinstance(base, ast.Name):
            # e.g. ``f().x``: walk into the base expression
            self.visit(base, scope)
            return
        if not isinstance(base.ctx, ast.Load):
            return
        self.ctx.name_loads.append((base, scope))
        ref = self.reference(node, scope, role, call=call, owner=owner, line=line)
        if ref is not None or base.id not in self.context_names:
            return
        binding = self.model.lookup(base.id, scope, (base.lineno, base.col_offset))
        if binding is not None and id(binding.node) in self.context_params:
            param = self.context_params[id(binding.node)]
            param.uses.append((base, attrs))
            func = self.function_stack[-1].node.name if self.function_stack else param.function.name
            self.ctx.context_uses.append(ContextUse(param, base, attrs, func))

    def visit_call(
        self, node: ast.Call, scope: Scope, *, role: str = "call", owner: str | None = None, line: int | None = None
    ) -> None:
        self.ctx.calls.append(node)
        func = node.func
        callee: Reference | None = None
        callee_name: str | None = None
        self.ctx.parents[id(func)] = node
        if isinstance(func, (ast.Name, ast.Attribute)):
            base, attrs = _chain(func)
            if isinstance(base, ast.Name):
                before = len(self.ctx.references)
                self.visit_chain(func, scope, role, call=node, owner=owner, line=line)
                if len(self.ctx.references) > before:
                    callee = self.ctx.references[-1]
                    callee_name = callee.short
                elif self._is_dagster_value(func, scope):
                    callee_name = ".".join([base.id, *attrs])
                    if attrs:
                        self.record_method(func, node, base.id)  # type: ignore[arg-type]
            else:
                self.visit(func, scope)
                if isinstance(func, ast.Attribute) and self._is_dagster_value(func.value, scope):
                    self.record_method(func, node, _value_name(func.value))
        else:
            self.visit(func, scope)
        if owner is None:
            parent = self.ctx.parents.get(id(node))
            if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
                owner = parent.targets[0].id
        for arg in node.args:
            self.ctx.parents[id(arg)] = node
            self.visit(arg, scope)
        for kw in node.keywords:
            self.ctx.parents[id(kw)] = node
            self.ctx.parents[id(kw.value)] = kw
            if callee_name is not None and kw.arg is not None:
                self.ctx.keywords.append(KeywordUse(kw, node, callee, callee_name, owner))
                self.keyword_stack.append((kw.arg, callee.canonical if callee else callee_name))
                self.visit(kw.value, scope)
                self.keyword_stack.pop()
            else:
                self.visit(kw.value, scope)

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
        for stmt in node.body:
            self.ctx.parents[id(stmt)] = node
            self.visit(stmt, inner)
        self.function_stack.pop()

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
        for short in info.kinds:
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
        for stmt in node.body:
            self.ctx.parents[id(stmt)] = node
            self.visit(stmt, inner)
        self.function_stack = saved
        self.class_stack.pop()


def _value_name(node: ast.expr) -> str:
    while isinstance(node, ast.Call):
        node = node.func
    base, attrs = _chain(node)
    return ".".join([base.id, *attrs]) if isinstance(base, ast.Name) else "..."


# ------------------------------------------------------------------------ matching
def _subject_for_reference(ref: Reference, detail: str | None) -> str:
    if detail:
        return detail
    owner = f" '{ref.owner}'" if ref.owner else ""
    if ref.role == "decorator":
        return f"@{ref.short}{owner}"
    if ref.role == "base":
        return f"class{owner} derives from {ref.short}"
    if ref.role == "annotation":
        return f"annotation {ref.short}"
    if ref.role == "import":
        return f"import of {ref.short}"
    if ref.call is not None:
        return f"{ref.short}(){owner and ' assigned to' + owner}"
    return f"{ref.short}"


def match_all(ctx: FileContext, faults: list[Finding] | None = None) -> Iterator[Match]:
    """Every rule match in a walked file (before de-duplication and filtering).

    A predicate or detector that raises is skipped for that event (or the rest of the
    file) and the exception becomes a DZ000 finding in ``faults``: one broken rule never
    hides the others' findings nor ends the run.
    """
    index = build_index()
    faults = [] if faults is None else faults
    for ref in ctx.references:
        for rule, pred in index.rules_for_name(ref.canonical):
            detail = _predicate(rule, pred, ctx, ref, ref.line, ref.col, faults)
            if detail is None:
                continue
            yield Match(rule.code, ref.line, ref.col, _subject_for_reference(ref, detail), ref.node)
    for use in ctx.keywords:
        for rule, pred in index.keywords.get(use.keyword.arg or "", ()):
            detail = _predicate(rule, pred, ctx, use, use.keyword.lineno, use.keyword.col_offset, faults)
            if detail is None:
                continue
            subject = detail or (
                f"{_callee_display(ctx, use)} uses {use.keyword.arg}={_value_display(ctx, use.keyword.value)}"
            )
            yield Match(rule.code, use.keyword.lineno, use.keyword.col_offset, subject, use.keyword)
    for method in ctx.methods:
        for rule, pred in index.methods.get(method.node.attr, ()):
            detail = _predicate(rule, pred, ctx, method, method.node.lineno, method.node.col_offset, faults)
            if detail is None:
                continue
            subject = detail or f"{method.receiver}.{method.node.attr}()"
            yield Match(rule.code, method.node.lineno, method.node.col_offset, subject, method.call)
    for context_use in ctx.context_uses:
        chain = context_use.chain
        for depth in range(len(chain), 0, -1):
            rules = index.context_attrs.get(".".join(chain[:depth]))
            if rules:
                subject = f"{context_use.param.name}.{'.'.join(chain)} in '{context_use.function_name}'"
                node = context_use.node
                for rule in rules:
                    yield Match(rule.code, node.lineno, node.col_offset, subject, node)
                break
    for rule, detector in index.detectors:
        try:
            yield from detector(ctx)  # type: ignore[operator]
        except Exception as exc:  # a broken detector costs its own findings only
            faults.append(internal_error_finding(f"{rule.code} detector", exc))


def _predicate(
    rule: Rule, pred: NamePredicate | None, ctx: FileContext, event: object, line: int, col: int, faults: list[Finding]
) -> str | None:
    """A rule's predicate on one event (``""`` without one); an exception counts as "no match" plus a fault."""
    if pred is None:
        return ""
    try:
        return pred(ctx, event)
    except Exception as exc:
        faults.append(internal_error_finding(f"{rule.code} predicate", exc, line, col))
        return None


def internal_error_finding(where: str, exc: BaseException, line: int = 1, col: int = 0) -> Finding:
    """The DZ000 finding for an exception raised by one part of the linter (``where``) on a file.

    Re-raised instead when :data:`DEBUG_ENV` is set, or for a recursion error (the caller
    reports those as code nested too deeply).
    """
    if os.environ.get(DEBUG_ENV) or isinstance(exc, RecursionError):
        raise exc
    text = " ".join(str(exc).split())
    if len(text) > MAX_ERROR_TEXT:
        text = text[: MAX_ERROR_TEXT - 3] + "..."
    summary = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return Finding(
        PARSE_ERROR, line, col, f"internal error in {where} ({summary}); it was skipped here, please report it"
    )


def _unmapped(ctx: FileContext, claimed: set[str]) -> Iterator[Match]:
    index = build_index()
    for ref in ctx.references:
        if ref.canonical in claimed or index.rules_for_name(ref.canonical):
            continue
        if "." not in ref.canonical and (ref.role != "import" or ref.canonical == "dagster"):
            continue  # a bare module such as ``dagster`` (an unused ``import dagster_k8s`` is reported)
        yield Match(UNMAPPED, ref.line, ref.col, f"{_subject_for_reference(ref, None)} ({ref.canonical})", ref.node)


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


def may_contain_dagster(text: str) -> bool:
    """Cheap pre-filter: every Dagster reference needs an import naming ``dagster``."""
    return "dagster" in text


def syntax_error_finding(exc: SyntaxError | ValueError) -> Finding:
    """The DZ000 finding for a file that does not parse."""
    if isinstance(exc, SyntaxError):
        line = exc.lineno or 1
        col = max((exc.offset or 1) - 1, 0)
        message = f"syntax error: {exc.msg}; the file was not analysed"
    else:
        line, col = 1, 0
        message = f"cannot parse: {exc}; the file was not analysed"
    return Finding(PARSE_ERROR, line, col, message)


def check_source(
    text: str,
    path: str = "<string>",
    *,
    tree: ast.Module | None = None,
    config: Config | None = None,
    with_fixes: bool = False,
    root: str | None = None,
) -> list[Finding]:
    """Lint one file's text; the single per-file entry point every front-end uses.

    With fixes, a fix that depends on other files of the project (an op a job imports)
    carries those needs unanswered (``Fix.requires``): the engine reads no other file.
    The layer above settles them (:func:`dagster_zenml_lint.fixers.crossfile.check_with_fixes`).
    """
    findings, _ = check_source_with_context(text, path, tree=tree, config=config, with_fixes=with_fixes, root=root)
    return findings


_NOQA_WORD = re.compile("noqa", re.IGNORECASE)


def check_source_with_context(
    text: str,
    path: str = "<string>",
    *,
    tree: ast.Module | None = None,
    config: Config | None = None,
    with_fixes: bool = False,
    root: str | None = None,
) -> tuple[list[Finding], FileContext | None]:
    """Like :func:`check_source`, also returning the file's facts (for the report).

    ``root``: the directory a relative ``path`` is relative to (the report's and migrate's
    project root), where the names imported from the project's own modules are looked up.
    """
    config = config or Config()
    if not may_contain_dagster(text):
        # No Dagster code: nothing to find, and the file is not parsed (its syntax errors are
        # flake8's and ruff's). A noqa directive naming DZ codes may be left, silencing nothing (DZ001).
        if "DZ" in text and _NOQA_WORD.search(text):
            return _unused_noqa_only(text, path, tree, config, with_fixes=with_fixes)
        return [], None
    if tree is None:
        try:
            tree = ast.parse(text, filename=path)
        except (SyntaxError, ValueError) as exc:
            finding = syntax_error_finding(exc)
            return ([finding] if config.enabled(rules_by_code()[PARSE_ERROR]) else []), None
        except (RecursionError, MemoryError):
            return _too_deep(config), None
    try:
        ctx = analyze(path, text, tree)
        faults: list[Finding] = []
        if ctx.classes or ctx.calls:
            from dagster_zenml_lint.class_bases import dynamic_partitions_names, io_manager_bases

            where = _located(path, root)  # a path relative to the project's root (report, migrate)
            try:  # reads other files of the project: a failure costs these two facts only
                ctx.io_bases = io_manager_bases(ctx, where)
                ctx.dynamic_partitions = dynamic_partitions_names(ctx, where)
            except Exception as exc:
                faults.append(internal_error_finding("the lookup of classes imported from the project", exc))
        findings = findings_for(ctx, config, with_fixes=with_fixes)
        if _NOQA_WORD.search(text):  # DZ001: judged on every other finding of the file
            from dagster_zenml_lint.suppression import unused_noqa_findings

            try:
                unused = unused_noqa_findings(findings, text, config, with_fixes=with_fixes)
            except Exception as exc:
                unused = []
                faults.append(internal_error_finding("DZ001 (unused noqa)", exc))
            findings = sorted([*findings, *unused], key=lambda f: f.sort_key) if unused else findings
        if faults:
            findings = _with_faults(findings, faults, config)
    except RecursionError:
        # Nesting that the parser accepts can still be deeper than the walk can follow.
        return _too_deep(config), None
    except Exception as exc:  # a bug in the walk: this file only, never the run
        finding = internal_error_finding("the analysis of the file", exc)
        return ([finding] if config.enabled(rules_by_code()[PARSE_ERROR]) else []), None
    return findings, ctx


def _unused_noqa_only(
    text: str, path: str, tree: ast.Module | None, config: Config, *, with_fixes: bool
) -> tuple[list[Finding], FileContext | None]:
    """DZ001 for a file without Dagster code; a file that does not parse gets nothing (not ours)."""
    from dagster_zenml_lint.suppression import unused_noqa_findings

    if tree is None:
        try:
            tree = ast.parse(text, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return [], None
    unused = unused_noqa_findings([], text, config, with_fixes=with_fixes)
    # the facts of the file, so that the fix applier can work on it (rare: no cost otherwise)
    return unused, (analyze(path, text, tree) if unused else None)


def _located(path: str, root: str | None) -> str:
    """Where a file is on disk: a relative path is taken from ``root`` when one is given."""
    if root is None or path.startswith("<"):
        return path
    return os.path.abspath(os.path.join(root, path))


def with_faults(findings: list[Finding], faults: list[Finding], config: Config) -> list[Finding]:
    """Findings plus DZ000 findings for the steps that failed (one per line), sorted."""
    return _with_faults(findings, faults, config)


def _too_deep(config: Config) -> list[Finding]:
    """DZ000 for code nested too deeply to parse or walk (the parser's and Python's recursion limits)."""
    if not config.enabled(rules_by_code()[PARSE_ERROR]):
        return []
    return [Finding(PARSE_ERROR, 1, 0, "expressions nested too deeply to analyse; the file was not analysed")]


def findings_for(ctx: FileContext, config: Config, *, with_fixes: bool = False) -> list[Finding]:
    """Turn a walked file's matches into de-duplicated, filtered findings."""
    by_code = rules_by_code()
    seen: dict[tuple[str, int], Match] = {}
    faults: list[Finding] = []
    matches = list(match_all(ctx, faults))
    claimed = {ref.canonical for ref in ctx.references if build_index().rules_for_name(ref.canonical)}
    matches.extend(_unmapped(ctx, claimed))
    for match in sorted(matches, key=lambda m: (m.line, m.col, m.code)):
        key = (match.code, match.line)
        if key not in seen:
            seen[key] = match
    findings: list[Finding] = []
    for match in seen.values():
        rule = by_code[match.code]
        if not config.enabled(rule):
            continue
        outcome = FixOutcome()
        if with_fixes and rule.fixer is not None:
            outcome = _fix_outcome(rule, ctx, match, faults)
        message = rule.message.format(subject=match.subject)
        findings.append(
            Finding(
                code=rule.code,
                line=match.line,
                col=match.col,
                message=message,
                end_line=match.end_line,
                end_col=match.end_col,
                fix=outcome.fix,
                fix_blocker=outcome.blocker,
            )
        )
    return _with_faults(findings, faults, config)


def _fix_outcome(rule: Rule, ctx: FileContext, match: Match, faults: list[Finding]) -> FixOutcome:
    """A rule's fixer on one match; an exception means no fix (the finding stays) plus a fault."""
    try:
        return rule.fixer(ctx, match)  # type: ignore[misc]
    except Exception as exc:
        faults.append(internal_error_finding(f"the {rule.code} fixer", exc, match.line, match.col))
        return FixOutcome(blocker=f"the fixer failed ({type(exc).__name__}; see DZ000)")


def _with_faults(findings: list[Finding], faults: list[Finding], config: Config) -> list[Finding]:
    """Findings plus the DZ000 findings of rules that failed (one per line), sorted."""
    if faults and config.enabled(rules_by_code()[PARSE_ERROR]):
        lines = {f.line for f in findings if f.code == PARSE_ERROR}
        for fault in faults:
            if fault.line not in lines:
                lines.add(fault.line)
                findings = [*findings, fault]
    return sorted(findings, key=lambda f: f.sort_key)


def iter_rules(codes: Iterable[str]) -> list[Rule]:
    """Rules for a list of codes."""
    by_code = rules_by_code()
    return [by_code[c] for c in codes]
