"""The facts the walk records about one file (records, :class:`FileContext`) and the DZ000 internal-error finding."""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING, NamedTuple

from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.rules import PARSE_ERROR
from dagster_zenml_lint.semantic import Scope, SemanticModel, is_dagster_module
from dagster_zenml_lint.source import LINE_END, python_lines

if TYPE_CHECKING:
    # named for the annotation of ``FileContext.fixer_index`` only: the engine imports no fixer
    from dagster_zenml_lint.fixers.file_index import FileIndex

# Set to re-raise internal errors instead of reporting them as DZ000 (for debugging).
DEBUG_ENV = "DAGSTER_ZENML_LINT_DEBUG"
# Longest exception text a DZ000 finding quotes (the finding must stay one readable line).
MAX_ERROR_TEXT = 200


class Reference(NamedTuple):
    """A resolved use of a Dagster object in the source."""

    node: ast.expr
    canonical: str  # "dagster.asset"
    attrs: tuple[str, ...]  # attributes after the object: AssetSelection.groups -> ("groups",)
    role: str  # decorator | call | base | annotation | reference
    line: int
    col: int
    call: ast.Call | None = None
    owner: str | None = None
    keyword: str | None = None  # the keyword of an enclosing Dagster call this sits in
    keyword_of: str | None = None  # canonical name of that enclosing call

    @property
    def short(self) -> str:
        """The object's short name, as a user writes it (``AssetSelection.groups``)."""
        return ".".join([self.canonical.rsplit(".", 1)[-1], *self.attrs])


class KeywordUse(NamedTuple):
    """A keyword argument given to a call of a Dagster object."""

    keyword: ast.keyword
    call: ast.Call
    callee: Reference | None  # None when the callee is a Dagster-made local (my_job(...))
    callee_name: str
    owner: str | None


class MethodUse(NamedTuple):
    """A method called on a Dagster-made object (``my_job.execute_in_process()``)."""

    node: ast.Attribute
    call: ast.Call
    receiver: str
    enclosing: FunctionInfo | None


@dataclass
class ContextParam:
    """A parameter that receives a Dagster context, and where it is used."""

    name: str
    kind: str  # execution | sensor | schedule | hook | io | resource
    function: ast.FunctionDef | ast.AsyncFunctionDef
    uses: list[tuple[ast.Name, tuple[str, ...]]] = field(default_factory=list)


class ContextUse(NamedTuple):
    """An attribute chain read on a context parameter (``context.partition_key``)."""

    param: ContextParam
    node: ast.Name
    chain: tuple[str, ...]
    function_name: str


