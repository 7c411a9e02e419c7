"""The cross-file Dagster model of a project, built from the facts the engine collected per file.

Two layers:

* :class:`FileFacts`: plain values extracted from one file's
  :class:`~dagster_zenml_lint.analysis.facts.FileContext` (assets and their keys, dependencies,
  ops, graphs, jobs, asset jobs, schedules, sensors, partitions, resources,
  ``Definitions``). References to other definitions are kept as :class:`SymbolRef`
  values (module + name), because what they point at may live in another file.
* :class:`ProjectModel`: all files together, with those references resolved (imports,
  relative imports and re-exports followed), the asset graph, and every selection
  evaluated. What cannot be resolved is kept in :attr:`ProjectModel.unresolved` with its
  location, never guessed.

:func:`build_project` is the entry point the ``report`` and ``migrate`` commands share.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path
from typing import TypeVar

from dagster_zenml_lint.analysis.facts import FileContext
from dagster_zenml_lint.class_bases import recording
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import DiscoveredFile, FileKind, discover
from dagster_zenml_lint.engine import may_contain_dagster
from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.fixers.crossfile import ProjectIndex, settle_safely
from dagster_zenml_lint.project.cached import Analysis, AnalysisStore
from dagster_zenml_lint.project.extract import (
    component_facts,
    extract_file_facts,
    instantiate_factory,
    plain_class_facts,
)
from dagster_zenml_lint.project.facts import (
    CONFIG,
    INPUT,
    RESOURCE,
    AssetFact,
    ClassFact,
    DependencyRef,
    FieldValue,
    FileFacts,
    GraphFact,
    Location,
    ObjectSpan,
    OpFact,
    ParamFact,
    PartitionsFact,
    PartitionsRef,
    ResourceFact,
    SourceAssetFact,
    TriggerFact,
    Unresolved,
)
from dagster_zenml_lint.project.resources import (
    CONFIG_BASES,
    BindingIndex,
    ResourceBindings,
    ResourceCatalog,
    catalog,
    run_config,
)
from dagster_zenml_lint.project.selection import (
    AllAssets,
    AssetGraphView,
    Keys,
    Selection,
    SymbolRef,
    Unknown,
    describe_selection,
    evaluate,
)
from dagster_zenml_lint.runner import FileResult, lint_text_with_context, unreadable_finding
from dagster_zenml_lint.source import SourceError, SourceFile, decode_source, names_dagster, read_bytes
from dagster_zenml_lint.suppression import reported


@dataclass(frozen=True)
class AnalysedFile:
    """One file as linted for the report: its findings (as ``check`` reports them) and its facts."""

    result: FileResult
    facts: FileFacts | None


# ---------------------------------------------------------------------------- project level
@dataclass(frozen=True)
class Asset:
    """A computed asset key in the project, with everything resolved."""

    key: str
    definition: AssetFact
    path: str
    group: str | None
    upstream: tuple[str, ...]  # keys, sorted (data and ordering dependencies)
    partitions: PartitionsFact | None
    code_location: str = ""

    @property
    def location(self) -> Location:
        """Where the defining function or call is."""
        return self.definition.location


@dataclass(frozen=True, order=True)
class JobKey:
    """What identifies a job in the project: the dotted module that defines it and its Dagster name.

    Two modules may each define a job ``j`` (separate code locations, or files Dagster never loads
    together): they are two jobs, each with its own body, never one shadowing the other.
    """

    module: str
    name: str

    def __str__(self) -> str:
        return f"{self.module}:{self.name}"


@dataclass(frozen=True, order=True)
class OpKey:
    """What identifies an op in the project: the dotted module that defines it and its Dagster name.

    Two modules may each define ``@op load``: they are two ops (two steps in the generated
    project), never one op that a second job "also runs".
    """

    module: str
    name: str

    def __str__(self) -> str:
        return f"{self.module}:{self.name}"


@dataclass(frozen=True)
class Job:
    """A resolved job: an asset job (selected keys) or an op job (member ops)."""

    name: str
    kind: str  # asset | op
    location: Location
    module: str  # the dotted module that defines it (with ``name``, its :attr:`key`)
    function: str = ""  # an op job's body: the ``@job`` function, or the graph ``to_job()`` builds it from
    function_path: str = ""  # the file that defines that function
    assets: tuple[str, ...] = ()
    ops: tuple[OpKey, ...] = ()
    op_edges: tuple[tuple[OpKey, OpKey], ...] = ()
    selection_text: str = ""
    selection_complete: bool = True
    partitions: PartitionsFact | None = None
    explicit_selection: bool = False
    end_line: int = 0
    code_location: str = ""

    @property
    def key(self) -> JobKey:
        """The job's identity in :attr:`ProjectModel.jobs`."""
        return JobKey(self.module, self.name)


@dataclass(frozen=True)
class Trigger:
    """A resolved schedule or sensor with the jobs and assets it starts."""

    fact: TriggerFact
    path: str
    jobs: tuple[JobKey, ...] = ()  # the jobs it starts
    assets: tuple[str, ...] = ()  # asset keys targeted directly (no job)
    watched_assets: tuple[str, ...] = ()  # asset keys an asset sensor watches (computed or source)
    watched_jobs: tuple[JobKey, ...] = ()  # the jobs a run-status sensor watches

    @property
    def location(self) -> Location:
        """Where the schedule or sensor is defined."""
        return self.fact.location

    @property
    def is_schedule(self) -> bool:
        """A cron schedule (the only trigger ZenML's ``Schedule`` reproduces)."""
        return self.fact.kind == "schedule"


Node = TypeVar("Node", str, OpKey)
MODULE_SEPARATOR = "."
CONDITION_SENSORS = frozenset({"automation_sensor", "freshness_sensor"})  # evaluate assets' own conditions


@cache  # each code location's model names every file of the project again
def module_name_for(relative_path: str) -> str:
    """The dotted module of a project-relative path (``pkg/assets/__init__.py`` -> ``pkg.assets``)."""
    parts = relative_path.split("/")
    if (
        relative_path.startswith("/")
        or "" in parts
        or "." in parts
        or parts[-1].startswith(".")
        or relative_path.endswith(".")
    ):
        parts = list(Path(relative_path).with_suffix("").parts)  # not a plain relative path: Path's reading
    else:  # what ``Path`` reads from it, without one per file: the last part loses its suffix
        parts[-1] = posixpath.splitext(parts[-1])[0]
    if parts and parts[-1] == "__init__":
        parts.pop()
    return MODULE_SEPARATOR.join(parts)


PYTHON = (".py", ".pyi")  # the files that are modules


def _index_tails(index: dict[str, list[str]], module: str) -> None:
    """Add ``module`` under each of its dotted tails (``a.b.c`` under ``b.c`` and ``c``)."""
    parts = module.split(MODULE_SEPARATOR)
    for start in range(1, len(parts)):
        index.setdefault(MODULE_SEPARATOR.join(parts[start:]), []).append(module)


class _TailIndex:
    """Dotted tail -> the modules that end with it (``b.c`` -> ``a.b.c``), in the order of :attr:`modules`.

    Built on the first look-up that needs it, then only read: the models of a project's code
    locations, which name the same modules in the same order, share one.
    """

    def __init__(self, modules: list[str]) -> None:
        self.modules = modules
        self._tails: dict[str, list[str]] | None = None

    def tails(self) -> dict[str, list[str]]:
        """The index (built now if no look-up needed it before)."""
        if self._tails is None:
            self._tails = {}
            for module in self.modules:
                _index_tails(self._tails, module)
        return self._tails


