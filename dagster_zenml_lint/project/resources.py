"""Resource bindings and run config: what values a resource key and an op's config were given, per file and
per run unit.

Per file (:func:`extract_resources`, from the engine's
:class:`~dagster_zenml_lint.analysis.facts.FileContext`): every ``resources={...}`` /
``resource_defs={...}`` of a Dagster call as :class:`BindingFact` values (the class, factory or
``@resource`` function each key builds and the literal values of its fields), the module-level
``name = Call(...)`` a binding may name, and the values a ``@job``'s ``config=`` gives its ops.

Per run unit (:func:`bind`): Dagster gives a job the resources of its own ``resource_defs``, else
those of its code location's ``Definitions(resources=...)``; what the migration reads nowhere else
comes from any binding of the project (the last one read, by path then source order). Two jobs
binding one key differently (a mock for a local job, a database for the deployed one) keep their
own binding each.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from dagster_zenml_lint.analysis.facts import FileContext
from dagster_zenml_lint.project.facts import (
    BindingFact,
    FieldValue,
    FileFacts,
    InstanceFact,
    Location,
    ResourceClassFact,
    RunConfigFact,
)
from dagster_zenml_lint.project.selection import SymbolRef
from dagster_zenml_lint.rules._calls import argument, module_level_calls

BINDING_KEYWORDS = frozenset({"resources", "resource_defs"})
CONFIG_BASES = frozenset({"Config", "PermissiveConfig"})
RESOURCE_BASES = frozenset({"ConfigurableResource", "ConfigurableResourceFactory"})
IO_MANAGER_BASES = frozenset({"IOManager", "ConfigurableIOManager", "ConfigurableIOManagerFactory", "UPathIOManager"})
# ConfigurableResource methods Dagster runs around a run: set up before the first step, torn down after the last;
# create_resource (ConfigurableResourceFactory) builds the object steps get, between set-up and tear-down.
LIFECYCLE_METHODS = ("setup_for_execution", "teardown_after_execution", "yield_for_execution", "create_resource")
# ast.literal_eval's ways of saying "not a literal" (a huge or deeply nested one included)
NOT_LITERAL = (ValueError, TypeError, SyntaxError, MemoryError, RecursionError)


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def env_var_name(node: ast.expr) -> str | None:
    """The variable of ``EnvVar("X")`` (and of ``int("X")`` / ``str("X")`` around one), else None."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in ("EnvVar", "int", "str") and node.args and isinstance(node.args[0], ast.Constant):
            return str(node.args[0].value)
    return None


def field_value(name: str, node: ast.expr) -> FieldValue:
    """One field's value as written (``Field(default=x)`` stands for ``x``)."""
    inner: ast.expr | None = node
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Field":
        inner = next((k.value for k in node.keywords if k.arg == "default"), None)
    env = env_var_name(node)
    if inner is None:
        return FieldValue(name, env_var=env)
    try:
        return FieldValue(name, ast.literal_eval(inner), known=True, env_var=env)
    except NOT_LITERAL:
        return FieldValue(name, env_var=env)


def built_by(value: ast.expr) -> tuple[str, tuple[FieldValue, ...] | None]:
    """What a bound value builds (the last name of what it calls) and the values it gives (None: no call).

    ``Resource(a=1)`` builds ``Resource`` with ``a``; ``res.configured({"a": 1})`` builds ``res``
    with ``a``; ``make()(...)`` builds ``make``; a name is what it names, with no values.
    """
    target = value.func if isinstance(value, ast.Call) else value
    while isinstance(target, ast.Call):
        target = target.func
    if isinstance(value, ast.Call) and isinstance(target, ast.Attribute) and target.attr == "configured":
        target = target.value
        config = value.args[0] if value.args else None
        if isinstance(target, ast.Name) and isinstance(config, ast.Dict):
            given = zip(config.keys, config.values, strict=True)
            return target.id, tuple(field_value(k.value, v) for k, v in given if _string(k) is not None)  # type: ignore[union-attr]
    if not isinstance(target, (ast.Name, ast.Attribute)):
        return "", None
    name = target.id if isinstance(target, ast.Name) else target.attr
    if not isinstance(value, ast.Call):
        return name, None
    return name, tuple(field_value(k.arg, k.value) for k in value.keywords if k.arg)


