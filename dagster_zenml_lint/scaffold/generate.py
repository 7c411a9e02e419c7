"""Assemble the generated project: step modules, shared helpers, pipeline modules and the rest.

:func:`generate_project` is pure: paths in, ``{relative path: text}`` out, the same bytes
for the same input. :func:`write_project` puts it on disk.
"""

from __future__ import annotations

import ast
import dataclasses
import posixpath
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dagster_zenml_lint.analysis.facts import FileContext
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import DiscoveredFile, FileKind
from dagster_zenml_lint.findings import Severity
from dagster_zenml_lint.fixers.file_index import declares_all, literal_all
from dagster_zenml_lint.project import LocatedPlan, ProjectModel, plan_code_locations
from dagster_zenml_lint.project.facts import PartitionsFact
from dagster_zenml_lint.project.model import (
    AnalysedFile,
    analyse_component_file,
    assign_code_locations,
    file_facts,
    project_files,
    workspace_locations,
)
from dagster_zenml_lint.project.planner import partition_params, planned_pipelines
from dagster_zenml_lint.project.resources import LIFECYCLE_METHODS, ResourceBindings, ResourceCatalog
from dagster_zenml_lint.registry import rules_by_code, rules_in_section
from dagster_zenml_lint.rules._calls import argument
from dagster_zenml_lint.rules.assets import DZ203, DZ209
from dagster_zenml_lint.rules.graphs import DZ211
from dagster_zenml_lint.rules.io_logic import DZ309
from dagster_zenml_lint.rules.ops_jobs import DZ101, DZ102
from dagster_zenml_lint.rules.sensors import DZ304
from dagster_zenml_lint.runner import FileResult
from dagster_zenml_lint.scaffold import lifecycle, markers, render
from dagster_zenml_lint.scaffold.code import (
    LINE_WIDTH,
    CopiedCode,
    ImportedName,
    Replacement,
    free_names,
    imported_name,
    imported_packages,
    indentation,
    is_dagster_import,
    may_bind,
    mentions,
    module_definitions,
    raise_lines,
    render_imports,
    rendered_packages,
    statement_first_line,
)
from dagster_zenml_lint.scaffold.graphs import (
    GraphAsset,
    body_function,
    call_lines,
    graph_asset_specs,
    terminal_step,
    threadable,
)
from dagster_zenml_lint.scaffold.names import NameSet, docstring_text, py_literal, python_name
from dagster_zenml_lint.scaffold.plan import (
    JobSpec,
    PipelinePlan,
    graph_functions,
    job_specs,
    nested_steps,
    order_by_dependencies,
    param_names,
    plan_from_boundaries,
    plan_pipelines,
    step_specs,
)
from dagster_zenml_lint.scaffold.project import Definition, Project
from dagster_zenml_lint.scaffold.python_version import required_python
from dagster_zenml_lint.scaffold.sources import (
    ModuleDefinitions,
    SkippedModule,
    SourceModule,
    import_roots,
    load_sources,
    project_roots,
)
from dagster_zenml_lint.scaffold.step_spec import Steps, StepSpec, io_manager_specs
from dagster_zenml_lint.scaffold.steps import node_end, translate
from dagster_zenml_lint.scaffold.write import WriteError, write_files
from dagster_zenml_lint.source import python_lines

ZENML_PIPELINE = ImportedName("zenml", "pipeline", "pipeline")
CLIENT = ImportedName("zenml.client", "Client", "Client")
MODEL = ImportedName("zenml", "Model", "Model")
GET_PIPELINE_CONTEXT = ImportedName("zenml", "get_pipeline_context", "get_pipeline_context")
BASE_MODEL = ImportedName("pydantic", "BaseModel", "BaseModel")
LOGGER_LINE = "logger = logging.getLogger(__name__)"
CONFIG_BASES = frozenset(
    {
        "dagster.Config",
        "dagster.PermissiveConfig",
        "dagster.ConfigurableResource",
        "dagster.ConfigurableResourceFactory",
    }
)
RESOURCE_BASES = frozenset({"dagster.ConfigurableResource", "dagster.ConfigurableResourceFactory"})
RESOURCE_NOTE = (
    "# Migration note: this was a Dagster ConfigurableResource; steps now take it as a pydantic parameter\n"
    "#   whose values are in configs/*.yaml (credentials belong in ZenML secrets) (DZ206).\n"
)
LIFECYCLE_NOTE = (
    "# Migration note: this was a Dagster ConfigurableResource with a lifecycle; the pipelines that use it\n"
    "#   build it from their on_init_kwargs and run its lifecycle methods in their on_init / on_cleanup\n"
    "#   hooks (hooks/resources.py), once per run; steps read it from the pipeline state (DZ206).\n"
)
FACTORY_NOTE = (
    "# Migration note: this was a Dagster ConfigurableResourceFactory; the pipelines that use it build it\n"
    "#   from their on_init_kwargs in their on_init hook (hooks/resources.py), once per run, and call its\n"
    "#   create_resource (between its set-up and tear-down, if any); steps read what create_resource\n"
    "#   returned from the pipeline state (DZ206).\n"
)
RESOURCE_FUNCTION_NOTE = (
    "# Migration note: this was a Dagster @resource generator; the pipelines that use it run it in their\n"
    "#   on_init / on_cleanup hooks (hooks/resources.py), once per run: the code before `yield` sets up,\n"
    "#   the yielded value is what steps read from the pipeline state, the code after it tears down.\n"
    "#   Its init context is a stand-in with resource_config (the pipeline's on_init_kwargs) and log (DZ206).\n"
)
RETURNING_RESOURCE_NOTE = (
    "# Migration note: this was a Dagster @resource function; the pipelines that use it call it in their\n"
    "#   on_init hook (hooks/resources.py), once per run, and steps read what it returned from the pipeline\n"
    "#   state. Its init context is a stand-in with resource_config (the pipeline's on_init_kwargs) and\n"
    "#   log (DZ206).\n"
)
JOB_DECORATORS = frozenset({"dagster.job", "dagster.graph"})
GRAPH_FAN_OUT_NOTE = (
    "its fan-out runs in a ZenML dynamic pipeline: `step.map(items)` runs the step once per item, and a step "
    "given the map's result receives the list of results (Dagster's .collect()) (DZ211)."
)
DYNAMIC_NOTE = (
    "dynamic=True: the Dagster fan-out is a ZenML dynamic pipeline; `step.map(items)` runs the step once per "
    "item of a list output and a step given the map's result receives the list of results (Dagster's "
    ".collect()). The orchestrator of the stack must support dynamic pipelines (the local one does) (DZ211)."
)
GRAPH_NOTE = (
    "# Migration note: this Dagster @graph is now a plain function that calls steps inside the\n"
    "#   pipeline that uses it (DZ204).\n"
)


class ScaffoldError(Exception):
    """The sources cannot be turned into a project (nothing to migrate, unreadable input)."""


@dataclass
class Needs:
    """What a piece of generated code needs: imports and definitions (helpers)."""

    imports: set[ImportedName] = field(default_factory=set)
    definitions: set[Definition] = field(default_factory=set)
    dagster: set[str] = field(default_factory=set)  # Dagster names still used (kept, with a TODO)
    aliases: dict[Definition, str] = field(default_factory=dict)  # definitions imported under another name
    modules: dict[str, str] = field(default_factory=dict)  # source modules imported whole -> the bound name


# How many ``from x import *`` hops a name is followed through (a package re-exporting its modules).
MAX_STAR_DEPTH = 8


def _star_exports(module: SourceModule, name: str) -> bool:
    """Whether ``from module import *`` binds ``name``: listed in its ``__all__``, else any public name
    (an ``__all__`` not built from literals may list it)."""
    tree = module.fixed_tree
    if tree is None:
        return False
    if not declares_all(tree.body):
        return not name.startswith("_")
    listed = literal_all(tree.body)
    return listed is None or name in listed


