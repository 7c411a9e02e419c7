"""What the scaffold still reads from the engine's facts: the AST a generated file copies from.

The steps (:func:`~dagster_zenml_lint.scaffold.plan.step_specs`), ``@graph`` bodies, jobs, asset
jobs, schedules, sensors, resource bindings, run config and the config, resource and IO manager
classes are the project model's (:mod:`dagster_zenml_lint.project.resources` for the last three).
Here, :func:`collect` pairs the model's IO manager classes with their class nodes (whose methods
the skeletons quote), and :func:`resource_use` says what config and resources a step function
receives, from its signature and ``context.resources`` reads (issue 14 item 2).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo
from dagster_zenml_lint.project.resources import ResourceCatalog
from dagster_zenml_lint.rules.integrations import RESOURCE_TARGETS
from dagster_zenml_lint.scaffold.names import python_name


@dataclass
class IOManagerSpec:
    """An IO manager class or factory defined in the codebase."""

    name: str
    module: str
    line: int
    node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
    data_access: bool  # DZ309 fired on it: real reads/writes, not serialization

    @property
    def step_names(self) -> tuple[str, str]:
        """The sink and source step skeletons its data access moves to (``save_to_warehouse``, ...)."""
        stem = self.name.removesuffix("IOManager").removesuffix("Manager")
        base = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", stem).lower() or "storage"
        return python_name(f"save_to_{base}"), python_name(f"load_from_{base}")


@dataclass
class Inventory:
    """Every Dagster definition the generator needs, across all files."""

    # the model's IO manager classes (ResourceCatalog.io_managers) with their class nodes, in that order
    io_managers: list[IOManagerSpec] = field(default_factory=list)

    def io_manager_for(
        self, key: str | None, catalog: ResourceCatalog, bound: Mapping[str, str]
    ) -> IOManagerSpec | None:
        """The IO manager class a resource key is bound to (``resources={"key": Manager(...)}``, ``bound``:
        resource key -> class, :attr:`ResourceBindings.classes`), if known."""
        found = catalog.io_manager_for(key, bound)
        if found is None:
            return None
        return next((m for m in self.io_managers if (m.module, m.line) == (found[1], found[0].location.line)), None)


# An integration package's resource class that RESOURCE_TARGETS does not list (dagster_anthropic.AnthropicResource).
INTEGRATION_RESOURCE = "dagster_*.*Resource"


def _library_resource(ctx: FileContext | None, annotation: ast.expr | None) -> str | None:
    """The class name when ``annotation`` names a resource class of a Dagster integration package
    (``database: DuckDBResource``, ``snowflake: dagster_snowflake.SnowflakeResource``), else None.

    These are pydantic models as the project's own ``ConfigurableResource`` classes are: the step
    takes one as a parameter whose values come from the YAML, like those; as an input it would be
    an upstream asset nothing produces.
    """
    if ctx is None or not isinstance(annotation, (ast.Name, ast.Attribute)):
        return None
    reference = ctx.reference_of(annotation)
    if reference is None or not (
        reference.canonical in RESOURCE_TARGETS or fnmatchcase(reference.canonical, INTEGRATION_RESOURCE)
    ):
        return None
    name = reference.canonical.rsplit(".", 1)[-1]
    return name if name[:1].isupper() else None  # snowflake_resource and the like are factories


def _injected_params(
    info: FunctionInfo, classes: set[str], resource_keys: set[str], ctx: FileContext | None = None
) -> dict[str, str]:
    """Parameters Dagster fills itself: typed with a Config or resource class (the project's own or an
    integration package's), or a ``ResourceParam[...]`` named after a resource key (any other
    parameter is an input, whatever its name: ``stock: list``)."""
    found: dict[str, str] = {}
    for arg in [*info.node.args.posonlyargs, *info.node.args.args, *info.node.args.kwonlyargs]:
        annotation = arg.annotation
        library = _library_resource(ctx, annotation)
        if library is not None:
            found[arg.arg] = library
            continue
        if isinstance(annotation, ast.Subscript):
            wrapper = annotation.value
            wrapper_name = wrapper.id if isinstance(wrapper, ast.Name) else getattr(wrapper, "attr", None)
            if wrapper_name == "ResourceParam" and arg.arg in resource_keys:
                found[arg.arg] = ""
            continue
        name = (
            annotation.id
            if isinstance(annotation, ast.Name)
            else (annotation.attr if isinstance(annotation, ast.Attribute) else None)
        )
        if name in classes:
            found[arg.arg] = name  # type: ignore[assignment]
    return found


def _lifecycle_uses(
    catalog: ResourceCatalog, ctx: FileContext, info: FunctionInfo, resources: dict[str, str], bound: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The resources a step reads from the pipeline state (:attr:`StepSpec.lifecycle`) and the type of
    each where it is not that class (:attr:`StepSpec.state_types`).

    They are a class with a lifecycle or a ``create_resource`` (a factory), given as a parameter or read
    as ``context.resources.<key>``, and a ``@resource`` function read either way; a ``ResourceParam[T]``
    parameter names its key and keeps ``T`` as the type of what it gets.
    """
    lifecycle = {key: cls for key, cls in resources.items() if cls in catalog.resource_lifecycles}
    for key, cls in resources.items():  # cls "": a ResourceParam[T] parameter named after its key
        target = bound.get(key)
        if cls == "" and target is not None and target in catalog.resource_lifecycles:
            lifecycle[key] = target
        elif cls == "" and target in catalog.resource_functions:
            lifecycle[key] = ""
    lifecycle.update(  # @resource functions read as context.resources.<key>: no class to annotate with
        (use.chain[1], "")
        for use in ctx.context_uses
        if use.param.function is info.node
        and len(use.chain) >= 2
        and use.chain[0] == "resources"
        and bound.get(use.chain[1]) in catalog.resource_functions
    )
    args = info.node.args
    annotations = {a.arg: a.annotation for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    state_types: dict[str, str] = {}
    for key, cls in lifecycle.items():
        annotation = annotations.get(key) if resources.get(key) == "" else None
        if isinstance(annotation, ast.Subscript):  # ResourceParam[T]: the step gets a T
            state_types[key] = ast.unparse(annotation.slice)
        elif cls and "create_resource" in catalog.resource_lifecycles[cls]:
            state_types[key] = ""  # what create_resource returns, not the factory
    return lifecycle, state_types


def collect(
    contexts: dict[str, FileContext], data_access_lines: dict[str, set[int]], catalog: ResourceCatalog
) -> Inventory:
    """Build the inventory from every analysed file (``module path -> FileContext``) and the model's
    :class:`~dagster_zenml_lint.project.resources.ResourceCatalog`.

    ``data_access_lines`` holds, per module, the lines where DZ309 (IO manager doing data
    access) was reported, so the IO managers are classified exactly as the findings say.
    """
    inventory = Inventory()
    for fact, path in catalog.io_managers:
        ctx = contexts.get(path)
        node = next((c.node for c in ctx.classes if c.node.lineno == fact.location.line), None) if ctx else None
        if node is not None:
            data_access = any(line in data_access_lines.get(path, set()) for _, line in fact.methods)
            inventory.io_managers.append(IOManagerSpec(fact.name, path, fact.location.line, node, data_access))
    return inventory


@dataclass(frozen=True)
class ResourceUse:
    """What a step function receives from Dagster besides its inputs: config and resources (as in ``StepSpec``)."""

    injected: dict[str, str]  # parameter or resource key -> Config or resource class Dagster filled
    resource_uses: dict[str, str]  # context.resources.<key> -> resource class
    lifecycle: dict[str, str]  # resource key -> class (or "") set up by the pipeline's on_init hook
    state_types: dict[str, str]  # resource key -> the type read from the pipeline state, where not the class
    resources: tuple[str, ...]  # parameters and context.resources keys that hold Dagster resources
    skip: frozenset[str]  # parameters Dagster fills itself (not inputs): the injected ones


def resource_use(
    catalog: ResourceCatalog, ctx: FileContext, info: FunctionInfo, bound: Mapping[str, str]
) -> ResourceUse:
    """The config and resources a step function gets, from its signature and ``context.resources`` reads;
    ``bound``: resource key -> the class it is bound to in the project
    (:attr:`~dagster_zenml_lint.project.model.ProjectModel.project_bindings`)."""
    config_names = set(catalog.config_classes) | set(catalog.resource_types)
    injected = _injected_params(info, config_names, set(bound), ctx)
    resource_uses = {  # legacy resources (required_resource_keys=) read as context.resources.<key>
        use.chain[1]: bound[use.chain[1]]
        for use in ctx.context_uses
        if use.param.function is info.node
        and len(use.chain) >= 2
        and use.chain[0] == "resources"
        and bound.get(use.chain[1]) in catalog.resource_types
    }
    lifecycle, state_types = _lifecycle_uses(catalog, ctx, info, {**injected, **resource_uses}, bound)
    return ResourceUse(
        injected={k: v for k, v in {**injected, **resource_uses}.items() if k not in lifecycle},
        resource_uses={k: v for k, v in resource_uses.items() if k not in lifecycle},
        lifecycle=lifecycle,
        state_types=state_types,
        resources=tuple(
            sorted(
                # every injected parameter that is not a Config class: ResourceParam[...], the
                # project's resource classes and those of integration packages
                {p for p, cls in injected.items() if cls == "" or cls not in catalog.config_classes}
                | set(resource_uses)
                | set(lifecycle)
            )
        ),
        skip=frozenset(injected),
    )
