"""Turn one file's engine facts (:class:`~dagster_zenml_lint.analysis.facts.FileContext`) into plain values.

Nothing is re-detected here: which names are Dagster objects comes from the engine's
resolved references (``ctx.references``), decorated functions from ``ctx.functions``,
context attribute reads from ``ctx.context_uses`` and name bindings from the semantic
model. This module only reads the arguments of those already-resolved calls
(``key=``, ``deps=``, ``selection=``...) into :mod:`.facts` values.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import replace

from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo, Reference
from dagster_zenml_lint.analysis.names import CONTEXT_TYPES
from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.fixers.call_forms import in_decorator_form, member_name
from dagster_zenml_lint.fixers.file_index import file_index
from dagster_zenml_lint.project.facts import (
    CONFIG,
    CONTEXT,
    INPUT,
    RESOURCE,
    RESOURCE_PARAM,
    AssetFact,
    AssetJobFact,
    CheckFact,
    ClassFact,
    ComponentFact,
    DefinitionsFact,
    DependencyRef,
    FactoryCall,
    FactoryTemplate,
    FileFacts,
    GraphFact,
    GraphJobFact,
    Location,
    NotLiteral,
    ObjectSpan,
    OpFact,
    ParamFact,
    PartitionsFact,
    PartitionsRef,
    ResourceFact,
    SourceAssetFact,
    TargetRef,
    TriggerFact,
    Unresolved,
)
from dagster_zenml_lint.project.resources import extract_resources
from dagster_zenml_lint.project.selection import (
    AllAssets,
    Assets,
    Boundary,
    Closure,
    Combined,
    Groups,
    KeyPrefixes,
    Keys,
    MultiAssetNeighbors,
    Named,
    Selection,
    SymbolRef,
    Unknown,
    parse_selection_string,
)
from dagster_zenml_lint.rules import COMPONENT_FILE
from dagster_zenml_lint.rules._calls import argument
from dagster_zenml_lint.source import first_line

ASSET_DECORATORS = {
    "dagster.asset": "asset",
    "dagster.multi_asset": "multi_asset",
    "dagster.graph_asset": "graph_asset",
    "dagster.graph_multi_asset": "graph_multi_asset",
}
# Integration decorators whose asset keys come from outside the Python code (a dbt manifest, a
# Sling replication file, a dlt source): the definition is one step with unknown keys.
EXTERNAL_KEY_DECORATORS = {
    "dagster_dbt.dbt_assets": "dbt_assets",
    "dagster_sling.sling_assets": "sling_assets",
    "dagster_dlt.dlt_assets": "dlt_assets",
}
SENSOR_DECORATORS = {
    "dagster.sensor": "sensor",
    "dagster.asset_sensor": "asset_sensor",
    "dagster.multi_asset_sensor": "multi_asset_sensor",
    "dagster.run_status_sensor": "run_status_sensor",
    "dagster.run_failure_sensor": "run_failure_sensor",
    "dagster.freshness_policy_sensor": "freshness_sensor",
}
SENSOR_CALLS = {
    "dagster.SensorDefinition": "sensor",
    "dagster.AutomationConditionSensorDefinition": "automation_sensor",
    "dagster.build_sensor_for_freshness_checks": "freshness_sensor",
}
RESOURCE_DECORATORS = {"dagster.io_manager": "io_manager", "dagster.resource": "resource"}
PARTITION_ATTRS = frozenset(
    {
        "partition_key",
        "partition_keys",
        "partition_key_range",
        "partition_time_window",
        "has_partition_key",
        "asset_partition_key_for_output",
        "asset_partition_keys_for_output",
        "asset_partitions_time_window_for_output",
        "asset_partition_key_range_for_output",
    }
)
INVOCATION_WRAPPERS = frozenset({"alias", "with_hooks", "configured", "tag", "with_retry_policy"})
SELECTION_IDENTITY_METHODS = frozenset({"without_checks"})
COMPONENT_TYPE = re.compile(r"type '([^']*)'")
CONFIG_CLASSES = frozenset({"dagster.Config", "dagster.PermissiveConfig"})
# Dagster's types and result values: a parameter typed with one receives an upstream value.
DAGSTER_TYPES = frozenset(
    f"dagster.{name}"
    for name in (
        "Any",
        "Bool",
        "Float",
        "Int",
        "String",
        "Nothing",
        "List",
        "Dict",
        "Set",
        "Tuple",
        "Optional",
        "DagsterType",
        "Output",
        "DynamicOutput",
        "MaterializeResult",
        "AssetKey",
    )
)


def param_injection(name: str, annotation_dagster: str | None) -> str:
    """What Dagster passes a parameter, as far as its name and a Dagster class it is typed with tell
    (:attr:`ParamFact.injected`; a parameter typed with a project class is the model's to classify).

    Dagster passes the run config to ``config`` and a resource to a parameter typed with a resource
    class (``ConfigurableResource`` and its subclasses, an integration's ``*Resource``, a
    ``Pipes*Client``: ``TreatAsResourceParam``) or ``ResourceParam[...]``; every other parameter but
    the context receives an upstream value. A parameter typed with a ``Config`` class under another
    name is an input for Dagster (it warns "did you mean config?"): it is taken as config, what its
    author meant. Any Dagster class that is no type, config or context class is taken for a resource.
    """
    if name == "config":
        return CONFIG
    if name == "context":
        return CONTEXT
    if annotation_dagster is None or annotation_dagster in DAGSTER_TYPES:
        return INPUT
    if annotation_dagster in CONFIG_CLASSES:
        return CONFIG
    package, _, short = annotation_dagster.rpartition(".")
    if package == "dagster" and short in CONTEXT_TYPES:
        return CONTEXT
    return RESOURCE


def _mapped_receiver(call: ast.Call) -> ast.expr | None:
    """``items.map(op)`` (Dagster's fan-out over a dynamic output, one op by name): ``items``."""
    func = call.func
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "map"
        and len(call.args) == 1
        and not call.keywords
        and isinstance(call.args[0], ast.Name)
    ):
        return func.value
    return None


def _const_str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _str_list(node: ast.AST | None) -> tuple[str, ...] | None:
    if (text := _const_str(node)) is not None:
        return (text,)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = [_const_str(e) for e in node.elts]
        if all(i is not None for i in items):
            return tuple(i for i in items if i is not None)
    return None


def _int(node: ast.AST | None) -> int | None:
    return node.value if isinstance(node, ast.Constant) and type(node.value) is int else None


class _Extractor:
    """Reads one :class:`FileContext` into :class:`FileFacts`."""

    def __init__(self, ctx: FileContext, path: str, module: str) -> None:
        self.ctx = ctx
        self.facts = FileFacts(path=path, module=module)
        self.module = module
        self.is_package = path.endswith("__init__.py")
        self.by_node: dict[int, Reference] = {id(ref.node): ref for ref in ctx.references}
        self.scope = ctx.model.module_scope
        self.relative_imports: dict[str, str] = {}
        self.spec_symbols: list[SymbolRef] = []
        self.outputs: list[tuple[str, str]] = []

    # ---------------------------------------------------------------- helpers
    def location(self, node: ast.AST | int) -> Location:
        line = node if isinstance(node, int) else getattr(node, "lineno", 1)
        return Location(self.facts.path, line)

    def text(self, node: ast.AST, limit: int = 60) -> str:
        value = " ".join(self.ctx.segment(node).split())
        return value if len(value) <= limit else value[: limit - 3] + "..."

    def unresolved(self, node: ast.AST | int, subject: str, reason: str) -> None:
        item = Unresolved(self.location(node), subject, reason)
        if item not in self.facts.unresolved:  # a factory called in a loop is reported once per call
            self.facts.unresolved.append(item)

    def dagster(self, node: ast.AST) -> Reference | None:
        """The engine's reference for a name/attribute node, or the callee of a call node."""
        if isinstance(node, ast.Call):
            node = node.func
        return self.by_node.get(id(node))

    def canonical(self, node: ast.AST) -> str | None:
        ref = self.dagster(node)
        return ref.canonical if ref is not None and not ref.attrs else None

    def symbol(self, node: ast.AST, scope=None) -> SymbolRef | None:
        """Where a (dotted) name points: a module-level name of this or an imported module."""
        attrs: list[str] = []
        while isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        attrs.reverse()
        if not isinstance(node, ast.Name):
            return None
        if attrs and attrs[-1] == "key":  # ``orders.key``
            attrs.pop()
        binding = self.ctx.model.lookup(node.id, scope or self.scope, (node.lineno, node.col_offset))
        qual: str | None = None
        if binding is not None and binding.qualname is not None:
            qual = binding.qualname
        elif node.id in self.relative_imports and binding is not None and isinstance(binding.node, ast.ImportFrom):
            qual = self.relative_imports[node.id]
        if qual is None:
            if attrs:
                return None  # an attribute of a local object
            return SymbolRef(self.module, node.id)
        parts = [*qual.split("."), *attrs]
        if len(parts) < 2:
            return None
        return SymbolRef(".".join(parts[:-1]), parts[-1])

    def assigned_name(self, node: ast.AST) -> str | None:
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            return parent.targets[0].id
        if isinstance(parent, ast.AnnAssign) and isinstance(parent.target, ast.Name):
            return parent.target.id
        return None

    # ---------------------------------------------------------------- run
    def run(self) -> FileFacts:
        self.collect_imports()
        for function in self.ctx.functions:
            self.function(function)
        for member in in_decorator_form(file_index(self.ctx)):  # ``load = op(_load)``: the decorator by hand
            self.function(member)
        dagster_bases = {id(info.node): info.base_names for info in self.ctx.classes if info.bases}
        for stmt in self._module_statements():
            if isinstance(stmt, ast.ClassDef) and stmt.bases:
                # project bases are kept as symbols: a resource may derive from the project's own base class
                symbols = tuple(
                    s
                    for base in stmt.bases
                    if isinstance(base, (ast.Name, ast.Attribute)) and self.dagster(base) is None
                    for s in [self.symbol(base)]
                    if s is not None
                )
                names = tuple(sorted(dagster_bases.get(id(stmt), ())))
                if names or symbols:
                    self.facts.classes.append(ClassFact(stmt.name, names, self.location(stmt), symbols))
        self.facts.objects = [self.object_span(stmt) for stmt in self.ctx.tree.body]
        self.module_assignments()
        for ref in self.ctx.references:
            if ref.role == "call" and ref.call is not None and ref.call.func is ref.node:
                self.call(ref)
        for method in self.ctx.methods:
            if method.node.attr == "to_job":
                self.graph_to_job(method.call, method.node)
        self.record_calls()
        return self.facts

    @staticmethod
    def object_span(stmt: ast.stmt) -> ObjectSpan:
        """The lines of a module-level statement and the name it defines."""
        start = first_line(stmt)
        name = ""
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = stmt.name
        elif isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
        return ObjectSpan(name, start, stmt.end_lineno or stmt.lineno)

    def collect_imports(self) -> None:
        package = self.module.split(".") if self.is_package else self.module.split(".")[:-1]
        for stmt in self._module_statements():
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.asname:
                        self.facts.imports[alias.asname] = alias.name
            elif isinstance(stmt, ast.ImportFrom):
                if stmt.level:
                    base_parts = package[: len(package) - (stmt.level - 1)] if stmt.level > 1 else package
                    base = ".".join([*base_parts, *([stmt.module] if stmt.module else [])])
                else:
                    base = stmt.module or ""
                for alias in stmt.names:
                    if alias.name == "*":
                        self.facts.star_imports = (*self.facts.star_imports, base)
                        continue
                    qual = f"{base}.{alias.name}" if base else alias.name
                    self.facts.imports[alias.asname or alias.name] = qual
                    if stmt.level:
                        self.relative_imports[alias.asname or alias.name] = qual

    def _module_statements(self) -> Iterator[ast.stmt]:
        pending = list(self.ctx.tree.body)
        while pending:
            stmt = pending.pop(0)
            yield stmt
            if isinstance(stmt, ast.If):
                pending[:0] = [*stmt.body, *stmt.orelse]
            elif isinstance(stmt, ast.Try):
                pending[:0] = [*stmt.body, *[s for h in stmt.handlers for s in h.body], *stmt.orelse]

    # ---------------------------------------------------------------- decorated functions
    def function(self, function: FunctionInfo) -> None:
        for deco in function.decorators:
            canonical = deco.canonical
            call = deco.call
            if canonical in ASSET_DECORATORS:
                self.asset(function, ASSET_DECORATORS[canonical], call, deco)
            elif canonical in EXTERNAL_KEY_DECORATORS:
                factory = self.factory_of(function.node, call)
                if factory is not None:  # ``@sling_assets(name=name, ...)`` inside a builder function
                    self.factory_assets(function, EXTERNAL_KEY_DECORATORS[canonical], call, deco, factory)
                else:
                    self.external_key_asset(function, EXTERNAL_KEY_DECORATORS[canonical], deco)
            elif canonical == "dagster.observable_source_asset":
                name = _const_str(argument(call, "name")) or function.node.name
                prefix = _str_list(argument(call, "key_prefix")) or ()
                key = self.key_of(argument(call, "key")) or "/".join([*prefix, name])
                self.facts.source_assets.append(
                    SourceAssetFact(key, "observable_source_asset", self.location(deco.line), function.node.name)
                )
            elif canonical in ("dagster.asset_check", "dagster.multi_asset_check"):
                self.checks(function, canonical, call, deco)
            elif canonical == "dagster.op":
                name = _const_str(argument(call, "name")) or function.node.name
                self.facts.ops.append(
                    OpFact(
                        member_name(function),
                        name,
                        self.location(deco.line),
                        self.partition_access(function),
                        self.params(function),
                    )
                )
            elif canonical in ("dagster.graph", "dagster.job"):
                self.graph(function, canonical.rsplit(".", 1)[-1], call, deco)
            elif canonical == "dagster.schedule":
                self.trigger("schedule", call, deco.line, function.node.name, function)
            elif canonical in SENSOR_DECORATORS:
                self.trigger(SENSOR_DECORATORS[canonical], call, deco.line, function.node.name, function)
            elif canonical == "dagster.definitions":  # ``@dg.definitions def defs(): ...``: a code location
                self.facts.definitions.append(DefinitionsFact(location=self.location(deco.line), entry_point=True))
            elif canonical in RESOURCE_DECORATORS:
                self.facts.classes.append(
                    ClassFact(function.node.name, (RESOURCE_DECORATORS[canonical],), self.location(deco.line))
                )

    def checks(self, function: FunctionInfo, canonical: str, call: ast.Call | None, deco: Reference) -> None:
        if canonical == "dagster.asset_check":
            name = _const_str(argument(call, "name")) or function.node.name
            target = argument(call, "asset")
            dep = self.dependency(target) if target is not None else None
            blocking = argument(call, "blocking")
            self.facts.checks.append(
                CheckFact(
                    name,
                    dep,
                    self.location(deco.line),
                    member_name(function),
                    isinstance(blocking, ast.Constant) and bool(blocking.value),
                    self.params(function),
                )
            )
            return
        for spec in self.list_items(argument(call, "specs"), function.node.name, "specs"):
            if isinstance(spec, ast.Call) and self.canonical(spec) == "dagster.AssetCheckSpec":
                name = _const_str(argument(spec, "name", 0)) or function.node.name
                target = argument(spec, "asset", 1)
                dep = self.dependency(target) if target is not None else None
                self.facts.checks.append(CheckFact(name, dep, self.location(spec)))

    def params(self, function: FunctionInfo) -> tuple[ParamFact, ...]:
        node = function.node
        skip = {function.context.name} if function.context is not None else set()
        result = []
        scope = self.ctx.model.scope_of(node) or self.scope
        for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            if arg.arg in skip or arg.arg in ("self", "cls"):
                continue
            annotation = arg.annotation
            subscript = annotation if isinstance(annotation, ast.Subscript) else None
            if subscript is not None:
                annotation = subscript.value
            dagster_name = None
            symbol = None
            if annotation is not None:
                ref = self.dagster(annotation)
                if ref is not None:
                    dagster_name = ref.canonical
                    if dagster_name == RESOURCE_PARAM and subscript is not None:
                        # ``ResourceParam[T]``: the symbol is T's, which may be a project resource class
                        symbol = self.symbol(subscript.slice, scope)
                elif isinstance(annotation, (ast.Name, ast.Attribute)):
                    symbol = self.symbol(annotation, scope)
            result.append(ParamFact(arg.arg, dagster_name, symbol, param_injection(arg.arg, dagster_name)))
        return tuple(result)

    def partitions_ref(self, node: ast.AST | None) -> PartitionsRef | None:
        if node is None or (isinstance(node, ast.Constant) and node.value is None):
            return None
        definition = self.partitions_definition(node) if isinstance(node, ast.Call) else None
        if definition is not None:
            return PartitionsRef(definition=definition, text=definition.label)
        symbol = self.symbol(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
        return PartitionsRef(symbol=symbol, text=self.text(node, 40))

    def partitions_definition(self, call: ast.Call, label: str | None = None) -> PartitionsFact | None:
        ref = self.dagster(call)
        if ref is None or not ref.canonical.endswith("PartitionsDefinition"):
            return None
        kind = ref.canonical.rsplit(".", 1)[-1]
        arguments = [ast.unparse(a) for a in call.args] + [
            f"{kw.arg}={ast.unparse(kw.value)}" for kw in sorted(call.keywords, key=lambda k: k.arg or "")
        ]
        if ref.attrs:  # e.g. TimeWindowPartitionsDefinition.something(...): keep the full chain
            kind = ".".join([kind, *ref.attrs])
        identity = f"{kind}({', '.join(arguments)})"
        dimensions: tuple[str, ...] = ()
        if kind == "MultiPartitionsDefinition" and call.args and isinstance(call.args[0], ast.Dict):
            dimensions = tuple(k for k in (_const_str(key) for key in call.args[0].keys) if k)
        if label is None:  # an inline definition: name it after its kind (``daily``, ``static``...)
            label = kind.split(".", 1)[0].removesuffix("PartitionsDefinition").lower() or "partitions"
        return PartitionsFact(kind, identity, self.location(call), label, dimensions)

    def key_of(self, node: ast.AST | None) -> str | None:
        """An asset key written in source, ``/``-joined, or None when it is not a literal."""
        if node is None:
            return None
        if (text := _const_str(node)) is not None:
            return text
        if isinstance(node, (ast.List, ast.Tuple)):
            parts = _str_list(node)
            return "/".join(parts) if parts else None
        if isinstance(node, ast.Call):
            ref = self.dagster(node)
            if (
                ref is not None
                and ref.canonical == "dagster.AssetKey"
                and ref.attrs in (("from_user_string",), ("from_coercible",), ())
            ):
                if len(node.args) == 1:
                    return self.key_of(node.args[0])
                texts = [_const_str(a) for a in node.args]
                if node.args and all(p is not None for p in texts):
                    return "/".join(p for p in texts if p)
        return None

    def dependency(self, node: ast.AST, *, data: bool = False) -> DependencyRef | None:
        key = self.key_of(node)
        if key is not None:
            return DependencyRef(key=key, data=data)
        if isinstance(node, ast.Call):
            canonical = self.canonical(node)
            if (
                canonical in ("dagster.AssetDep", "dagster.AssetSpec", "dagster.SourceAsset")
                and (inner := argument(node, "asset" if canonical == "dagster.AssetDep" else "key", 0)) is not None
            ):
                return self.dependency(inner, data=data)
            if canonical == "dagster.AssetIn":
                key_node = argument(node, "key", 0)
                if key_node is not None:
                    return self.dependency(key_node, data=data)
                return None
        if isinstance(node, (ast.Name, ast.Attribute)):
            symbol = self.symbol(node)
            if symbol is not None:
                return DependencyRef(symbol=symbol, data=data)
        return None

    def asset(self, function: FunctionInfo, kind: str, call: ast.Call | None, deco: Reference) -> None:
        factory = self.factory_of(function.node, call) if kind in ("asset", "graph_asset") else None
        if factory is not None:
            self.factory_assets(function, kind, call, deco, factory)
            return
        self.facts.assets.append(self.asset_fact(function, kind, call, deco))

    def asset_fact(self, function: FunctionInfo, kind: str, call: ast.Call | None, deco: Reference) -> AssetFact:
        name = _const_str(argument(call, "name")) or function.node.name
        prefix = _str_list(argument(call, "key_prefix")) or ()
        group = _const_str(argument(call, "group_name"))
        keys: list[str] = []
        groups: list[tuple[str, str]] = []
        deps: list[DependencyRef] = []
        self.spec_symbols = []  # filled by multi_keys for specs=[variable]
        self.outputs = []  # filled by multi_keys for outs={...}
        for node in self.list_items(argument(call, "deps"), function.node.name, "deps"):
            dep = self.dependency(node)
            if dep is None:
                self.unresolved(
                    node,
                    f"deps entry {self.text(node, 40)} of '{function.node.name}'",
                    "not a literal asset key or a reference to an asset",
                )
            else:
                deps.append(dep)
        if kind in ("asset", "graph_asset"):
            key = self.key_of(argument(call, "key")) or "/".join([*prefix, name])
            keys.append(key)
            if group:
                groups.append((key, group))
        else:
            keys, groups, spec_deps = self.multi_keys(call, function, prefix, group)
            deps.extend(spec_deps)
        ins: list[tuple[str, DependencyRef]] = []
        ins_node = argument(call, "ins")
        if isinstance(ins_node, ast.Dict):
            for key_node, value in zip(ins_node.keys, ins_node.values, strict=True):
                param = _const_str(key_node)
                if param is None:
                    continue
                ins.append((param, self.asset_in(param, value)))
        elif ins_node is not None:
            self.unresolved(ins_node, f"ins= of '{function.node.name}'", "not a dict literal")
        io_key = _const_str(argument(call, "io_manager_key"))
        resource_keys = _str_list(argument(call, "required_resource_keys")) or ()
        automation = argument(call, "automation_condition") or argument(call, "auto_materialize_policy")
        freshness = argument(call, "freshness_policy")
        backfill = argument(call, "backfill_policy")
        graph_calls, graph_edges = self.body_calls(function) if kind.startswith("graph") else ((), ())
        return AssetFact(
            function=member_name(function),
            kind=kind,
            keys=tuple(keys),
            groups=tuple(groups),
            location=self.location(deco.line),
            params=self.params(function),
            ins=tuple(ins),
            deps=tuple(deps),
            partitions=self.partitions_ref(argument(call, "partitions_def")),
            io_manager_key=io_key,
            resource_keys=tuple(sorted(resource_keys)),
            automation=self.text(automation) if automation is not None else None,
            automation_cron=self.automation_cron(automation),
            freshness=self.text(freshness) if freshness is not None else None,
            backfill=self.text(backfill) if backfill is not None else None,
            partition_access=self.partition_access(function),
            calls=graph_calls,
            call_edges=graph_edges,
            spec_symbols=tuple(self.spec_symbols),
            outputs=tuple(self.outputs),
        )

    # ---------------------------------------------------------------- factory-built assets
    KEY_KEYWORDS = ("name", "key", "key_prefix", "group_name", "deps")

    def factory_of(self, node: ast.AST, call: ast.Call | None) -> ast.FunctionDef | None:
        """The module-level function an asset is defined in, when its key depends on that function's parameters."""
        parent = self.ctx.parent(node)
        factory = None
        while parent is not None:
            if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
                factory = parent
            parent = self.ctx.parent(parent)
        if not isinstance(factory, ast.FunctionDef) or call is None:
            return None
        params = {a.arg for a in [*factory.args.posonlyargs, *factory.args.args, *factory.args.kwonlyargs]}
        # an integration decorator's keys come from any argument (``replication_config=path``)
        keywords = [k.arg for k in call.keywords] if self.is_external(call) else self.KEY_KEYWORDS
        used = {
            n.id
            for keyword in keywords
            if keyword is not None and (value := argument(call, keyword)) is not None
            for n in ast.walk(value)
            if isinstance(n, ast.Name)
        }
        return factory if used & params else None

    def is_external(self, call: ast.Call) -> bool:
        """``@sling_assets(...)``, ``@dbt_assets(...)``, ``@dlt_assets(...)``: keys live outside the code."""
        return self.canonical(call) in EXTERNAL_KEY_DECORATORS

    def factory_assets(
        self, function: FunctionInfo, kind: str, call: ast.Call | None, deco: Reference, factory: ast.FunctionDef
    ) -> None:
        """One asset per call of the factory in this file, named from its literal arguments; else unresolved."""
        noted = len(self.facts.unresolved)
        external = kind in EXTERNAL_KEY_DECORATORS.values()
        template = (
            AssetFact(function.node.name, kind, (), (), self.location(deco.line), keys_known=False)
            if external
            else self.asset_fact(function, kind, call, deco)
        )
        del self.facts.unresolved[noted:]  # the template's deps are re-read per call below, with the arguments
        sites = [
            (site, env)
            for site in self.ctx.calls
            if isinstance(site.func, ast.Name) and site.func.id == factory.name and not self.is_within(site, factory)
            for env in self.loop_environments(site)
        ]
        named_by_call = argument(call, "name") is not None or any(
            isinstance(v, str) for site, env in sites for v in _bind_arguments(factory, site, env).values()
        )
        if external and not named_by_call:
            # a builder called without telling its calls apart (a cached dbt getter): one step, as written
            self.external_key_asset(function, kind, deco)
            return
        if not sites:
            # called from other files, maybe: the project model instantiates it per call there
            self.facts.factories.append(self.factory_template(function, call, factory, template))
            return
        for site, env in sites:
            bound = _bind_arguments(factory, site, env)
            default_name = function.node.name
            if external and argument(call, "name") is None:
                # one step per call, named after the factory and its first literal argument
                literal = next((v for v in bound.values() if isinstance(v, str)), None)
                default_name = f"{factory.name}_{re.sub(r'[^0-9A-Za-z]+', '_', literal).strip('_')}" if literal else ""
            parts = self.factory_key_parts(call, default_name, bound) if default_name else None
            group = _literal(argument(call, "group_name"), bound) if argument(call, "group_name") is not None else None
            if parts is None or (group is not None and not isinstance(group, str)):
                self.unresolved(
                    site,
                    f"factory-built asset '{function.node.name}' of '{factory.name}'",
                    f"its key comes from the arguments of {self.text(site, 50)}, which are not literal",
                )
                continue
            resolved = "/".join(str(p) for p in parts)
            deps = tuple(
                DependencyRef(key=value)
                if isinstance(value := _literal(item, bound), str)
                else (self.dependency(item) or DependencyRef(key=self.text(item, 40)))
                for item in self.list_items(argument(call, "deps"), function.node.name, "deps")
            )
            if external:
                self.unresolved(
                    site,
                    f"@{kind} '{resolved}'",
                    f"its asset keys come from outside the Python code; the report treats '{resolved}' as one step",
                )
            self.facts.assets.append(
                replace(
                    template,
                    function=self.assigned_name(site) or f"{factory.name}({resolved})",
                    keys=(resolved,),
                    groups=((resolved, group),) if isinstance(group, str) else (),
                    location=self.location(site),
                    deps=deps,
                )
            )

    def factory_key_parts(self, call: ast.Call | None, default_name: str, bound: dict[str, object]) -> list[str] | None:
        """The key of an asset inside a factory, from ``key=`` or ``key_prefix=`` + ``name=`` (None if not literal)."""
        explicit = argument(call, "key")
        if isinstance(explicit, ast.Call) and self.canonical(explicit) == "dagster.AssetKey" and explicit.args:
            explicit = explicit.args[0] if len(explicit.args) == 1 else ast.List(elts=list(explicit.args))
        if explicit is not None:
            key = _literal(explicit, bound)
            parts: object = key if isinstance(key, list) else [key]
        else:
            name = _literal(argument(call, "name"), bound) if argument(call, "name") is not None else default_name
            prefix = _literal(argument(call, "key_prefix"), bound) if argument(call, "key_prefix") is not None else []
            prefix = [prefix] if isinstance(prefix, str) else prefix
            parts = [*prefix, name] if isinstance(prefix, list) else None
        if isinstance(parts, list) and all(isinstance(p, str) for p in parts):
            return [str(p) for p in parts]
        return None

    def factory_template(
        self, function: FunctionInfo, call: ast.Call | None, factory: ast.FunctionDef, template: AssetFact
    ) -> FactoryTemplate:
        """The factory's key expressions as plain values, for calls in other files."""
        params = {a.arg for a in [*factory.args.posonlyargs, *factory.args.args, *factory.args.kwonlyargs]}

        def spec(keyword: str) -> tuple | None:
            node = argument(call, keyword)
            return self.key_spec(node, params) if node is not None else None

        return FactoryTemplate(
            factory=factory.name,
            inner=function.node.name,
            params=tuple(a.arg for a in [*factory.args.posonlyargs, *factory.args.args]),
            defaults=tuple(_defaults(factory).items()),
            asset=template,
            name=spec("name"),
            key=spec("key"),
            key_prefix=spec("key_prefix"),
            group=spec("group_name"),
            deps=tuple(
                self.key_spec(item, params)
                for item in self.list_items(argument(call, "deps"), function.node.name, "deps")
            ),
        )

    def key_spec(self, node: ast.AST, params: set[str]) -> tuple:
        """A key expression of a factory as a plain value the project model fills with call arguments."""
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)):
            return ("const", node.value)
        if isinstance(node, ast.Name) and node.id in params:
            return ("param", node.id)
        if isinstance(node, ast.Name) and (value := self.module_value(node.id)) is not None:
            literal = _literal(value, {})
            return ("const", literal) if literal is not _UNKNOWN else ("unknown",)
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                if isinstance(value, ast.FormattedValue) and value.format_spec is not None:
                    return ("unknown",)
                parts.append(self.key_spec(value.value if isinstance(value, ast.FormattedValue) else value, params))
            return ("join", tuple(parts))
        if isinstance(node, (ast.List, ast.Tuple)):
            return ("list", tuple(self.key_spec(e, params) for e in node.elts))
        if isinstance(node, ast.Call) and self.canonical(node) == "dagster.AssetKey" and node.args:
            return self.key_spec(node.args[0] if len(node.args) == 1 else ast.List(elts=list(node.args)), params)
        return ("unknown",)

    def record_calls(self) -> None:
        """Module-level calls of functions imported from other modules (maybe asset factories there)."""
        for site in self.ctx.calls:
            if (not site.args and not site.keywords) or self.dagster(site) is not None or self.inside_function(site):
                continue
            if not isinstance(site.func, (ast.Name, ast.Attribute)):
                continue
            callee = self.symbol(site.func)
            if callee is None or callee.module == self.module:
                continue
            for env in self.loop_environments(site):
                positional = tuple(
                    None if (v := _literal(a, env)) is _UNKNOWN or isinstance(a, ast.Starred) else _frozen(v)
                    for a in site.args
                )
                keywords = tuple(
                    (k.arg, None if (v := _literal(k.value, env)) is _UNKNOWN else _frozen(v))
                    for k in site.keywords
                    if k.arg is not None
                )
                self.facts.factory_calls.append(
                    FactoryCall(
                        callee, positional, keywords, self.location(site), self.assigned_name(site), self.text(site, 50)
                    )
                )

    def is_within(self, node: ast.AST, ancestor: ast.AST) -> bool:
        parent = self.ctx.parent(node)
        while parent is not None:
            if parent is ancestor:
                return True
            parent = self.ctx.parent(parent)
        return False

    def loop_environments(self, site: ast.Call) -> list[dict[str, object]]:
        """Values of the loop variables around a call: ``for name in ["a", "b"]`` gives two environments."""
        environments: list[dict[str, object]] = [{}]
        parent = self.ctx.parent(site)
        while parent is not None:
            loops: list[tuple[ast.expr, ast.expr]] = []
            if isinstance(parent, ast.For):
                loops = [(parent.target, parent.iter)]
            elif isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                loops = [(g.target, g.iter) for g in parent.generators]
            for target, iterable in loops:
                values = _literal(self.module_literal(iterable), {})
                if isinstance(target, ast.Name) and isinstance(values, (list, tuple)):
                    environments = [{**env, target.id: value} for env in environments for value in values]
                if len(environments) > MAX_LOOP_VALUES:  # nested loops over long lists: not worth spelling out
                    return [{}]
            parent = self.ctx.parent(parent)
        return environments

    def module_literal(self, node: ast.expr) -> ast.expr:
        """A module-level name holding a literal (``NAMES = ["a", "b"]``) stands for that literal."""
        value = self.module_value(node.id) if isinstance(node, ast.Name) else None
        return value if value is not None else node

    def automation_cron(self, node: ast.AST | None) -> str | None:
        """The cron of ``AutomationCondition.on_cron("0 * * * *")`` (None for any other condition)."""
        if not isinstance(node, ast.Call):
            return None
        ref = self.dagster(node)
        if ref is not None and ref.canonical == "dagster.AutomationCondition" and ref.attrs == ("on_cron",):
            return _const_str(argument(node, "cron_schedule", 0))
        return None

    def run_status(self, node: ast.AST | None) -> str | None:
        """``DagsterRunStatus.SUCCESS`` -> ``SUCCESS`` (None when not that spelling)."""
        ref = self.dagster(node) if isinstance(node, ast.Attribute) else None
        if ref is not None and ref.canonical == "dagster.DagsterRunStatus" and len(ref.attrs) == 1:
            return ref.attrs[0]
        if isinstance(node, ast.Attribute) and ref is None:
            inner = self.dagster(node.value)
            if inner is not None and inner.canonical == "dagster.DagsterRunStatus" and not inner.attrs:
                return node.attr
        return None

    def asset_in(self, param: str, value: ast.AST) -> DependencyRef:
        if isinstance(value, ast.Call) and self.canonical(value) == "dagster.AssetIn":
            key = self.key_of(argument(value, "key", 0))
            if key is None and argument(value, "key", 0) is not None:
                dep = self.dependency(argument(value, "key", 0), data=True)  # type: ignore[arg-type]
                if dep is not None:
                    return dep
            if key is None:
                prefix = _str_list(argument(value, "key_prefix", 2)) or ()
                key = "/".join([*prefix, param])
            return DependencyRef(key=key)
        return DependencyRef(key=param)

    def multi_keys(
        self, call: ast.Call | None, function: FunctionInfo, prefix: tuple[str, ...], group: str | None
    ) -> tuple[list[str], list[tuple[str, str]], list[DependencyRef]]:
        keys: list[str] = []
        groups: list[tuple[str, str]] = []
        deps: list[DependencyRef] = []
        outs = argument(call, "outs")
        if isinstance(outs, ast.Dict):
            for key_node, value in zip(outs.keys, outs.values, strict=True):
                out_name = _const_str(key_node)
                if out_name is None:
                    continue
                key = None
                out_group = group
                if isinstance(value, ast.Call) and self.canonical(value) == "dagster.AssetOut":
                    out_prefix = _str_list(argument(value, "key_prefix", 0)) or prefix
                    key = self.key_of(argument(value, "key")) or "/".join([*out_prefix, out_name])
                    out_group = _const_str(argument(value, "group_name")) or group
                key = key or "/".join([*prefix, out_name])
                keys.append(key)
                self.outputs.append((out_name, key))
                if out_group:
                    groups.append((key, out_group))
        elif outs is not None:
            self.unresolved(outs, f"outs= of '{function.node.name}'", "not a dict literal; its asset keys are unknown")
        for spec in self.list_items(argument(call, "specs"), function.node.name, "specs"):
            if isinstance(spec, (ast.Name, ast.Attribute)) and (symbol := self.symbol(spec)) is not None:
                self.spec_symbols.append(symbol)
                continue
            if not (isinstance(spec, ast.Call) and self.canonical(spec) == "dagster.AssetSpec"):
                self.unresolved(
                    spec,
                    f"specs entry {self.text(spec, 40)} of '{function.node.name}'",
                    "not an AssetSpec(...) call; its key is unknown",
                )
                continue
            key = self.key_of(argument(spec, "key", 0))
            if key is None:
                self.unresolved(spec, f"AssetSpec {self.text(spec, 40)}", "its key is not a literal")
                continue
            keys.append(key)
            spec_group = _const_str(argument(spec, "group_name")) or group
            if spec_group:
                groups.append((key, spec_group))
            for node in self.list_items(argument(spec, "deps"), function.node.name, "deps"):
                dep = self.dependency(node)
                if dep is not None:
                    deps.append(dep)
        if not keys and not self.spec_symbols:
            self.unresolved(
                function.node,
                f"@multi_asset '{function.node.name}'",
                "no asset keys could be read from outs= or specs=",
            )
        return keys, groups, deps

    def list_items(self, node: ast.AST | None, owner: str, keyword: str) -> list[ast.expr]:
        if node is None:
            return []
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return [e for e in node.elts if not isinstance(e, ast.Starred)]
        self.unresolved(node, f"{keyword}={self.text(node, 40)} of '{owner}'", "not a list literal")
        return []

    def external_key_asset(self, function: FunctionInfo, kind: str, deco: Reference) -> None:
        name = function.node.name
        self.facts.assets.append(
            AssetFact(
                function=name,
                kind=kind,
                keys=(name,),
                groups=(),
                location=self.location(deco.line),
                partitions=self.partitions_ref(argument(deco.call, "partitions_def")),
                keys_known=False,
            )
        )
        self.unresolved(
            deco.line,
            f"@{kind} '{name}'",
            f"its asset keys come from outside the Python code; the report treats '{name}' as one step",
        )

    def partition_access(self, function: FunctionInfo) -> tuple[str, ...]:
        found = {
            use.chain[0]
            for use in self.ctx.context_uses
            if use.param.function is function.node and use.chain and use.chain[0] in PARTITION_ATTRS
        }
        return tuple(sorted(found))

    def body_calls(
        self, function: FunctionInfo
    ) -> tuple[tuple[SymbolRef, ...], tuple[tuple[SymbolRef, SymbolRef], ...]]:
        """Names a graph/job body uses (candidate ops and graphs), and data edges between invocations."""
        scope = self.ctx.model.scope_of(function.node) or self.scope
        names: list[tuple[int, int, SymbolRef]] = []
        produced: dict[str, SymbolRef] = {}
        edges: set[tuple[SymbolRef, SymbolRef]] = set()
        params = {a.arg for a in [*function.node.args.args, *function.node.args.kwonlyargs]}
        body = function.node.body
        for stmt in body:
            for node in ast.walk(stmt):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in params:
                    if scope is not self.scope and node.id in scope.bindings:
                        continue  # a local variable of the body
                    symbol = self.symbol(node, scope)
                    if symbol is not None:
                        names.append((node.lineno, node.col_offset, symbol))
        statements = [n for stmt in body for n in ast.walk(stmt)]
        for node in statements:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                # ``x = op()``, and ``x = items.map(op)`` / ``x = mapped.collect()`` (the mapped op's values)
                found = self.producers(node.value, produced, scope)
                if len(found) != 1:
                    continue
                for target in node.targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            produced[name.id] = found[0]
        for node in statements:
            if not isinstance(node, ast.Call):
                continue
            consumer = self.invoked(node, scope)
            if consumer is None:
                continue
            # ``items.map(op)``: the op runs once per item of ``items``
            mapped = _mapped_receiver(node)
            arguments = [mapped] if mapped is not None else [*node.args, *(kw.value for kw in node.keywords)]
            for arg in arguments:
                for upstream in self.producers(arg, produced, scope):
                    if upstream != consumer:
                        edges.add((upstream, consumer))
        unique = tuple(dict.fromkeys(symbol for _, _, symbol in sorted(names, key=lambda n: (n[0], n[1]))))
        return unique, tuple(sorted(edges, key=lambda e: (e[0].module, e[0].name, e[1].module, e[1].name)))

    def invoked(self, call: ast.Call, scope) -> SymbolRef | None:
        """The op or graph a call in a job body invokes (``op()``, ``op.alias("x")()``, ``items.map(op)``)."""
        if _mapped_receiver(call) is not None:
            op = call.args[0]
            return self.symbol(op, scope) if isinstance(op, ast.Name) else None
        func = call.func
        if isinstance(func, ast.Call):
            func = func.func
        if isinstance(func, ast.Attribute) and func.attr in INVOCATION_WRAPPERS:
            func = func.value
        if isinstance(func, ast.Name):
            return self.symbol(func, scope)
        return None

    def producers(self, arg: ast.AST, produced: dict[str, SymbolRef], scope) -> list[SymbolRef]:
        base = arg
        while isinstance(base, (ast.Attribute, ast.Subscript)):
            base = base.value
        if isinstance(base, ast.Name) and base.id in produced:
            return [produced[base.id]]
        if (
            isinstance(base, ast.Call)
            and isinstance(base.func, ast.Attribute)
            and base.func.attr == "collect"
            and not base.args
            and not base.keywords
        ):
            return self.producers(base.func.value, produced, scope)  # the mapped op's values, as a list
        if isinstance(base, ast.Call):
            invoked = self.invoked(base, scope)
            return [invoked] if invoked is not None else []
        return []

    def graph(self, function: FunctionInfo, kind: str, call: ast.Call | None, deco: Reference) -> None:
        name = _const_str(argument(call, "name")) or function.node.name
        calls, edges = self.body_calls(function)
        self.facts.graphs.append(
            GraphFact(
                function=member_name(function),
                name=name,
                kind=kind,
                location=self.location(deco.line),
                calls=calls,
                edges=edges,
                partitions=self.partitions_ref(argument(call, "partitions_def")),
            )
        )

    # ---------------------------------------------------------------- triggers
    def trigger(
        self, kind: str, call: ast.Call | None, line: int, default_name: str, function: FunctionInfo | None = None
    ) -> None:
        # positions: ScheduleDefinition(name, cron_schedule, job_name), @schedule(cron_schedule, job_name),
        # SensorDefinition / AutomationConditionSensorDefinition(name, ...), @asset_sensor(asset_key, ...)
        is_call = function is None
        name = _const_str(argument(call, "name", 0 if is_call else None)) or default_name
        targets: list[TargetRef] = []
        for keyword in ("job", "request_job", "target"):
            value = argument(call, keyword)
            if value is not None:
                targets.extend(self.targets(value, f"{kind} '{name}'"))
        for keyword in ("jobs", "request_jobs"):
            for item in self.list_items(argument(call, keyword), name, keyword):
                targets.extend(self.targets(item, f"{kind} '{name}'"))
        job_name_index = (2 if is_call else 1) if kind == "schedule" else None
        job_name = _const_str(argument(call, "job_name", job_name_index))
        if job_name is not None:
            targets.append(TargetRef(job_name=job_name))
        selection = argument(call, "asset_selection")
        if selection is not None:
            targets.append(TargetRef(selection=self.selection(selection)))
        monitors: list[str] = []
        watched_assets: Selection | None = None
        watched_jobs: list[TargetRef] = []
        for keyword in ("asset_key", "monitored_assets", "monitored_jobs"):
            value = argument(call, keyword, 0 if keyword == "asset_key" and kind == "asset_sensor" else None)
            if value is None:
                continue
            monitors.append(self.key_of(value) or self.text(value, 40))
            if keyword == "monitored_jobs":
                for item in self.list_items(value, name, keyword):
                    watched_jobs.extend(self.targets(item, f"{kind} '{name}'"))
            elif (key := self.key_of(value)) is not None:
                watched_assets = Keys((key,))
            else:
                watched_assets = self.selection(value)
        cron_index = (1 if is_call else 0) if kind == "schedule" else None
        cron = _const_str(argument(call, "cron_schedule", cron_index))
        uses_cursor = False
        if function is not None:
            uses_cursor = any(
                use.param.function is function.node and use.chain and use.chain[0] in ("cursor", "update_cursor")
                for use in self.ctx.context_uses
            )
        variable = self.assigned_name(call) if call is not None and function is None else default_name
        self.facts.triggers.append(
            TriggerFact(
                kind=kind,
                name=name,
                variable=variable,
                location=self.location(line),
                targets=tuple(targets),
                cron=cron,
                monitors=tuple(monitors),
                uses_cursor=uses_cursor,
                watched_assets=watched_assets,
                watched_jobs=tuple(watched_jobs),
                timezone=_const_str(argument(call, "execution_timezone")),
                run_status=self.run_status(argument(call, "run_status")),
            )
        )

    def targets(self, value: ast.AST, owner: str) -> list[TargetRef]:
        if isinstance(value, ast.Call):
            canonical = self.canonical(value)
            if canonical == "dagster.define_asset_job":
                job_name = _const_str(argument(value, "name", 0))
                return [TargetRef(job_name=job_name)] if job_name else []
            return [TargetRef(selection=self.selection(value))]
        if isinstance(value, (ast.Name, ast.Attribute)):
            symbol = self.symbol(value)
            return [TargetRef(symbol=symbol)] if symbol is not None else []
        if isinstance(value, (ast.List, ast.Tuple)) or _const_str(value) is not None:
            return [TargetRef(selection=self.selection(value))]
        self.unresolved(value, f"target {self.text(value, 40)} of {owner}", "not a job or asset selection")
        return []

    # ---------------------------------------------------------------- selections
    def selection(self, node: ast.AST) -> Selection:
        """Read an asset selection expression into plain values (:class:`Unknown` where it is not static)."""
        if (text := _const_str(node)) is not None:
            return parse_selection_string(text)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            result: Selection | None = None
            for element in node.elts:
                key = self.key_of(element)
                if key is not None and not isinstance(element, ast.Constant):
                    item: Selection = Keys((key,))
                elif key is not None:
                    item = parse_selection_string(key)
                elif isinstance(element, (ast.Name, ast.Attribute)) and (symbol := self.symbol(element)):
                    item = Assets((symbol,))
                else:
                    item = Unknown(self.text(element, 40), "list entry is not an asset key or asset definition")
                result = item if result is None else Combined("|", result, item)
            return result or Unknown("[]", "empty selection")
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.BitAnd, ast.Sub)):
            op = {ast.BitOr: "|", ast.BitAnd: "&", ast.Sub: "-"}[type(node.op)]
            return Combined(op, self.selection(node.left), self.selection(node.right))
        if isinstance(node, ast.Name):
            symbol = self.symbol(node)
            return Named(symbol) if symbol is not None else Unknown(node.id, "unknown name")
        if isinstance(node, ast.Call):
            ref = self.dagster(node)
            if ref is not None and ref.canonical == "dagster.AssetSelection" and len(ref.attrs) == 1:
                return self.selection_constructor(ref.attrs[0], node)
            if ref is not None and ref.canonical == "dagster.AssetKey":
                key = self.key_of(node)
                if key is not None:
                    return Keys((key,))
            if isinstance(node.func, ast.Attribute) and ref is None:
                return self.selection_method(node.func.attr, node)
        return Unknown(self.text(node, 60), "not a statically known selection")

    def selection_constructor(self, method: str, call: ast.Call) -> Selection:
        if method == "all":
            return AllAssets()
        if method == "groups":
            groups = [_const_str(a) for a in call.args]
            if groups and all(g is not None for g in groups):
                return Groups(tuple(g for g in groups if g))
        elif method == "keys":
            keys = [self.key_of(a) for a in call.args]
            if keys and all(k is not None for k in keys):
                return Keys(tuple(k for k in keys if k))
        elif method == "key_prefixes":
            prefixes = [self.key_of(a) for a in call.args]
            if prefixes and all(p is not None for p in prefixes):
                return KeyPrefixes(tuple(p for p in prefixes if p))
        elif method == "assets":
            return self.selected_assets(call)
        return Unknown(self.text(call, 60), f"AssetSelection.{method}(...) is not evaluated statically")

    def selected_assets(self, call: ast.Call) -> Selection:
        """``AssetSelection.assets(...)``: string keys, ``AssetKey(...)`` and asset definitions, mixed."""
        literal: list[str] = []
        symbols: list[SymbolRef] = []
        for item in call.args:
            key = self.key_of(item)
            symbol = self.symbol(item) if isinstance(item, (ast.Name, ast.Attribute)) else None
            if key is not None:
                literal.append(key)
            elif symbol is not None:
                symbols.append(symbol)
            else:
                return Unknown(self.text(call, 60), f"{self.text(item, 30)} is not an asset key or definition")
        if literal and symbols:
            return Combined("|", Keys(tuple(literal)), Assets(tuple(symbols)))
        if literal or symbols:
            return Keys(tuple(literal)) if literal else Assets(tuple(symbols))
        return Unknown(self.text(call, 60), "AssetSelection.assets() without assets")

    def selection_method(self, method: str, call: ast.Call) -> Selection:
        receiver = call.func.value  # type: ignore[attr-defined]
        inner = self.selection(receiver)
        if isinstance(inner, Unknown):
            return Unknown(self.text(call, 60), inner.reason)
        if method in ("upstream", "downstream"):
            depth_node = argument(call, "depth", 0)
            depth = _int(depth_node)
            if (
                depth_node is not None
                and depth is None
                and not (isinstance(depth_node, ast.Constant) and depth_node.value is None)
            ):
                return Unknown(self.text(call, 60), "the depth is not a literal")
            include = argument(call, "include_self", 1)
            include_self = not (isinstance(include, ast.Constant) and include.value is False)
            return Closure(inner, method, depth, include_self)
        if method in ("roots", "sinks"):
            return Boundary(inner, method)
        if method == "required_multi_asset_neighbors":
            return MultiAssetNeighbors(inner)
        if method in SELECTION_IDENTITY_METHODS:
            return inner
        return Unknown(self.text(call, 60), f".{method}() is not evaluated statically")

    # ---------------------------------------------------------------- module level and calls
    def module_assignments(self) -> None:
        for stmt in self._module_statements():
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                name, value = stmt.targets[0].id, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                name, value = stmt.target.id, stmt.value
            else:
                continue
            if isinstance(value, ast.Call) and (partitions := self.partitions_definition(value, name)):
                self.facts.partitions[name] = partitions
            elif isinstance(value, ast.Name):
                symbol = self.symbol(value)
                if symbol is not None:
                    self.facts.aliases[name] = symbol
            elif (
                isinstance(value, (ast.List, ast.Tuple))
                and value.elts
                and all(isinstance(e, (ast.Name, ast.Attribute)) for e in value.elts)
            ):
                symbols = [self.symbol(e) for e in value.elts]
                self.facts.lists[name] = tuple(s for s in symbols if s is not None)
            elif self.mentions_selection(value):
                self.facts.selections[name] = self.selection(value)

    def mentions_selection(self, node: ast.AST) -> bool:
        return any(
            (ref := self.by_node.get(id(sub))) is not None and ref.canonical == "dagster.AssetSelection"
            for sub in ast.walk(node)
        )

    def call(self, ref: Reference) -> None:
        call = ref.call
        assert call is not None
        canonical = ref.canonical
        if canonical == "dagster.AssetsDefinition" and ref.attrs == ("from_graph",):
            self.asset_from_graph(call)
            return
        if ref.attrs:
            return
        if canonical == "dagster.define_asset_job":
            name = _const_str(argument(call, "name", 0))
            variable = self.assigned_name(call)
            if name is None:
                self.unresolved(call, "define_asset_job(...)", "the job name is not a literal")
                return
            selection_node = argument(call, "selection", 1)
            selection = self.selection(selection_node) if selection_node is not None else None
            self.facts.asset_jobs.append(
                AssetJobFact(
                    name=name,
                    variable=variable,
                    selection=selection,
                    location=self.location(call),
                    partitions=self.partitions_ref(argument(call, "partitions_def", 7)),
                    end_line=call.end_lineno or call.lineno,
                )
            )
        elif canonical == "dagster.ScheduleDefinition":
            variable = self.assigned_name(call)
            self.trigger("schedule", call, call.lineno, variable or "schedule")
        elif canonical == "dagster.build_schedule_from_partitioned_job":
            variable = self.assigned_name(call)
            job = argument(call, "job", 0)
            targets = self.targets(job, "build_schedule_from_partitioned_job") if job is not None else []
            name = _const_str(argument(call, "name", 2)) or variable or "partitioned_schedule"
            self.facts.triggers.append(
                TriggerFact(
                    kind="schedule",
                    name=name,
                    variable=variable,
                    location=self.location(call),
                    targets=tuple(targets),
                    partitioned=True,
                )
            )
        elif canonical in SENSOR_CALLS:
            variable = self.assigned_name(call)
            self.trigger(SENSOR_CALLS[canonical], call, call.lineno, variable or SENSOR_CALLS[canonical])
        elif canonical in ("dagster.SourceAsset", "dagster.AssetSpec") and ref.keyword != "specs":
            key = self.key_of(argument(call, "key", 0))
            if key is None:
                self.unresolved(call, f"{canonical.rsplit('.', 1)[-1]}(...)", "its key is not a literal")
                return
            if canonical == "dagster.AssetSpec" and ref.keyword is not None:
                return  # an AssetSpec inside another call (deps=, AssetDep...) is a reference, not a declaration
            self.facts.source_assets.append(
                SourceAssetFact(key, canonical.rsplit(".", 1)[-1], self.location(call), self.assigned_name(call))
            )
        elif canonical == "dagster.Definitions":
            self.definitions(call)

    def asset_from_graph(self, call: ast.Call) -> None:
        """``AssetsDefinition.from_graph(some_graph)``: one graph-backed asset named after the graph."""
        graph = argument(call, "graph_def", 0)
        symbol = self.symbol(graph) if isinstance(graph, (ast.Name, ast.Attribute)) else None
        variable = self.assigned_name(call)
        if symbol is None or argument(call, "keys_by_output_name") is not None:
            self.unresolved(call, "AssetsDefinition.from_graph(...)", "its asset keys are not statically known")
            return
        prefix = _str_list(argument(call, "key_prefix")) or ()
        key = "/".join([*prefix, symbol.name])
        group = _const_str(argument(call, "group_name"))
        self.facts.assets.append(
            AssetFact(
                function=variable or symbol.name,
                kind="graph_asset",
                keys=(key,),
                groups=((key, group),) if group else (),
                location=self.location(call),
                partitions=self.partitions_ref(argument(call, "partitions_def")),
                calls=(symbol,),
            )
        )

    def definitions(self, call: ast.Call) -> None:
        resources: list[ResourceFact] = []
        node = argument(call, "resources")
        if isinstance(node, ast.Name):
            node = self.module_value(node.id)
        if isinstance(node, ast.Dict):
            for key_node, value in zip(node.keys, node.values, strict=True):
                key = _const_str(key_node)
                if key is None:
                    continue
                kind = ""
                symbol = None
                target = value.func if isinstance(value, ast.Call) else value
                ref = self.dagster(target)
                if ref is not None:
                    kind = ref.short
                elif isinstance(target, (ast.Name, ast.Attribute)):
                    symbol = self.symbol(target)
                    kind = symbol.name if symbol is not None else ""
                resources.append(ResourceFact(key, self.text(value, 60), kind, self.location(value), symbol))
        elif node is not None:
            self.unresolved(node, "Definitions(resources=...)", "not a dict literal; resource keys are unknown")
        executor = argument(call, "executor")
        self.facts.definitions.append(
            DefinitionsFact(
                location=self.location(call),
                resources=tuple(sorted(resources, key=lambda r: r.key)),
                executor=self.text(executor, 60) if executor is not None else None,
                # one built inside a function (a component's build_defs, a factory) is no entry point
                entry_point=not self.inside_function(call),
            )
        )

    def inside_function(self, node: ast.AST) -> bool:
        """Whether a node sits in a function or lambda body (not at module or class level)."""
        parent = self.ctx.parent(node)
        while parent is not None:
            if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                return True
            parent = self.ctx.parent(parent)
        return False

    def module_value(self, name: str) -> ast.expr | None:
        value: ast.expr | None = None
        for stmt in self._module_statements():
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
                value = stmt.value
        return value

    def graph_to_job(self, call: ast.Call, attribute: ast.Attribute) -> None:
        symbol = self.symbol(attribute.value) if isinstance(attribute.value, (ast.Name, ast.Attribute)) else None
        if symbol is None:
            return
        name = _const_str(argument(call, "name", 0)) or ""
        self.facts.graph_jobs.append(
            GraphJobFact(
                name=name,
                variable=self.assigned_name(call),
                graph=symbol,
                location=self.location(call),
                partitions=self.partitions_ref(argument(call, "partitions_def")),
            )
        )


