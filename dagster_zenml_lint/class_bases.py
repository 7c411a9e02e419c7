"""What names imported from the project's own modules are: IO manager bases, dynamic partitions.

``class ADLSDeltaIOManager(BaseConfigurableIOManager)``, with the base imported from
``src.resources.io_managers.base`` where it derives from ``ConfigurableIOManager``, is an IO
manager, but the file alone does not say so. The engine stays a function of one file: it
asks this module which of the file's imported base classes are Dagster IO managers, before
matching (:func:`io_manager_bases`), and the IO manager rules read the answer from
``FileContext.io_bases``. The question is answered from the other files' syntax alone (their
imports and class statements, read once per process and file version), so every front-end
(CLI, flake8, pylint, editor, report) that lints the same file gets the same answer.

The same holds for ``org_partitions_def.get_partition_keys()`` with ``org_partitions_def``
imported from ``partitions.py``, where it is a ``DynamicPartitionsDefinition(...)``
(:func:`dynamic_partitions_names`, read from ``FileContext.dynamic_partitions``).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from dagster_zenml_lint.semantic import SemanticModel, is_dagster_module
from dagster_zenml_lint.source import read_source

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext

# Dagster's IO manager base classes (short names of their public canonical names).
IO_MANAGER_BASES = frozenset(
    {
        "IOManager",
        "ConfigurableIOManager",
        "ConfigurableIOManagerFactory",
        "UPathIOManager",
        "InputManager",
        "ConfigurableLegacyIOManagerAdapter",
        "MemoizableIOManager",
        "DbIOManager",
    }
)
MAX_DEPTH = 6  # imports followed from one base class to the Dagster class it derives from
SEARCH_DEPTH = 6  # parent directories searched for an absolutely imported module


class ImportedName(NamedTuple):
    """A name a module imports with ``from <level dots><module> import <name>``."""

    module: str
    level: int
    name: str


def module_imports(tree: ast.Module) -> dict[str, ImportedName]:
    """Bound name -> where it comes from, for the module-level ``from ... import`` statements."""
    found: dict[str, ImportedName] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if alias.name != "*":
                    found[alias.asname or alias.name] = ImportedName(stmt.module or "", stmt.level, alias.name)
    return found


# What a file's analysis read of other files, while a caller records it (the cache keeps a
# file's findings only as long as these answers stay the same). A context variable, so the
# engine's signature stays (path, text, config) and a run that does not record pays nothing.
# ("module", importer, module, level, name, the file found or None) | ("file", path, its stamp or None)
Dependency = tuple[object, ...]
_RECORDED: ContextVar[list[Dependency] | None] = ContextVar("class_bases_recorded", default=None)


class recording:  # lower case: used as the function it was, ``with recording() as found``
    """Collect, in the list ``with`` gives, every lookup of another file made inside the block.

    A class, not a generator under ``@contextmanager``: the cache enters one per analysed
    file, and the generator's machinery cost three times as much.
    """

    __slots__ = ("found", "token")

    def __enter__(self) -> list[Dependency]:
        self.found: list[Dependency] = []
        self.token = _RECORDED.set(self.found)
        return self.found

    def __exit__(self, *exc_info: object) -> None:
        _RECORDED.reset(self.token)


def file_stamp(path: str) -> tuple[int, int] | None:
    """A file's version as the cache compares it: (modification time in ns, size); None when absent."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_mtime_ns, status.st_size


def dependencies_hold(dependencies: Iterable[Dependency]) -> bool:
    """Whether every recorded lookup would give the same answer now."""
    for dependency in dependencies:
        if dependency[0] == "module" and len(dependency) == 6:
            _, importer, module, level, name, found = dependency
            if not isinstance(level, int) or module_file(str(importer), str(module), level, str(name)) != found:
                return False
        elif dependency[0] == "file":
            if file_stamp(str(dependency[1])) != dependency[2]:
                return False
        else:
            return False
    return True


