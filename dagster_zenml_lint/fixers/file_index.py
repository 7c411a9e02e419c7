"""The typed lookups every fixer of one file shares, computed once per :class:`FileContext`.

A fixer asks :func:`file_index` for the file's :class:`FileIndex` and reads a property of it;
the index is kept on the context (``FileContext.fixer_index``), so each lookup is computed at
most once per lint of one text, however many findings the fixers handle. Lookups built from
other fixer modules' helpers are computed by modules below this one (``import_facts.py``:
the import block and import uses; ``op_graph.py``: ops, jobs, job bodies and components);
results worked out per node by fixers above (a component's plan and fix, a context
parameter's log fix) are kept in typed dictionaries of the index or of its ``op_graph``,
filled through :func:`remembered`. There are no string keys.
"""

from __future__ import annotations

import ast
import builtins
import itertools
import weakref
from collections.abc import Callable, Hashable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from dagster_zenml_lint.fixers.call_forms import CallForms, find_call_forms, member_name
from dagster_zenml_lint.fixers.edits import resolves_to
from dagster_zenml_lint.fixers.import_facts import (
    ImportBinding,
    ImportBlock,
    ModuleImports,
    UseSpans,
    read_import_block,
    read_import_uses,
    read_module_imports,
    use_spans,
)
from dagster_zenml_lint.fixers.op_graph import (
    OpGraph,
    by_decorator,
    decorator_call_id,
    job_decorator,
    op_decorator,
    read_op_graph,
)
from dagster_zenml_lint.rules._calls import module_level_calls
from dagster_zenml_lint.semantic import ImportRecord, is_dagster_module
from dagster_zenml_lint.source import LINE_END, first_line, python_lines

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import ClassInfo, ContextUse, FileContext, FunctionInfo
    from dagster_zenml_lint.findings import Edit
    from dagster_zenml_lint.fixers.imports import ImportPlan
    from dagster_zenml_lint.registry import FixOutcome

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

ALL = "__all__"
# The builtins' names, taken in every file (listed once, not once per file).
BUILTIN_NAMES = frozenset(dir(builtins))