_UNKNOWN = NotLiteral.VALUE  # a value static analysis cannot know
MAX_LOOP_VALUES = 256  # loop values spelled out per factory call; beyond that the call's arguments are unknown


def _literal(node: ast.AST | None, env: dict[str, object]) -> object:
    """The value of a literal expression, with names looked up in ``env`` (``_UNKNOWN`` when not literal)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)):
        return node.value
    if isinstance(node, ast.Name):
        return env.get(node.id, _UNKNOWN)
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_literal(e, env) for e in node.elts]
        return _UNKNOWN if any(i is _UNKNOWN for i in items) else items
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            item = _literal(value.value if isinstance(value, ast.FormattedValue) else value, env)
            if item is _UNKNOWN or (isinstance(value, ast.FormattedValue) and value.format_spec is not None):
                return _UNKNOWN
            parts.append(str(item))
        return "".join(parts)
    return _UNKNOWN


def _frozen(value: object) -> object:
    """Lists become tuples, so a literal argument can live in a frozen fact."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def fill_key_spec(spec: tuple | None, bound: dict[str, object]) -> object:
    """The value of a factory's key expression for one call (None when it is not literal there)."""
    if spec is None:
        return None
    kind = spec[0]
    if kind == "const":
        return spec[1]
    if kind == "param":
        value = bound.get(spec[1])
        return list(value) if isinstance(value, tuple) else value
    if kind == "join":
        parts = [fill_key_spec(part, bound) for part in spec[1]]
        return "".join(str(p) for p in parts) if all(isinstance(p, (str, int)) for p in parts) else None
    if kind == "list":
        items = [fill_key_spec(item, bound) for item in spec[1]]
        return items if all(i is not None for i in items) else None
    return None