def module_file(importer: str, module: str, level: int, name: str = "") -> str | None:
    """The file ``from <level dots><module> import <name>`` in the file ``importer`` reads (see
    :func:`find_module_file`), recorded for the cache while a caller records.

    A directory that cannot be searched (no permission, a name the system refuses) finds nothing.
    """
    try:
        found = find_module_file(importer, module, level, name)
    except (OSError, ValueError, RuntimeError):
        found = None
    recorded = _RECORDED.get()
    if recorded is not None:
        recorded.append(("module", importer, module, level, name, found))
    return found


def find_module_file(importer: str, module: str, level: int, name: str = "") -> str | None:
    """The file ``from <level dots><module> import <name>`` in the file ``importer`` takes ``name`` from.

    A relative import is resolved from the importer's package; an absolute one from the
    importer's directory and up to :data:`SEARCH_DEPTH` parents (the import path at run
    time is unknown). When the imported module is a package, ``name`` is its submodule when
    the package holds ``<name>.py`` or ``<name>/__init__.py`` (``from . import jobs``), else
    an attribute of the package's ``__init__.py``. A package directory wins over a module
    file of the same name, as in Python's import system. The one lookup of every
    cross-file question (class bases here, the fixers' ``ProjectIndex``). May raise
    ``OSError``/``ValueError`` for a path the system refuses.
    """
    start = Path(os.path.abspath(importer))  # links kept: a package is what its path says, as for Python
    parts = [p for p in module.split(".") if p]
    if level:
        base = start.parent
        for _ in range(level - 1):
            base = base.parent
        bases = [base]
    elif parts:
        bases = [start.parent, *list(start.parent.parents)[:SEARCH_DEPTH]]
    else:
        return None
    for base in bases:
        candidate = base.joinpath(*parts)
        init = candidate / "__init__.py"
        if not parts or init.is_file():  # a package: the importer's own (``from . import``) or a named one
            submodule = _module_in(candidate, name) if name else None
            if submodule is not None:
                return submodule
            if init.is_file():
                return str(init)
            continue
        if candidate.with_suffix(".py").is_file():
            return str(candidate.with_suffix(".py"))
    return None


def _module_in(package: Path, name: str) -> str | None:
    """The file of the module ``name`` of a package directory, if it has one (a package first)."""
    for path in (package / name / "__init__.py", package / f"{name}.py"):
        if path.is_file():
            return str(path)
    return None


class ModuleClasses(NamedTuple):
    """A small summary of a module file: its classes' bases, its imports and its module-level calls.

    Names are resolved once, when the file is read; no syntax tree is kept, so the cache
    of summaries stays small on a large project.
    """

    # class name -> its bases: the canonical qualname of a Dagster base, or ``"."`` + the
    # name of a class of this module (or a name it imports)
    classes: dict[str, tuple[str, ...]]
    imports: dict[str, ImportedName]
    # name -> qualified name of the callee of ``name = callee(...)`` (only resolved callees)
    assigned_calls: dict[str, str]


NOTHING = ModuleClasses({}, {}, {})
LOCAL = "."  # prefix of a base that is a name of the module itself


def _assigned_calls(tree: ast.Module) -> dict[str, ast.Call]:
    """``name = call(...)`` at module level (the last assignment wins)."""
    found: dict[str, ast.Call] = {}
    for stmt in tree.body:
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
        targets = (
            stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
        )
        if isinstance(value, ast.Call):
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = value
    return found


def _summarize(tree: ast.Module) -> ModuleClasses:
    classes_nodes = [stmt for stmt in tree.body if isinstance(stmt, ast.ClassDef)]
    calls = _assigned_calls(tree)
    if not classes_nodes and not calls:
        return ModuleClasses({}, module_imports(tree), {})
    model = SemanticModel(tree, statements_only=True)
    classes: dict[str, tuple[str, ...]] = {}
    for node in classes_nodes:
        bases: list[str] = []
        for base in node.bases:
            if isinstance(base, ast.Subscript):  # Generic[...] / a parametrised base
                base = base.value
            qualname = model.resolve(base, model.module_scope)
            if qualname is not None and is_dagster_module(qualname):
                bases.append(qualname)
            elif isinstance(base, ast.Name):
                bases.append(LOCAL + base.id)
        classes[node.name] = tuple(bases)
    resolved = {name: model.resolve(call.func, model.module_scope) for name, call in calls.items()}
    return ModuleClasses(classes, module_imports(tree), {k: v for k, v in resolved.items() if v is not None})