class _Resolver:
    """Resolves the free names of generated code to imports and source definitions (transitively)."""

    def __init__(
        self,
        modules: dict[str, SourceModule],
        steps: Steps,
        graphs: frozenset[tuple[str, str]],
        root_name: str,
        jobs: list[JobSpec],
        roots: dict[str, tuple[str, ...]] | None = None,
        catalog: ResourceCatalog | None = None,
    ) -> None:
        self.modules = modules
        catalog = catalog or ResourceCatalog()
        # Sources import each other relative to the root (``utils``) or through the root package (``pkg.utils``).
        self.by_dotted = {m.dotted: m for m in modules.values()}
        self.by_dotted.update({f"{root_name}.{m.dotted}".rstrip("."): m for m in modules.values()})
        # ... or relative to their own import roots (a package root, a code location): ``import_roots``
        self.roots = roots or {}
        self.definitions = ModuleDefinitions(modules)  # a module is parsed when its definitions are asked for
        self.dagster_made = {(s.module, s.function_name) for s in steps} | {
            (j.module, j.function.node.name) for j in jobs if not j.from_graph
        }
        self.cache: dict[Definition, str] = {}
        self.read_names: dict[str, frozenset[str]] = {}  # code text -> the names it reads and does not bind
        self.read_packages: dict[str, frozenset[str]] = {}  # code text -> the packages its imports name
        self.packages: dict[str, str] = {}  # source module -> the package its relative imports start from
        self.step_index: _StepIndex | None = None  # built on first use: the steps are final by then
        self.imported_steps: dict[str, dict[str, StepSpec]] = {}  # module -> steps it imports, by bound name
        self.forwarding: set[Definition] = set()  # re-exports being followed (guards import cycles)
        self.star_origins: dict[tuple[str, str], SourceModule | None] = {}  # (module, name) -> star_origin
        self.star_statements: dict[str, list[ast.ImportFrom]] = {}  # source module -> its top-level star imports
        self.graphs = graphs  # (module, function) of @graph bodies: plain helpers
        # How a graph's fan-out is rewritten (set once the steps exist); the graphs that became dynamic.
        self.fan_out: Callable[[str, ast.AST, CopiedCode], FanOut] | None = None
        self.dynamic_graphs: set[Definition] = set()
        self.helper_modules = helper_modules(modules)
        self.lifecycle_classes = {
            Definition(catalog.resource_types[name], name) for name in catalog.resource_lifecycles
        }
        self.lifecycle_functions = {Definition(module, name) for name, module in catalog.resource_functions.items()}

    def names_in(self, text: str) -> frozenset[str]:
        """``free_names`` of the code ``text``: a step's or helper's text is parsed once, however often asked."""
        names = self.read_names.get(text)
        if names is None:
            tree = ast.parse(text)
            names = self.read_names[text] = frozenset(free_names(tree))
            # the file holding it will be asked (a text without the word holds no import statement)
            self.read_packages[text] = imported_packages(tree) if "import" in text else frozenset()
        return names

    def packages_in(self, text: str) -> frozenset[str]:
        """The top-level packages the import statements of the code ``text`` name (from the parse
        :meth:`names_in` made; a text without the word ``import`` holds no import statement)."""
        found = self.read_packages.get(text)
        if found is None:
            found = imported_packages(ast.parse(text)) if "import" in text else frozenset()
            self.read_packages[text] = found
        return found

    def module_file(
        self, project: Project, path: str, docstring: str, imports: set[ImportedName], parts: list[str]
    ) -> str:
        """:func:`_module_text`, remembering the packages the file imports (:attr:`Project.imported`): its
        import lines' and its parts' (pyproject.toml's dependencies), so the file is not parsed again."""
        text = _module_text(docstring, imports, parts)
        packages = rendered_packages(imports).union(*(self.packages_in(part) for part in parts))
        project.imported[path] = (text, packages)
        return text

    def find(self, module: str, dotted: str) -> SourceModule | None:
        """The source module that ``module`` reaches by importing ``dotted`` (None: not one of the sources)."""
        path = dotted.replace(".", "/")
        for root in self.roots.get(module, ()):
            base = f"{root}/{path}" if root else path
            found = self.modules.get(f"{base}.py") or self.modules.get(f"{base}/__init__.py")
            if found is not None:
                return found
        return self.by_dotted.get(dotted)

    def resolve(
        self, module: str, names: AbstractSet[str], needs: Needs, own: set[str], *, recursive: bool = True
    ) -> None:
        """Add to ``needs`` what ``names`` (free in code from ``module``) refer to (and what those need)."""
        table = self.definitions.get(module, {})
        package = self.package(module)
        for name in sorted(names - own):
            stmt = table.get(name)
            if stmt is None:
                # ``from .functions import *``: the name is what the star import's source module binds
                star = self.star_origin(module, name)
                if star is not None:
                    self._add_definition(star.relpath, name, needs, recursive)
                continue
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                item = imported_name(stmt, name, package)
                target = self.find(module, item.module)
                submodule = self.find(module, f"{item.module}.{item.name}" if item.name else item.module)
                if (
                    target is not None
                    and submodule is None
                    and item.name is not None
                    and item.name not in self.definitions.get(target.relpath, {})
                ):
                    # ``from ops.fs import remove_file``, ``ops/fs/__init__.py`` holding ``from ops.fs.remove import *``
                    target = self._star_origin(target.relpath, item.name) or target
                if (
                    target is not None
                    and item.name is not None
                    and item.name in self.definitions.get(target.relpath, {})
                ):
                    if item.alias != item.name:
                        needs.aliases[Definition(target.relpath, item.name)] = item.alias
                    self._add_definition(target.relpath, item.name, needs, recursive)
                elif submodule is not None and (item.name is not None or item.alias != item.module):
                    # ``from pkg import utils`` / ``import pkg.utils as u``: the whole module goes to helpers/
                    needs.modules[submodule.relpath] = item.alias
                    if recursive:
                        for definition in self.module_contents(submodule.relpath):
                            self._add_definition(definition.module, definition.name, needs, recursive)
                elif is_dagster_import(item):
                    needs.dagster.add(name)
                    needs.imports.add(ImportedName(item.module, item.name, item.alias))
                else:
                    unbound_in = self._unbound_in(target, item) if submodule is None else ""
                    needs.imports.add(ImportedName(item.module, item.name, item.alias, unbound_in=unbound_in))
            else:
                if (module, name) in self.dagster_made:
                    continue
                self._add_definition(module, name, needs, recursive)

    def star_origin(self, module: str, name: str) -> SourceModule | None:
        """:meth:`_star_origin` of a name the module binds no other way, worked out once per module and name."""
        key = (module, name)
        if key not in self.star_origins:
            self.star_origins[key] = self._star_origin(module, name) if self._star_imports(module) else None
        return self.star_origins[key]

    def _star_imports(self, module: str) -> list[ast.ImportFrom]:
        """The ``from x import *`` statements at a source module's top level (read once per module)."""
        found = self.star_statements.get(module)
        if found is None:
            source = self.modules.get(module)
            tree = source.fixed_tree if source is not None else None
            found = self.star_statements[module] = [
                stmt
                for stmt in (tree.body if tree is not None else ())
                if isinstance(stmt, ast.ImportFrom) and any(alias.name == "*" for alias in stmt.names)
            ]
        return found

    def _star_origin(self, module: str, name: str, seen: frozenset[str] = frozenset()) -> SourceModule | None:
        """The source module that binds ``name`` for ``module`` through its ``from x import *`` statements
        (followed from module to module; the last star import wins, as it does when the module runs).
        None when no star import of a source module exports the name."""
        if module in seen or len(seen) > MAX_STAR_DEPTH:
            return None
        package = self.package(module)
        for stmt in reversed(self._star_imports(module)):
            star = self.find(module, imported_name(stmt, "*", package).module)
            if star is None or not _star_exports(star, name):
                continue
            if name in self.definitions.get(star.relpath, {}):
                return star
            deeper = self._star_origin(star.relpath, name, seen | {module})
            if deeper is not None:
                return deeper
        return None

    @staticmethod
    def _unbound_in(target: SourceModule | None, item: ImportedName) -> str:
        """The source module ``item`` names, when that module never binds the imported name (else "").

        ``from src.spark import spark`` with an empty ``src/spark/__init__.py`` and no
        ``src/spark/spark.py``: the name exists nowhere in the sources, and the import of the
        Dagster project's own package cannot work in the generated one.
        """
        tree = target.fixed_tree if target is not None and item.name is not None else None
        if tree is None or may_bind(tree, item.name or ""):
            return ""
        return target.relpath if target is not None else ""

    def package(self, module: str) -> str:
        """The package a source module's relative imports start from (its own, for a package's ``__init__.py``;
        "" for a module that is not one of the sources), worked out once per module."""
        package = self.packages.get(module)
        if package is None:
            source = self.modules.get(module)
            dotted = source.dotted if source is not None else ""
            # the path's last part, as ``Path(module).name`` reads it, without a ``Path`` per question
            package = dotted if module.rpartition("/")[2] == "__init__.py" else dotted.rpartition(".")[0]
            self.packages[module] = package
        return package

    def module_contents(self, module: str) -> list[Definition]:
        """Every plain definition of a source module (what ``helpers/`` holds when code imports the module)."""
        return [
            Definition(module, name)
            for name, stmt in sorted(self.definitions.get(module, {}).items())
            if not isinstance(stmt, (ast.Import, ast.ImportFrom)) and (module, name) not in self.dagster_made
        ]

    def _add_definition(self, module: str, name: str, needs: Needs, recursive: bool) -> None:
        definition = Definition(module, name)
        if definition in needs.definitions or (module, name) in self.dagster_made:
            return
        stmt = self.definitions.get(module, {}).get(name)
        if stmt is None:
            return
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self._add_reexported(definition, needs, recursive)
            return
        needs.definitions.add(definition)
        if recursive:
            self.resolve(module, self.names_in(self.render(definition)), needs, set())

    def _add_reexported(self, definition: Definition, needs: Needs, recursive: bool) -> None:
        """A name a source module only imports (``from .lamassu import LamassuResource`` in a
        package's ``__init__.py``): what it is bound to is needed, not the import statement,
        whose relative form cannot work from ``helpers/``. The code that imported the name
        through the re-export keeps the name (or its own alias) for it."""
        if definition in self.forwarding:
            return  # modules importing the name from each other: nothing defines it
        self.forwarding.add(definition)
        try:
            alias = needs.aliases.pop(definition, None)
            before = set(needs.definitions)
            self.resolve(definition.module, {definition.name}, needs, set(), recursive=recursive)
            if alias is not None:
                for found in needs.definitions - before:
                    if needs.aliases.get(found, found.name) == definition.name:
                        needs.aliases[found] = alias
        finally:
            self.forwarding.discard(definition)

    def _configured_step(self, module: str, stmt: ast.stmt) -> str | None:
        """The op ``stmt`` configures (``triple = scale.configured({...}, name="triple")``), if one of the sources'.

        The op is found by what its name is bound to (defined here or imported from a source
        module), so a configured resource or a same-named plain function is not taken for one.
        """
        if not (
            isinstance(stmt, ast.Assign)
            and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Attribute)
            and stmt.value.func.attr == "configured"
            and isinstance(stmt.value.func.value, ast.Name)
        ):
            return None
        name = stmt.value.func.value.id
        bound = self.definitions.get(module, {}).get(name)
        if isinstance(bound, ast.ImportFrom):
            item = imported_name(bound, name, self.package(module))
            target = self.find(module, item.module)
            if target is not None and item.name is not None and (target.relpath, item.name) in self.dagster_made:
                return item.name
            return None
        return name if (module, name) in self.dagster_made else None

    def statement(self, definition: Definition) -> ast.stmt:
        """The statement that defines a helper."""
        return self.definitions[definition.module][definition.name]

    def render(self, definition: Definition) -> str:
        """The helper's code, with Dagster ``Config`` bases turned into pydantic ``BaseModel``."""
        if definition in self.cache:
            return self.cache[definition]
        module = self.modules[definition.module]
        stmt = self.statement(definition)
        copied = CopiedCode(module.fixed_text, statement_first_line(stmt), stmt.end_lineno or stmt.lineno)
        ctx = module.fixed_context
        if isinstance(stmt, ast.ClassDef) and ctx is not None:
            for ref in ctx.references:
                # ``ConfigurableResourceFactory[Client]``: the whole subscript is the base
                base = next(
                    (b for b in stmt.bases if ref.node is b or (isinstance(b, ast.Subscript) and ref.node is b.value)),
                    None,
                )
                if ref.role == "base" and ref.canonical in CONFIG_BASES and base is not None:
                    copied.replacements.append(
                        Replacement(
                            (base.lineno, base.col_offset),
                            node_end(base),
                            "BaseModel",
                        )
                    )
                    if ref.canonical in RESOURCE_BASES:
                        copied.replacements.extend(_resource_dependencies(ctx, stmt))
                        first = statement_first_line(stmt)
                        note = RESOURCE_NOTE
                        if definition in self.lifecycle_classes:
                            factory = ref.canonical == "dagster.ConfigurableResourceFactory"
                            note = (FACTORY_NOTE if factory else LIFECYCLE_NOTE) + "".join(
                                f"{line}\n" for line in _context_todo(stmt)
                            )
                            copied.replacements.extend(_lifecycle_context_annotations(ctx, stmt))
                        copied.replacements.append(Replacement((first, 0), (first, 0), note))
        if isinstance(stmt, ast.Assign) and ctx is not None and isinstance(stmt.value, ast.Call):
            call_ref = ctx.reference_of(stmt.value.func)
            if call_ref is not None and call_ref.canonical == "dagster.get_dagster_logger":
                copied.replacements.append(
                    Replacement(
                        (stmt.value.lineno, stmt.value.col_offset),
                        node_end(stmt.value),
                        "logging.getLogger(__name__)",
                    )
                )
        if mentions([stmt], "__file__"):  # ``Path(__file__).parent / "sql"``: now the path of a helpers/ module
            first = statement_first_line(stmt)
            todo = "".join(f"{line}\n" for line in markers.file_todo(definition.module))
            copied.replacements.append(Replacement((first, 0), (first, 0), todo))
        configured = self._configured_step(definition.module, stmt)
        if configured is not None:
            first = statement_first_line(stmt)
            todo = "".join(f"{line}\n" for line in _configured_todo(definition, stmt, configured))
            copied.replacements.append(Replacement((first, 0), (first, 0), todo))
        if definition in self.lifecycle_functions and isinstance(stmt, ast.FunctionDef) and stmt.decorator_list:
            resource_deco = stmt.decorator_list[0]  # ``@resource(...)``: the hooks call the generator itself
            note = RESOURCE_FUNCTION_NOTE if lifecycle.is_generator(stmt) else RETURNING_RESOURCE_NOTE
            note += "".join(f"{line}\n" for line in lifecycle.nested_resources_todo(stmt))
            copied.replacements.append(Replacement((resource_deco.lineno, 0), (stmt.lineno, 0), note))
            if ctx is not None:  # ``def postgres(context: InitResourceContext)``: it gets the stand-in
                copied.replacements.extend(
                    _init_context_annotations(ctx, [*stmt.args.posonlyargs, *stmt.args.args][:1])
                )
        if (definition.module, definition.name) in self.graphs and isinstance(stmt, ast.FunctionDef):
            decorator = stmt.decorator_list[0] if stmt.decorator_list else None
            note = GRAPH_NOTE
            if self.fan_out is not None:
                fan_out = self.fan_out(definition.module, ast.Module(body=stmt.body, type_ignores=[]), copied)
                if fan_out.dynamic:
                    self.dynamic_graphs.add(definition)
                    note += "".join(f"{line}\n" for line in markers.note(GRAPH_FAN_OUT_NOTE))
                note += "".join(f"{line}\n" for line in fan_out.notes)
            if decorator is not None:
                copied.replacements.append(Replacement((decorator.lineno, 0), (stmt.lineno, 0), note))
        text = copied.render_dedented()
        self.cache[definition] = text
        return text


def _configured_todo(definition: Definition, stmt: ast.stmt, op: str) -> list[str]:
    """The TODO above a copied ``x = op.configured({...}, name=...)``: ZenML steps have no ``configured``."""
    assert isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)
    name = argument(stmt.value, "name")
    called = name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else definition.name
    return markers.wrap(
        "# TODO(migration):",
        f"`{definition.name}` ({definition.module}:{stmt.lineno}) is the op `{op}` with its config set by "
        f"`.configured(...)`, which ZenML steps do not have (this line fails on import): write "
        f"`{definition.name} = {op}.with_options(parameters={{...}})` with those values for the step's config "
        f"parameter (an instance of its Config model), and call it with id={py_literal(called)} (the Dagster "
        "op name).",
    )


def _lifecycle_methods(stmt: ast.ClassDef) -> list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, ast.arg]]:
    """The lifecycle methods a resource class defines, with their Dagster context parameter."""
    found = []
    for method in stmt.body:
        if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and method.name in LIFECYCLE_METHODS:
            params = [*method.args.posonlyargs, *method.args.args]
            if len(params) >= 2:
                found.append((method, params[1]))
    return found