class FileIndex:
    """Lookups over one file's facts that several fixers need, each computed on first use.

    Valid while its context lives: it refers to the context weakly (``ReferenceError`` after).
    """

    def __init__(self, ctx: FileContext) -> None:
        # The context owns its index (``ctx.fixer_index``): a strong reference back would make
        # every analysed file a reference cycle, its whole tree and facts left for the cyclic
        # garbage collector (``report`` and ``migrate`` spent a tenth of their time there) instead
        # of freed when the last user lets go. What the index keeps refers to it weakly too.
        self.ctx: FileContext = weakref.proxy(ctx)
        # Results fixers above this module work out per node and share within the file
        # (filled through :func:`remembered`): a context parameter's DZ106 fix, by the
        # parameter's id; whether a retry policy variable is read outside a fix's decorator
        # calls, by (name, id of the set of those calls), with the set kept so its id stays unique.
        self.context_log_fixes: dict[int, FixOutcome] = {}
        # DZ106's module logger, the same for every context parameter of the file: the import
        # plan that names it, its name and the lines defining it (when new), made on first use;
        # and the edits adding it, by the ids of the Dagster import records a fix removes with them.
        self.module_logger: tuple[ImportPlan, str, str] | None = None
        self.logger_import_edits: dict[tuple[int, ...], list[Edit]] = {}
        self.retry_uses_outside: dict[tuple[str, int], tuple[set[int], ast.Name | None]] = {}

    @cached_property
    def loads_by_name(self) -> dict[str, list[ast.Name]]:
        """Every ``Name`` read in the file, by identifier, in the order of the engine's walk."""
        index: dict[str, list[ast.Name]] = {}
        for node, _scope in self.ctx.name_loads:
            index.setdefault(node.id, []).append(node)
        return index

    @cached_property
    def module_statement_ids(self) -> frozenset[int]:
        """The ids of the statements of the module's body."""
        return frozenset(id(stmt) for stmt in self.ctx.tree.body)

    @cached_property
    def functions_by_node_id(self) -> dict[int, FunctionInfo]:
        """The engine's :class:`FunctionInfo` of each function definition, by the node's id
        (the first one recorded wins)."""
        index: dict[int, FunctionInfo] = {}
        for info in self.ctx.functions:
            index.setdefault(id(info.node), info)
        return index

    @cached_property
    def module_assignments(self) -> dict[str, list[ast.Assign]]:
        """Module-level assignments by each name among their targets, in file order."""
        found: dict[str, list[ast.Assign]] = {}
        for stmt in self.ctx.tree.body:
            if isinstance(stmt, ast.Assign):
                for name in dict.fromkeys(t.id for t in stmt.targets if isinstance(t, ast.Name)):
                    found.setdefault(name, []).append(stmt)
        return found

    @cached_property
    def references_by_line(self) -> tuple[list[int], list[int]]:
        """The file's references sorted by the line of their node: (lines, positions in ``ctx.references``)."""
        ordered = sorted((ref.node.lineno, index) for index, ref in enumerate(self.ctx.references))
        return [line for line, _ in ordered], [index for _, index in ordered]

    @cached_property
    def dagster_classes(self) -> dict[str, ClassInfo]:
        """Classes with Dagster bases by name (the first of each name)."""
        found: dict[str, ClassInfo] = {}
        for cls in self.ctx.classes:
            if cls.bases:
                found.setdefault(cls.node.name, cls)
        return found

    @cached_property
    def context_uses_by_node(self) -> dict[int, ContextUse]:
        """Each use of a Dagster context parameter by the id of its node (the first one recorded wins)."""
        found: dict[int, ContextUse] = {}
        for use in self.ctx.context_uses:
            found.setdefault(id(use.node), use)
        return found

    @cached_property
    def marker_anchors(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(functions and classes, top-level statements) as 1-based (first line, last line), decorators included."""
        objects = []
        for node in ast.walk(self.ctx.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                first = first_line(node)
                objects.append((first, node.end_lineno or node.lineno))
        statements = []
        for node in self.ctx.tree.body:
            decorators = getattr(node, "decorator_list", [])
            first = min([node.lineno, *(d.lineno for d in decorators)])
            statements.append((first, node.end_lineno or node.lineno))
        return objects, statements

    @cached_property
    def string_interiors(self) -> dict[int, int]:
        """0-based line index -> index of the line where the multi-line string covering it starts."""
        inside: dict[int, int] = {}
        for node in ast.walk(self.ctx.tree):
            if isinstance(node, (ast.Constant, ast.JoinedStr)) and node.end_lineno and node.end_lineno > node.lineno:
                for row in range(node.lineno, node.end_lineno):
                    inside.setdefault(row, node.lineno - 1)
        return inside

    @cached_property
    def taken_names(self) -> frozenset[str]:
        """Every name bound in any scope of the file or read anywhere in it, plus builtins."""
        names = set(BUILTIN_NAMES)
        for scope in self.ctx.model.scopes.values():
            names.update(scope.bindings)  # assignments, definitions, imports and parameters
        names.update(node.id for node, _scope in self.ctx.name_loads)
        return frozenset(names)

    @cached_property
    def import_block_end(self) -> ast.stmt | None:
        """The last statement of the module's leading import block (after a docstring)."""
        body = self.ctx.tree.body
        index = 0
        last: ast.stmt | None = None
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            last = body[0]
            index = 1
        for stmt in itertools.islice(body, index, None):
            if not isinstance(stmt, (ast.Import, ast.ImportFrom)):
                break
            last = stmt
        return last

    @cached_property
    def leading_comments_end(self) -> int:
        """Offset after the leading comment lines (shebang, coding cookie) of the text."""
        offset = 0
        for line in python_lines(self.ctx.text, keepends=True):
            if not line.startswith("#"):
                break
            offset += len(line)
        return offset

    @cached_property
    def exported_names(self) -> frozenset[str] | None:
        """The names the module's ``__all__`` lists, or None when it is not built from string literals.

        An import named there is used by ``from module import *`` and by the module's public
        interface: no fix removes it (None: any import may be named, so none is removed).
        """
        return literal_all(self.ctx.tree.body)

    @cached_property
    def import_block(self) -> ImportBlock:
        """The module's leading import block with the isort key and blank-line group of each statement."""
        return read_import_block(self.ctx)

    @cached_property
    def module_imports(self) -> ModuleImports:
        """The absolute imports of the module's body, by what they bind."""
        return read_module_imports(self.ctx)

    @cached_property
    def import_uses(self) -> dict[ImportBinding, list[ast.Name]]:
        """For each import binding (statement id, bound name): the names that read it."""
        return read_import_uses(self.ctx)

    @cached_property
    def dagster_import_spans(self) -> list[tuple[ImportRecord, UseSpans]]:
        """The Dagster imports a fix may remove (read somewhere, not named by ``__all__``), with the
        sorted spans of the names reading each, in the order of ``ctx.model.imports``."""
        exported = self.exported_names
        uses = self.import_uses
        candidates = [
            record
            for record in self.ctx.model.imports
            if is_dagster_module(record.qualname)
            and (exported is not None and record.name not in exported)
            and (id(record.node), record.name) in uses
        ]
        spans = use_spans(self.ctx, {(id(r.node), r.name): uses[(id(r.node), r.name)] for r in candidates})
        return [(record, spans[(id(record.node), record.name)]) for record in candidates]

    @cached_property
    def calls_by_callee_name(self) -> dict[str, list[ast.Call]]:
        """The file's calls of a plain name (``a(...)``), by that name, in the order of ``ctx.calls``."""
        found: dict[str, list[ast.Call]] = {}
        for call in self.ctx.calls:
            if isinstance(call.func, ast.Name):
                found.setdefault(call.func.id, []).append(call)
        return found

    @cached_property
    def call_forms(self) -> CallForms:
        """``load = op(_load)``: the ops and jobs made by applying the decorator by hand (``call_forms.py``)."""
        return find_call_forms(self)

    @cached_property
    def op_and_job_candidates(self) -> list[FunctionInfo]:
        """The file's functions, then its call forms: where ops and jobs are looked for."""
        return [*self.ctx.functions, *self.call_forms.members]

    @cached_property
    def op_graph(self) -> OpGraph:
        """The file's ops and jobs, who calls whom, and the component fixes worked out so far."""
        return read_op_graph(self.ctx, self.op_and_job_candidates)

    @cached_property
    def ops_by_decorator_node(self) -> dict[int | None, FunctionInfo]:
        """Each ``@op`` function (or ``op(fn)`` call form) by the id of each of its decorator nodes."""
        return by_decorator(self.op_and_job_candidates, op_decorator)

    @cached_property
    def jobs_by_decorator_node(self) -> dict[int | None, FunctionInfo]:
        """Each ``@job`` function (or ``job(fn)`` call form) by the id of each of its decorator nodes."""
        return by_decorator(self.op_and_job_candidates, job_decorator)

    @cached_property
    def ops_and_jobs_by_decorator_call(self) -> dict[int | None, FunctionInfo]:
        """Each ``@op``/``@job`` function by the id of each of its decorator calls (None: a bare decorator)."""
        return by_decorator(
            self.op_and_job_candidates, lambda info: op_decorator(info) or job_decorator(info), decorator_call_id
        )

    @cached_property
    def op_decorator_calls(self) -> frozenset[int]:
        """The ids of the decorator calls of ``@op`` functions (``@op(...)``, and their other decorators' calls)."""
        return frozenset(
            id(ref.call) for f in self.op_and_job_candidates if op_decorator(f) for ref in f.decorators if ref.call
        )

    @cached_property
    def jobs_by_name(self) -> dict[str, FunctionInfo]:
        """``@job`` functions and ``job(fn)`` call forms by name (the first of each name)."""
        found: dict[str, FunctionInfo] = {}
        for info in self.op_and_job_candidates:
            if job_decorator(info) is not None:
                found.setdefault(member_name(info), info)
        return found

    def is_module_level(self, node: ast.AST) -> bool:
        """Whether ``node`` is a statement of the module's body."""
        return id(node) in self.module_statement_ids

    def function_of(self, node: ast.AST | None) -> FunctionInfo | None:
        """The engine's :class:`FunctionInfo` of a function definition node (None for other nodes)."""
        return self.functions_by_node_id.get(id(node))

    @cached_property
    def lines(self) -> tuple[list[int], list[str]]:
        """The offsets where the text's lines start, and its lines (with their endings)."""
        text = self.ctx.text
        starts = [0, *(m.end() for m in LINE_END.finditer(text))]
        ends = [*starts[1:], len(text)]
        return starts, [text[start:end] for start, end in zip(starts, ends, strict=True)]

    @cached_property
    def module_logger_name(self) -> str | None:
        """The name of the first module-level ``x = logging.getLogger(__name__)`` (or ``get_dagster_logger()``)."""
        ctx = self.ctx
        for name, call in module_level_calls(ctx.tree):
            if (ctx.segment(call.func).endswith("getLogger") and _is_name_dunder(call.args)) or (
                resolves_to(ctx, call.func, "dagster.get_dagster_logger") and not call.args
            ):
                return name
        return None


def file_index(ctx: FileContext) -> FileIndex:
    """The :class:`FileIndex` of ``ctx``, created once per file context."""
    index = ctx.fixer_index
    if index is None:
        index = ctx.fixer_index = FileIndex(ctx)
    return index


def remembered(cache: dict[K, V], key: K, compute: Callable[[], V]) -> V:
    """The value ``cache`` holds for ``key``, computed by ``compute`` the first time it is asked for."""
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def literal_all(body: Sequence[ast.stmt]) -> frozenset[str] | None:
    """The names a module's ``__all__`` lists (empty without one), or None when it is not built from
    string literals (``__all__ = [...]``, ``+=``, ``.extend``/``.append`` of literals)."""
    names: set[str] = set()
    for stmt in body:
        value = _all_value(stmt)
        if value is None:
            continue
        items = value.elts if isinstance(value, (ast.List, ast.Tuple, ast.Set)) else [value]
        for item in items:
            if not (isinstance(item, ast.Constant) and isinstance(item.value, str)):
                return None
            names.add(item.value)
    return frozenset(names)


def declares_all(body: Sequence[ast.stmt]) -> bool:
    """Whether a module's statements build an ``__all__``."""
    return any(_all_value(stmt) is not None for stmt in body)


def _all_value(stmt: ast.stmt) -> ast.expr | None:
    """What a module statement adds to ``__all__`` (``__all__ = [...]``, ``+=``, ``.extend``/``.append``)."""
    if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == ALL for t in stmt.targets):
        return stmt.value
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)) and isinstance(stmt.target, ast.Name):
        return stmt.value if stmt.target.id == ALL else None
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == ALL:
            return stmt.value.args[0] if len(stmt.value.args) == 1 else ast.Name(id="?")
    return None


def _is_name_dunder(args: list[ast.expr]) -> bool:
    return len(args) == 1 and isinstance(args[0], ast.Name) and args[0].id == "__name__"