class ProjectModel:
    """Every file's facts, with cross-file references resolved and the asset graph built."""

    def __init__(
        self,
        root: str,
        files: Sequence[AnalysedFile],
        library: Sequence[AnalysedFile] = (),
        *,
        library_model: ProjectModel | None = None,
    ) -> None:
        """``files`` are modelled; ``library`` (the other code locations' files) only answers lookups:
        a resource class or an asset factory in a shared module still resolves. ``library_model``:
        the model of ``library``, which has sorted its files already (``code_location_models``
        makes a model per location: the library's facts and plain modules are gathered once)."""
        self.root = root
        self.files = sorted(files, key=lambda f: f.result.path)
        self.facts = [f.facts for f in self.files if f.facts is not None]
        self.unresolved: list[Unresolved] = [u for facts in self.facts for u in facts.unresolved]
        self._noted = set(self.unresolved)  # what ``unresolved`` holds, for a membership test in O(1)
        if library_model is not None:
            library_facts, library_plain = library_model.facts, library_model._plain_files
        else:
            library_facts, library_plain = [f.facts for f in library if f.facts is not None], plain_modules(library)
        # only Python modules can be imported: ``component.yaml`` beside ``component.py`` has the same
        # dotted name, and once hid that module's ops from the jobs that call them
        self._own_modules: dict[str, FileFacts] = {f.module: f for f in self.facts if f.path.endswith(PYTHON)}
        if library_model is not None:  # the library's modules, then the own ones: own files win
            self._by_module: dict[str, FileFacts] = dict(library_model._own_modules)
        else:
            self._by_module = {f.module: f for f in library_facts if f.path.endswith(PYTHON)}
        self._by_module.update(self._own_modules)
        modules = list(self._by_module)
        # a location's model usually names exactly its library's modules, in the same order: the
        # library's suffix index answers it too (built once, not once per code location)
        shared: _TailIndex | None = library_model._tail_index if library_model is not None else None
        self._tail_index: _TailIndex = (
            shared if shared is not None and shared.modules == modules else _TailIndex(modules)
        )
        # modules read on demand (``_plain``) after those, each indexed by its tails when it is read
        self._more_tails: dict[str, list[str]] = {}
        # Python files that never name Dagster: read for their classes only when a lookup needs them
        self._plain_files: list[tuple[str, AnalysedFile]] = plain_modules(self.files)
        self._plain: dict[str, AnalysedFile] = dict(library_plain)
        self._plain.update(self._plain_files)  # own files win
        self._resolve()

    # ------------------------------------------------------------------ code locations
    def code_location_models(self) -> list[tuple[str, ProjectModel]]:
        """One model per code location, each from its own files (``[("", self)]`` when there is one).

        Several code locations (packaging roots, or sibling directories that each hold a
        ``Definitions``) are separate Dagster deployments: merged, their jobs would collide.
        A file without facts (tests, files without Dagster) goes to the location it lies in.
        """
        locations = sorted({f.code_location for f in self.facts})
        if len(locations) <= 1:
            return [(locations[0] if locations else "", self)]
        grouped: dict[str, list[AnalysedFile]] = {location: [] for location in locations}
        places = frozenset(locations)
        for analysed in self.files:
            if analysed.facts is not None:
                grouped[analysed.facts.code_location].append(analysed)
                continue
            grouped.setdefault(_innermost(analysed.result.path, places), []).append(analysed)
        return [
            (
                location,
                ProjectModel(
                    f"{self.root}/{location}" if location else self.root,
                    files,
                    self.files,
                    library_model=self,
                ),
            )
            for location, files in sorted(grouped.items())
            # files outside every location (an empty ``__init__.py``) make no section unless they have findings
            if location in locations or any(f.result.findings for f in files)
        ]

    # ------------------------------------------------------------------ findings
    @property
    def results(self) -> list[FileResult]:
        """The lint results of every file, ordered by path."""
        return [f.result for f in self.files]

    def findings(self) -> list[tuple[FileResult, Finding]]:
        """Every finding with its file, ordered by path then position."""
        return [(f.result, finding) for f in self.files for finding in f.result.findings]

    # ------------------------------------------------------------------ symbols
    def _ending_with(self, name: str) -> list[str]:
        """The modules whose dotted name ends with ``name`` (whole parts), in the order of ``_by_module``."""
        return self._tail_index.tails().get(name, []) + self._more_tails.get(name, [])

    def module(self, name: str) -> FileFacts | None:
        """The analysed file of a dotted module; a suffix match covers roots below the package.

        Dictionary look-ups only: the modules ``name`` ends with (its dotted tails), then those
        ending with ``name``; of several, the longest.
        """
        if name in self._by_module:
            return self._by_module[name]
        plain = self._plain.pop(name, None)
        if plain is not None and plain.result.source is not None:
            facts = plain_class_facts(plain.result.source.text, plain.result.path, name)
            self._by_module[name] = facts
            _index_tails(self._more_tails, name)
            return facts
        parts = name.split(MODULE_SEPARATOR)
        tails = (MODULE_SEPARATOR.join(parts[start:]) for start in range(1, len(parts)))
        candidates = [tail for tail in tails if tail and tail in self._by_module]
        candidates += self._ending_with(name) if name else []
        if len(candidates) == 1:
            return self._by_module[candidates[0]]
        if candidates:
            return self._by_module[max(candidates, key=len)]
        return None

    def follow(self, symbol: SymbolRef, _seen: frozenset[SymbolRef] = frozenset()) -> tuple[FileFacts, str] | None:
        """The file that defines a symbol and the name it has there (imports and re-exports followed)."""
        if symbol in _seen or len(_seen) > 10:
            return None
        facts = self.module(symbol.module)
        if facts is None:
            # ``import pkg.assets`` then ``pkg.assets.orders``: the module part may include the name's module
            return None
        if self._defines(facts, symbol.name):
            return facts, symbol.name
        if symbol.name in facts.aliases:
            return self.follow(facts.aliases[symbol.name], _seen | {symbol})
        if symbol.name in facts.imports:
            qual = facts.imports[symbol.name]
            module, _, name = qual.rpartition(MODULE_SEPARATOR)
            return self.follow(SymbolRef(module, name), _seen | {symbol})
        for star in facts.star_imports:
            found = self.follow(SymbolRef(star, symbol.name), _seen | {symbol})
            if found is not None:
                return found
        return None

    @staticmethod
    def _defines(facts: FileFacts, name: str) -> bool:
        return (
            any(a.function == name for a in facts.assets)
            or any(s.variable == name for s in facts.source_assets)
            or any(o.function == name for o in facts.ops)
            or any(g.function == name for g in facts.graphs)
            or any(j.variable == name for j in facts.graph_jobs)
            or any(j.variable == name for j in facts.asset_jobs)
            or any(t.variable == name for t in facts.triggers)
            or name in facts.partitions
            or name in facts.selections
            or name in facts.lists
            or any(c.name == name for c in facts.classes)
            or any(t.factory == name for t in facts.factories)
        )

    def resolve_partitions(self, ref: PartitionsRef | None) -> PartitionsFact | None:
        """The definition a ``partitions_def=`` refers to (following variables across modules)."""
        if ref is None:
            return None
        if ref.definition is not None:
            return ref.definition
        if ref.symbol is None:
            return None
        found = self.follow(ref.symbol)
        if found is None:
            return None
        facts, name = found
        return facts.partitions.get(name)

    def symbol_keys(self, symbol: SymbolRef) -> frozenset[str] | Selection | None:
        """Asset keys an asset definition symbol stands for, or the selection a variable holds."""
        found = self.follow(symbol)
        if found is None:
            return None
        facts, name = found
        for asset in facts.assets:
            if asset.function == name:
                return frozenset(asset.keys)
        for source in facts.source_assets:
            if source.variable == name:
                return frozenset({source.key})
        if name in facts.selections:
            return facts.selections[name]
        if name in facts.lists:
            keys: set[str] = set()
            for item in facts.lists[name]:
                inner = self.symbol_keys(item)
                if isinstance(inner, frozenset):
                    keys |= inner
            return frozenset(keys)
        return None

    # ------------------------------------------------------------------ resolution
    def _resolve(self) -> None:
        self.assets: dict[str, Asset] = {}
        self.source_assets: dict[str, SourceAssetFact] = {}
        self.ops: dict[OpKey, tuple[OpFact, str]] = {}  # op -> (fact, path)
        self.graph_asset_ops: set[OpKey] = set()
        self.jobs: dict[JobKey, Job] = {}
        self.triggers: list[Trigger] = []
        self.external_upstreams: dict[str, list[str]] = {}  # missing upstream key -> dependent keys
        self._collect_assets()
        self._collect_ops()
        self._collect_checks()
        self._collect_jobs()
        self._collect_triggers()
        self._check_definitions()
        self.unresolved.sort(key=lambda u: (u.location, u.subject, u.reason))

    def _note(self, location: Location, subject: str, reason: str) -> None:
        item = Unresolved(location, subject, reason)
        if item not in self._noted:
            self._noted.add(item)
            self.unresolved.append(item)

    def _collect_assets(self) -> None:
        definitions: list[tuple[AssetFact, FileFacts]] = []
        for facts in self.facts:
            for source in facts.source_assets:
                self.source_assets.setdefault(source.key, source)
            definitions.extend((asset, facts) for asset in facts.assets)
        definitions.extend(self._factory_assets())
        for asset, facts in definitions:
            asset = self._with_spec_keys(asset)
            partitions = self.resolve_partitions(asset.partitions)
            if asset.partitions is not None and partitions is None:
                self._note(
                    asset.location,
                    f"partitions_def={asset.partitions.text} of '{asset.function}'",
                    "the partitions definition could not be resolved to a *PartitionsDefinition(...) "
                    "in the analysed files",
                )
            upstream = self._asset_upstream(asset)
            groups = dict(asset.groups)
            for key in asset.keys:
                if key in self.assets:
                    other = self.assets[key].location
                    self._note(
                        asset.location, f"asset key '{key}'", f"also defined at {other}; the first definition is used"
                    )
                    continue
                self.assets[key] = Asset(
                    key=key,
                    definition=asset,
                    path=facts.path,
                    group=groups.get(key),
                    upstream=upstream,
                    partitions=partitions,
                    code_location=facts.code_location,
                )
        # upstreams that no analysed file computes: external data (or code the report did not see)
        for computed in list(self.assets.values()):
            kept = []
            for up in computed.upstream:
                if up in self.assets and up not in computed.definition.keys:
                    kept.append(up)
                elif up not in self.assets:
                    self.external_upstreams.setdefault(up, []).append(computed.key)
            self.assets[computed.key] = replace(computed, upstream=tuple(sorted(kept)))
        for key, dependents in self.external_upstreams.items():
            self.external_upstreams[key] = sorted(set(dependents))
            if key not in self.source_assets:
                first = self.assets[sorted(dependents)[0]]
                self._note(
                    first.location,
                    f"upstream asset '{key}'",
                    "no analysed file defines this key (an external asset, or a module outside the given "
                    "paths); it is treated as external input",
                )

    def _factory_assets(self) -> list[tuple[AssetFact, FileFacts]]:
        """Assets built by calling another module's asset factory, one per call with literal arguments."""
        made: list[tuple[AssetFact, FileFacts]] = []
        used: set[tuple[str, str]] = set()
        for facts in self.facts:
            for call in facts.factory_calls:
                found = self.follow(call.callee)
                if found is None:
                    continue
                owner, name = found
                template = next((t for t in owner.factories if t.factory == name), None)
                if template is None:
                    continue
                used.add((owner.path, name))
                asset = instantiate_factory(template, call)
                subject = f"factory-built asset '{template.inner}' of '{template.factory}'"
                if asset is None:
                    self._note(
                        call.location,
                        subject,
                        f"its key comes from the arguments of {call.text}, which are not literal",
                    )
                    continue
                if not asset.keys_known:
                    self._note(
                        call.location,
                        f"@{asset.kind} '{asset.keys[0]}'",
                        f"its asset keys come from outside the Python code; the report treats '{asset.keys[0]}' "
                        "as one step",
                    )
                made.append((asset, facts))
        for facts in self.facts:
            for template in facts.factories:
                if (facts.path, template.factory) not in used:
                    self._note(
                        template.asset.location,
                        f"factory-built asset '{template.inner}' of '{template.factory}'",
                        "its key comes from the factory's arguments and no call in the analysed files gives them",
                    )
        return made

    def _with_spec_keys(self, asset: AssetFact) -> AssetFact:
        """Add the keys of ``specs=[variable]`` (module-level ``AssetSpec``s); they are computed, not sources."""
        if not asset.spec_symbols:
            return asset
        keys = list(asset.keys)
        for symbol in asset.spec_symbols:
            found = self.follow(symbol)
            spec = None
            if found is not None:
                facts, name = found
                spec = next((s for s in facts.source_assets if s.variable == name), None)
            if spec is None:
                self._note(
                    asset.location,
                    f"specs entry '{symbol.name}' of '{asset.function}'",
                    "does not name an AssetSpec with a literal key in the analysed files",
                )
                continue
            keys.append(spec.key)
            self.source_assets.pop(spec.key, None)
        return replace(asset, keys=tuple(keys))

    def _asset_upstream(self, asset: AssetFact) -> tuple[str, ...]:
        keys: set[str] = set()
        mapped = dict(asset.ins)
        refs: list[DependencyRef] = list(asset.deps)
        for param in asset.params:
            if param.name in mapped:
                refs.append(mapped[param.name])
            elif self.injection(param) == INPUT:
                refs.append(DependencyRef(key=param.name))
        refs.extend(ref for name, ref in asset.ins if name not in {p.name for p in asset.params})
        for ref in refs:
            if ref.key is not None:
                keys.add(ref.key)
            elif ref.symbol is not None:
                found = self.symbol_keys(ref.symbol)
                if isinstance(found, frozenset) and found:
                    keys |= found
                else:
                    self._note(
                        asset.location,
                        f"dependency '{ref.symbol.name}' of '{asset.function}'",
                        "does not name an asset definition in the analysed files",
                    )
        return tuple(sorted(keys))

    def data_inputs(self, definition: AssetFact) -> tuple[tuple[str, str], ...]:
        """Each parameter that receives an upstream asset's value, with that asset's key, in parameter order.

        ``ins={"p": AssetIn("k")}`` maps ``p`` to ``k``; any other parameter Dagster does not fill
        itself (context, config, resources) receives the asset its name spells. A parameter whose
        upstream is a symbol that names no single asset is left out.
        """
        mapped = dict(definition.ins)
        found: list[tuple[str, str]] = []
        for param in definition.params:
            ref = mapped.get(param.name)
            if ref is None:
                if self.injection(param) == INPUT:
                    found.append((param.name, param.name))
                continue
            if ref.key is not None:
                found.append((param.name, ref.key))
            elif ref.symbol is not None:
                keys = self.symbol_keys(ref.symbol)
                if isinstance(keys, frozenset) and len(keys) == 1:
                    found.append((param.name, next(iter(keys))))
        return tuple(found)

    def injection(self, param: ParamFact) -> str:
        """What Dagster passes a parameter of an asset, op or check: ``INPUT`` (an upstream value),
        ``CONFIG``, ``RESOURCE`` or ``CONTEXT`` (:mod:`~dagster_zenml_lint.project.facts`).

        The one classification the report (asset edges, :meth:`data_inputs`) and ``migrate`` (a
        step's inputs and parameters) read. Its name or a Dagster class decide in the file
        (:attr:`ParamFact.injected`); a parameter typed with a project class is config when the class
        derives from ``Config``, a resource when it derives from another Dagster class (a resource or
        IO manager class) or is what a ``resources={...}`` binding builds, else an input.
        """
        if param.injected != INPUT or param.annotation_symbol is None:
            return param.injected
        kind = self._class_injection(param.annotation_symbol)
        # a plain class is no definition the model follows: its name is matched with what bindings build
        return RESOURCE if kind == INPUT and param.annotation_symbol.name in self._bound_classes else kind

    def _class_injection(self, symbol: SymbolRef, _seen: frozenset[SymbolRef] = frozenset()) -> str:
        """CONFIG for a project class deriving from ``Config``, RESOURCE for one deriving from another Dagster
        class, also through project base classes; else INPUT."""
        found = self.follow(symbol)
        if found is None or symbol in _seen or len(_seen) > 10:
            return INPUT
        facts, name = found
        for cls in facts.classes:
            if cls.name == name:
                if cls.bases:
                    return CONFIG if set(cls.bases) & CONFIG_BASES else RESOURCE
                kinds = {self._class_injection(base, _seen | {symbol}) for base in cls.base_symbols} - {INPUT}
                return CONFIG if CONFIG in kinds else RESOURCE if kinds else INPUT
        return INPUT

    @cached_property
    def _bound_classes(self) -> frozenset[str]:
        """The classes a ``resources={...}`` / ``resource_defs={...}`` binding of the project builds."""
        named = {i.name: i.target for f in self.facts for i in f.instances}  # resources={"db": db}: db = Db(...)
        return frozenset(named.get(b.variable or "", b.target) for f in self.facts for b in f.bindings) - {""}

    def _collect_checks(self) -> None:
        """Asset checks and the asset key each validates (a check of an unknown asset is unresolved)."""
        self.checks: list[tuple[str, str, Location]] = []  # (check name, asset key, location)
        for facts in self.facts:
            for check in facts.checks:
                key = None
                if check.target is not None and check.target.key is not None:
                    key = check.target.key
                elif check.target is not None and check.target.symbol is not None:
                    found = self.symbol_keys(check.target.symbol)
                    key = min(found) if isinstance(found, frozenset) and found else None
                if key is None or key not in self.assets:
                    self._note(
                        check.location,
                        f"asset check '{check.name}'",
                        "the asset it validates is not a computed asset of the analysed files",
                    )
                    continue
                self.checks.append((check.name, key, check.location))
        self.checks.sort(key=lambda c: (c[1], c[0], c[2]))

    def _collect_ops(self) -> None:
        for facts in self.facts:
            for op in facts.ops:
                key = OpKey(facts.module, op.name)
                if key in self.ops:
                    other = self.ops[key][0].location
                    self._note(op.location, f"op '{op.name}'", f"also defined at {other}; the first definition is used")
                    continue
                self.ops[key] = (op, facts.path)
            for asset in facts.assets:
                self.graph_asset_ops.update(self.ops_of_graph_asset(asset))

    def _op_key(self, symbol: SymbolRef) -> OpKey | None:
        found = self.follow(symbol)
        if found is None:
            return None
        facts, name = found
        for op in facts.ops:
            if op.function == name:
                return OpKey(facts.module, op.name)
        return None

    @cached_property
    def _op_names(self) -> dict[str, int]:
        """How many modules define an op of each Dagster name."""
        counts: dict[str, int] = {}
        for key in self.ops:
            counts[key.name] = counts.get(key.name, 0) + 1
        return counts

    def op_label(self, key: OpKey) -> str:
        """How the report names an op: its Dagster name, or ``module:name`` when several modules define that name."""
        return key.name if self._op_names.get(key.name, 0) <= 1 else str(key)

    def _graph(self, symbol: SymbolRef) -> GraphFact | None:
        found = self.follow(symbol)
        if found is None:
            return None
        facts, name = found
        return next((g for g in facts.graphs if g.function == name), None)

    def _expand_graph(self, graph: GraphFact, depth: int = 0) -> tuple[list[OpKey], list[tuple[OpKey, OpKey]]]:
        """Ops a graph or job body runs (nested graphs inlined), in dependency order, and the data edges.

        An edge into a nested graph reaches the graph's entry ops (those without an upstream
        inside it); an edge out of it leaves from its exit ops.
        """
        ops: list[OpKey] = []
        edges: set[tuple[OpKey, OpKey]] = set()
        if depth > 10:
            return ops, []
        ends: dict[SymbolRef, tuple[list[OpKey], list[OpKey]]] = {}  # invoked symbol -> (entry ops, exit ops)
        for call in graph.calls:
            op = self._op_key(call)
            if op is not None:
                ops.append(op)
                ends[call] = ([op], [op])
                continue
            inner = self._graph(call)
            if inner is not None and inner.kind == "graph":
                inner_ops, inner_edges = self._expand_graph(inner, depth + 1)
                ops.extend(inner_ops)
                edges.update(inner_edges)
                entries = [o for o in inner_ops if not any(d == o for _, d in inner_edges)]
                exits = [o for o in inner_ops if not any(u == o for u, _ in inner_edges)]
                ends[call] = (entries, exits)
        for up, down in graph.edges:
            if up in ends and down in ends:
                edges.update((u, d) for u in ends[up][1] for d in ends[down][0] if u != d)
        ordered = topological_order(list(dict.fromkeys(ops)), edges)
        return ordered, sorted(edges)

    def _graph_keys(self) -> AssetGraphView:
        upstream = {k: frozenset(a.upstream) for k, a in self.assets.items()}
        downstream: dict[str, set[str]] = {k: set() for k in self.assets}
        for key, asset in self.assets.items():
            for up in asset.upstream:
                downstream[up].add(key)
        groups = {k: a.group or "default" for k, a in self.assets.items()}
        siblings = {k: frozenset(a.definition.keys) - {k} for k, a in self.assets.items() if len(a.definition.keys) > 1}
        return AssetGraphView(
            frozenset(self.assets), groups, upstream, {k: frozenset(v) for k, v in downstream.items()}, siblings
        )

    @cached_property
    def graph_view(self) -> AssetGraphView:
        """The asset graph in the form selection evaluation needs."""
        return self._graph_keys()

    def evaluate_selection(
        self, selection: Selection | None, location: Location, subject: str, code_location: str | None = None
    ) -> tuple[frozenset[str], bool]:
        """Keys a selection picks (noting what could not be evaluated); the flag says whether it is complete.

        A selection sees only the assets of its own code location (a directory with its own
        packaging file), as each Dagster code location has its own asset graph.
        """
        evaluation = evaluate(selection or AllAssets(), self.graph_view, self.symbol_keys)
        for unknown in evaluation.unknown:
            self._note(location, f"{subject}: {unknown.text}", unknown.reason)
        if evaluation.unknown:
            # an unresolved part never counts as empty: ``all() - unknown`` would select what it excludes
            return frozenset(), False
        keys = evaluation.keys
        if code_location is not None and len(self.code_locations) > 1:
            keys = frozenset(k for k in keys if self.assets[k].code_location == code_location)
        return keys, not evaluation.unknown

    @cached_property
    def code_locations(self) -> frozenset[str]:
        """The code locations that define assets."""
        return frozenset(a.code_location for a in self.assets.values())

    def _collect_jobs(self) -> None:
        for facts in self.facts:
            for job in facts.asset_jobs:
                keys, complete = self.evaluate_selection(
                    job.selection, job.location, f"selection of asset job '{job.name}'", facts.code_location
                )
                self._add_job(
                    Job(
                        name=job.name,
                        kind="asset",
                        location=job.location,
                        module=facts.module,
                        assets=tuple(sorted(keys)),
                        selection_text=describe_selection(job.selection),
                        selection_complete=complete,
                        partitions=self.resolve_partitions(job.partitions),
                        explicit_selection=job.selection is not None,
                        end_line=job.end_line,
                        code_location=facts.code_location,
                    )
                )
            for graph in facts.graphs:
                if graph.kind != "job":
                    continue
                ops, edges = self._expand_graph(graph)
                self._add_job(
                    Job(
                        name=graph.name,
                        kind="op",
                        location=graph.location,
                        module=facts.module,
                        function=graph.function,
                        function_path=facts.path,
                        code_location=facts.code_location,
                        ops=tuple(ops),
                        op_edges=tuple(edges),
                        partitions=self.resolve_partitions(graph.partitions),
                    )
                )
            for graph_job in facts.graph_jobs:
                target = self._graph(graph_job.graph)
                if target is None:
                    self._note(
                        graph_job.location,
                        f"job '{graph_job.name}'",
                        f"'{graph_job.graph.name}.to_job(...)': the graph was not found in the analysed files",
                    )
                    continue
                ops, edges = self._expand_graph(target)
                owner = self.follow(graph_job.graph)  # found: ``_graph`` followed it
                self._add_job(
                    Job(
                        name=graph_job.name or target.name,
                        kind="op",
                        location=graph_job.location,
                        module=facts.module,
                        function=target.function,
                        function_path=owner[0].path if owner is not None else "",
                        code_location=facts.code_location,
                        ops=tuple(ops),
                        op_edges=tuple(edges),
                        partitions=self.resolve_partitions(graph_job.partitions),
                    )
                )

    def _add_job(self, job: Job) -> None:
        """Add a job under its key; jobs of one name in different modules are different jobs."""
        if job.key in self.jobs:
            self._note(
                job.location,
                f"job '{job.name}'",
                f"a job of this name is also defined at {self.jobs[job.key].location}; the first one is used",
            )
            return
        self.jobs[job.key] = job

    def jobs_named(self, name: str) -> list[Job]:
        """Every job with this Dagster name, ordered by module (several modules may define one)."""
        return sorted((j for j in self.jobs.values() if j.name == name), key=lambda j: j.key)

    def job_named(self, name: str) -> Job:
        """The one job with this Dagster name (KeyError when no job, or several, have it)."""
        found = self.jobs_named(name)
        if len(found) != 1:
            raise KeyError(name)
        return found[0]

    def shares_name(self, job: Job) -> bool:
        """Another module defines a job of the same name."""
        return len(self.jobs_named(job.name)) > 1

    def job_for_symbol(self, symbol: SymbolRef) -> JobKey | None:
        """The key of the job a variable or function refers to (the module that defines it, and its name)."""
        found = self.follow(symbol)
        if found is None:
            return None
        facts, name = found
        for asset_job in facts.asset_jobs:
            if asset_job.variable == name:
                return JobKey(facts.module, asset_job.name)
        for graph in facts.graphs:
            if graph.function == name and graph.kind == "job":
                return JobKey(facts.module, graph.name)
        for graph_job in facts.graph_jobs:
            if graph_job.variable == name:
                return JobKey(facts.module, graph_job.name)
        return None

    def job_for_name(self, name: str, facts: FileFacts) -> JobKey | None:
        """The job a name string (``job_name="daily"``) written in ``facts`` starts, or None when none or
        several could be meant: one of that name in the same module wins, then the only one in the same
        code location."""
        candidates = self.jobs_named(name)
        same_module = [j for j in candidates if j.module == facts.module]
        same_location = [j for j in candidates if j.code_location == facts.code_location]
        for found in (same_module, same_location, candidates):
            if len(found) == 1:
                return found[0].key
        return None

    def _collect_triggers(self) -> None:
        for facts in self.facts:
            for trigger in facts.triggers:
                jobs: list[JobKey] = []
                assets: set[str] = set()
                for target in trigger.targets:
                    if target.job_name is not None:
                        named = self.job_for_name(target.job_name, facts)
                        if named is not None:
                            jobs.append(named)
                        else:
                            self._note(
                                trigger.location,
                                f"{trigger.kind} '{trigger.name}'",
                                f"targets job '{target.job_name}', which the analysed files do not define"
                                if not self.jobs_named(target.job_name)
                                else f"targets job '{target.job_name}', which several modules define",
                            )
                    elif target.symbol is not None:
                        job = self.job_for_symbol(target.symbol)
                        if job is not None:
                            jobs.append(job)
                            continue
                        keys = self.symbol_keys(target.symbol)
                        if isinstance(keys, frozenset) and keys:
                            assets |= keys
                        elif keys is not None and not isinstance(keys, frozenset):
                            selected, _ = self.evaluate_selection(
                                keys,
                                trigger.location,
                                f"target of {trigger.kind} '{trigger.name}'",
                                facts.code_location,
                            )
                            assets |= selected
                        else:
                            self._note(
                                trigger.location,
                                f"{trigger.kind} '{trigger.name}'",
                                f"target '{target.symbol.name}' is not a job or asset found in the analysed files",
                            )
                    elif target.selection is not None:
                        selected, _ = self.evaluate_selection(
                            target.selection,
                            trigger.location,
                            f"target of {trigger.kind} '{trigger.name}'",
                            facts.code_location,
                        )
                        assets |= selected
                watched_jobs = sorted(
                    {
                        key
                        for target in trigger.watched_jobs
                        for key in [
                            self.job_for_name(target.job_name, facts)
                            if target.job_name is not None
                            else (self.job_for_symbol(target.symbol) if target.symbol is not None else None)
                        ]
                        if key is not None
                    }
                )
                watched_assets: frozenset[str] = frozenset()
                if trigger.watched_assets is not None:
                    watched_assets = self.watched_keys(trigger.watched_assets)
                self.triggers.append(
                    Trigger(
                        trigger,
                        facts.path,
                        tuple(sorted(set(jobs))),
                        tuple(sorted(assets)),
                        tuple(sorted(watched_assets)),
                        tuple(watched_jobs),
                    )
                )
        self.triggers.sort(key=lambda t: (t.location, t.fact.name))

    def watched_keys(self, selection: Selection) -> frozenset[str]:
        """Keys an asset sensor watches: computed assets through the selection, source keys by name."""
        if isinstance(selection, Keys):
            return frozenset(k for k in selection.keys if k in self.assets or k in self.source_assets)
        evaluation = evaluate(selection, self.graph_view, self.symbol_keys)
        return frozenset() if evaluation.unknown else evaluation.keys

    def ops_of_graph_asset(self, definition: AssetFact) -> tuple[OpKey, ...]:
        """The ops a graph-backed asset runs, in graph order (empty for other assets)."""
        if not definition.kind.startswith("graph"):
            return ()
        body = GraphFact(
            definition.function,
            definition.function,
            "graph",
            definition.location,
            definition.calls,
            definition.call_edges,
        )
        return tuple(self._expand_graph(body)[0])

    def _check_definitions(self) -> None:
        for facts in self.facts:
            for component in facts.components:
                self._note(
                    component.location,
                    f"component '{component.type}'",
                    "assets, jobs and schedules of a defs.yaml component are generated when Dagster loads it; "
                    "they are not in the asset graph of this report",
                )

    # ------------------------------------------------------------------ queries
    def object_spans(self, path: str) -> list[ObjectSpan]:
        """The module-level statements of an analysed file (empty for a file without facts)."""
        return self._objects_by_path.get(path, [])

    @cached_property
    def _objects_by_path(self) -> dict[str, list[ObjectSpan]]:
        """Each analysed file's module-level statements, by path (the first file of a path, as a scan found)."""
        found: dict[str, list[ObjectSpan]] = {}
        for facts in self.facts:
            found.setdefault(facts.path, facts.objects)
        return found

    def unresolved_asset_jobs(self) -> list[Job]:
        """Asset jobs whose selection could not be evaluated statically."""
        return [j for j in self.jobs.values() if j.kind == "asset" and not j.selection_complete]

    def triggers_for_job(self, key: JobKey) -> list[Trigger]:
        """Schedules and sensors that start a job."""
        return [t for t in self.triggers if key in t.jobs]

    def sensors(self) -> list[Trigger]:
        """Sensors that start runs from their own evaluation (every sensor but the automation and freshness
        sensors, which evaluate each asset's own condition), by place in the source."""
        return [t for t in self.triggers if not t.is_schedule and t.fact.kind not in CONDITION_SENSORS]

    def triggers_for_asset(self, key: str) -> list[Trigger]:
        """Schedules and sensors that target an asset directly (not through a job)."""
        return [t for t in self.triggers if key in t.assets]

    def resources(self) -> list[tuple[ResourceFact, str]]:
        """Every resource bound in a ``Definitions``, with its file."""
        return [(r, f.path) for f in self.facts for d in f.definitions for r in d.resources]

    def resource_bindings(self, owner: Location | None = None) -> ResourceBindings:
        """What each resource key is bound to in the run unit defined at ``owner`` (a job's location): its
        own ``resource_defs``, else its code location's ``Definitions(resources=...)``, else any binding of
        the project; ``owner`` None: the project's (:func:`~dagster_zenml_lint.project.resources.unit_bindings`)."""
        return self._binding_index.unit(owner)

    @cached_property
    def resource_catalog(self) -> ResourceCatalog:
        """The project's config, resource and IO manager classes and ``@resource`` functions by name."""
        return catalog(self.facts, self.follow)

    @cached_property
    def project_bindings(self) -> ResourceBindings:
        """The resource bindings of the whole project (a step's code is shared by every pipeline that runs it)."""
        return self._binding_index.project

    @cached_property
    def _binding_index(self) -> BindingIndex:
        """The project's bindings applied once, and each file's and code location's looked up per run unit."""
        return BindingIndex(self.facts)

    @cached_property
    def run_config(self) -> dict[str, dict[str, FieldValue]]:
        """Op name -> the config values a ``@job``'s ``config=`` gives it."""
        return run_config(self.facts)

    def classes(self) -> list[tuple[ClassFact, str]]:
        """Every project class deriving from Dagster bases."""
        return [(c, f.path) for f in self.facts for c in f.classes]

    @cached_property
    def partitions_labels(self) -> dict[str, str]:
        """A unique, readable label per partitions definition identity (``daily``, ``daily_2024_07_01``...)."""
        by_label: dict[str, list[PartitionsFact]] = {}
        for definition in self.partitions_definitions():
            by_label.setdefault(definition.label, []).append(definition)
        labels: dict[str, str] = {}
        taken: set[str] = set()
        for label, definitions in sorted(by_label.items()):
            for definition in definitions:
                unique = label
                if len(definitions) > 1:
                    literal = re.search(r"'([^']+)'", definition.identity)
                    suffix = literal.group(1) if literal else Path(definition.location.path).stem
                    unique = f"{label}_{re.sub(r'[^0-9A-Za-z]+', '_', suffix).strip('_')}"
                candidate, counter = unique, 2
                while candidate in taken:
                    candidate, counter = f"{unique}_{counter}", counter + 1
                taken.add(candidate)
                labels[definition.identity] = candidate
        return labels

    def partitions_label(self, definition: PartitionsFact | None) -> str | None:
        """The unique label of a partitions definition (None for unpartitioned)."""
        if definition is None:
            return None
        return self.partitions_labels.get(definition.identity, definition.label)

    def partitions_definitions(self) -> list[PartitionsFact]:
        """Distinct partitions definitions in use (by assets or jobs), in a stable order."""
        seen: dict[str, PartitionsFact] = {}
        for asset in self.assets.values():
            if asset.partitions is not None:
                seen.setdefault(asset.partitions.identity, asset.partitions)
        for job in self.jobs.values():
            if job.partitions is not None:
                seen.setdefault(job.partitions.identity, job.partitions)
        return sorted(seen.values(), key=lambda p: (p.location, p.identity))