def _resource_dependencies(ctx: Any, stmt: ast.ClassDef) -> list[Replacement]:
    """``redis: ResourceDependency[RedisResource]`` -> ``redis: RedisResource`` in a resource class that
    became a pydantic model: a nested resource is a nested model, and pydantic builds no schema for
    Dagster's ``ResourceDependency``."""
    edits = []
    for field_stmt in stmt.body:
        annotation = field_stmt.annotation if isinstance(field_stmt, ast.AnnAssign) else None
        if not isinstance(annotation, ast.Subscript):
            continue
        ref = ctx.reference_of(annotation.value)
        if ref is not None and ref.canonical == "dagster.ResourceDependency":
            edits.append(
                Replacement(
                    (annotation.lineno, annotation.col_offset), node_end(annotation), ctx.segment(annotation.slice)
                )
            )
    return edits


def _lifecycle_context_annotations(ctx: Any, stmt: ast.ClassDef) -> list[Replacement]:
    """``context: InitResourceContext`` -> ``context`` in lifecycle methods: the hooks pass None, and the
    generated code must not import Dagster for a type."""
    return _init_context_annotations(ctx, [param for _method, param in _lifecycle_methods(stmt)])


def _init_context_annotations(ctx: Any, params: list[ast.arg]) -> list[Replacement]:
    """The edits dropping ``: InitResourceContext`` from these parameters (the hooks pass None or the
    ResourceInit stand-in; the generated code must not import Dagster for a type)."""
    edits = []
    for param in params:
        annotation = param.annotation
        ref = ctx.reference_of(annotation) if annotation is not None else None
        if annotation is not None and ref is not None and ref.canonical == "dagster.InitResourceContext":
            start = (param.lineno, param.col_offset + len(param.arg.encode()))
            edits.append(Replacement(start, node_end(annotation), ""))
    return edits


def _context_todo(stmt: ast.ClassDef) -> list[str]:
    """A TODO when a lifecycle method reads its Dagster context (the hooks call it with None)."""
    readers = [
        method.name
        for method, param in _lifecycle_methods(stmt)
        if any(isinstance(n, ast.Name) and n.id == param.arg for s in method.body for n in ast.walk(s))
    ]
    if not readers:
        return []
    return markers.wrap(
        "# TODO(migration):",
        f"{', '.join(readers)} read(s) the Dagster InitResourceContext, which ZenML does not have (the hooks "
        "pass None): use a module logger for context.log and pass other values as fields.",
    )


def _extra_imports(names: AbstractSet[str]) -> set[ImportedName]:
    """Imports that translated helper code needs beyond the source's own (``BaseModel``, ``logging``), from
    the names it reads."""
    found: set[ImportedName] = set()
    if "BaseModel" in names:
        found.add(BASE_MODEL)
    if "logging" in names:
        found.add(ImportedName("logging", None, "logging"))
    return found


def helper_modules(modules: dict[str, SourceModule]) -> dict[str, str]:
    """Source module path -> the import path of the ``helpers/`` module holding its shared definitions.

    Distinct sources always get distinct modules (``pkg/util.py`` -> ``helpers.pkg_util``,
    then ``pkg_util.py`` -> ``helpers.pkg_util_2``), in path order, so the mapping is stable.
    """
    taken = NameSet()
    found: dict[str, str] = {}
    for path in sorted(modules):
        # ``Path(path).with_suffix("").as_posix()`` of the relative POSIX path, without a ``Path`` per module
        stem = python_name(posixpath.splitext(path)[0], taken, suffix="_helpers")
        taken.add(stem)
        found[path] = f"helpers.{stem}"
    return found


def _is_definition(part: str) -> bool:
    first = next((line for line in python_lines(part) if line.strip() and not line.startswith("#")), "")
    return first.startswith(("def ", "class ", "@", "async def "))


def _module_text(docstring: str, imports: set[ImportedName], body_parts: list[str]) -> str:
    """A module: docstring, imports, then the parts (two blank lines around definitions, like ruff format)."""
    import_lines = render_imports(imports)
    text = "\n".join(_docstring(docstring, "")) + "\n"
    if import_lines:
        text += "\n" + "\n".join(import_lines) + "\n"
    previous_definition = bool(import_lines)
    for index, part in enumerate(body_parts):
        definition = _is_definition(part)
        if index == 0:
            separator = "\n\n" if definition else "\n"
        else:
            separator = "\n\n" if definition or previous_definition else ""
        text += separator + part.rstrip("\n") + "\n"
        previous_definition = definition
    return text


def _order_definitions(resolver: _Resolver, definitions: set[Definition]) -> list[Definition]:
    """The definitions in source order, one per statement: the names one statement binds (a ``with``
    block, an import with a fallback) are written once, by that statement."""
    ordered = sorted(definitions, key=lambda d: (d.module, resolver.statement(d).lineno, d.name))
    written: set[tuple[str, int]] = set()
    kept = []
    for definition in ordered:
        statement = (definition.module, id(resolver.statement(definition)))
        if statement not in written:
            written.add(statement)
            kept.append(definition)
    return kept


def _dagster_note(needs: Needs) -> list[str]:
    if not needs.dagster:
        return []
    names = ", ".join(sorted(needs.dagster))
    return markers.wrap(
        "# TODO(migration):",
        f"this code still uses Dagster ({names}); replace it with plain Python or ZenML "
        "(see MIGRATION_REPORT.md), then drop the dagster dependency.",
    )


def project_model(
    root: Path, modules: dict[str, SourceModule], components: Sequence[AnalysedFile] = ()
) -> tuple[ProjectModel, tuple[LocatedPlan, ...]]:
    """The report's project model and boundary plans (one per code location), built from this run's
    analysis of the user's text (no second lint) and the ``components`` YAML files ``report`` reads.

    Findings and facts carry the lines of the files as written, not of the text with call forms
    written as decorators (:attr:`SourceModule.reported`), so MIGRATION_REPORT.md is ``report``'s.
    Test modules have no facts, as in ``report`` (:func:`~dagster_zenml_lint.project.model.file_facts`):
    an asset or op a test defines is no step of the generated project.
    """
    files = list(components)
    for path, module in sorted(modules.items()):
        source, findings, context = module.reported
        facts = file_facts(context, path)
        result = FileResult(path=path, kind=FileKind.PYTHON, findings=tuple(findings), source=source)
        files.append(AnalysedFile(result, facts))
    assign_code_locations([f.facts for f in files if f.facts is not None], root)
    model = ProjectModel(root.name or root.as_posix(), files)
    return model, plan_code_locations(model)


def component_files(found_files: Sequence[DiscoveredFile], root: Path, config: Config | None) -> list[AnalysedFile]:
    """The ``defs.yaml``/``component.yaml`` files among ``found_files`` (``report``'s discovery,
    :func:`~dagster_zenml_lint.project.model.project_files`), linted as ``report`` lints them
    (:func:`~dagster_zenml_lint.project.model.analyse_component_file`): their findings and component facts
    belong in the project model, though no step is generated from them."""
    config = config or Config()
    return [
        analyse_component_file(found.path, root, config)
        for found in found_files
        if found.kind == FileKind.COMPONENT_YAML
    ]


def _import_roots(root: Path, modules: dict[str, SourceModule], model: Any) -> dict[str, tuple[str, ...]]:
    """Each source module's import roots: its package root, its code location (as the report finds them), the
    root; then the working directories a workspace file names around it and the directories of the
    ``Definitions`` entry points around it, and the other Python projects of the migrated tree (and their
    ``src/``).

    A module without Dagster facts (``types.py`` of a package) lies in the deepest code location around it.
    The other projects come last: in a monorepo of packages (a uv workspace: ``packages/core/src/core`` and
    ``packages/silver/src/silver``) every member is installed, and ``silver`` imports ``core`` by its name.
    """
    locations = {f.path: f.code_location for f in getattr(model, "facts", None) or []}
    known = {loc for loc in locations.values() if loc}
    innermost: dict[str, str] = {}  # directory -> the deepest code location holding it ("" none)
    roots: dict[str, tuple[str, ...]] = {}
    by_directory: dict[tuple[str, str], tuple[str, ...]] = {}  # the roots depend on the module's directory only
    projects: dict[str, None] = {}  # every Python project's roots, in the order first met
    for path in modules:
        directory = path.rpartition("/")[0]
        location = locations.get(path)
        if location is None:
            if directory not in innermost:
                innermost[directory] = _deepest_location(directory, known)
            location = innermost[directory]
        key = (directory, location)
        if key not in by_directory:
            around = project_roots(path, root)
            by_directory[key] = import_roots(path, root, location, around)
            projects.update(dict.fromkeys(around))
        roots[path] = by_directory[key]
    # the working directories a workspace file runs code locations from (``working_directory: src``:
    # ``src/ops/x.py`` imports ``ops.template``), and the directories of ``Definitions`` entry points, which
    # ``dagster dev -f definitions.py`` runs from (``user_code/ops/x.py`` imports ``utils.db`` of
    # ``user_code/utils``); deepest first
    entries = {
        f.path.rpartition("/")[0]
        for f in getattr(model, "facts", None) or []
        if any(d.entry_point for d in f.definitions)
    }
    working = sorted(
        {w for found in workspace_locations(root, {d for d, _ in by_directory}).values() for w in found if w}
        | {e for e in entries if e},
        key=lambda w: (-w.count("/"), w),
    )
    others = sorted(projects) if len(projects) > 1 else []  # one project (or none): nothing installed beside it
    if not working and not others:
        return roots
    extended: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
    for path, own in roots.items():
        directory = path.rpartition("/")[0]
        key = (directory, own)
        if key not in extended:
            inside = [w for w in working if directory == w or directory.startswith(f"{w}/")]
            # before the migrated root (``own`` ends with it): a working directory is the more specific
            extended[key] = tuple(dict.fromkeys([*own[:-1], *inside, *own[-1:], *others]))
        roots[path] = extended[key]
    return roots


def _deepest_location(directory: str, known: set[str]) -> str:
    """The deepest of the ``known`` code locations that is ``directory`` or holds it ("" when none does):
    its directory's prefixes are looked up, from the deepest, not every location tested against it."""
    while directory:
        if directory in known:
            return directory
        directory = directory.rpartition("/")[0]
    return ""


def _renamed(boundaries: tuple[LocatedPlan, ...], pipelines: list[PipelinePlan]) -> tuple[LocatedPlan, ...]:
    """The boundary plans with the pipeline names the generator used (so MIGRATION_REPORT.md names real modules).

    ``PipelinePlan.boundary`` counts the planned pipelines of all code locations, in order.
    """
    names = {p.boundary: p.name for p in pipelines if p.boundary is not None and p.planned_name != p.name}
    if not names:
        return boundaries
    renamed = []
    first = 0  # the boundary index of this location's first pipeline
    for located in boundaries:
        rows = tuple(
            dataclasses.replace(p, name=names.get(first + index, p.name))
            for index, p in enumerate(located.plan.pipelines)
        )
        renamed.append(located._replace(plan=dataclasses.replace(located.plan, pipelines=rows)))
        first += len(rows)
    return tuple(renamed)


def _name_pipelines(pipelines: list[PipelinePlan], step_names: list[str]) -> None:
    """Every pipeline gets a safe name, unique among pipelines and steps (its module imports steps by name).

    A pipeline named like a step becomes ``<name>_pipeline``; the planned name is kept
    for the report (``planned_name``).
    """
    taken = NameSet(step_names)
    for plan in pipelines:
        raw = plan.name
        plan.planned_name = plan.planned_name or raw
        name = python_name(raw, taken, suffix="_pipeline")
        if name != python_name(raw, (), suffix="_pipeline"):
            name = python_name(f"{raw}_pipeline", taken, suffix="_pipeline")
        plan.name = name
        taken.add(name)


def _skipped_summary(skipped: Sequence[SkippedModule]) -> str:
    """``2 source(s) could not be read or analysed (DZ000), e.g. `a.py`: <reason>``, on one line."""
    first = skipped[0]
    where = f"{first.relpath}:{first.line} ({first.name})" if first.name else first.relpath
    reason = " ".join(first.reason.split())
    return f"{len(skipped)} source(s) could not be read or analysed (DZ000), e.g. `{where}`: {reason}"