def instantiate_factory(template: FactoryTemplate, call: FactoryCall) -> AssetFact | None:
    """The asset one call of a factory builds, named from its literal arguments (None when they are not)."""
    bound = dict(template.defaults)
    bound.update(zip(template.params, call.positional, strict=False))
    bound.update(call.keywords)
    external = template.asset.kind in EXTERNAL_KEY_DECORATORS.values()
    if template.key is not None:
        value = fill_key_spec(template.key, bound)
        parts = value if isinstance(value, list) else [value]
    else:
        default = template.inner
        if external:
            literal = next((v for v in bound.values() if isinstance(v, str)), None)
            default = f"{template.factory}_{re.sub(r'[^0-9A-Za-z]+', '_', literal).strip('_')}" if literal else ""
        name = fill_key_spec(template.name, bound) if template.name is not None else (default or None)
        prefix = fill_key_spec(template.key_prefix, bound) if template.key_prefix is not None else []
        prefix = [prefix] if isinstance(prefix, str) else prefix
        parts = [*prefix, name] if isinstance(prefix, list) else [None]
    group = fill_key_spec(template.group, bound) if template.group is not None else None
    if not all(isinstance(p, str) for p in parts) or (template.group is not None and not isinstance(group, str)):
        return None
    key = "/".join(str(p) for p in parts)
    deps = []
    for spec in template.deps:
        value = fill_key_spec(spec, bound)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "/".join(value)
        if isinstance(value, str):
            deps.append(DependencyRef(key=value))
    return replace(
        template.asset,
        function=call.variable or f"{template.factory}({key})",
        keys=(key,),
        groups=((key, group),) if isinstance(group, str) else (),
        location=call.location,
        deps=tuple(deps),
    )


