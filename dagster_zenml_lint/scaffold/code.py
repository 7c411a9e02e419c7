"""Python code pieces of the generated project: free names, definitions, imports, rendered functions.

Functions and helpers are copied from the fixed source text line by line, so comments and
formatting of the user's code survive; only decorators, signatures and the context
parameter uses the generator translates are rewritten.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
import sys
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from dagster_zenml_lint.scaffold.markers import wrap
from dagster_zenml_lint.scaffold.names import py_literal
from dagster_zenml_lint.semantic import CHILD_FIELDS, child_fields, is_dagster_module
from dagster_zenml_lint.source import line_text, python_lines

BUILTIN_NAMES = frozenset(dir(builtins)) | {"__name__", "__file__"}
STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))
LINE_WIDTH = 120  # the generated project's ruff line length: its pyproject.toml (render.py) and every layout
TAB_WIDTH = 4  # the columns ruff counts for a tab of a tab-indented source's body


def raise_lines(exception: str, pieces: Sequence[str], indent: str) -> list[str]:
    """``raise exception("".join(pieces))`` as ruff format writes it in a body indented by ``indent``
    (the lines are returned without that indentation).

    One line when it fits the generated project's line length; else the message's pieces one a line,
    implicitly concatenated, which ruff format keeps (it joins them only when they fit): a message
    naming a long step or pipeline (a name may take 100 characters) stays within the line length.
    A piece that alone is too long (a class name from the user's source has no bound) is cut into
    literals that fit.
    """
    one_line = f"raise {exception}({py_literal(''.join(pieces))})"
    if len(indent.expandtabs(TAB_WIDTH)) + len(one_line) <= LINE_WIDTH:
        return [one_line]
    unit = "\t" if indent.startswith("\t") else "    "
    room = LINE_WIDTH - len((indent + unit).expandtabs(TAB_WIDTH))
    return [f"raise {exception}(", *(unit + literal for piece in pieces for literal in _literals(piece, room)), ")"]


def _literals(text: str, room: int) -> list[str]:
    """``text`` as string literals of at most ``room`` columns each: one when it fits, else consecutive
    cuts (each a whole literal, so an escape is never split)."""
    literal = py_literal(text)
    if len(literal) <= room:
        return [literal]
    cuts: list[str] = []
    current = ""
    for char in text:
        if current and len(py_literal(current + char)) > room:
            cuts.append(py_literal(current))
            current = ""
        current += char
    return [*cuts, py_literal(current)]


def walk_nodes(node: ast.AST) -> list[ast.AST]:
    """``node`` and every node under it, in :func:`ast.walk`'s order (breadth first), but without the
    expression contexts and operators (``Load``, ``Add``): no question the generator asks is about them.

    A list built in one loop over the fields that can hold nodes (:data:`~dagster_zenml_lint.semantic.CHILD_FIELDS`):
    ``ast.walk`` makes two generators per node and reads every field, scalars and contexts too,
    and the generator walks each step's function and each generated text.
    """
    found = [node]
    fields_of = CHILD_FIELDS
    for current in found:  # the list grows while it is read: a breadth-first queue, as ast.walk's
        names = fields_of.get(type(current))
        for name in names if names is not None else child_fields(type(current)):
            value = getattr(current, name, None)
            if type(value) is list:
                found.extend([item for item in value if isinstance(item, ast.AST)])
            elif isinstance(value, ast.AST):
                found.append(value)
    return found


# Nodes whose names live in a scope of their own, not in the class body around them.
_OWN_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def _class_attributes(nodes: list[ast.AST]) -> set[int]:
    """The ids of the names the class bodies among ``nodes`` bind at class level (``Scheme: Scheme``,
    ``x = 1``): class attributes, which bind no name the code around or in the methods reads."""
    found: set[int] = set()
    for node in nodes:
        if type(node) is not ast.ClassDef:
            continue
        pending: list[ast.AST] = list(node.body)
        while pending:
            current = pending.pop()
            if isinstance(current, _OWN_SCOPES):
                continue
            if type(current) is ast.Name and not isinstance(current.ctx, ast.Load):
                found.add(id(current))
            else:
                pending.extend(ast.iter_child_nodes(current))
    return found


def mentions(nodes: Iterable[ast.AST], name: str) -> bool:
    """Whether the code of ``nodes`` names ``name`` anywhere (``__file__``; a ``**kwargs`` parameter)."""
    return any(type(n) is ast.Name and n.id == name for node in nodes for n in ast.walk(node))


def free_names(node: ast.AST) -> set[str]:
    """Names a definition reads that it does not bind itself (globals it depends on).

    A class attribute binds nothing for this: ``class Response: Scheme: Scheme`` reads the
    module's ``Scheme`` class.
    """
    loads: set[str] = set()
    bound: set[str] = set()
    nodes = walk_nodes(node)
    attributes = _class_attributes(nodes) if any(type(n) is ast.ClassDef for n in nodes) else set()
    for child in nodes:
        if isinstance(child, ast.Name):
            if isinstance(child.ctx, ast.Load):
                loads.add(child.id)
            elif id(child) not in attributes:
                bound.add(child.id)
        elif isinstance(child, ast.arg):
            bound.add(child.arg)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child is not node:
            bound.add(child.name)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in child.names)
        elif isinstance(child, ast.ExceptHandler) and child.name:
            bound.add(child.name)
    return loads - bound - BUILTIN_NAMES


@dataclass(frozen=True)
class ImportedName:
    """One name bound by an import: ``from module import name as alias`` or ``import module as alias``."""

    module: str  # absolute module (relative imports resolved against the source module)
    name: str | None  # None for ``import module``
    alias: str  # the bound name
    level: int = 0
    # The source module ``module`` names when it does not bind ``name`` (and no migrated module is
    # ``module.name``): the import cannot work, so none is written; a TODO says what is missing.
    unbound_in: str = ""

    def render_key(self) -> tuple[int, str, str]:
        """Sort key: ``__future__`` first, then stdlib, third party, local."""
        top = self.module.split(".")[0]
        group = 0 if top == "__future__" else 1 if top in STDLIB else 3 if top in ("steps", "helpers", "hooks") else 2
        return (group, self.module, self.name or "")


def _module_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """Module-level statements, including those nested in ``if`` (``TYPE_CHECKING``), ``try`` and ``with``
    blocks (a ``with`` whose body reads its ``as`` names is one statement: see :func:`_reads_its_targets`)."""
    found: list[ast.stmt] = []
    for stmt in body:
        if isinstance(stmt, ast.If):
            found.extend(_module_level([*stmt.body, *stmt.orelse]))
        elif isinstance(stmt, ast.Try) and not _is_import_fallback(stmt):
            found.extend(_module_level([*stmt.body, *(h for x in stmt.handlers for h in x.body), *stmt.orelse]))
        elif isinstance(stmt, ast.With) and not _reads_its_targets(stmt):
            found.extend(_module_level(stmt.body))
        else:
            found.append(stmt)
    return found


def _reads_its_targets(stmt: ast.With) -> bool:
    """``with open(path) as f: settings = json.load(f)``: a statement of the body reads what ``as``
    bound, so it is copied inside its ``with`` (the whole statement defines the names), never alone."""
    targets = {
        n.id
        for item in stmt.items
        if item.optional_vars
        for n in ast.walk(item.optional_vars)
        if isinstance(n, ast.Name)
    }
    return any(
        isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in targets
        for body in stmt.body
        for node in ast.walk(body)
    )


def _is_import_fallback(stmt: ast.Try) -> bool:
    """``try: import x`` / ``except ImportError: ...``: kept whole, so the fallback survives."""
    return any(isinstance(s, (ast.Import, ast.ImportFrom)) for s in stmt.body) and any(
        isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError") for h in stmt.handlers
    )


def module_definitions(tree: ast.Module) -> dict[str, ast.stmt]:
    """Module-level name -> the statement that binds it first (imports, defs, classes, assignments).

    The first binding wins so that ``try: import x`` / ``except ImportError: x = None``
    keeps the import.
    """
    found: dict[str, ast.stmt] = {}
    for stmt in reversed(_module_level(tree.body)):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found[stmt.name] = stmt
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                if alias.name != "*":
                    found[(alias.asname or alias.name).split(".")[0]] = stmt
        elif isinstance(stmt, (ast.Try, ast.With)):  # an import with a fallback, a ``with`` whose body reads
            for child in ast.walk(stmt):  # its ``as`` names: the whole statement defines the names
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    for alias in child.names:
                        found[(alias.asname or alias.name).split(".")[0]] = stmt
                elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                    found[child.id] = stmt
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        found[name.id] = stmt
    return found


# Names that let a module bind names its statements do not spell: calls that bind dynamically
# (``globals()["x"] = ...``), a star import, a module ``__getattr__``, writing ``__dict__``.
DYNAMIC_BINDERS = frozenset(
    {"globals", "vars", "setattr", "exec", "locals", "*", "__getattr__", "__dict__", "__setattr__"}
)


def _spelled(node: ast.AST) -> tuple[str, ...]:
    """The identifiers a node spells itself (a name, a definition, an import, a parameter, ``global``)."""
    if isinstance(node, ast.Name):
        return (node.id,)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return (node.name,)
    if isinstance(node, ast.alias):
        return (node.name.split(".")[0], node.asname or "")
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return tuple(node.names)
    if isinstance(node, ast.arg):
        return (node.arg,)
    if isinstance(node, ast.Attribute):
        return (node.attr,)
    return ()


def may_bind(tree: ast.Module, name: str) -> bool:
    """Whether a module may bind ``name`` at all, on the cautious side.

    True when the name appears anywhere in it as a name, parameter, import, definition,
    attribute or ``global``, or when it may bind names no statement spells
    (:data:`DYNAMIC_BINDERS`). False only for a module that plainly never mentions the name.
    """
    wanted = DYNAMIC_BINDERS | {name}
    return any(not wanted.isdisjoint(_spelled(node)) for node in ast.walk(tree))


def imported_name(stmt: ast.Import | ast.ImportFrom, bound: str, package: str) -> ImportedName:
    """The import a bound name comes from; relative modules resolved against ``package``."""
    for alias in stmt.names:
        if (alias.asname or alias.name).split(".")[0] != bound:
            continue
        if isinstance(stmt, ast.Import):
            if alias.asname:
                return ImportedName(alias.name, None, alias.asname)
            return ImportedName(alias.name.split(".")[0] if "." not in alias.name else alias.name, None, bound)
        module = stmt.module or ""
        if stmt.level:
            base = package.split(".") if package else []
            base = base[: len(base) - (stmt.level - 1)] if stmt.level > 1 else base
            module = ".".join([*base, module] if module else base)
        return ImportedName(module, alias.name, alias.asname or alias.name, stmt.level)
    raise KeyError(bound)


@cache
def natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order, as ruff's isort sorts: ``step_8`` before ``step_44`` (each name's key made once a run:
    every generated module's imports ask for the same few modules' and names')."""
    return tuple((1, int(part)) if part.isdigit() else (0, part) for part in re.split(r"(\d+)", text.lower()) if part)


def _isort_key(alias: str) -> tuple[int, tuple[tuple[int, int | str], ...], str]:
    """isort's (and ruff's) default order inside one ``from`` import: CONSTANTS, Classes, then the rest."""
    name = alias.split(" as ")[0]
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return (kind, natural(name), alias)


# The fields of statements, except handlers and match cases, that hold statements (``if``/``try`` blocks...).
_BLOCKS = ("body", "orelse", "finalbody")


def statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of ``body``, nested ones too: an import is a statement, so an import anywhere in a
    file is among them, without a visit of each expression node as ``ast.walk`` makes."""
    for stmt in body:
        yield stmt
        for block in _BLOCKS:
            yield from statements(getattr(stmt, block, None) or [])
        for handler in getattr(stmt, "handlers", None) or []:  # try / try*: each except clause's block
            yield from statements(handler.body)
        for case in getattr(stmt, "cases", None) or []:  # match: each case's block
            yield from statements(case.body)


def imported_packages(tree: ast.Module) -> frozenset[str]:
    """The top-level packages the absolute imports of a module name, at any depth (``from a.b import c``: ``a``)."""
    found: set[str] = set()
    for node in statements(tree.body):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return frozenset(found)


def rendered_packages(names: Iterable[ImportedName]) -> frozenset[str]:
    """The top-level packages of the import statements :func:`render_imports` writes for ``names`` (an import
    it cannot write is a TODO comment instead)."""
    return frozenset(item.module.split(".")[0] for item in names if _renders(item))


def _renders(item: ImportedName) -> bool:
    """Whether :func:`render_imports` writes an import statement for ``item``."""
    return not item.unbound_in and is_module_path(item.module)


def render_imports(names: Iterable[ImportedName]) -> list[str]:
    """Import lines, grouped (future, stdlib, third party, local) and sorted; one blank line between groups."""
    from_imports: dict[str, set[str]] = {}
    plain: set[str] = set()
    group_of: dict[str, int] = {}
    unimportable: set[tuple[str, str]] = set()
    unbound: set[tuple[str, str, str]] = set()
    for item in names:
        if not _renders(item):
            if item.unbound_in:
                unbound.add((item.module, item.name or item.alias, item.unbound_in))
            else:  # ``from my pkg.x import y``: no Python can import it
                unimportable.add((item.module, item.name or item.alias))
            continue
        group_of[item.module] = item.render_key()[0]
        if item.name is None:
            plain.add(
                item.module
                if item.alias == item.module.split(".")[0] and "." not in item.module
                else f"{item.module} as {item.alias}"
                if item.alias != item.module
                else item.module
            )
        else:
            alias = f"{item.name} as {item.alias}" if item.alias != item.name else item.name
            from_imports.setdefault(item.module, set()).add(alias)
    rows: list[tuple[int, int, tuple[tuple[int, int | str], ...], str]] = []
    for entry in plain:
        module = entry.split(" as ")[0]
        rows.append((group_of.get(module, 2), 0, natural(module), f"import {entry}"))
    for module, aliases in from_imports.items():
        joined = ", ".join(sorted(aliases, key=_isort_key))
        line = f"from {module} import {joined}"
        if len(line) > LINE_WIDTH:
            inner = "".join(f"    {a},\n" for a in sorted(aliases, key=_isort_key))
            line = f"from {module} import (\n{inner})"
        rows.append((group_of[module], 1, natural(module), line))
    rows.sort()
    lines: list[str] = []
    previous = None
    for group, _, _, line in rows:
        if previous is not None and group != previous:
            lines.append("")
        lines.append(line)
        previous = group
    if unimportable or unbound:
        lines.append("")
    for module, name, source in sorted(unbound):
        lines.extend(
            wrap(
                "# TODO(migration):",
                f"`{name}` was imported from {module!r}, but {source} does not bind it and no migrated module "
                "is named so (the Dagster code cannot have imported it either): the import was left out; "
                "define it in helpers/ and import it from there.",
            )
        )
    for module, name in sorted(unimportable):
        lines.extend(
            wrap(
                "# TODO(migration):",
                f"`{name}` came from the module {module!r}, which no import statement can name (a directory "
                "that is not a Python package name): copy it into helpers/ and import it from there.",
            )
        )
    return lines


@cache
def is_module_path(module: str) -> bool:
    """``pkg.sub``: every part an identifier and no keyword (an import statement can name it)."""
    return bool(module) and all(part.isidentifier() and not keyword.iskeyword(part) for part in module.split("."))


def lines_of(text: str, first: int, last: int) -> str:
    """Lines ``first``..``last`` (1-based, inclusive) of a text, with a final newline."""
    selected = python_lines(text)[first - 1 : last]
    return "\n".join(selected) + "\n"


ONE_LINE_INDENT = "    "  # the body of ``def f(): return 1``, copied under a header of its own


def indentation(source: str, stmt: ast.stmt) -> str:
    """What a line inserted beside ``stmt`` starts with: the statement's own indentation in the
    source, tabs kept (spaces where the source has tabs would not compile); for a statement on
    its ``def`` line, :data:`ONE_LINE_INDENT` (what ``CopiedCode`` puts in place of the header)."""
    prefix = line_text(source, stmt.lineno).encode()[: stmt.col_offset].decode("utf-8", "replace")
    return prefix if not prefix.strip() else ONE_LINE_INDENT


def statement_first_line(stmt: ast.stmt) -> int:
    """The first line of a statement including its decorators."""
    decorators = getattr(stmt, "decorator_list", None) or []
    return min([stmt.lineno, *(d.lineno for d in decorators)])


@dataclass
class Replacement:
    """A text replacement inside copied code, by absolute (line, col) positions of the source."""

    start: tuple[int, int]
    end: tuple[int, int]
    text: str


@dataclass
class CopiedCode:
    """A span of source lines with replacements applied when rendered."""

    source: str
    first: int
    last: int
    replacements: list[Replacement] = field(default_factory=list)
    # Where the copy starts on its first line (a UTF-8 byte column, as ``ast`` gives it): the
    # body of ``def f(): return 1`` starts after the colon. Code before it becomes ONE_LINE_INDENT.
    first_col: int = 0

    def render(self) -> str:
        """The text of the lines with every replacement applied (replacements never overlap)."""
        lines = python_lines(self.source)[self.first - 1 : self.last]
        header = lines[0].encode()[: self.first_col] if lines else b""
        # by end too: an insertion (start == end) at a replaced node's start is applied after it
        for rep in sorted(self.replacements, key=lambda r: (r.start, r.end), reverse=True):
            (sl, sc), (el, ec) = rep.start, rep.end
            si, ei = sl - self.first, el - self.first
            start_line = lines[si].encode()
            end_line = lines[ei].encode()
            head = start_line[:sc].decode()
            tail = end_line[ec:].decode()
            lines[si : ei + 1] = (head + rep.text + tail).split("\n")
        if header.strip():  # the header of a one-line definition (replacements start after it: columns held)
            lines[0] = ONE_LINE_INDENT + lines[0].encode()[len(header) :].decode()
        return "\n".join(lines) + "\n"

    def render_dedented(self) -> str:
        """The rendered lines moved to column 0 (a definition nested in ``if``/``try`` at module level)."""
        return textwrap.dedent(self.render())


def is_dagster_import(item: ImportedName) -> bool:
    """An import from Dagster or one of its published packages."""
    return is_dagster_module(item.module)