@lru_cache(maxsize=4096)
def _read_module(path: str, _mtime: float) -> ModuleClasses:
    try:  # read like a linted file: size-capped, never a FIFO or device, in its declared encoding
        tree = ast.parse(read_source(path).text, filename=path)
        return _summarize(tree)
    except Exception:  # unreadable, not Python, too deep: another file never costs this file its analysis
        return NOTHING


def read_module(path: str) -> ModuleClasses:
    """The summary of a module file (cached per file version)."""
    recorded = _RECORDED.get()
    if recorded is not None:
        recorded.append(("file", path, file_stamp(path)))
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return NOTHING
    return _read_module(path, mtime)


def is_io_manager(path: str, name: str, depth: int = 0) -> bool:
    """Whether the module-level ``name`` of the file ``path`` is a class deriving from a Dagster IO manager."""
    if depth > MAX_DEPTH:
        return False
    module = read_module(path)
    bases = module.classes.get(name)
    if bases is None:
        imported = module.imports.get(name)  # re-exported (``from .base import Base`` in ``__init__.py``)
        if imported is None or is_dagster_module(imported.module):
            return False
        target = module_file(path, imported.module, imported.level, imported.name)
        return target is not None and is_io_manager(target, imported.name, depth + 1)
    for base in bases:
        if not base.startswith(LOCAL):
            if base.rsplit(".", 1)[-1] in IO_MANAGER_BASES:
                return True
        elif base[1:] != name and is_io_manager(path, base[1:], depth + 1):
            return True
    return False


def io_manager_bases(ctx: FileContext, path: str | None = None) -> frozenset[str]:
    """Names the file imports from its own project that are IO manager classes (used as bases here).

    ``path`` is where the file is (default: ``ctx.path``, relative to the working directory).
    """
    path = path or ctx.path
    if path.startswith("<") or not ctx.classes:
        return frozenset()
    imports = module_imports(ctx.tree)
    candidates = {
        base.id
        for info in ctx.classes
        if not info.bases
        for base in info.node.bases
        if isinstance(base, ast.Name) and base.id in imports and not is_dagster_module(imports[base.id].module)
    }
    found = set()
    for name in sorted(candidates):
        imported = imports[name]
        target = module_file(path, imported.module, imported.level, imported.name)
        if target is not None and is_io_manager(target, imported.name):
            found.add(name)
    return frozenset(found)


DYNAMIC_PARTITIONS = "DynamicPartitionsDefinition"


def is_dynamic_partitions(path: str, name: str, depth: int = 0) -> bool:
    """Whether the module-level ``name`` of the file ``path`` is a ``DynamicPartitionsDefinition(...)``."""
    if depth > MAX_DEPTH:
        return False
    module = read_module(path)
    qualname = module.assigned_calls.get(name)
    if qualname is not None:
        return is_dagster_module(qualname) and qualname.endswith("." + DYNAMIC_PARTITIONS)
    imported = module.imports.get(name)
    if imported is None or is_dagster_module(imported.module):
        return False
    target = module_file(path, imported.module, imported.level, imported.name)
    return target is not None and is_dynamic_partitions(target, imported.name, depth + 1)


def dynamic_partitions_names(ctx: FileContext, path: str | None = None) -> frozenset[str]:
    """Names the file imports from its own project that are dynamic partitions definitions there."""
    path = path or ctx.path
    if path.startswith("<") or "partition" not in ctx.text:
        return frozenset()
    imports = {
        name: imported for name, imported in module_imports(ctx.tree).items() if not is_dagster_module(imported.module)
    }
    if not imports:
        return frozenset()
    used = {
        call.func.value.id
        for call in ctx.calls
        if isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id in imports
    }
    found = set()
    for name in sorted(used):
        imported = imports[name]
        target = module_file(path, imported.module, imported.level, imported.name)
        if target is not None and is_dynamic_partitions(target, imported.name):
            found.add(name)
    return frozenset(found)