def _defaults(factory: ast.FunctionDef) -> dict[str, object]:
    """The literal default of each parameter that has one."""
    positional = [*factory.args.posonlyargs, *factory.args.args]
    defaults: dict[str, object] = {}
    for param, default in zip(
        positional[len(positional) - len(factory.args.defaults) :], factory.args.defaults, strict=True
    ):
        defaults[param.arg] = _literal(default, {})
    for param, kw_default in zip(factory.args.kwonlyargs, factory.args.kw_defaults, strict=True):
        if kw_default is not None:
            defaults[param.arg] = _literal(kw_default, {})
    return defaults


def _bind_arguments(factory: ast.FunctionDef, site: ast.Call, env: dict[str, object]) -> dict[str, object]:
    """The factory's parameters bound to the call's literal arguments (and the parameters' literal defaults)."""
    positional = [*factory.args.posonlyargs, *factory.args.args]
    bound = _defaults(factory)
    for param, value in zip(positional, site.args, strict=False):
        bound[param.arg] = _UNKNOWN if isinstance(value, ast.Starred) else _literal(value, env)
    for keyword in site.keywords:
        if keyword.arg is not None:
            bound[keyword.arg] = _literal(keyword.value, env)
    return bound


def extract_file_facts(ctx: FileContext, path: str, module: str) -> FileFacts:
    """The project-model facts of one analysed Python file."""
    facts = _Extractor(ctx, path, module).run()
    extract_resources(ctx, facts)
    return facts