def topological_order(nodes: list[Node], edges: set[tuple[Node, Node]]) -> list[Node]:
    """Nodes (asset keys, ops) in dependency order; among ready nodes, the order they were written in wins."""
    remaining = list(nodes)
    done: list[Node] = []
    while remaining:
        ready = next(
            (n for n in remaining if not any(d == n and u in remaining and u != n for u, d in edges)), remaining[0]
        )
        done.append(ready)
        remaining.remove(ready)
    return done


# ---------------------------------------------------------------------------- building
def project_root(paths: Sequence[str | Path]) -> Path:
    """The directory report paths are relative to: the common directory of the given paths.

    Absolute and without ``..`` (``report ..`` is the project of the parent directory, by its
    name), but not resolved: a directory named through a symbolic link keeps the link's name.
    """
    absolute = [Path(os.path.abspath(p)) for p in paths] or [Path.cwd()]
    directories = [p if p.is_dir() else p.parent for p in absolute]
    common = Path(directories[0])
    for directory in directories[1:]:
        while common not in (directory, *directory.parents):
            common = common.parent
    return common


def relative_path(path: str | os.PathLike[str], root: Path) -> str:
    """A path relative to the project root with POSIX separators (the absolute path if outside)."""
    absolute = os.path.abspath(path)  # as :func:`project_root` names the root
    if os.sep == "/":
        # strings, not ``Path.relative_to``: a run names every file (thousands of ``Path`` objects), and
        # ``str(root)`` is already normalised as ``abspath`` normalises the file (no ``.``, no ``//``)
        base = str(root)
        if absolute == base:
            return "."
        prefix = base if base.endswith("/") else f"{base}/"
        return absolute[len(prefix) :] if absolute.startswith(prefix) else absolute
    try:
        return Path(absolute).relative_to(root).as_posix()
    except ValueError:
        return Path(absolute).as_posix()


