"""The future ZenML steps as the generator plans them (:class:`StepSpec`, held by :class:`Steps`), built from
the project model by :func:`~dagster_zenml_lint.scaffold.plan.step_specs`.

Two things a step takes from the model are worked out here: what config and resources its
function receives (:func:`resource_use`, from the model's classification of each parameter,
:meth:`~dagster_zenml_lint.project.model.ProjectModel.injection`, and its ``context.resources``
reads), and the IO manager class that stored its outputs, with the class node the generated
skeletons quote (:func:`io_manager_specs`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from pathlib import Path

from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo
from dagster_zenml_lint.project.facts import CONFIG, INPUT, RESOURCE, RESOURCE_PARAM, ParamFact
from dagster_zenml_lint.project.model import ProjectModel
from dagster_zenml_lint.project.resources import ResourceCatalog
from dagster_zenml_lint.rules.integrations import RESOURCE_TARGETS
from dagster_zenml_lint.scaffold.names import NameSet, python_name

# An integration package's resource class that RESOURCE_TARGETS does not list (dagster_anthropic.AnthropicResource).
INTEGRATION_RESOURCE = "dagster_*.*Resource"
# A Dagster Pipes client (dagster.PipesSubprocessClient, dagster_docker.PipesDockerClient...): DZ225.
PIPES_CLIENT = "dagster*.Pipes*Client"


@dataclass
class StepSpec:
    """A future ZenML step: one op, asset or multi-asset function."""

    name: str  # the step's name in ZenML: the function name, made unique across modules
    kind: str  # op | asset | multi_asset | check
    module: str  # the source path, relative to the migrated root
    line: int
    function: FunctionInfo
    outputs: list[str] = field(default_factory=list)  # artifact names (asset keys / op out names)
    inputs: dict[str, str] = field(default_factory=dict)  # parameter -> upstream asset key
    order_after: list[str] = field(default_factory=list)  # deps= asset keys (ordering only)
    injected: dict[str, str] = field(default_factory=dict)  # parameter -> Config or resource class Dagster filled
    resource_uses: dict[str, str] = field(default_factory=dict)  # context.resources.<key> -> resource class
    resources: tuple[str, ...] = ()  # parameters and context.resources keys that hold Dagster resources
    # resource key -> class, for resources with a lifecycle: set up by the pipeline's on_init hook and read
    # from the pipeline state, so neither a step parameter (``injected``) nor configured in the YAML;
    # "" for a ``@resource`` function (ResourceCatalog.resource_functions)
    lifecycle: dict[str, str] = field(default_factory=dict)
    # resource key -> the type of what the step reads from the pipeline state, where it is not the class in
    # ``lifecycle``: what a factory's create_resource or a @resource function made ("" when not known)
    state_types: dict[str, str] = field(default_factory=dict)
    # parameter -> the Dagster Pipes client class Dagster passed it (DZ225): ZenML has none to pass, so it is
    # neither an input nor a step parameter; the step launches the external process itself
    pipes: dict[str, str] = field(default_factory=dict)
    partitioned: bool = False
    time_window: bool = False
    io_manager_key: str | None = None
    checked: str | None = None  # for an asset check: the asset key it checks
    blocking: bool = False

    @property
    def function_name(self) -> str:
        """The name of the Dagster function in the source."""
        return self.function.node.name


class Steps(tuple[StepSpec, ...]):
    """Every step of the generated project (``Project.steps``), in source order, graph-backed assets'
    terminal steps last.

    A tuple, so the indexes below are built once, at the first question: the steps are made with
    their final names (:func:`unique_step_names` runs on the list they are built in) and never change
    afterwards; before, each look-up scanned every step, once per pipeline member (quadratic).
    """

    @cached_property
    def _by_name(self) -> dict[str, StepSpec]:
        """Step name -> the first step of that name (names are unique; the first wins as a scan would)."""
        found: dict[str, StepSpec] = {}
        for spec in self:
            found.setdefault(spec.name, spec)
        return found

    def step(self, name: str) -> StepSpec | None:
        """The step named ``name``, if any."""
        return self._by_name.get(name)

    @cached_property
    def _producers(self) -> dict[str, tuple[StepSpec, str]]:
        return {out: (s, out) for s in self if s.kind in ("asset", "multi_asset") for out in s.outputs}

    def asset_producers(self) -> Mapping[str, tuple[StepSpec, str]]:
        """Asset key -> (step producing it, output name); the last step wins where two output one key."""
        return self._producers

    @cached_property
    def _checks(self) -> tuple[StepSpec, ...]:
        return tuple(s for s in self if s.kind == "check")

    def checks_of(self, step_names: Collection[str]) -> list[StepSpec]:
        """Asset checks whose asset is produced by one of the given steps (in step order)."""
        producers = self._producers
        names = set(step_names)
        return [s for s in self._checks if s.checked in producers and producers[s.checked][0].name in names]


def unique_step_names(steps: list[StepSpec]) -> None:
    """Every step gets a safe, unique name: its function's name when that is free, else ``<name>_<module>``.

    Two modules may both define ``extract``: later ones (by path) become ``extract_<module>``
    (``src/ops.v2.py`` -> ``extract_src_ops_v2``); names that are not safe identifiers are
    made safe by :func:`~dagster_zenml_lint.scaffold.names.python_name`.
    """
    taken = NameSet()
    for step in steps:
        name = python_name(step.name, taken, suffix="_step")
        if name != python_name(step.name, (), suffix="_step"):  # the plain name is taken: say where it is from
            stem = Path(step.module).with_suffix("").as_posix()
            name = python_name(f"{step.name}_{stem}", taken, suffix="_step")
        step.name = name
        taken.add(name)


# ----------------------------------------------------------------------------- config and resources
@dataclass(frozen=True)
class ResourceUse:
    """What a step function receives from Dagster besides its inputs: config and resources (as in ``StepSpec``)."""

    injected: dict[str, str]  # parameter or resource key -> Config or resource class Dagster filled ("" unknown)
    resource_uses: dict[str, str]  # context.resources.<key> -> resource class
    lifecycle: dict[str, str]  # resource key -> class (or "") set up by the pipeline's on_init hook
    state_types: dict[str, str]  # resource key -> the type read from the pipeline state, where not the class
    resources: tuple[str, ...]  # parameters and context.resources keys that hold Dagster resources
    skip: frozenset[str]  # parameters Dagster fills itself (not inputs)
    pipes: dict[str, str]  # parameter -> Dagster Pipes client class


def _spelled(annotation: ast.expr | None) -> str | None:
    """The last name of an annotation as written (``Db``, ``res.Db``), else None."""
    if isinstance(annotation, ast.Name):
        return annotation.id
    return annotation.attr if isinstance(annotation, ast.Attribute) else None


def _injected_class(model: ProjectModel, param: ParamFact, annotation: ast.expr | None) -> str:
    """The class a config or resource parameter is typed with, as the generated step names it: a project
    ``Config`` or resource class, or an integration package's resource class (a pydantic model whose
    values the YAML holds, as for the project's own), or the project resource class ``T`` (one without a
    lifecycle) of ``ResourceParam[T]``; "" when it is none of those (``ResourceParam[dict]``,
    ``ConfigurableResource`` itself: whatever its key is bound to)."""
    catalog = model.resource_catalog
    spelled = _spelled(annotation)
    if param.annotation_symbol is not None:
        found = model.follow(param.annotation_symbol)
        name = found[1] if found is not None else None
        if param.annotation_dagster == RESOURCE_PARAM:
            # ``ResourceParam[T]`` of a project resource class without a lifecycle gets what a parameter
            # typed ``T`` gets: the resource itself (one with a lifecycle is the pipeline state's)
            spelled = _spelled(annotation.slice) if isinstance(annotation, ast.Subscript) else None
            known = name in catalog.resource_types and name not in catalog.resource_lifecycles
        else:
            known = name in catalog.config_classes or name in catalog.resource_types
        return spelled if known and spelled == name and spelled is not None else ""
    canonical = param.annotation_dagster or ""
    if canonical in RESOURCE_TARGETS or fnmatchcase(canonical, INTEGRATION_RESOURCE):
        name = canonical.rsplit(".", 1)[-1]
        return name if name[:1].isupper() else ""  # snowflake_resource and the like are factories
    return ""


def _lifecycle_uses(
    catalog: ResourceCatalog, ctx: FileContext, info: FunctionInfo, resources: dict[str, str], bound: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The resources a step reads from the pipeline state (:attr:`StepSpec.lifecycle`) and the type of
    each where it is not that class (:attr:`StepSpec.state_types`).

    They are a class with a lifecycle or a ``create_resource`` (a factory), given as a parameter or read
    as ``context.resources.<key>``, and a ``@resource`` function read either way; a parameter whose class
    is not known (``ResourceParam[T]``) is what its key is bound to, and ``T`` the type of what it gets.
    """
    lifecycle = {key: cls for key, cls in resources.items() if cls in catalog.resource_lifecycles}
    for key, cls in resources.items():  # cls "": a parameter named after its key (ResourceParam[T])
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