def generate_project(
    paths: Sequence[str | Path],
    *,
    python: str | None = None,
    config: Config | None = None,
    root: str | Path | None = None,
) -> Project:
    """Build the generated project for the Dagster sources under ``paths`` (nothing is written).

    ``config`` (the project's ``[tool.dagster-zenml-lint]``) silences findings as in ``check``.
    ``python`` is the generated ``requires-python`` lower bound; None: what the source project
    supports, never above the running interpreter (:func:`required_python`).
    """
    python = python or required_python(Path(paths[0]))
    discovered = project_files(paths, config, root=root)  # report's files and root: both commands read the same
    root, loaded, skipped = load_sources([Path(p) for p in paths], config, discovered)
    modules = {m.relpath: m for m in loaded}
    contexts = {path: m.context for path, m in modules.items() if m.context is not None}
    # what was not read or analysed may be the Dagster code: say so, rather than "none found"
    unread = f" ({_skipped_summary(skipped)})" if skipped else ""
    if not contexts:
        raise ScaffoldError(f"no Dagster code found in the given paths: nothing to migrate{unread}")
    access = {path: {f.line for f in m.findings if f.code == DZ309.code} for path, m in modules.items()}
    model, boundaries = project_model(root, modules, component_files(discovered[1], root, config))
    io_managers = io_manager_specs(contexts, access, model.resource_catalog)  # type: ignore[arg-type]
    steps = step_specs(model, contexts)
    if not steps:
        raise ScaffoldError(f"no Dagster ops or assets found in the given paths: nothing to migrate{unread}")
    name = python_name(root.name, suffix="_project", fallback="migrated")
    graphs = graph_asset_specs(model, modules, [s.name for s in steps])
    steps = Steps([*steps, *(spec for spec, _ in graphs)])  # their ops are steps already
    jobs = job_specs(model, modules)
    pipelines = plan_from_boundaries(steps, planned_pipelines(boundaries), model, jobs)
    if not pipelines:
        pipelines = plan_pipelines(steps, name, model, jobs)
    _name_pipelines(pipelines, [s.name for s in steps])
    pipelines = order_by_dependencies(pipelines, steps)
    boundaries = _renamed(boundaries, pipelines)
    project = Project(
        root,
        name,
        modules,
        io_managers,
        pipelines,
        python,
        model=model,
        boundaries=boundaries,
        jobs=jobs,
        steps=steps,
        factories=nested_steps(model, contexts),
        skipped=skipped,
        graph_assets={spec.name: graph for spec, graph in graphs},
    )
    graph_bodies = graph_functions(model, contexts)
    resolver = _Resolver(
        modules,
        steps,
        graph_bodies,
        root.name,
        list(jobs.values()),
        _import_roots(root, modules, model),
        model.resource_catalog,
    )
    _generate_steps(project, resolver)
    resolver.fan_out = lambda module, node, copied: _rewrite_fan_out(
        project, node, copied, _visible_steps(project, resolver, module)
    )
    resolver.cache = {d: text for d, text in resolver.cache.items() if (d.module, d.name) not in resolver.graphs}
    _place_leftovers(project)
    _generate_pipelines(project, resolver)
    render.project_files(project)
    return project


def _is_logger(text: str) -> bool:
    """A module logger (``logger = logging.getLogger(__name__)``): every file gets its own."""
    return "getLogger(__name__)" in text and text.count("\n") <= 1


def _assemble(
    resolver: _Resolver,
    pieces: list[tuple[str, str]],
    shared: set[Definition],
    here: set[Definition],
    extra: frozenset[Definition] = frozenset(),
) -> tuple[set[ImportedName], list[str], set[str], list[Definition]]:
    """Imports, inlined helper code and Dagster names for a file holding ``pieces`` ((module, code) pairs).

    Helpers in ``shared`` are imported from ``helpers/`` (unless this file is where they
    live, ``here``); any other helper the code needs is copied into the file.
    """
    imports: set[ImportedName] = set()
    dagster: set[str] = set()
    inline: set[Definition] = set()
    queue = list(pieces)
    first = True
    while queue:
        module, text = queue.pop(0)
        needs = Needs(definitions=set(extra) if first else set())  # ``extra``: needed though not named here
        first = False
        names = resolver.names_in(text)
        resolver.resolve(module, names, needs, set(), recursive=False)
        imports |= needs.imports | _extra_imports(names)
        dagster |= needs.dagster
        for source_module, alias in needs.modules.items():
            helper = resolver.helper_modules[source_module]
            package, _, stem = helper.rpartition(".")
            imports.add(ImportedName(package, stem, alias))
        for definition in sorted(needs.definitions, key=lambda d: (d.module, d.name)):
            alias = needs.aliases.get(definition, definition.name)
            if definition in shared and definition not in here:
                imports.add(ImportedName(resolver.helper_modules[definition.module], definition.name, alias))
            elif definition not in inline and definition not in here:
                inline.add(definition)
                queue.append((definition.module, resolver.render(definition)))
    ordered = _order_definitions(resolver, inline)
    return imports, [resolver.render(d) for d in ordered], dagster, ordered


def _resource_classes(project: Project, spec: StepSpec, *, named: bool = False) -> list[Definition]:
    """Resource classes a step now takes as parameters (they were ``context.resources.<key>``) or reads
    from the pipeline state (a lifecycle); ``named``: only those its code names (a factory's is not,
    its step reads what create_resource made, but the hooks build the factory from helpers/)."""
    types = project.model.resource_catalog.resource_types
    states = [cls for key, cls in spec.lifecycle.items() if not (named and key in spec.state_types)]
    classes = [*spec.resource_uses.values(), *states]
    return [Definition(types[cls], cls) for cls in dict.fromkeys(classes) if cls in types]


def _resource_functions(project: Project, spec: StepSpec) -> list[Definition]:
    """Generator ``@resource`` functions whose value a step reads from the pipeline state."""
    bound = project.model.project_bindings.classes
    names = [bound[key] for key, cls in spec.lifecycle.items() if not cls]
    functions = project.model.resource_catalog.resource_functions
    return [Definition(functions[n], n) for n in names if n in functions]


def _multi_partitions(project: Project) -> dict[tuple[str, str], PartitionsFact]:
    """(source path, function name) -> the partitions of the first asset defined there that has any,
    for the assets partitioned by a ``MultiPartitionsDefinition`` with dimensions (looked up once per project)."""
    found: dict[tuple[str, str], PartitionsFact | None] = {}
    for asset in (getattr(project.model, "assets", None) or {}).values():
        fact = asset.partitions
        if fact is not None:
            multi = fact.kind.split(".", 1)[0] == "MultiPartitionsDefinition" and bool(fact.dimensions)
            found.setdefault((asset.path, asset.definition.function), fact if multi else None)
    return {place: fact for place, fact in found.items() if fact is not None}


def _dimensions(multi: dict[tuple[str, str], PartitionsFact], spec: StepSpec) -> tuple[tuple[str, str], ...]:
    """Each dimension of the step's ``MultiPartitionsDefinition`` with its pipeline parameter (as run.py names it)."""
    fact = multi.get((spec.module, spec.function_name))
    if fact is None:
        return ()
    return tuple(zip(fact.dimensions, param_names(partition_params(fact, ())), strict=True))


def _generate_steps(project: Project, resolver: _Resolver) -> None:
    users: dict[Definition, set[str]] = {}
    multi = _multi_partitions(project)
    for spec in project.steps:
        module = project.modules[spec.module]
        io_manager = project.io_managers.io_manager_for(
            spec.io_manager_key, project.model.resource_catalog, project.model.project_bindings.classes
        )
        graph = project.graph_assets.get(spec.name)
        code = (
            terminal_step(spec, graph)
            if graph is not None
            else translate(spec, module, module.findings, io_manager, _dimensions(multi, spec))
        )
        project.step_codes[spec.name] = code
        needs = Needs()
        own = {i.alias for i in code.imports} | ({"logger"} if code.needs_logger else set())
        resolver.resolve(spec.module, resolver.names_in(code.text) - own, needs, set())
        for definition in [*_resource_classes(project, spec), *_resource_functions(project, spec)]:
            needs.definitions.add(definition)
            resolver.resolve(definition.module, resolver.names_in(resolver.render(definition)), needs, set())
        for definition in needs.definitions:
            users.setdefault(definition, set()).add(spec.name)
    whole: set[str] = set()
    for spec in project.steps:
        needs = Needs()
        code = project.step_codes[spec.name]
        resolver.resolve(spec.module, resolver.names_in(code.text), needs, set())
        whole.update(needs.modules)
    shared = {
        d
        for d, names in users.items()
        if (
            len(names) > 1
            or d.module != project.steps.step(next(iter(names))).module  # type: ignore[union-attr]
            or d.module in whole
            or d in resolver.lifecycle_classes  # hooks/resources.py imports them too
            or d in resolver.lifecycle_functions
        )
        and not _is_logger(resolver.render(d))
    }
    project.shared = shared
    _write_helpers(project, resolver, shared)
    _write_lifecycle_hooks(project, resolver)
    for spec in project.steps:
        code = project.step_codes[spec.name]
        imports, parts, dagster, _ = _assemble(
            resolver, [(spec.module, code.text)], shared, set(), frozenset(_resource_classes(project, spec, named=True))
        )
        imports |= code.imports
        preamble = _dagster_note(Needs(dagster=dagster))
        if code.needs_logger and not any(_is_logger(p) for p in parts):
            imports.add(ImportedName("logging", None, "logging"))
            preamble.append(LOGGER_LINE)
        body = ["\n".join(preamble)] if preamble else []
        docstring = _step_docstring(spec, spec.name in project.graph_assets)
        path = f"steps/{spec.name}.py"
        project.files[path] = resolver.module_file(project, path, docstring, imports, [*body, *parts, code.text])
    project.files["steps/__init__.py"] = '"""Steps of the migrated project: one step per module."""\n'


def _write_lifecycle_hooks(project: Project, resolver: _Resolver) -> None:
    """``hooks/resources.py`` when a step uses a resource with a lifecycle (see :mod:`.lifecycle`)."""
    catalog = project.model.resource_catalog
    used = []
    for spec in project.steps:
        for key, cls in spec.lifecycle.items():
            name = cls or project.model.project_bindings.classes[key]
            module = catalog.resource_types[cls] if cls else catalog.resource_functions[name]
            used.append(lifecycle.LifecycleResource(key, name, resolver.helper_modules[module], function=not cls))
    if used:
        project.files[lifecycle.HOOKS_PATH] = lifecycle.hooks_module(used)
        project.files["hooks/__init__.py"] = '"""Pipeline hooks: set-up and tear-down of resources."""\n'


def _pipeline_decorator(
    project: Project,
    members: list[str],
    *,
    dynamic: bool = False,
    model: str | None = None,
    bindings: ResourceBindings | None = None,
) -> tuple[str, set[ImportedName], list[str]]:
    """The ``@pipeline`` line of a pipeline running ``members``, its imports, and TODO lines above it.

    With on_init / on_cleanup when a member step uses a resource with a lifecycle: the hook
    builds each one from the values it was built with in Dagster (``on_init_kwargs``). A
    dynamic pipeline names its steps whose parameters come from ``configs/*.yaml`` in
    ``depends_on=``: ZenML applies a configuration file's ``steps:`` section inside a dynamic
    pipeline only to those (without it: "Missing entrypoint input 'config'"). ``model`` is the
    ``model=Model(...)`` keyword of a pipeline sharing its asset graph's model. ``bindings`` are the
    resources of the run unit it replaces (:meth:`Project.pipeline_bindings`; None: the project's).
    """
    bindings = bindings or project.model.project_bindings
    keys: dict[str, str] = {}
    configured: list[str] = []
    for name in members:
        spec = project.steps.step(name)
        if spec is not None:
            keys.update((k, c) for k, c in spec.lifecycle.items() if k not in keys)
            if dynamic and any(spec.injected.values()) and spec.name not in configured:
                configured.append(spec.name)
    imports = {ImportedName(f"steps.{n}", n, n) for n in configured}
    if not keys:
        leading = [*(["dynamic=True"] if dynamic else []), *([model] if model else [])]
        if not configured:
            return (f"@pipeline({', '.join(leading)})" if leading else "@pipeline"), set(), []
        decorator = f"@pipeline({', '.join(leading)}, depends_on=[{', '.join(configured)}])"
        if len(decorator) > LINE_WIDTH:  # exploded with trailing commas: what ruff format keeps
            steps = "".join(f"        {n},\n" for n in configured)
            first = "".join(f"    {k},\n" for k in leading)
            decorator = f"@pipeline(\n{first}    depends_on=[\n{steps}    ],\n)"
        return decorator, imports, []
    values: dict[str, dict[str, str]] = {}
    todos: list[str] = []
    built = project.model.project_bindings  # what hooks/resources.py builds each key with, in every pipeline
    for key in keys:
        own, shared = bindings.classes.get(key), built.classes.get(key)
        if own != shared and own is not None and shared is not None:
            # this pipeline's job bound the key to something else than the hooks' table builds: left out of
            # on_init_kwargs, so a step reading it fails loudly rather than run on the other job's resource
            # (a database where this job had a mock)
            todos.extend(lifecycle.rebound_todo(key, own, bindings.where[key], shared, built.where[key]))
            continue
        values[key], unknown = lifecycle.field_values(bindings.values_of(key))
        if unknown:
            todos.extend(lifecycle.unknown_value_todo(key, unknown))
        elif key not in bindings.classes:
            todos.extend(lifecycle.unbound_todo(key))
        elif not values[key] and _has_config_schema(project, key):
            todos.extend(lifecycle.unconfigured_todo(key))
    decorator = lifecycle.pipeline_decorator(values, dynamic=dynamic, depends_on=configured, model=model)
    return decorator, {lifecycle.SET_UP, lifecycle.TEAR_DOWN, *imports}, todos