TEST_FILE = re.compile(r"^(test_.*|.*_test|conftest)\.py$")
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


def _innermost(path: str, locations: frozenset[str]) -> str:
    """The deepest of ``locations`` (directories, "" the root) that holds ``path``; "" when none does."""
    slash = path.rfind("/")
    while slash > 0:
        if path[:slash] in locations:
            return path[:slash]
        slash = path.rfind("/", 0, slash)
    return ""


def plain_modules(files: Sequence[AnalysedFile]) -> list[tuple[str, AnalysedFile]]:
    """(dotted module, file) of the Python files that hold no facts but have a text (in order)."""
    return [
        (module_name_for(f.result.path), f)
        for f in files
        if f.facts is None and f.result.source is not None and f.result.path.endswith(".py")
    ]


def is_test_module(relative: str) -> bool:
    """Test code (``tests/``, ``*_tests/``, ``test_*.py``, ``conftest.py``): linted, but not part of the plan."""
    parts = relative.split("/")  # a POSIX path (:func:`relative_path`): no ``Path`` per file
    return bool(TEST_FILE.match(parts[-1])) or any(p in ("tests", "test") or p.endswith("_tests") for p in parts[:-1])


def code_location_of(path: str | os.PathLike[str], root: Path, known: dict[str, str] | None = None) -> str:
    """The nearest directory at or below the root with a packaging file: one Dagster code location each.

    ``known``: the answers for directories asked about before (one run's: files do not change in it),
    by the directory as ``path`` names it (a string: no ``Path`` per file when the answer is known)
    and by each directory a search passed on its way up (its answer is the same: the search from
    a sibling directory stops at their parent, not at the root).
    """
    named = os.path.dirname(os.fspath(path))
    if known is not None and named in known:
        return known[named]
    found = ""
    passed: list[str] = []
    directory = Path(path).absolute().parent
    while directory != root and root in directory.parents:
        here = str(directory)
        if known is not None and here in known:
            found = known[here]
            break
        passed.append(here)
        if any((directory / marker).is_file() for marker in PROJECT_MARKERS):
            found = relative_path(directory, root)
            break
        directory = directory.parent
    if known is not None:
        known[named] = found
        known.update(dict.fromkeys(passed, found))
    return found