def resource_use(model: ProjectModel, params: Sequence[ParamFact], ctx: FileContext, info: FunctionInfo) -> ResourceUse:
    """The config and resources a step function gets: its parameters as the model classifies them
    (``params``, the model fact's, :meth:`~dagster_zenml_lint.project.model.ProjectModel.injection`)
    and its ``context.resources`` reads, each resource key resolved to the class the project binds it to
    (:attr:`~dagster_zenml_lint.project.model.ProjectModel.project_bindings`)."""
    catalog = model.resource_catalog
    bound = model.project_bindings.classes
    args = info.node.args
    annotations = {a.arg: a.annotation for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    kinds = {p.name: model.injection(p) for p in params}
    injected: dict[str, str] = {}
    pipes: dict[str, str] = {}
    for param in params:
        if kinds[param.name] not in (CONFIG, RESOURCE):
            continue
        if fnmatchcase(param.annotation_dagster or "", PIPES_CLIENT):
            pipes[param.name] = (param.annotation_dagster or "").rsplit(".", 1)[-1]
        else:
            injected[param.name] = _injected_class(model, param, annotations.get(param.name))
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
            sorted({p for p in injected if kinds[p] == RESOURCE} | set(pipes) | set(resource_uses) | set(lifecycle))
        ),
        skip=frozenset(name for name, kind in kinds.items() if kind != INPUT),
        pipes=pipes,
    )