def _has_config_schema(project: Project, key: str) -> bool:
    """The ``@resource`` function bound to ``key`` declares a ``config_schema`` (it reads resource_config)."""
    name = project.model.project_bindings.classes.get(key, "")
    module = project.modules.get(project.model.resource_catalog.resource_functions.get(name, ""))
    tree = module.fixed_tree if module is not None else None
    stmt = module_definitions(tree).get(name) if tree is not None else None
    deco = stmt.decorator_list[0] if isinstance(stmt, ast.FunctionDef) and stmt.decorator_list else None
    return isinstance(deco, ast.Call) and (bool(deco.args) or any(k.arg == "config_schema" for k in deco.keywords))


def _step_docstring(spec: StepSpec, graph_backed: bool = False) -> str:
    what = {"op": "op", "asset": "asset", "multi_asset": "multi-asset", "check": "asset check"}[spec.kind]
    what = f"graph-backed {what}" if graph_backed else what
    outputs = f" (outputs: {', '.join(spec.outputs)})" if spec.kind != "op" and spec.outputs else ""
    return f"Step `{spec.name}`{outputs}, migrated from the Dagster {what} in {spec.module}:{spec.line}."


def _write_helpers(project: Project, resolver: _Resolver, shared: set[Definition]) -> None:
    by_module: dict[str, list[Definition]] = {}
    for definition in shared:
        by_module.setdefault(resolver.helper_modules[definition.module], []).append(definition)
    for module_path, definitions in sorted(by_module.items()):
        here = set(definitions)
        ordered = _order_definitions(resolver, here)
        pieces = [(d.module, resolver.render(d)) for d in ordered]
        imports, inline, dagster, _ = _assemble(resolver, pieces, shared, here)
        body = ["\n".join(_dagster_note(Needs(dagster=dagster)))] if dagster else []
        path = module_path.replace(".", "/") + ".py"
        project.files[path] = resolver.module_file(
            project,
            path,
            f"Helpers shared by several steps, from {definitions[0].module}.",
            imports,
            [*body, *inline, *(text for _, text in pieces)],
        )
    if by_module:
        project.files["helpers/__init__.py"] = '"""Plain Python helpers that several steps share."""\n'


def _function_span(node: ast.AST) -> tuple[int, int]:
    return statement_first_line(node), node.end_lineno or node.lineno  # type: ignore[arg-type, attr-defined]


def _place_leftovers(project: Project) -> None:
    """Give every HIGH finding outside step and job bodies a TODO marker in the module it concerns.

    Sensors are marked in run.py (where runs start now); asset-job findings in their
    pipeline; partition findings in every pipeline that takes partition parameters;
    anything else in run.py.
    """
    spans: dict[str, list[tuple[int, int]]] = {}
    for spec in project.steps:
        spans.setdefault(spec.module, []).append(_function_span(spec.function.node))
    for job in project.jobs.values():
        if not job.from_graph:
            spans.setdefault(job.module, []).append(_function_span(job.function.node))
    sensor_spans: dict[str, list[tuple[int, int]]] = {}  # absorb only DZ304: run.py marks each sensor already
    for trigger in project.model.sensors():
        path, line = trigger.location.path, trigger.location.line
        span = next((o for o in project.model.object_spans(path) if o.start <= line <= o.end), None)
        sensor_spans.setdefault(path, []).append((span.start, span.end) if span is not None else (line, line))
    by_origin: dict[str, list[PipelinePlan]] = {}
    for pipeline in project.pipelines:
        by_origin.setdefault(pipeline.origin, []).append(pipeline)
    partitioned = [
        p
        for p in project.pipelines
        if p.partition_params or any(project.step_codes[m].parameters for m in p.members if m in project.step_codes)
    ]
    grouped: dict[tuple[str, str], list[str]] = {}
    by_code = rules_by_code()
    for path, finding in project.findings:
        rule = by_code.get(finding.code)
        if rule is None or rule.severity != Severity.HIGH:
            continue
        if any(start <= finding.line <= end for start, end in spans.get(path, [])):
            continue
        if finding.code == DZ304.code and any(
            start <= finding.line <= end for start, end in sensor_spans.get(path, [])
        ):
            continue
        where = f"{path}:{finding.line}"
        plans = by_origin.get(where)
        targets = (
            [p.name for p in plans]
            if plans
            else (
                [p.name for p in partitioned]
                if finding.code in rules_in_section("partitions") and partitioned
                else [""]
            )
        )
        for target in targets:
            grouped.setdefault((target, finding.code), []).append(f"{finding.message} ({where})")
    for module, line, function, kind in project.factories:
        project.unplaced.extend(
            markers.wrap(
                "# TODO(migration):",
                f"the @{kind} '{function}' ({module}:{line}) is built inside a function or loop (a factory): "
                "write one step per generated definition (or one parameterized step) and call it from a pipeline.",
            )
        )
    for (target, code), subjects in sorted(grouped.items()):
        lines = markers.todo(by_code[code], subjects)
        if target:
            plan = next(p for p in project.pipelines if p.name == target)
            plan.notes.extend(lines)
        else:
            project.unplaced.extend(lines)


def _share_models(project: Project) -> None:
    """Attach the pipelines of one asset graph split into several to one ZenML ``Model`` (issue 18 item 5).

    Asset pipelines are grouped by the upstream assets (inputs and ``deps=``) one loads from
    another; a group of two or more shares a model named after the project (and its first
    pipeline when there are several groups). The first pipeline in run order creates the
    model version; the others attach to its latest version, so an upstream artifact is loaded
    from the version the same ``run.py --pipeline all`` linked it to, not by bare name.
    """
    producers = project.steps.asset_producers()
    assets = [p for p in project.pipelines if p.kind != "job"]
    owner: dict[str, str] = {}  # step -> the first asset pipeline that runs it
    for plan in assets:
        for member in plan.members:
            owner.setdefault(member, plan.name)
    group = {p.name: p.name for p in assets}

    def root(name: str) -> str:
        while group[name] != name:
            name = group[name]
        return name

    for plan in assets:
        for spec in (project.steps.step(m) for m in plan.members):
            if spec is None:
                continue
            for key in [*spec.inputs.values(), *spec.order_after]:
                upstream = owner.get(producers[key][0].name) if key in producers else None
                if upstream is not None and upstream != plan.name:
                    group[root(plan.name)] = root(upstream)
    members: dict[str, list[PipelinePlan]] = {}
    for plan in assets:  # in run order: the first of a group creates the model version
        members.setdefault(root(plan.name), []).append(plan)
    shared = [plans for plans in members.values() if len(plans) > 1]
    for plans in shared:
        name = project.name if len(shared) == 1 else f"{project.name}_{plans[0].name}"
        for plan in plans:
            plan.model = (name, plans[0].name)


def _generate_pipelines(project: Project, resolver: _Resolver) -> None:
    _share_models(project)
    owners = _Owners(project.pipelines)
    steps = _StepNames(
        project.steps.asset_producers(), frozenset(s.name.casefold() for s in project.steps), owners.first
    )
    for index, plan in enumerate(project.pipelines):
        members = plan.members
        text = (
            _job_pipeline(project, resolver, plan)
            if plan.kind == "job"
            else _asset_pipeline(project, resolver, plan, steps)
        )
        project.files[_pipeline_path(plan)] = text
        if plan.members is not members:  # its job's calls or its graphs' ops: the owners may change
            owners.update(index, members)
    names = [p.name for p in project.pipelines]
    imports = {ImportedName(f"pipelines.{n}", n, n) for n in names}
    quoted = [py_literal(n) for n in sorted(names)]
    all_line = "__all__ = [" + ", ".join(quoted) + "]"
    if len(all_line) > LINE_WIDTH:
        all_line = "__all__ = [\n" + "".join(f"    {q},\n" for q in quoted) + "]"
    docstring = "Pipelines of the migrated project (run them with run.py)."
    path = "pipelines/__init__.py"
    project.files[path] = resolver.module_file(project, path, docstring, imports, [all_line])


def _trigger_markers(plan: PipelinePlan) -> list[str]:
    lines: list[str] = []
    for trigger in plan.triggers:
        if trigger.is_schedule:
            where = f"the Dagster schedule '{trigger.name}' ({trigger.location})"
            text = (
                f"{where} ran this pipeline on cron '{trigger.cron}'; `python run.py --schedule` registers it "
                "(see also configs/prod.yaml) (DZ208)."
                if trigger.cron
                else f"{where} ran this pipeline once per partition, on the cadence of its partitions definition: "
                "a launcher must compute the partition key of each run (DZ208)."
            )
            lines.extend(markers.note(text))
    return lines


@dataclass(frozen=True)
class _StepIndex:
    """The steps by the names source modules call them, indexed once (not once per module asked about)."""

    unique: dict[str, StepSpec]  # function name -> the one step of that name in the whole project
    own: dict[str, dict[str, StepSpec]]  # module -> its function names -> its steps (the last of a name)
    by_place: dict[tuple[str, str], StepSpec]  # (module, function name) -> the first such step


def _step_index(steps: Sequence[StepSpec]) -> _StepIndex:
    by_function: dict[str, list[StepSpec]] = {}
    own: dict[str, dict[str, StepSpec]] = {}
    by_place: dict[tuple[str, str], StepSpec] = {}
    for spec in steps:
        name = spec.function_name
        by_function.setdefault(name, []).append(spec)
        own.setdefault(spec.module, {})[name] = spec
        by_place.setdefault((spec.module, name), spec)
    unique = {name: specs[0] for name, specs in by_function.items() if len(specs) == 1}
    return _StepIndex(unique, own, by_place)


def _built_step_index(project: Project, resolver: _Resolver) -> _StepIndex:
    if resolver.step_index is None:
        resolver.step_index = _step_index(project.steps)
    return resolver.step_index


def _imported_steps(project: Project, resolver: _Resolver, module: str) -> dict[str, StepSpec]:
    """The steps a source module imports, by the name it binds (worked out once per module)."""
    known = resolver.imported_steps.get(module)
    if known is not None:
        return known
    index = _built_step_index(project, resolver)
    imported: dict[str, StepSpec] = {}
    source = project.modules.get(module)
    package = source.dotted.rpartition(".")[0] if source else ""
    for bound, stmt in resolver.definitions.get(module, {}).items():
        if not isinstance(stmt, (ast.Import, ast.ImportFrom)):
            continue
        item = imported_name(stmt, bound, package)
        target = resolver.find(module, item.module)
        match = index.by_place.get((target.relpath, item.name)) if target is not None and item.name else None
        if match is not None:
            imported[bound] = match
    resolver.imported_steps[module] = imported
    return imported


def _visible_steps(project: Project, resolver: _Resolver, module: str) -> dict[str, StepSpec]:
    """The steps a source module can call, by the name it uses (its own ops, and ops it imports).

    A copy of every uniquely named step of the project: to look up a few names, use :func:`_visible_step`.
    """
    index = _built_step_index(project, resolver)
    visible = dict(index.unique)
    visible.update(index.own.get(module, {}))
    visible.update(_imported_steps(project, resolver, module))
    return visible


def _visible_step(project: Project, resolver: _Resolver, module: str, name: str) -> StepSpec | None:
    """``_visible_steps(project, resolver, module).get(name)``, without copying the project's steps."""
    imported = _imported_steps(project, resolver, module)
    if name in imported:
        return imported[name]
    index = _built_step_index(project, resolver)
    own = index.own.get(module, {})
    return own[name] if name in own else index.unique.get(name)


def _calls_in_execution_order(node: ast.AST) -> list[str]:
    """Names of the functions called in a body, innermost first (``a(b(x))`` runs ``b`` before ``a``).

    An op mapped over a dynamic output (``items.map(op)``) runs where the ``.map`` call is.
    """
    calls: list[tuple[tuple[int, int], str]] = []
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        position = (call.end_lineno or 0, call.end_col_offset or 0)
        if isinstance(call.func, ast.Name):
            calls.append((position, call.func.id))
        elif _wrapped_op(call.func) is not None:  # ``op.alias("x")(...)``: the op runs here
            calls.append((position, _wrapped_op(call.func) or ""))
        elif _mapped_op(call) is not None:
            calls.append((position, _mapped_op(call) or ""))
    calls.sort(key=lambda c: c[0])
    return [name for _, name in calls]