def analyse_component_file(
    path: str | Path, root: Path, config: Config, locations: dict[str, str] | None = None
) -> AnalysedFile:
    """Lint one Dagster component file (``defs.yaml``/``component.yaml``) as ``check`` does and read its facts.

    ``locations``: the code location of each directory seen so far in the run (:func:`code_location_of`).
    """
    relative = relative_path(path, root)
    read = _read(str(path), relative, FileKind.COMPONENT_YAML, config)
    if isinstance(read, AnalysedFile):
        return read
    _, source = read
    findings = tuple(lint_text_with_context(source.text, relative, config, kind=FileKind.COMPONENT_YAML)[0])
    facts = component_facts(findings, relative, module_name_for(relative))
    if facts is not None:
        facts.code_location = code_location_of(path, root, locations)
    return AnalysedFile(
        FileResult(path=relative, kind=FileKind.COMPONENT_YAML, findings=findings, source=source), facts
    )


def file_facts(ctx: FileContext | None, relative: str) -> FileFacts | None:
    """The project-model facts of an analysed Python file (None: not analysed, or a test module, whose
    assets and ops are no part of the project)."""
    if ctx is None or is_test_module(relative):
        return None
    return extract_file_facts(ctx, relative, module_name_for(relative))


def split_by_definitions(facts: Sequence[FileFacts]) -> None:
    """Directories that each hold their own ``Definitions`` entry point (one project per lesson, one per
    team) are code locations of their own inside the packaging root they share.

    A directory holding a ``defs/`` folder with Dagster code counts too (``dg`` projects
    load that folder). A file belongs to the deepest such directory around it. Not
    separate: a ``Definitions`` inside a ``defs/`` folder (``load_defs`` /
    ``load_from_defs_folder`` merge those), and a directory whose modules the enclosing
    entry point imports (merged into it).
    """
    entries: dict[str, dict[str, list[FileFacts]]] = {}  # packaging root -> entry directory -> entry files
    for item in facts:
        parts = Path(item.path).parts
        if any(d.entry_point for d in item.definitions) and "defs" not in parts[:-1]:
            entries.setdefault(item.code_location, {}).setdefault(Path(item.path).parent.as_posix(), []).append(item)
        elif "defs" in parts[:-1]:
            # a ``defs/`` folder is what ``load_from_defs_folder`` loads: its parent is a project root
            # (a course lesson with only ``lesson_3/defs/`` is a project of its own)
            root = Path(*parts[: parts.index("defs")]).as_posix() if parts.index("defs") else ""
            entries.setdefault(item.code_location, {}).setdefault(root, [])
    for root, directories in entries.items():
        separate = {
            d
            for d in directories
            if not any(o != d and _is_inside(d, o) and _imports_from(directories[o], d) for o in directories)
        }
        if len(separate) < 2:
            continue
        for item in facts:
            if item.code_location != root:
                continue
            owner = _deepest_owner(Path(item.path).parent.as_posix(), separate)
            if owner is not None:
                item.code_location = owner