@dataclass
class FunctionInfo:
    """A function definition with its Dagster decorators resolved."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    decorators: list[Reference]
    context: ContextParam | None
    parent_class: ClassInfo | None

    @cached_property
    def kinds(self) -> frozenset[str]:
        """Short names of its Dagster decorators (``{"asset"}``), worked out once (detectors ask often)."""
        return frozenset(d.canonical.rsplit(".", 1)[-1] for d in self.decorators)


@dataclass
class ClassInfo:
    """A class definition with its Dagster bases resolved."""

    node: ast.ClassDef
    bases: list[Reference]

    @cached_property
    def base_names(self) -> frozenset[str]:
        """Short names of its Dagster bases (``{"ConfigurableResource"}``), worked out once."""
        return frozenset(b.canonical.rsplit(".", 1)[-1] for b in self.bases)


class Match(NamedTuple):
    """A rule applying at a location; becomes a :class:`Finding`."""

    code: str
    line: int
    col: int
    subject: str
    node: ast.AST | None = None
    end_line: int | None = None
    end_col: int | None = None


@dataclass
class FileContext:
    """Everything the engine learnt about one file, for detectors and fixers."""

    path: str
    text: str
    tree: ast.Module
    model: SemanticModel
    references: list[Reference] = field(default_factory=list)
    keywords: list[KeywordUse] = field(default_factory=list)
    methods: list[MethodUse] = field(default_factory=list)
    functions: list[FunctionInfo] = field(default_factory=list)
    classes: list[ClassInfo] = field(default_factory=list)
    context_uses: list[ContextUse] = field(default_factory=list)
    # Child id -> parent, for every node of the tree (the walk records all of them).
    parents: dict[int, ast.AST] = field(default_factory=dict)
    # Every ``Name`` read in the tree with the scope it is read in, in walk order.
    name_loads: list[tuple[ast.Name, Scope]] = field(default_factory=list)
    # Every call and every dict display of the tree, for detectors (no detector walks the tree).
    calls: list[ast.Call] = field(default_factory=list)
    dicts: list[ast.Dict] = field(default_factory=list)
    # Names imported from the project's own modules that are Dagster IO manager classes there
    # (answered by ``class_bases`` before matching; the engine itself reads no other file).
    io_bases: frozenset[str] = frozenset()
    # Names imported from the project's own modules that are ``DynamicPartitionsDefinition(...)`` there.
    dynamic_partitions: frozenset[str] = frozenset()
    # The fixers' lookups over this file, made by ``fixers.file_index.file_index`` on first use
    # (not a fact of the file: left out of repr and ==; it lives exactly as long as one lint).
    fixer_index: FileIndex | None = field(default=None, repr=False, compare=False)
    _line_starts: list[int] | None = None
    _ascii_lines: list[bool] | None = None
    _references_by_node: dict[int, Reference] | None = None
    _imports_dagster: bool | None = None

    @property
    def lines(self) -> list[str]:
        """The source split into lines as Python numbers them (keeping line endings)."""
        return python_lines(self.text, keepends=True)

    def offset(self, line: int, col: int) -> int:
        """Character offset of a 1-based line and a 0-based column (ast uses UTF-8 bytes).

        Line starts are found once; on a line of ASCII text a byte column is the character
        column, so only columns on lines with other characters need decoding.
        """
        starts = self._line_starts
        if starts is None:
            starts = self._index_lines()
        last = len(starts) - 1
        first = line - 1 if line <= last else last  # min(line - 1, last), without the call (a hot path)
        start = starts[first]
        end = starts[line if line <= last else last]
        if col >= 0 and first >= 0 and end >= start and self._ascii_lines[first]:  # type: ignore[index]
            return start + min(col, end - start)
        line_text = self.text[start:end]
        return start + len(line_text.encode("utf-8")[:col].decode("utf-8", "ignore"))

    def _index_lines(self) -> list[int]:
        """Compute the line starts and which lines are pure ASCII (once per context)."""
        # Only \r\n, \r and \n end a line for Python (str.splitlines also splits on
        # form feeds and other separators that may sit in comments and strings).
        text = self.text
        if "\r" in text:
            starts = [0, *(m.end() for m in LINE_END.finditer(text))]
        else:  # only \n ends lines: the starts follow from the lines' lengths, without a loop in Python
            starts = [0, *accumulate(map((1).__add__, map(len, text.split("\n")[:-1])))]
        if starts[-1] != len(text):
            starts.append(len(text))
        if text.isascii():
            ascii_lines = [True] * len(starts)
        else:
            ascii_lines = [text[a:b].isascii() for a, b in pairwise(starts)]
            ascii_lines.append(True)  # the empty "line" after the last one
        self._line_starts = starts
        self._ascii_lines = ascii_lines
        return starts

    def node_span(self, node: ast.AST) -> tuple[int, int]:
        """Character offsets (start, end) of a node in the text."""
        return (
            self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            self.offset(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
        )

    def segment(self, node: ast.AST) -> str:
        """The exact source text of a node."""
        start, end = self.node_span(node)
        return self.text[start:end]

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The syntactic parent of a node."""
        return self.parents.get(id(node))

    def reference_of(self, node: ast.AST) -> Reference | None:
        """The Dagster reference made by exactly this node, if any (indexed once, after the walk)."""
        if self._references_by_node is None:
            self._references_by_node = {}
            for ref in self.references:
                self._references_by_node.setdefault(id(ref.node), ref)
        return self._references_by_node.get(id(node))

    def function_at(self, node: ast.AST) -> FunctionInfo | None:
        """The innermost function definition that contains a node."""
        current = self.parent(node)
        while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            current = self.parent(current)
        if current is None:
            return None
        return next((f for f in self.functions if f.node is current), None)

    def imports_dagster(self) -> bool:
        """True when the module imports anything from Dagster (asked by several detectors: answered once)."""
        found = self._imports_dagster
        if found is None:  # the imports are statements: the model has them all before the walk
            found = self._imports_dagster = any(is_dagster_module(i.qualname) for i in self.model.imports)
        return found


def internal_error_finding(where: str, exc: BaseException, line: int = 1, col: int = 0) -> Finding:
    """The DZ000 finding for an exception raised by one part of the linter (``where``) on a file.

    Re-raised instead when :data:`DEBUG_ENV` is set, or for a recursion error (the caller
    reports those as code nested too deeply).
    """
    if os.environ.get(DEBUG_ENV) or isinstance(exc, RecursionError):
        raise exc
    text = " ".join(str(exc).split())
    if len(text) > MAX_ERROR_TEXT:
        text = text[: MAX_ERROR_TEXT - 3] + "..."
    summary = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return Finding(
        PARSE_ERROR, line, col, f"internal error in {where} ({summary}); it was skipped here, please report it"
    )