def _wrapped_op(func: ast.expr) -> str | None:
    """``op.alias("x")`` / ``op.configured({...}, name="x")`` / ``op.with_hooks(...)``... called in a body: the
    name of the op that runs (Dagster's invocation wrappers, and ``with_options`` of a translated one)."""
    if (
        isinstance(func, ast.Call)
        and isinstance(func.func, ast.Attribute)
        and func.func.attr in {"alias", "with_options", *INVOCATION_MODIFIERS}
        and isinstance(func.func.value, ast.Name)
    ):
        return func.func.value.id
    return None


def _mapped_op(call: ast.Call) -> str | None:
    """``items.map(op)`` in a job or graph body: the name of the op run once per dynamic item."""
    if (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "map"
        and len(call.args) == 1
        and not call.keywords
        and isinstance(call.args[0], ast.Name)
    ):
        return call.args[0].id
    return None


@dataclass(frozen=True)
class FanOut:
    """What the fan-out calls of a job body became: whether there were any, and what is left for a person."""

    dynamic: bool  # the body maps over a dynamic output: the pipeline is ``@pipeline(dynamic=True)``
    notes: tuple[str, ...] = ()


def _rewrite_fan_out(project: Project, node: ast.AST, copied: CopiedCode, steps: dict[str, StepSpec]) -> FanOut:
    """``items.map(op)`` becomes ``op.map(items)`` and ``mapped.collect()`` ``mapped`` (issue 18 item 3).

    In a ZenML dynamic pipeline ``step.map(items)`` runs the step once per item of a list
    output, and passing its result to another step gives that step the list of results (what
    Dagster's ``.collect()`` did). Only when every ``.map``/``.collect`` call of the body has
    this form (one op, by name, that is a migrated step); otherwise nothing is rewritten and a
    TODO says what is left.
    """
    maps: list[ast.Call] = []
    collects: list[ast.Call] = []
    other: list[str] = []
    for call in ast.walk(node):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            continue
        attr = call.func.attr
        if attr == "map" and _mapped_op(call) in steps:
            maps.append(call)
        elif attr == "collect" and not call.args and not call.keywords:
            collects.append(call)
        elif attr in ("map", "collect"):
            other.append(ast.unparse(call.func))
    if not maps and not collects and not other:
        return FanOut(False)
    if other or not maps:
        what = ", ".join(sorted(set(other))) or "a .collect() without a .map()"
        return FanOut(
            False,
            tuple(
                markers.wrap(
                    "# TODO(migration):",
                    f"DZ211 -- {what}: only `items.map(op)` (one op, by name) and `.collect()` are translated; "
                    "rewrite this fan-out as `op.map(items)` in a `@pipeline(dynamic=True)` by hand.",
                )
            ),
        )
    # inner calls first: two insertions at one position apply in list order, the first nearest the receiver
    for call in sorted(maps, key=lambda c: (c.end_lineno or 0, c.end_col_offset or 0)):
        func = call.func
        assert isinstance(func, ast.Attribute)
        bound = _mapped_op(call) or ""
        spec = steps[bound]
        name = spec.name if bound in PIPELINE_MODULE_NAMES else bound
        receiver = func.value
        start = (receiver.lineno, receiver.col_offset)
        extra = "".join(f", {p}={p}" for p in project.step_codes[spec.name].parameters)
        copied.replacements.append(Replacement(start, start, f"{name}.map("))
        copied.replacements.append(Replacement(node_end(receiver), node_end(call), f"{extra})"))
    for call in collects:
        func = call.func
        assert isinstance(func, ast.Attribute)
        copied.replacements.append(Replacement(node_end(func.value), node_end(call), ""))
    return FanOut(True)


def _expand_calls(called: list[str], helpers: dict[str, list[str]], depth: int = 0) -> list[str]:
    """Calls with each helper's own calls spliced in where the helper is called (graphs within graphs too)."""
    expanded: list[str] = []
    for name in called:
        if name in helpers and depth < 10:
            expanded.extend(_expand_calls(helpers[name], helpers, depth + 1))
        else:
            expanded.append(name)
    return expanded


INVOCATION_MODIFIERS = frozenset({"with_hooks", "configured", "tag", "with_retry_policy"})
# Names a pipeline module binds itself: a job body calling an op of one of these names calls the
# step by its own name instead (``from steps.pipeline_step import pipeline_step as pipeline``
# would replace the ``@pipeline`` decorator with the step).
PIPELINE_MODULE_NAMES = frozenset({"pipeline"})


@dataclass(frozen=True)
class _Configured:
    """An op with its config bound in a job body: ``op.configured(CONFIG, name="x")`` or
    ``configured(op, name="x")(CONFIG)`` (``node``), where ``op`` is a step the body can call."""

    node: ast.Call
    step: str  # the name the body calls the step by
    config: ast.expr  # CONFIG
    name: ast.expr | None  # the ``name=`` of the configured op (its invocation's name in Dagster)
    other_options: bool  # ``config_schema=`` / ``description=``: a new schema, not a bound config