def run_config_values(node: ast.expr | None) -> list[tuple[str, tuple[FieldValue, ...]]]:
    """Config values per op from a job's ``config=``: ``RunConfig(ops={"x": Cfg(a=1)})`` or the dict form."""
    ops: ast.expr | None = None
    if isinstance(node, ast.Call):
        ops = argument(node, "ops") or (node.args[0] if node.args else None)
    elif isinstance(node, ast.Dict):
        ops = next((v for k, v in zip(node.keys, node.values, strict=True) if _string(k) == "ops"), None)
    if not isinstance(ops, ast.Dict):
        return []
    found: list[tuple[str, tuple[FieldValue, ...]]] = []
    for key, value in zip(ops.keys, ops.values, strict=True):
        name = _string(key)
        if name is None:
            continue
        if isinstance(value, ast.Call):
            found.append((name, tuple(field_value(k.arg, k.value) for k in value.keywords if k.arg)))
        elif isinstance(value, ast.Dict):
            config = next((v for k, v in zip(value.keys, value.values, strict=True) if _string(k) == "config"), None)
            if isinstance(config, ast.Dict):
                given = zip(config.keys, config.values, strict=True)
                found.append((name, tuple(field_value(_string(k) or "", v) for k, v in given if _string(k))))
    return found


def _built_io_manager(node: ast.ClassDef) -> str | None:
    """The one class ``create_io_manager`` returns a call of (``return WarehouseIOManager(self.path)``)."""
    method = next((m for m in node.body if isinstance(m, ast.FunctionDef) and m.name == "create_io_manager"), None)
    built = {
        child.value.func.id
        for child in (ast.walk(method) if method is not None else ())
        if isinstance(child, ast.Return)
        and isinstance(child.value, ast.Call)
        and isinstance(child.value.func, ast.Name)
    }
    return next(iter(built)) if len(built) == 1 else None


def _resource_classes(ctx: FileContext, facts: FileFacts) -> list[ResourceClassFact]:
    """The file's config, resource and IO manager classes, its module-level ``@resource`` functions and its
    classes that derive from project classes only (``class Pricing(BaseFactory)``: maybe a resource)."""
    path = facts.path
    project_bases = {(c.name, c.location.line): c.base_symbols for c in facts.classes if c.base_symbols}
    found: list[ResourceClassFact] = []
    for info in ctx.classes:
        node = info.node
        methods = tuple((m.name, m.lineno) for m in node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)))
        location = Location(path, node.lineno)
        if info.base_names & CONFIG_BASES:
            found.append(ResourceClassFact(node.name, "config", location, methods))
        elif info.base_names & RESOURCE_BASES:
            found.append(ResourceClassFact(node.name, "resource", location, methods))
        if info.base_names & IO_MANAGER_BASES:
            found.append(ResourceClassFact(node.name, "io_manager", location, methods, _built_io_manager(node)))
        elif not info.base_names and (node.name, node.lineno) in project_bases:
            bases = project_bases[node.name, node.lineno]
            found.append(ResourceClassFact(node.name, "subclass", location, methods, bases=bases))
    for function in ctx.functions:
        if function.node in ctx.tree.body and any(d.canonical == "dagster.resource" for d in function.decorators):
            found.append(
                ResourceClassFact(function.node.name, "resource_function", Location(path, function.node.lineno))
            )
    return found


def extract_resources(ctx: FileContext, facts: FileFacts) -> None:
    """Add the file's resource bindings, module-level instances, ``@job`` run config and resource, config
    and IO manager classes to ``facts``."""
    facts.resource_classes = _resource_classes(ctx, facts)
    for variable_name, call in module_level_calls(ctx.tree):
        facts.instances.append(InstanceFact(variable_name, *built_by(call)))
    for use in ctx.keywords:
        if use.keyword.arg not in BINDING_KEYWORDS or not isinstance(use.keyword.value, ast.Dict):
            continue
        owner = Location(facts.path, use.call.lineno)
        definitions = use.callee is not None and use.callee.canonical == "dagster.Definitions"
        for key, value in zip(use.keyword.value.keys, use.keyword.value.values, strict=True):
            name = _string(key)
            if not name:
                continue
            target, values = built_by(value)
            variable = value.id if isinstance(value, ast.Name) else None
            location = Location(facts.path, value.lineno)
            facts.bindings.append(BindingFact(name, location, owner, definitions, target, variable, values))
    for info in ctx.functions:
        if info.parent_class is not None or info.node not in ctx.tree.body:
            continue
        canonicals = [d.canonical for d in info.decorators]
        if "dagster.graph" in canonicals or "dagster.job" not in canonicals:
            continue
        deco = next(d for d in info.decorators if d.canonical == "dagster.job")
        for op, values in run_config_values(argument(deco.call, "config")):
            facts.run_config.append(RunConfigFact(op, values, Location(facts.path, deco.line)))