# ----------------------------------------------------------------------------- IO managers
@dataclass
class IOManagerSpec:
    """An IO manager class or factory defined in the codebase, with its class node (the skeletons quote
    its methods)."""

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


class IOManagers(list[IOManagerSpec]):
    """The model's IO manager classes (``ResourceCatalog.io_managers``, in that order) with their class nodes."""

    def io_manager_for(
        self, key: str | None, catalog: ResourceCatalog, bound: Mapping[str, str]
    ) -> IOManagerSpec | None:
        """The IO manager class a resource key is bound to (``resources={"key": Manager(...)}``, ``bound``:
        resource key -> class, :attr:`ResourceBindings.classes`), if known."""
        found = catalog.io_manager_for(key, bound)
        if found is None:
            return None
        return next((m for m in self if (m.module, m.line) == (found[1], found[0].location.line)), None)


def io_manager_specs(
    contexts: Mapping[str, FileContext], data_access_lines: Mapping[str, set[int]], catalog: ResourceCatalog
) -> IOManagers:
    """The catalog's IO manager classes, each with its class node from the analysed file (``module path ->
    FileContext``); ``data_access_lines`` holds, per module, the lines where DZ309 (IO manager doing data
    access) was reported, so the IO managers are classified exactly as the findings say."""
    found = IOManagers()
    for fact, path in catalog.io_managers:
        ctx = contexts.get(path)
        node = next((c.node for c in ctx.classes if c.node.lineno == fact.location.line), None) if ctx else None
        if node is not None:
            data_access = any(line in data_access_lines.get(path, set()) for _, line in fact.methods)
            found.append(IOManagerSpec(fact.name, path, fact.location.line, node, data_access))
    return found