def _configured(node: ast.expr, steps: dict[str, StepSpec], ctx: FileContext | None) -> _Configured | None:
    """``node`` as a configured step, if it is one."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "configured":
        if isinstance(func.value, ast.Name) and func.value.id in steps:
            others = len(node.args) > 2 or any(k.arg != "name" for k in node.keywords)
            return _Configured(node, func.value.id, node.args[0], argument(node, "name", 1), others)
        return None
    if not (isinstance(func, ast.Call) and ctx is not None and len(node.args) == 1 and not node.keywords):
        return None
    reference = ctx.reference_of(func.func)
    op = func.args[0] if func.args else None
    if reference is None or reference.canonical != "dagster.configured":
        return None
    if not (isinstance(op, ast.Name) and op.id in steps):
        return None
    others = len(func.args) > 1 or any(k.arg != "name" for k in func.keywords)
    return _Configured(node, op.id, node.args[0], argument(func, "name"), others)


def _bound_parameters(spec: StepSpec, configured: _Configured) -> str | None:
    """The ``parameters=`` of ``step.with_options(...)`` that bind a configured op's literal config to the
    step's config parameter, or None when that is not the whole story: a config that is not a literal
    dict of JSON values, a new ``config_schema=``, a name that is not a literal, a step without exactly
    one config parameter or with other injected parameters (resources come from the configuration file,
    keyed by the invocation's id, which has no entry for this invocation)."""
    if configured.other_options:
        return None
    if configured.name is not None and not (
        isinstance(configured.name, ast.Constant) and isinstance(configured.name.value, str)
    ):
        return None
    try:
        value = ast.literal_eval(configured.config)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(value, dict) or not _json_like(value):
        return None
    if len(spec.injected) != 1 or set(spec.injected) & set(spec.resources):
        return None
    ((parameter, config_class),) = spec.injected.items()
    return py_literal(parameter) if config_class else None


def _json_like(value: object) -> bool:
    """A value ZenML takes as a step parameter as it is: JSON data (string keys)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_like(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_like(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def _bind_config(copied: CopiedCode, configured: _Configured, parameter: str, called_as: str) -> None:
    """``op.configured(CONFIG, name=...)`` -> ``op.with_options(parameters={"<parameter>": CONFIG})``, CONFIG as
    written (the edits replace what is around it)."""
    start = (configured.node.lineno, configured.node.col_offset)
    opening = f"{called_as}.with_options(parameters={{{parameter}: "
    copied.replacements.append(Replacement(start, (configured.config.lineno, configured.config.col_offset), opening))
    copied.replacements.append(Replacement(node_end(configured.config), node_end(configured.node), "})"))


def _configured_ids(
    node: ast.AST, steps: dict[str, StepSpec], ctx: FileContext | None
) -> tuple[dict[str, _Configured], dict[int, str]]:
    """The configured steps of a body bound to a local name (``triple = scale.configured(...)``), and the
    invocation id of each call of a configured op (by ``id`` of the call node), in execution order:
    ``triple``, then ``triple_2``... as Dagster names repeated invocations."""
    aliases: dict[str, _Configured] = {}
    for stmt in ast.walk(node):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            found = _configured(stmt.value, steps, ctx)
            if found is not None:
                aliases[stmt.targets[0].id] = found
    calls: list[tuple[tuple[int, int], ast.Call, _Configured]] = []
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        found = _configured(call.func, steps, ctx)
        if found is None and isinstance(call.func, ast.Name):
            found = aliases.get(call.func.id)
        if found is not None:
            calls.append((node_end(call), call, found))
    ids: dict[int, str] = {}
    counts: dict[str, int] = {}
    for _, call, found in sorted(calls, key=lambda c: c[0]):
        name = found.name
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            counts[name.value] = counts.get(name.value, 0) + 1
            ids[id(call)] = name.value if counts[name.value] == 1 else f"{name.value}_{counts[name.value]}"
    return aliases, ids


def _configured_note(step: str) -> list[str]:
    return markers.wrap(
        "# TODO(migration):",
        f"`{step}.configured(...)` has no ZenML invocation form: configure the step with "
        f"`{step}.with_options(parameters={{...}})` (the config as an instance of its Config model) "
        "before calling it, with id= the Dagster op name.",
    )


def _rewrite_invocations(
    project: Project,
    node: ast.AST,
    copied: CopiedCode,
    steps: dict[str, StepSpec],
    ctx: FileContext | None = None,
) -> list[str]:
    """Step calls in a job body: pass partition parameters, turn ``op.alias("x")(...)`` into ``op(..., id="x")``
    and a configured op with a literal config, ``op.configured({...}, name="x")(...)`` (also bound to a
    name first, or ``configured(op, name="x")({...})``), into ``op.with_options(parameters=...)(..., id="x")``.

    Returns marker lines for invocation modifiers that have no direct form (``with_hooks``, a configured
    op whose config is not a literal...). ``ctx`` (the copied module's) tells ``dagster.configured`` apart.
    """
    notes: list[str] = []
    aliases, ids = _configured_ids(node, steps, ctx)
    bound: dict[int, bool] = {}  # configured node -> translated
    called = (_configured(c.func, steps, ctx) for c in ast.walk(node) if isinstance(c, ast.Call))
    for configured in [*aliases.values(), *(c for c in called if c is not None)]:
        if id(configured.node) in bound:
            continue
        called_as = steps[configured.step].name if configured.step in PIPELINE_MODULE_NAMES else configured.step
        parameter = _bound_parameters(steps[configured.step], configured)
        bound[id(configured.node)] = parameter is not None
        if parameter is None:
            notes.extend(_configured_note(configured.step))
        else:
            _bind_config(copied, configured, parameter, called_as)
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        extra: list[str] = []
        invoked = _configured(func, steps, ctx) or (aliases.get(func.id) if isinstance(func, ast.Name) else None)
        if invoked is not None:
            if not bound[id(invoked.node)]:
                continue
            step_name = invoked.step
            if id(call) in ids:
                extra.append(f"id={py_literal(ids[id(call)])}")
            extra.extend(f"{p}={p}" for p in project.step_codes[steps[step_name].name].parameters)
            if extra:
                separator = ", " if call.args or call.keywords else ""
                end_line, end_col = node_end(call)
                closing = f"{separator}{', '.join(extra)})"
                copied.replacements.append(Replacement((end_line, end_col - 1), (end_line, end_col), closing))
            continue
        if isinstance(func, ast.Name) and func.id in steps and func.id in PIPELINE_MODULE_NAMES:
            copied.replacements.append(Replacement((func.lineno, func.col_offset), node_end(func), steps[func.id].name))
        if (
            isinstance(func, ast.Call)
            and isinstance(func.func, ast.Attribute)
            and isinstance(func.func.value, ast.Name)
            and func.func.value.id in steps
        ):
            step_name, modifier = func.func.value.id, func.func.attr
            if modifier == "alias" and func.args and isinstance(func.args[0], ast.Constant):
                called_as = steps[step_name].name if step_name in PIPELINE_MODULE_NAMES else step_name
                copied.replacements.append(Replacement((func.lineno, func.col_offset), node_end(func), called_as))
                extra.append(f"id={py_literal(str(func.args[0].value))}")
            elif modifier in INVOCATION_MODIFIERS:
                notes.extend(
                    markers.wrap(
                        "# TODO(migration):",
                        f"`{step_name}.{modifier}(...)` has no ZenML invocation form: configure the step with "
                        f"`{step_name}.with_options(...)` (hooks: on_success=/on_failure=) before calling it.",
                    )
                )
                continue
        elif isinstance(func, ast.Name) and func.id in steps:
            step_name = func.id
        else:
            continue
        extra.extend(f"{p}={p}" for p in project.step_codes[steps[step_name].name].parameters)
        if not extra:
            continue
        separator = ", " if call.args or call.keywords else ""
        end_line, end_col = call.end_lineno or call.lineno, call.end_col_offset or 0
        closing = f"{separator}{', '.join(extra)})"
        copied.replacements.append(Replacement((end_line, end_col - 1), (end_line, end_col), closing))
    return notes


def _names_pipeline(deco: ast.expr, name: str) -> bool:
    """A decorator call ``@...(name="<name>")`` (a fixed ``@job(name=...)``)."""
    return isinstance(deco, ast.Call) and any(
        k.arg == "name" and isinstance(k.value, ast.Constant) and k.value.value == name for k in deco.keywords
    )


def _renamed_decorator(text: str, deco: ast.expr, name: str) -> str:
    """The decorator's source lines (``@`` included) with ``name=`` set to the generated pipeline's unique name."""
    assert isinstance(deco, ast.Call)
    value = next(k.value for k in deco.keywords if k.arg == "name")
    copied = CopiedCode(text, deco.lineno, deco.end_lineno or deco.lineno)
    copied.replacements.append(Replacement((value.lineno, value.col_offset), node_end(value), py_literal(name)))
    return copied.render_dedented().rstrip("\n")


def _job_pipeline(project: Project, resolver: _Resolver, plan: PipelinePlan) -> str:
    job = plan.job
    assert job is not None
    module = project.modules[job.module]
    ctx = module.fixed_context
    assert ctx is not None
    node = next(f.node for f in ctx.functions if f.node.name == job.function.node.name and f.parent_class is None)
    info = next(f for f in ctx.functions if f.node is node)
    dagster_decos = {id(d.node) for d in info.decorators if d.canonical in JOB_DECORATORS}
    decorators: list[str] = []
    shared_name = sum(1 for p in project.pipelines if p.job is not None and p.job.name == job.name) > 1
    for deco in node.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if id(target) in dagster_decos or id(deco) in dagster_decos:
            decorators.append("@pipeline")
        elif shared_name and _names_pipeline(deco, job.name):
            decorators.append(_renamed_decorator(module.fixed_text, deco, plan.name))
        else:
            decorators.append("@" + ctx.segment(deco))
    first = node.body[0]
    copied = CopiedCode(module.fixed_text, first.lineno, node.end_lineno or first.lineno, first_col=first.col_offset)
    visible = _visible_steps(project, resolver, job.module)
    body_only = ast.Module(body=node.body, type_ignores=[])  # the decorators (``@pipeline(...)``) call no step
    invocation_notes = _rewrite_invocations(project, body_only, copied, visible, ctx)
    fan_out = _rewrite_fan_out(project, body_only, copied, visible)
    if fan_out.dynamic:
        decorators = ["@pipeline(dynamic=True)" if d == "@pipeline" else d for d in decorators]
        invocation_notes.extend(markers.note(DYNAMIC_NOTE))
    invocation_notes.extend(fan_out.notes)
    called = _calls_in_execution_order(body_only)
    params = list(dict.fromkeys(p for s in plan.members for p in project.step_codes[s].parameters))
    plan.partition_params = list(dict.fromkeys([*plan.partition_params, *params]))
    params = plan.partition_params
    signature = ", ".join(f"{p}: str" for p in params)
    start = statement_first_line(job.function.node)
    end = job.function.node.end_lineno or start
    marker_lines: list[str] = []
    seen: set[str] = set()
    for finding in module.findings:
        translated = (DZ102.code, DZ101.code, DZ211.code) if fan_out.dynamic else (DZ102.code, DZ101.code)
        if start <= finding.line <= end and finding.code not in seen and finding.code not in translated:
            seen.add(finding.code)
            marker_lines.extend(markers.for_finding(finding))
    marker_lines.extend(_trigger_markers(plan))
    marker_lines.extend(plan.notes)
    marker_lines.extend(invocation_notes)
    indent = indentation(module.fixed_text, first)
    body = copied.render().rstrip("\n").split("\n")
    docstring_end = 0
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        docstring_end = (first.end_lineno or first.lineno) - first.lineno + 1
    lines = [
        *decorators,
        f"def {plan.name}({signature}) -> None:",
        *body[:docstring_end],
        *(indent + m for m in marker_lines),
        *body[docstring_end:],
    ]
    text = "\n".join(lines)
    imports, parts, _, inline = _assemble(resolver, [(job.module, text)], project.shared, set())
    if not fan_out.dynamic and resolver.dynamic_graphs & set(inline):  # a graph it calls maps over items
        text = text.replace("@pipeline\n", "@pipeline(dynamic=True)\n", 1)
    if not any(i.module == "zenml" and i.name == "pipeline" for i in imports):
        imports.add(ZENML_PIPELINE)
    for module_path in sorted({d.module for d in inline}):
        visible = {**_visible_steps(project, resolver, module_path), **visible}
    used = set().union(*(resolver.names_in(piece) for piece in [text, *parts]))
    for bound in sorted(used & set(visible)):
        spec = visible[bound]
        if bound not in PIPELINE_MODULE_NAMES:
            imports.add(ImportedName(f"steps.{spec.name}", spec.name, bound))
    named = {n.id for n in ast.walk(body_only) if isinstance(n, ast.Name)}  # the copy calls these by their step name
    for bound in sorted(named & PIPELINE_MODULE_NAMES & set(visible)):
        imports.add(ImportedName(f"steps.{visible[bound].name}", visible[bound].name, visible[bound].name))
    helpers = {  # inlined graphs: their steps run where the graph is called (as written in Dagster)
        stmt.name: _calls_in_execution_order(resolver.statement(definition))
        for definition in inline
        if isinstance(stmt := resolver.statement(definition), ast.FunctionDef)
    }
    plan.members = (
        list(dict.fromkeys(visible[c].name for c in _expand_calls(called, helpers) if c in visible)) or plan.members
    )
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if line in ("@pipeline", "@pipeline(dynamic=True)")), None)
    dynamic = at is not None and lines[at] != "@pipeline"
    decorator, hook_imports, todos = _pipeline_decorator(
        project, plan.members, dynamic=dynamic, bindings=project.pipeline_bindings(plan)
    )
    if hook_imports and at is not None:  # the steps are known only now: the hooks' decorator replaces the plain one
        lines[at : at + 1] = [*todos, decorator]
        text = "\n".join(lines)
        imports |= hook_imports
    docstring = f"Pipeline `{plan.name}`, migrated from the Dagster job `{job.name}` in {plan.origin}."
    return resolver.module_file(project, _pipeline_path(plan), docstring, imports, [*parts, text])


def _variable(key: str, taken: NameSet) -> str:
    """A variable for an asset key's artifact, not clashing with steps, parameters or other variables."""
    base = python_name(key.replace("/", "_"), suffix="_artifact")
    return python_name(base if base not in taken else f"{base}_artifact", taken)


class _Owners:
    """The first pipeline (in run order) whose members hold each step, kept as pipelines are generated.

    A pipeline's members change only while it is generated (a job's calls, a graph-backed asset's
    ops), and they are assigned anew, never changed in place: so the owners are found by one pass
    over every pipeline's members, then updated for one pipeline at a time, not searched for among
    every pipeline once per asset an asset pipeline loads (a cost that grew with the project).
    """

    def __init__(self, pipelines: list[PipelinePlan]) -> None:
        self.pipelines = pipelines
        self.first: dict[str, str] = {}  # step -> the name of the first pipeline running it
        self.rank: dict[str, int] = {}  # pipeline name -> its place in run order
        for index, plan in enumerate(pipelines):
            self.rank.setdefault(plan.name, index)
            for member in plan.members:
                self.first.setdefault(member, plan.name)

    def update(self, index: int, before: list[str]) -> None:
        """The pipeline at ``index`` has new members (``before``: the old ones)."""
        plan = self.pipelines[index]
        for member in plan.members:
            owner = self.first.get(member)
            if owner is None or self.rank[owner] > index:
                self.first[member] = plan.name
        kept = set(plan.members)
        for member in before:
            if member not in kept and self.first.get(member) == plan.name:  # dropped: a later pipeline's, if any
                owner = next((p.name for p in self.pipelines if member in p.members), None)
                if owner is None:
                    del self.first[member]
                else:
                    self.first[member] = owner


@dataclass(frozen=True)
class _StepNames:
    """What every asset pipeline's wiring asks of the project's steps, worked out once for all of them."""

    producers: Mapping[str, tuple[StepSpec, str]]  # asset key -> (step producing it, output name)
    folded: frozenset[str]  # the steps' names, casefolded (no variable may take one)
    owners: Mapping[str, str]  # step -> the first pipeline running it (:class:`_Owners`, kept up to date)


class _AssetWiring:
    """The body of one asset pipeline: which variable holds each asset key's artifact, and the step calls."""

    def __init__(self, project: Project, plan: PipelinePlan, steps: _StepNames) -> None:
        self.project = project
        self.plan = plan
        self.producers = steps.producers
        self.owners = steps.owners
        # the steps, parameters, values and variables of this pipeline: a variable takes none of them
        self.taken = NameSet(plan.partition_params)
        self.taken.folded |= steps.folded
        self.variables: dict[str, str] = {}
        self.imports = {ZENML_PIPELINE}
        self.loads: list[str] = []  # lines loading artifacts produced elsewhere
        self.calls: list[str] = []
        self.notes = [*_trigger_markers(plan), *plan.notes]
        self.threaded: dict[str, list[str]] = {}  # graph-backed step -> pipeline parameters its body passes on

    def _owner(self, key: str) -> str | None:
        """The first pipeline running the step that produces ``key`` (None: no step, or no pipeline runs it)."""
        return self.owners.get(self.producers[key][0].name) if key in self.producers else None

    def _bind(self, key: str) -> str:
        variable = _variable(key, self.taken)
        replaced = self.variables.get(key)
        if replaced is not None:  # a key bound again: its earlier variable is no longer taken
            self.taken.folded.discard(replaced.casefold())
        self.variables[key] = variable
        self.taken.add(variable)
        return variable

    def argument(self, key: str) -> str:
        """The variable holding ``key``; loads it (or marks it) when no step of this pipeline produces it."""
        if key in self.variables:
            return self.variables[key]
        variable = self._bind(key)
        if key in self.producers:
            owner = self._owner(key)
            if owner is not None and owner != self.plan.name:
                self.plan.loads[key] = owner  # run.py checks the artifact exists, naming this pipeline
            if self.plan.model is not None and owner is not None:
                self.imports.add(GET_PIPELINE_CONTEXT)
                self.loads.extend(
                    markers.note(
                        f"'{key}' is produced by the pipeline `{owner}`; this loads the version linked to the "
                        f"model '{self.plan.model[0]}' (run that pipeline first, or run.py --pipeline all).",
                        "    ",
                    )
                )
                self.loads.append(f"    {variable} = get_pipeline_context().model.get_artifact({py_literal(key)})")
                return variable
            self.imports.add(CLIENT)
            self.loads.extend(
                markers.note(
                    f"'{key}' is produced by the pipeline `{self._owner(key) or 'another pipeline'}`; this loads its "
                    "latest artifact version (run that pipeline first).",
                    "    ",
                )
            )
            self.loads.append(f"    {variable} = Client().get_artifact_version({py_literal(key)})")
        else:
            subject = (
                f"'{key}' is not produced by any migrated asset (a source or external asset): load it in "
                f"a loader step, or with Client().get_artifact_version({py_literal(key)}) once it is an artifact"
            )
            rule = rules_by_code().get(DZ209.code)
            self.loads.extend(
                markers.todo(rule, subject, "    ") if rule else markers.wrap("# TODO(migration):", subject, "    ")
            )
            self.loads.append(f"    {variable} = None")
        return variable

    def call_graph(self, spec: StepSpec, graph: GraphAsset) -> None:
        """Add the run of a graph-backed asset: its body (the ops' steps), then its terminal step."""
        self.imports.add(ImportedName(f"steps.{spec.name}", spec.name, spec.name))
        arguments = [f"{param}={self.argument(key)}" for param, key in graph.inputs]
        arguments.extend(f"{p}={p}" for p in self.threaded.get(spec.name, ()))
        value = python_name(f"{spec.name}_value", self.taken)
        self.taken.add(value)
        results = [self._bind(key) for key in spec.outputs]
        self.calls.extend(call_lines(graph, arguments, results, value))

    def call(self, spec: StepSpec) -> None:
        """Add the call of one step: inputs by keyword, partition parameters, ``after=`` for ``deps=``."""
        graph = self.project.graph_assets.get(spec.name)
        if graph is not None:
            self.call_graph(spec, graph)
            return
        self.imports.add(ImportedName(f"steps.{spec.name}", spec.name, spec.name))
        arguments = [f"{param}={self.argument(key)}" for param, key in spec.inputs.items()]
        arguments.extend(f"{p}={p}" for p in self.project.step_codes[spec.name].parameters)
        after = [self.variables[k] for k in spec.order_after if k in self.variables]
        for key in (k for k in spec.order_after if k not in self.variables):
            owner = self._owner(key)
            where = f"the pipeline `{owner}`" if owner else "outside the migrated code"
            self.notes.extend(
                markers.note(
                    f"`{spec.name}` ran after '{key}' in Dagster (deps=); '{key}' is produced by {where}, and ZenML "
                    "does not order runs of different pipelines: run that first. (DZ226)"
                )
            )
        if after:
            arguments.append(f"after={after[0]}" if len(after) == 1 else f"after=[{', '.join(after)}]")
        target = ", ".join(self._bind(output) for output in spec.outputs)
        # no outputs known (a multi-asset's ``specs=`` the model cannot read): the call binds nothing
        assign = f"{target} = " if target else ""
        line = f"    {assign}{spec.name}({', '.join(arguments)})"
        if len(line) > LINE_WIDTH:
            inner = "".join(f"        {a},\n" for a in arguments)
            line = f"    {assign}{spec.name}(\n{inner}    )"
        self.calls.append(line)


@dataclass(frozen=True)
class GraphBodies:
    """The plain functions running the bodies of one pipeline's graph-backed assets."""

    imports: frozenset[ImportedName]
    texts: tuple[str, ...]  # module-level parts: a Dagster TODO, nested graphs, the body functions
    dynamic: bool  # a body maps over a dynamic output: the pipeline is ``@pipeline(dynamic=True)``


def _graph_bodies(project: Project, resolver: _Resolver, plan: PipelinePlan) -> GraphBodies:
    """The plain functions running the bodies of the plan's graph-backed assets, with what they import.

    Their op calls become step calls (imported from ``steps/``), a fan-out over a dynamic
    output becomes ``step.map(items)`` as in a job, nested ``@graph`` functions are copied
    beside them, and the plan's members gain the ops' steps, in the graph's order, before
    each terminal step.
    """
    imports: set[ImportedName] = set()
    texts: list[str] = []
    members: list[str] = []
    dagster: set[str] = set()
    dynamic = False
    for member in plan.members:
        graph = project.graph_assets.get(member)
        spec = project.steps.step(member)
        if graph is None or spec is None:
            members.append(member)
            continue
        module = project.modules[graph.module]
        threaded = _threaded_parameters(project, resolver, spec)

        def prepare(
            body: ast.Module,
            copied: CopiedCode,
            module: SourceModule = module,
            spec: StepSpec = spec,
            threaded: list[str] = threaded,
        ) -> list[str]:
            fan_out = resolver.fan_out(spec.module, body, copied) if resolver.fan_out is not None else FanOut(False)
            nonlocal dynamic
            dynamic = dynamic or fan_out.dynamic
            translated = {DZ211.code} if fan_out.dynamic else set()
            lines = _body_markers(module, spec, translated)
            if fan_out.dynamic:
                lines.extend(markers.note(GRAPH_FAN_OUT_NOTE))
            if threaded:  # the body's step calls pass the parameters the function now takes
                lines.extend(_rewrite_invocations(project, body, copied, _body_steps(project, resolver, spec)))
                return [*lines, *fan_out.notes]
            return [*lines, *fan_out.notes, *_unpassed_parameters(project, resolver, spec)]

        text = body_function(module, graph, prepare, threaded)
        found, parts, still_dagster, inline = _assemble(resolver, [(graph.module, text)], project.shared, set())
        dynamic = dynamic or bool(resolver.dynamic_graphs & set(inline))
        dagster |= still_dagster
        visible = {
            bound: spec
            for bound, spec in _visible_steps(project, resolver, graph.module).items()
            if spec.name not in project.graph_assets
        }
        used = set().union(*(resolver.names_in(piece) for piece in [text, *parts]))
        imports |= found | {ImportedName(f"steps.{visible[b].name}", visible[b].name, b) for b in used & set(visible)}
        texts.extend(p for p in parts if p not in texts)
        texts.append(text)
        helpers = {  # nested graphs: their steps run where the graph is called (as written in Dagster)
            stmt.name: _calls_in_execution_order(stmt)
            for definition in inline
            if isinstance(stmt := resolver.statement(definition), ast.FunctionDef)
        }
        body = ast.Module(body=spec.function.node.body, type_ignores=[])
        called = _expand_calls(_calls_in_execution_order(body), helpers)
        members.extend(visible[c].name for c in called if c in visible)
        members.append(member)
    plan.members = list(dict.fromkeys(members))
    note = _dagster_note(Needs(dagster=dagster))  # e.g. a configured op the graph calls: not a step
    return GraphBodies(frozenset(imports), tuple((["\n".join(note)] if note else []) + texts), dynamic)


def _body_steps(project: Project, resolver: _Resolver, spec: StepSpec) -> dict[str, StepSpec]:
    """The steps a graph-backed asset's body can call, by the name it uses (never a terminal step)."""
    return {
        bound: step
        for bound, step in _visible_steps(project, resolver, spec.module).items()
        if step.name not in project.graph_assets
    }


def _step_parameters(project: Project, resolver: _Resolver, spec: StepSpec) -> dict[str, list[str]]:
    """The steps a graph-backed asset's body calls directly that take pipeline parameters (a partition key)."""
    body = ast.Module(body=spec.function.node.body, type_ignores=[])
    found: dict[str, list[str]] = {}
    for name in _calls_in_execution_order(body):
        step = _visible_step(project, resolver, spec.module, name)  # as _body_steps, without its copy
        if step is not None and step.name in project.graph_assets:
            continue
        if step is not None and step.name in project.step_codes and project.step_codes[step.name].parameters:
            found[name] = project.step_codes[step.name].parameters
    return found


def _threaded_parameters(project: Project, resolver: _Resolver, spec: StepSpec) -> list[str]:
    """The pipeline parameters a graph-backed asset's body function takes and passes to its steps.

    Empty when no step of the body needs one, or when the function's signature cannot take
    them as keyword-only parameters (a ``**kwargs``): then a TODO says what to pass.
    """
    graph = project.graph_assets.get(spec.name)
    if graph is None:  # not graph-backed (most steps): no body of its own to look into
        return []
    needs = _step_parameters(project, resolver, spec)
    params = list(dict.fromkeys(p for names in needs.values() for p in names))
    if not params or not threadable(project.modules[graph.module], graph, params):
        return []
    return params


def _unpassed_parameters(project: Project, resolver: _Resolver, spec: StepSpec) -> list[str]:
    """A TODO when a step the graph's body calls takes pipeline parameters (a partition key) it is not given.

    The body is a plain function of the pipeline module: the pipeline's parameters are not in
    its scope, so a person adds them to its signature and passes them on.
    """
    needs = _step_parameters(project, resolver, spec)
    if not needs:
        return []
    calls = ", ".join(f"`{name}` ({', '.join(params)})" for name, params in sorted(needs.items()))
    return markers.wrap(
        "# TODO(migration):",
        f"these steps take pipeline parameters this function does not pass: {calls}; add them to its "
        "signature, pass them to the steps, and pass the pipeline's values where the pipeline calls it.",
    )


def _body_markers(module: SourceModule, spec: StepSpec, translated: set[str]) -> list[str]:
    """Markers for the findings inside a graph-backed asset's body (its decorator's DZ203 is the translation,
    and so are the codes in ``translated``)."""
    start = statement_first_line(spec.function.node)
    end = spec.function.node.end_lineno or start
    lines: list[str] = []
    seen = {DZ101.code, DZ102.code, DZ203.code, *translated}
    for finding in module.findings:
        if start <= finding.line <= end and finding.code not in seen:
            seen.add(finding.code)
            lines.extend(markers.for_finding(finding))
    return lines


def _asset_pipeline(project: Project, resolver: _Resolver, plan: PipelinePlan, steps: _StepNames) -> str:
    wiring = _AssetWiring(project, plan, steps)
    members = [s for s in (project.steps.step(n) for n in plan.members) if s is not None]
    wiring.threaded = {s.name: params for s in members if (params := _threaded_parameters(project, resolver, s))}
    for spec in members:
        wiring.call(spec)
    wanted = [p for s in members for p in [*project.step_codes[s.name].parameters, *wiring.threaded.get(s.name, ())]]
    plan.partition_params = list(dict.fromkeys([*plan.partition_params, *wanted]))
    unused = _unused_outputs(wiring.calls, wiring.variables)
    calls = [_drop_unused(line, unused) for line in wiring.calls]
    signature = ", ".join(f"{p}: str" for p in plan.partition_params)
    if not members and plan.unbuilt:  # the plan's pipeline exists, so the report names a real module
        summary = f"Placeholder for {', '.join(plan.unbuilt)}."
        todo = markers.wrap(
            "# TODO(migration):",
            f"no step was generated for {', '.join(repr(k) for k in plan.unbuilt)} (defined inside a function, "
            "by a factory or by an integration; see the TODO markers in run.py): write the steps and call them "
            "here.",
            "    ",
        )
        stop = raise_lines("NotImplementedError", (f"pipeline {plan.name} ", "has no steps yet"), "    ")
        calls = [*todo, *(f"    {line}" for line in stop)]
    else:
        summary = f"Run the assets {', '.join(plan.members)} in dependency order."
    graphs = _graph_bodies(project, resolver, plan)
    model = None
    if plan.model is not None:
        wiring.imports.add(MODEL)
        model_name, creator = plan.model
        latest = "" if creator == plan.name else ', version="latest"'
        model = f"model=Model(name={py_literal(model_name)}{latest})"
        shared = (
            f"model=: this pipeline and the others of the same Dagster asset graph share the ZenML model "
            f"'{model_name}'; "
            + (
                "this one creates its version (it runs first)."
                if not latest
                else f"this one attaches to its latest version, which `{creator}` creates."
            )
        )
        wiring.notes.extend(markers.note(shared))
    decorator, hook_imports, todos = _pipeline_decorator(
        project, plan.members, dynamic=graphs.dynamic, model=model, bindings=project.pipeline_bindings(plan)
    )
    wiring.imports |= hook_imports
    body = [
        *todos,
        decorator,
        f"def {plan.name}({signature}) -> None:",
        *_docstring(summary, "    "),
        *("    " + m for m in [*wiring.notes, *(markers.note(DYNAMIC_NOTE) if graphs.dynamic else [])]),
        *wiring.loads,
        *calls,
    ]
    docstring = f"Pipeline `{plan.name}`: {plan.reason} ({plan.origin})."
    return resolver.module_file(
        project, _pipeline_path(plan), docstring, wiring.imports | graphs.imports, [*graphs.texts, "\n".join(body)]
    )


def _pipeline_path(plan: PipelinePlan) -> str:
    """The generated module of a pipeline."""
    return f"pipelines/{plan.name}.py"


def _docstring(text: str, indent: str) -> list[str]:
    """A docstring, on one line when it fits in 120 columns, else wrapped."""
    text = docstring_text(text)
    line = f'{indent}"""{text}"""'
    if len(line) <= LINE_WIDTH:
        return [line]
    # Narrower than the line: always two or more lines; words (and their escapes) are never split.
    wrapped = textwrap.wrap(text, width=100 - len(indent), break_long_words=False, break_on_hyphens=False) or [""]
    return [f'{indent}"""{wrapped[0]}', *(f"{indent}{w}" for w in wrapped[1:]), f'{indent}"""']


def _unused_outputs(lines: list[str], variables: dict[str, str]) -> set[str]:
    # a variable is a word: its uses are the words equal to it (one count of the text, not a search per variable)
    words = Counter(re.findall(r"\w+", "\n".join(lines)))
    return {variable for variable in variables.values() if words[variable] <= 1}


def _drop_unused(line: str, unused: set[str]) -> str:
    """``x = step()`` -> ``step()`` when no later call uses ``x`` (keeps ruff's F841 quiet)."""
    stripped = line.strip()
    if " = " not in stripped.split("(")[0]:
        return line
    target, _, call = line.partition(" = ")
    names = [t.strip() for t in target.split(",")]
    if all(n in unused for n in names):
        return f"    {call}"
    return line


def write_project(project: Project, out: Path) -> list[Path]:
    """Write the project's files under ``out``, all or nothing, never outside it; return the written paths.

    Raises :class:`ScaffoldError` (one line) when a link, a directory or an OS error is in the way.
    """
    try:
        return write_files(project.files, out)
    except WriteError as exc:
        raise ScaffoldError(str(exc)) from None


__all__ = ["Project", "ScaffoldError", "generate_project", "write_project"]