@dataclass(frozen=True)
class ResourceBindings:
    """What each resource key of a run unit is bound to: the class, factory or ``@resource`` function its
    value builds, the field values it was built with, and where that binding is."""

    classes: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, FieldValue]] = field(default_factory=dict)
    where: Mapping[str, Location] = field(default_factory=dict)

    def values_of(self, key: str) -> Mapping[str, FieldValue]:
        """The field values the resource bound to ``key`` was built with (none when not known)."""
        return self.values.get(key, {})


def instances(facts: Sequence[FileFacts]) -> dict[str, InstanceFact]:
    """Module-level ``name = Call(...)`` of every file by name: the first file (by path) that assigns it,
    the last assignment in that file."""
    found: dict[str, InstanceFact] = {}
    for file in sorted(facts, key=lambda f: f.path, reverse=True):
        found.update((i.name, i) for i in file.instances)
    return found


def bind(
    bindings: Iterable[BindingFact], named: Mapping[str, InstanceFact], start: ResourceBindings | None = None
) -> ResourceBindings:
    """Apply bindings in order, a later one rebinding the key (values only when it gives some: a bare name
    keeps the values read before it); ``start``: what earlier bindings gave (they are applied first)."""
    classes: dict[str, str] = dict(start.classes) if start is not None else {}
    values: dict[str, Mapping[str, FieldValue]] = dict(start.values) if start is not None else {}
    where: dict[str, Location] = dict(start.where) if start is not None else {}
    for binding in bindings:
        target, given = binding.target, binding.values
        instance = named.get(binding.variable) if binding.variable is not None else None
        if instance is not None:
            target, given = instance.target, instance.values
        if not target:
            continue
        classes[binding.key] = target
        where[binding.key] = binding.location
        if given is not None:
            values[binding.key] = {v.name: v for v in given}
    return ResourceBindings(classes, values, where)


def unit_bindings(facts: Sequence[FileFacts], owner: Location | None) -> ResourceBindings:
    """The bindings of the run unit defined at ``owner`` (a job's call or decorator): any binding of the
    project, then its code location's ``Definitions(resources=...)``, then the job's own ``resource_defs``;
    ``owner`` None: the project's bindings only. (:class:`BindingIndex` answers many owners.)"""
    return BindingIndex(facts).unit(owner)


class BindingIndex:
    """:func:`unit_bindings` for many run units of one project: what every unit shares (the project's
    bindings, applied, and the module-level instances) is worked out once, and each code location's
    ``Definitions`` bindings and each file's bindings are looked up, not searched for among every file's
    (migrate asks once per pipeline: the search made each question grow with the project)."""

    def __init__(self, facts: Sequence[FileFacts]) -> None:
        ordered = sorted(facts, key=lambda f: f.path)
        self.named = instances(facts)
        self.project = bind([b for f in ordered for b in f.bindings], self.named)
        self._location: dict[str, str] = {}  # path -> the code location of the first file (by path) there
        self._definitions: dict[str, list[BindingFact]] = {}  # code location -> its Definitions' bindings
        self._by_path: dict[str, list[BindingFact]] = {}  # path -> the bindings of the files there
        for file in ordered:
            self._location.setdefault(file.path, file.code_location)
            self._definitions.setdefault(file.code_location, []).extend(b for b in file.bindings if b.definitions)
            self._by_path.setdefault(file.path, []).extend(file.bindings)

    def unit(self, owner: Location | None) -> ResourceBindings:
        """``unit_bindings(facts, owner)``: the project's bindings, then the code location's
        ``Definitions(resources=...)``, then the run unit's own at ``owner`` (None: the project's only)."""
        if owner is None:
            return self.project
        location = self._location.get(owner.path)  # None: no file there, so no code location's bindings
        layers = [
            *(self._definitions.get(location, ()) if location is not None else ()),
            *(b for b in self._by_path.get(owner.path, ()) if b.owner == owner),
        ]
        return bind(layers, self.named, self.project)


def run_config(facts: Sequence[FileFacts]) -> dict[str, dict[str, FieldValue]]:
    """Op name -> the config values a ``@job``'s ``config=`` gives it (the last job read, by path)."""
    found: dict[str, dict[str, FieldValue]] = {}
    for file in sorted(facts, key=lambda f: f.path):
        found.update((r.op, {v.name: v for v in r.values}) for r in file.run_config)
    return found