def _deepest_owner(directory: str, separate: AbstractSet[str]) -> str | None:
    """The deepest of the ``separate`` entry directories holding ``directory`` (a project-relative POSIX
    directory, "." the root), else the root's entry ("." before ""), else None.

    Its own directory and each parent is looked up, from the deepest, not every entry directory tested
    (per file: a cost that grew with the number of code locations); and a top-level directory of one
    character is deeper than the root's ".", which the longest name among the entries that hold it
    (equally long) left to the order of a set, different from one process to the next.
    """
    probe = directory
    while probe not in ("", "."):
        if probe in separate:
            return probe
        probe = probe.rpartition("/")[0]
    if "." in separate:
        return "."
    return "" if "" in separate else None


WORKSPACE_FILES = ("workspace.yaml", "dagster_cloud.yaml")


def workspace_locations(root: Path, relative_dirs: Iterable[str]) -> dict[str, set[str]]:
    """Code location directories a ``workspace.yaml`` / ``dagster_cloud.yaml`` names, by the file's directory.

    ``load_from`` entries (``python_file``, ``python_module``, ``python_package``, with an
    optional ``working_directory``) and Dagster+ ``locations`` (``build.directory``,
    ``working_directory``, ``code_source``). An unreadable or unexpected file names nothing.
    """
    found: dict[str, set[str]] = {}
    candidates = {""}
    for directory in relative_dirs:
        parts = Path(directory).parts
        candidates.update(Path(*parts[:i]).as_posix() if i else "" for i in range(len(parts) + 1))
    for directory in sorted(candidates):
        for name in WORKSPACE_FILES:
            path = root / directory / name
            if not path.is_file():
                continue
            import yaml  # here: only a project with a workspace file pays for it (10 ms of start-up)

            try:
                document = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue
            entries = []
            if isinstance(document, dict):
                entries = [*(document.get("load_from") or []), *(document.get("locations") or [])]
            for entry in entries if isinstance(entries, list) else []:
                target = _workspace_entry_directory(entry)
                if target is not None:
                    resolved = (Path(directory) / target).as_posix() if directory else target
                    found.setdefault(directory, set()).add(resolved.strip("/").removeprefix("./") or "")
    return found