def plain_class_facts(text: str, path: str, module: str) -> FileFacts:
    """The classes of a Python file that never names Dagster, with their base classes as symbols.

    Read only on demand, when a class hierarchy passes through such a file (a resource deriving
    from the project's own base class, defined in a module without ``import dagster``).
    """
    facts = FileFacts(path=path, module=module)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return facts
    package = module.split(".") if path.endswith("__init__.py") else module.split(".")[:-1]
    imported: dict[str, str] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom):
            base_parts = package[: len(package) - (stmt.level - 1)] if stmt.level > 1 else package
            base = ".".join([*base_parts, *([stmt.module] if stmt.module else [])]) if stmt.level else stmt.module
            for alias in stmt.names:
                imported[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
        elif isinstance(stmt, ast.ClassDef):
            symbols = []
            for base_node in stmt.bases:
                if isinstance(base_node, ast.Name):
                    qual = imported.get(base_node.id, f"{module}.{base_node.id}")
                    owner, _, name = qual.rpartition(".")
                    symbols.append(SymbolRef(owner, name))
            facts.classes.append(ClassFact(stmt.name, (), Location(path, stmt.lineno), tuple(symbols)))
    # also without classes: a package's ``__init__.py`` that only re-exports (``from .res import R``)
    facts.imports.update(imported)
    return facts


def component_facts(findings: list[Finding] | tuple[Finding, ...], path: str, module: str) -> FileFacts:
    """Facts of a ``defs.yaml`` file, read from its DZ313 findings (one per component instance)."""
    facts = FileFacts(path=path, module=module)
    for finding in findings:
        if finding.code == COMPONENT_FILE:
            match = COMPONENT_TYPE.search(finding.message)
            facts.components.append(
                ComponentFact(match.group(1) if match else finding.message, Location(path, finding.line))
            )
    return facts