@dataclass(frozen=True)
class ResourceCatalog:
    """The project's config, resource and IO manager classes and ``@resource`` functions by name, each with
    the file that defines it (the last file by path, where two define one name)."""

    config_classes: Mapping[str, str] = field(default_factory=dict)
    resource_types: Mapping[str, str] = field(default_factory=dict)  # ConfigurableResource(Factory) classes
    # resource class -> the lifecycle methods it defines itself (LIFECYCLE_METHODS, in that order)
    resource_lifecycles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    resource_functions: Mapping[str, str] = field(default_factory=dict)  # ``@resource`` functions
    # IO manager classes with their files, by path then source order; a factory whose create_io_manager
    # builds another of them is that class (io_manager_factories), not an IO manager of its own
    io_managers: tuple[tuple[ResourceClassFact, str], ...] = ()
    io_manager_factories: Mapping[str, str] = field(default_factory=dict)

    def io_manager_for(self, key: str | None, bound: Mapping[str, str]) -> tuple[ResourceClassFact, str] | None:
        """The IO manager class a resource key is bound to (``bound``: key -> class), if it is one."""
        if key is None:
            return None
        name = bound.get(key)
        name = self.io_manager_factories.get(name or "", name)  # a factory: the IO manager it builds
        return next((m for m in self.io_managers if m[0].name == name), None)


def catalog(
    facts: Sequence[FileFacts], follow: Callable[[SymbolRef], tuple[FileFacts, str] | None] | None = None
) -> ResourceCatalog:
    """The :class:`ResourceCatalog` of the given files; ``follow`` resolves a project base class
    (:meth:`~dagster_zenml_lint.project.model.ProjectModel.follow`), so a subclass of the project's own
    ``ConfigurableResourceFactory`` or ``Config`` subclass is one too, with the methods it inherits."""
    facts = _with_project_bases(facts, follow) if follow is not None else facts
    configs: dict[str, str] = {}
    types: dict[str, str] = {}
    lifecycles: dict[str, tuple[str, ...]] = {}
    functions: dict[str, str] = {}
    io_managers: list[tuple[ResourceClassFact, str]] = []
    for file in sorted(facts, key=lambda f: f.path):
        for fact in file.resource_classes:
            if fact.kind == "config":
                configs[fact.name] = file.path
            elif fact.kind == "resource":
                types[fact.name] = file.path
                defined = {name for name, _ in fact.methods}
                methods = tuple(m for m in LIFECYCLE_METHODS if m in defined)
                if methods:
                    lifecycles[fact.name] = methods
            elif fact.kind == "resource_function":
                functions[fact.name] = file.path
            elif fact.kind == "io_manager":
                io_managers.append((fact, file.path))
    names = {fact.name for fact, _ in io_managers}
    linked = [(fact, path) for fact, path in io_managers if fact.builds in names - {fact.name}]
    factories = {fact.name: fact.builds for fact, _ in linked if fact.builds is not None}
    kept = tuple(m for m in io_managers if m not in linked)
    return ResourceCatalog(configs, types, lifecycles, functions, kept, factories)


def _with_project_bases(
    facts: Sequence[FileFacts], follow: Callable[[SymbolRef], tuple[FileFacts, str] | None]
) -> list[FileFacts]:
    """The files with each ``subclass`` fact that derives (through project classes) from a config or
    resource class made one of that kind, with the methods its project bases define after its own."""
    known = {(f.path, c.name): c for f in facts for c in f.resource_classes if c.kind in ("config", "resource")}
    pending = [
        (f.path, c) for f in sorted(facts, key=lambda f: f.path) for c in f.resource_classes if c.kind == "subclass"
    ]
    resolved: dict[tuple[str, str], ResourceClassFact] = {}
    changed = True
    while changed:  # a chain of project bases resolves one link a round
        changed = False
        for path, fact in pending:
            if (path, fact.name) in resolved:
                continue
            for base in fact.bases:
                found = follow(base)
                parent = known.get((found[0].path, found[1])) if found is not None else None
                if parent is not None:
                    inherited = tuple(m for m in parent.methods if m[0] not in {n for n, _ in fact.methods})
                    made = replace(fact, kind=parent.kind, methods=fact.methods + inherited)
                    resolved[path, fact.name] = known[path, fact.name] = made
                    changed = True
                    break
    if not resolved:
        return list(facts)
    return [replace(f, resource_classes=[resolved.get((f.path, c.name), c) for c in f.resource_classes]) for f in facts]