def _workspace_entry_directory(entry: object) -> str | None:
    """The directory one workspace entry loads its code from (None when it does not say)."""
    if not isinstance(entry, dict):
        return None
    build = entry.get("build")
    if isinstance(build, dict) and isinstance(build.get("directory"), str):
        return Path(build["directory"]).as_posix()
    code_source = entry.get("code_source")
    source: dict = code_source if isinstance(code_source, dict) else entry
    for kind in ("python_file", "python_module", "python_package", "module_name", "package_name"):
        value = source.get(kind)
        spec = value if isinstance(value, dict) else {}
        working = spec.get("working_directory") or entry.get("working_directory")
        if isinstance(working, str):
            return Path(working).as_posix()
        target = spec.get("relative_path") if spec else value
        if isinstance(target, str) and kind == "python_file":
            return Path(target).parent.as_posix()
        if isinstance(target, str) and kind in ("python_module", "module_name"):
            return Path(*target.split(".")[:-1]).as_posix() if "." in target else None
    return None


def split_by_workspace(facts: Sequence[FileFacts], root: Path) -> None:
    """A workspace file naming two or more code locations: each file belongs to the deepest one around it."""
    for _directory, locations in workspace_locations(root, {Path(f.path).parent.as_posix() for f in facts}).items():
        separate = {loc for loc in locations if loc not in ("", ".")}
        if len(separate) < 2:
            continue
        for item in facts:
            directory = Path(item.path).parent.as_posix()
            owners = [loc for loc in separate if _is_inside(directory, loc)]
            if owners and len(max(owners, key=len)) > len(item.code_location):
                item.code_location = max(owners, key=len)


