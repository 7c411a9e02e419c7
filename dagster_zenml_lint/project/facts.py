"""Plain values extracted from one analysed file: the per-file layer of the project model.

Everything here is a frozen dataclass (or a list of them) built from the engine's
:class:`~dagster_zenml_lint.analysis.facts.FileContext` by :mod:`.extract` (resource bindings and
run config by :mod:`.resources`); nothing holds an AST node, so the values can be compared,
sorted, cached and sent between processes.
References to definitions that may live in another file are :class:`SymbolRef` values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from dagster_zenml_lint.project.selection import Selection, SymbolRef


class NotLiteral(Enum):
    """A value static analysis cannot know (a factory parameter's default that is not a literal).

    An enum member rather than an ``object()`` sentinel: a fact holding it stays a plain value,
    which the report's cache stores and reads back as the same member (``is`` still finds it).
    """

    VALUE = "not a literal"


@dataclass(frozen=True, order=True)
class Location:
    """A place in the project: a path relative to the project root and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Unresolved:
    """Something static analysis could not determine, with where it is and why."""

    location: Location
    subject: str
    reason: str


@dataclass(frozen=True)
class DependencyRef:
    """An upstream of an asset: a key (``/``-joined) or a referenced definition; ``data`` False for ``deps=``."""

    key: str | None = None
    symbol: SymbolRef | None = None
    data: bool = True


# What Dagster passes a parameter of an asset, op or check function (``ParamFact.injected``).
INPUT = "input"  # an upstream asset's or op's value
CONFIG = "config"  # the run config (``config``, or a parameter typed with a ``Config`` class)
RESOURCE = "resource"  # a resource (a resource class, a ``Pipes*Client``, ``ResourceParam[...]``)
CONTEXT = "context"  # the execution context
RESOURCE_PARAM = "dagster.ResourceParam"  # ``ResourceParam[T]``: what the key is bound to, of type T


@dataclass(frozen=True)
class ParamFact:
    """A parameter of a Dagster-decorated function, what its annotation refers to and what Dagster passes it.

    ``injected`` is what the file alone says (its name, or a Dagster class it is typed with); a
    parameter typed with a project class is classified by
    :meth:`~dagster_zenml_lint.project.model.ProjectModel.injection`, the one answer the report
    and ``migrate`` read.
    """

    name: str
    annotation_dagster: str | None = None  # canonical Dagster name (``dagster.Config``)
    # a project class, resolved later: the annotation's, or T's in ``ResourceParam[T]`` (RESOURCE_PARAM)
    annotation_symbol: SymbolRef | None = None
    injected: str = INPUT  # INPUT | CONFIG | RESOURCE | CONTEXT


@dataclass(frozen=True)
class PartitionsRef:
    """The ``partitions_def=`` of an asset or job: an inline definition or a referenced variable."""

    definition: PartitionsFact | None = None
    symbol: SymbolRef | None = None
    text: str = ""


@dataclass(frozen=True)
class PartitionsFact:
    """A partitions definition (``DailyPartitionsDefinition(start_date="2024-01-01")``)."""

    kind: str  # the Dagster class: DailyPartitionsDefinition, StaticPartitionsDefinition, ...
    identity: str  # normalized source of the call: two equal definitions are one backfill domain
    location: Location
    label: str  # the variable it is assigned to, else the call text
    dimensions: tuple[str, ...] = ()  # MultiPartitionsDefinition dimension names


@dataclass(frozen=True)
class AssetFact:
    """One asset-producing definition (a future step) and the keys it materializes."""

    function: str
    kind: str  # asset | multi_asset | graph_asset | graph_multi_asset | dbt_assets | ...
    keys: tuple[str, ...]
    groups: tuple[tuple[str, str], ...]  # (key, group_name) for keys with an explicit group
    location: Location
    params: tuple[ParamFact, ...] = ()
    ins: tuple[tuple[str, DependencyRef], ...] = ()  # parameter -> upstream (``ins=``/``AssetIn``)
    deps: tuple[DependencyRef, ...] = ()
    partitions: PartitionsRef | None = None
    io_manager_key: str | None = None
    resource_keys: tuple[str, ...] = ()
    automation: str | None = None  # automation_condition= / auto_materialize_policy= source text
    automation_cron: str | None = None  # the cron of ``AutomationCondition.on_cron("...")``
    freshness: str | None = None
    backfill: str | None = None
    partition_access: tuple[str, ...] = ()  # context attributes read (partition_key, partition_time_window...)
    calls: tuple[SymbolRef, ...] = ()  # ops invoked by a graph-backed asset
    call_edges: tuple[tuple[SymbolRef, SymbolRef], ...] = ()  # data edges between those invocations
    spec_symbols: tuple[SymbolRef, ...] = ()  # specs=[some_spec]: AssetSpec variables, resolved project-wide
    keys_known: bool = True  # False for integration assets whose keys come from outside the code
    outputs: tuple[tuple[str, str], ...] = ()  # multi-asset ``outs=``: (output name, asset key), in order


@dataclass(frozen=True)
class SourceAssetFact:
    """An asset that is observed or declared but not computed here (``SourceAsset``, external ``AssetSpec``)."""

    key: str
    kind: str  # SourceAsset | AssetSpec | observable_source_asset
    location: Location
    variable: str | None = None


@dataclass(frozen=True)
class CheckFact:
    """An asset check (``@asset_check``, a spec of ``@multi_asset_check``) and the asset it validates."""

    name: str
    target: DependencyRef | None
    location: Location
    function: str = ""  # the ``@asset_check`` function ("" for a spec of a ``@multi_asset_check``)
    blocking: bool = False  # ``blocking=True``: a failed check stops the downstream assets
    params: tuple[ParamFact, ...] = ()  # of the ``@asset_check`` function, its context left out


@dataclass(frozen=True)
class OpFact:
    """An ``@op``."""

    function: str
    name: str
    location: Location
    partition_access: tuple[str, ...] = ()  # context attributes read (partition_key, partition_time_window...)
    params: tuple[ParamFact, ...] = ()  # its context left out


@dataclass(frozen=True)
class GraphFact:
    """An ``@graph`` or an ``@job``: the ops and graphs its body invokes, and their data edges."""

    function: str
    name: str
    kind: str  # graph | job
    location: Location
    calls: tuple[SymbolRef, ...] = ()
    edges: tuple[tuple[SymbolRef, SymbolRef], ...] = ()
    partitions: PartitionsRef | None = None


@dataclass(frozen=True)
class GraphJobFact:
    """``some_graph.to_job(name=...)``: an op job built from a graph."""

    name: str
    variable: str | None
    graph: SymbolRef
    location: Location
    partitions: PartitionsRef | None = None


@dataclass(frozen=True)
class AssetJobFact:
    """``define_asset_job(name, selection=...)``; ``selection`` None selects every asset."""

    name: str
    variable: str | None
    selection: Selection | None
    location: Location
    partitions: PartitionsRef | None = None
    end_line: int = 0  # last line of the call (findings inside it belong to the job)


@dataclass(frozen=True)
class TargetRef:
    """What a schedule or sensor starts: a job (by reference or name) or an asset selection."""

    symbol: SymbolRef | None = None
    job_name: str | None = None
    selection: Selection | None = None


@dataclass(frozen=True)
class TriggerFact:
    """A schedule or a sensor."""

    kind: str  # schedule | sensor | asset_sensor | multi_asset_sensor | run_status_sensor | run_failure_sensor |
    # automation_sensor | freshness_sensor
    name: str
    variable: str | None
    location: Location
    targets: tuple[TargetRef, ...] = ()
    cron: str | None = None
    partitioned: bool = False  # build_schedule_from_partitioned_job: the cron follows the partitions
    monitors: tuple[str, ...] = ()  # asset keys / job names a sensor watches
    uses_cursor: bool = False
    watched_assets: Selection | None = None  # asset_key= / monitored_assets= of an asset sensor
    watched_jobs: tuple[TargetRef, ...] = ()  # monitored_jobs= of a run-status sensor
    timezone: str | None = None  # execution_timezone= of a schedule
    run_status: str | None = None  # run_status= of a run-status sensor (``SUCCESS``, ``FAILURE``...)


@dataclass(frozen=True)
class ResourceFact:
    """A resource or IO manager bound to a key in ``Definitions(resources=...)``."""

    key: str
    value: str  # source text of the value, shortened
    kind: str  # the Dagster class or project class it instantiates ("" when unknown)
    location: Location
    symbol: SymbolRef | None = None


@dataclass(frozen=True)
class ClassFact:
    """A project class deriving from Dagster bases (resources, IO managers, config)."""

    name: str
    bases: tuple[str, ...]  # short Dagster base names
    location: Location
    base_symbols: tuple[SymbolRef, ...] = ()  # project classes it derives from (followed across files)


@dataclass(frozen=True)
class DefinitionsFact:
    """A ``Definitions(...)``: its resources and executor (jobs and assets are found where they are defined)."""

    location: Location
    resources: tuple[ResourceFact, ...] = ()
    executor: str | None = None
    entry_point: bool = False  # module-level or ``@definitions``: what Dagster loads as a code location


@dataclass(frozen=True)
class ComponentFact:
    """A ``defs.yaml`` component instance (its assets are generated at load time)."""

    type: str
    location: Location


@dataclass(frozen=True)
class ObjectSpan:
    """A module-level statement (a definition, an assignment): the object findings inside it belong to."""

    name: str  # the function, class or assigned variable ("" for other statements)
    start: int  # first line (the first decorator of a decorated definition)
    end: int


# A key expression of a factory-built asset as a plain value: ("const", v) | ("param", name) |
# ("join", (spec, ...)) for an f-string | ("list", (spec, ...)) | ("unknown",)
KeySpec = tuple


@dataclass(frozen=True)
class FactoryTemplate:
    """An asset defined inside a module-level function whose key depends on its parameters, and that
    function never called in its own file: the project model instantiates it per call in other files."""

    factory: str  # the module-level function
    inner: str  # the decorated inner function
    params: tuple[str, ...]  # positional parameters, in order
    defaults: tuple[tuple[str, object], ...]  # parameter -> literal default (NotLiteral.VALUE: not one)
    asset: AssetFact  # everything but the keys
    name: KeySpec | None = None
    key: KeySpec | None = None
    key_prefix: KeySpec | None = None
    group: KeySpec | None = None
    deps: tuple[KeySpec, ...] = ()


@dataclass(frozen=True)
class FactoryCall:
    """A module-level call of a function imported from another module, with its literal arguments
    (None where an argument is not literal); one per value of the loops around it."""

    callee: SymbolRef
    positional: tuple[object, ...]
    keywords: tuple[tuple[str, object], ...]
    location: Location
    variable: str | None = None
    text: str = ""


@dataclass(frozen=True)
class FieldValue:
    """A field's value as the source wrote it: a keyword of a resource or ``Config`` call, or a
    ``.configured({...})`` / run-config dict entry.

    ``value`` is the literal (``ast.literal_eval``; a ``Field(default=...)`` call stands for its
    default) when ``known``; otherwise the value is computed in Dagster (an ``EnvVar``, an
    expression) and ``env_var`` names the variable of ``EnvVar("X")`` / ``int("X")`` forms.
    """

    name: str
    value: object = field(default=None, hash=False)
    known: bool = False
    env_var: str | None = None


@dataclass(frozen=True)
class BindingFact:
    """A resource key bound to a value in ``resources={...}`` / ``resource_defs={...}`` of a Dagster call
    (``Definitions``, ``@job``, ``graph.to_job``, ``materialize``...).

    ``target`` is the class, factory or ``@resource`` function the value builds (its last name;
    ``res.configured({...})`` builds ``res``), or ``variable`` names a module-level variable the
    value is (resolved project-wide, :class:`InstanceFact`). ``values`` are the keyword values of
    the call (None: the value is no call, it sets no values). ``owner`` is where the call that binds
    it is (a job's ``Location``, a ``Definitions`` call's) and ``definitions`` says which.
    """

    key: str
    location: Location
    owner: Location
    definitions: bool = False
    target: str = ""
    variable: str | None = None
    values: tuple[FieldValue, ...] | None = None


@dataclass(frozen=True)
class InstanceFact:
    """A module-level ``name = Call(...)``: what a binding that names the variable builds."""

    name: str
    target: str
    values: tuple[FieldValue, ...] | None


@dataclass(frozen=True)
class RunConfigFact:
    """The config values a ``@job``'s ``config=`` gives one op (``RunConfig(ops={"op": Cfg(a=1)})`` or the
    dict form ``{"ops": {"op": {"config": {"a": 1}}}}``)."""

    op: str
    values: tuple[FieldValue, ...]
    location: Location


@dataclass(frozen=True)
class ResourceClassFact:
    """A definition migrate turns into a resource, config or IO manager helper: a ``Config`` class
    (``config``), a ``ConfigurableResource`` / ``ConfigurableResourceFactory`` class (``resource``), an
    IO manager class (``io_manager``), a module-level ``@resource`` function (``resource_function``), or a
    ``subclass`` of project classes that may be one of those."""

    name: str
    kind: str
    location: Location
    methods: tuple[tuple[str, int], ...] = ()  # the methods the class defines itself: (name, line), in order
    builds: str | None = None  # an IO manager factory: the one class its ``create_io_manager`` returns
    # ``subclass``: a class whose bases are project classes only (resolved project-wide by the catalog)
    bases: tuple[SymbolRef, ...] = ()


@dataclass
class FileFacts:
    """Everything the project model needs from one analysed file, as plain values."""

    path: str  # relative to the project root, POSIX separators
    module: str  # dotted module name derived from the path
    code_location: str = ""  # the nearest directory with a pyproject.toml / setup.py ("" = the project root)
    assets: list[AssetFact] = field(default_factory=list)
    source_assets: list[SourceAssetFact] = field(default_factory=list)
    ops: list[OpFact] = field(default_factory=list)
    checks: list[CheckFact] = field(default_factory=list)
    graphs: list[GraphFact] = field(default_factory=list)
    graph_jobs: list[GraphJobFact] = field(default_factory=list)
    asset_jobs: list[AssetJobFact] = field(default_factory=list)
    triggers: list[TriggerFact] = field(default_factory=list)
    partitions: dict[str, PartitionsFact] = field(default_factory=dict)  # variable -> definition
    selections: dict[str, Selection] = field(default_factory=dict)  # variable -> selection
    aliases: dict[str, SymbolRef] = field(default_factory=dict)  # module-level name = other name / list
    lists: dict[str, tuple[SymbolRef, ...]] = field(default_factory=dict)  # module-level name = [a, b]
    classes: list[ClassFact] = field(default_factory=list)
    definitions: list[DefinitionsFact] = field(default_factory=list)
    components: list[ComponentFact] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)  # bound name -> absolute qualified name
    star_imports: tuple[str, ...] = ()
    unresolved: list[Unresolved] = field(default_factory=list)
    objects: list[ObjectSpan] = field(default_factory=list)  # module-level statements, in source order
    factories: list[FactoryTemplate] = field(default_factory=list)
    factory_calls: list[FactoryCall] = field(default_factory=list)
    bindings: list[BindingFact] = field(default_factory=list)  # resources={...} / resource_defs={...}, in order
    instances: list[InstanceFact] = field(default_factory=list)  # module-level ``name = Call(...)``
    run_config: list[RunConfigFact] = field(default_factory=list)  # ``@job(config=...)`` values per op
    resource_classes: list[ResourceClassFact] = field(default_factory=list)  # config / resource / IO manager