def _is_inside(directory: str, ancestor: str) -> bool:
    return ancestor in ("", ".") or directory == ancestor or directory.startswith(ancestor + "/")


def _imports_from(entry_files: list[FileFacts], directory: str) -> bool:
    """Whether an entry point imports a module of ``directory`` (its last two path parts, dotted)."""
    tail = ".".join(Path(directory).parts[-2:])
    return any(
        f".{tail}." in f".{module}." or f".{tail}." in f".{module}"
        for item in entry_files
        for module in [*item.imports.values(), *item.star_imports]
    )


def project_files(
    paths: Sequence[str | Path], config: Config | None = None, *, root: str | Path | None = None
) -> tuple[Path, list[DiscoveredFile]]:
    """The root the paths of a run are named relative to (``root``, else :func:`project_root`) and
    the files it reads under ``paths``: ``check``'s discovery with the configuration's exclusions.

    ``report`` and ``migrate`` both start here, so a file one of them reads the other reads too,
    under the same name (which ``per-file-ignores`` globs are matched against).
    Raises DiscoveryError for a missing path.
    """
    base = Path(os.path.abspath(root)) if root is not None else project_root(paths)
    return base, list(discover(paths, config or Config()))


def build_project(
    paths: Sequence[str | Path],
    config: Config | None = None,
    *,
    root: str | Path | None = None,
    use_cache: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
) -> ProjectModel:
    """Discover, lint and model a whole project (raises DiscoveryError for a missing path).

    With ``use_cache``, the analysis of each Dagster file is kept between runs (:mod:`.cached`,
    in ``cache_dir`` or ``check``'s cache directory) and the model is rebuilt from it.
    """
    config = config or Config()
    base, found_files = project_files(paths, config, root=root)
    store = AnalysisStore.open(base, config, cache_dir) if use_cache else None
    files = analyse_files(found_files, base, config, store)
    if store is not None:
        store.save()
    return ProjectModel(base.name or base.as_posix(), files)


def analyse_files(
    found_files: Sequence[DiscoveredFile], root: Path, config: Config, store: AnalysisStore | None = None
) -> list[AnalysedFile]:
    """Lint every file as ``check --fix`` would (suppressions included) and extract its facts from the same run.

    A Python file's own analysis may come from ``store``; the fixes that depend on other files
    are settled on every run (the files a question is about are read and summarised then,
    once per run: most files are asked about by none).
    """
    index = ProjectIndex(root=str(root))  # other files' summaries, read once for the whole report
    locations: dict[str, str] = {}  # each directory's code location, found once
    files: list[AnalysedFile] = []
    for found in found_files:
        # the discovered name, not ``found.path``: a string is all the analysis needs (no ``Path`` per file)
        if found.kind is not FileKind.PYTHON:
            files.append(analyse_component_file(found.location, root, config, locations))
            continue
        relative = relative_path(found.location, root)
        read = _read(found.location, relative, FileKind.PYTHON, config)
        if isinstance(read, AnalysedFile):
            files.append(read)
            continue
        data, source = read
        analysis = _analysis(found.location, data, source.text, relative, index, config, store)
        findings = settle_safely(list(analysis.findings), index, config)
        facts = analysis.facts
        if facts is not None:
            facts.code_location = code_location_of(found.location, root, locations)
        result = FileResult(path=relative, kind=FileKind.PYTHON, findings=tuple(findings), source=source)
        files.append(AnalysedFile(result, facts))
    assign_code_locations([f.facts for f in files if f.facts is not None], root, locations)
    return files


def _read(location: str, relative: str, kind: FileKind, config: Config) -> tuple[bytes, SourceFile] | AnalysedFile:
    """A file's bytes and text to analyse, or what the report says of it when there is nothing to analyse."""
    data = None
    try:
        data = read_bytes(location)
        source = decode_source(data, location)
    except SourceError as exc:
        if data is not None and kind is FileKind.PYTHON and not names_dagster(data):
            # never names Dagster: nothing of ours, whatever its bytes (as ``check``, see runner.read_for_lint)
            return AnalysedFile(FileResult(path=relative, kind=kind), None)
        findings = tuple(reported([unreadable_finding(str(exc))], None, relative, config))
        return AnalysedFile(FileResult(path=relative, kind=kind, findings=findings, error=str(exc)), None)
    if kind is FileKind.PYTHON and not source.text.strip():
        return AnalysedFile(FileResult(path=relative, kind=kind, source=source), None)
    return data, source


def _analysis(
    location: str,
    data: bytes,
    text: str,
    relative: str,
    index: ProjectIndex,
    config: Config,
    store: AnalysisStore | None,
) -> Analysis:
    """The analysis of one Python file: from ``store`` when it holds, else worked out (and kept there)."""
    if store is None or not may_contain_dagster(text):  # a file without Dagster: nothing worth keeping
        return _analyse(text, relative, index, config)
    digest, kept = store.get(location, data)
    if kept is not None:
        return kept
    with recording() as dependencies:
        analysis = _analyse(text, relative, index, config)
    store.put(location, digest, dependencies, analysis)
    return analysis


def _analyse(text: str, relative: str, index: ProjectIndex, config: Config) -> Analysis:
    """Lint one file as ``check`` does, its cross-file needs left open, and extract its facts from the same run."""
    found, ctx = lint_text_with_context(text, relative, config, with_fixes=True, settle=False, project=index)
    return Analysis(tuple(found), file_facts(ctx, relative))


def assign_code_locations(facts: Sequence[FileFacts], root: Path, known: dict[str, str] | None = None) -> None:
    """Set each file's code location: its packaging root, split by a workspace file and by ``Definitions``.

    ``report`` sections its plan by these locations; ``migrate`` roots the imports of each
    location's modules at them (``from workspaces.types import ...`` in ``week_2/...``).
    ``known``: the directories' code locations found so far (:func:`code_location_of`); without it,
    those found in this call (each file at the root's own location asked the file system again, for
    every directory on its way up: migrate, which gave none, made three ``stat`` calls per directory
    passed, per file).
    """
    known = {} if known is None else known
    base = str(root)
    for item in facts:
        if not item.code_location:
            item.code_location = code_location_of(os.path.join(base, item.path), root, known)
    split_by_workspace(facts, root)
    split_by_definitions(facts)


__all__ = [
    "AnalysedFile",
    "Asset",
    "AssetFact",
    "FileFacts",
    "Job",
    "JobKey",
    "Location",
    "ProjectModel",
    "Trigger",
    "Unknown",
    "Unresolved",
    "analyse_component_file",
    "analyse_files",
    "assign_code_locations",
    "build_project",
    "file_facts",
    "module_name_for",
    "project_files",
    "project_root",
]
