"""Asset selections as plain values, and their static evaluation against the asset graph.

A selection is read from source (``AssetSelection.groups("sales").downstream()``, a list
of asset functions, a ``"*orders"`` selection string) into a small tree of frozen
values when a file is analysed; it is evaluated only once the whole project is known,
because groups, keys and upstream/downstream closures span files. Whatever cannot be
expressed in these values becomes :class:`Unknown`, which evaluation reports instead of
guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SymbolRef:
    """A module-level name in some module (``proj.assets``, ``orders``), resolved project-wide later."""

    module: str
    name: str


@dataclass(frozen=True)
class Keys:
    """``AssetSelection.keys(...)`` / a list of keys: asset keys as ``/``-joined strings."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class Groups:
    """``AssetSelection.groups(...)``."""

    groups: tuple[str, ...]


@dataclass(frozen=True)
class KeyPrefixes:
    """``AssetSelection.key_prefixes(...)``: keys starting with one of these ``/``-joined prefixes."""

    prefixes: tuple[str, ...]


@dataclass(frozen=True)
class Assets:
    """``AssetSelection.assets(fn, ...)`` / a list of asset definitions referenced by name."""

    symbols: tuple[SymbolRef, ...]


@dataclass(frozen=True)
class AllAssets:
    """``AssetSelection.all()`` or an asset job without a selection."""


@dataclass(frozen=True)
class Named:
    """A variable holding a selection (``selection=sales_selection``)."""

    symbol: SymbolRef


@dataclass(frozen=True)
class Closure:
    """``.upstream(depth)`` / ``.downstream(depth)`` (``depth`` None = unbounded)."""

    inner: Selection
    direction: str  # upstream | downstream
    depth: int | None = None
    include_self: bool = True


@dataclass(frozen=True)
class Boundary:
    """``.roots()`` / ``.sinks()``: members without an upstream / downstream inside the selection."""

    inner: Selection
    kind: str  # roots | sinks


@dataclass(frozen=True)
class MultiAssetNeighbors:
    """``.required_multi_asset_neighbors()``: add the other keys of each selected non-subsettable multi-asset."""

    inner: Selection


@dataclass(frozen=True)
class Combined:
    """``a | b``, ``a & b``, ``a - b``."""

    op: str  # | & -
    left: Selection
    right: Selection


@dataclass(frozen=True)
class Unknown:
    """A selection (or part of one) that static analysis cannot evaluate; ``text`` is the source."""

    text: str
    reason: str


Selection = (
    Keys
    | Groups
    | KeyPrefixes
    | Assets
    | AllAssets
    | Named
    | Closure
    | Boundary
    | MultiAssetNeighbors
    | Combined
    | Unknown
)

# ``"*orders"``, ``"orders+"``, ``"++raw/orders*"``: the legacy selection-string grammar.
_TOKEN = re.compile(r"^(?P<up>\*|\++)?(?P<key>[A-Za-z0-9_./-]+)(?P<down>\*|\++)?$")
_ATTRIBUTE = re.compile(r'^(?P<attr>key|group):(?P<value>"[^"]*"|[A-Za-z0-9_./*-]+)$')


def parse_selection_string(text: str) -> Selection:
    """Read a selection string: ``"a"``, ``"*a+"``, ``"group:sales"``, ``"key:a/b"``, joined by ``or``/``,``.

    Anything outside this subset (``tag:``, ``owner:``, parentheses, ``and``/``not``)
    becomes :class:`Unknown`.
    """
    parts = [p.strip() for p in re.split(r"\s+or\s+|,", text.strip()) if p.strip()]
    if not parts:
        return Unknown(repr(text), "empty selection string")
    result: Selection | None = None
    for part in parts:
        item = _parse_token(part)
        if isinstance(item, Unknown):
            return Unknown(repr(text), item.reason)
        result = item if result is None else Combined("|", result, item)
    assert result is not None
    return result


def _parse_token(part: str) -> Selection:
    attribute = _ATTRIBUTE.match(part)
    if attribute:
        value = attribute.group("value").strip('"')
        if "*" in value:
            return Unknown(part, "wildcards inside a selection attribute are not evaluated statically")
        return Groups((value,)) if attribute.group("attr") == "group" else Keys((value,))
    if part == "*":
        return AllAssets()
    match = _TOKEN.match(part)
    if not match:
        return Unknown(part, "selection syntax beyond keys, groups and */+ is not evaluated statically")
    selection: Selection = Keys((match.group("key"),))
    up, down = match.group("up"), match.group("down")
    result = selection
    if up:
        result = Closure(result, "upstream", None if up == "*" else len(up))
    if down:
        downstream = Closure(selection, "downstream", None if down == "*" else len(down))
        result = Combined("|", result, downstream)
    return result


@dataclass(frozen=True)
class AssetGraphView:
    """What evaluation needs to know about the project's assets."""

    keys: frozenset[str]
    groups: Mapping[str, str]  # key -> group name
    upstream: Mapping[str, frozenset[str]]  # key -> direct upstream keys (within the project)
    downstream: Mapping[str, frozenset[str]]
    siblings: Mapping[str, frozenset[str]] = field(default_factory=dict)  # key -> keys of the same multi-asset


@dataclass(frozen=True)
class Evaluation:
    """The keys a selection picks, and what could not be evaluated on the way."""

    keys: frozenset[str]
    unknown: tuple[Unknown, ...] = ()


SymbolKeys = Callable[[SymbolRef], "frozenset[str] | Selection | None"]


def evaluate(selection: Selection, graph: AssetGraphView, symbol_keys: SymbolKeys, _depth: int = 0) -> Evaluation:
    """Evaluate a selection to asset keys; ``symbol_keys`` resolves referenced definitions and variables."""
    if _depth > 20:
        return Evaluation(frozenset(), (Unknown("...", "selection nests too deeply"),))
    if isinstance(selection, AllAssets):
        return Evaluation(graph.keys)
    if isinstance(selection, Keys):
        missing = tuple(
            Unknown(k, f"no asset with key '{k}' was found in the analysed files")
            for k in selection.keys
            if k not in graph.keys
        )
        return Evaluation(frozenset(k for k in selection.keys if k in graph.keys), missing)
    if isinstance(selection, Groups):
        wanted = set(selection.groups)
        return Evaluation(frozenset(k for k in graph.keys if graph.groups.get(k) in wanted))
    if isinstance(selection, KeyPrefixes):
        return Evaluation(
            frozenset(k for k in graph.keys for p in selection.prefixes if k == p or k.startswith(p.rstrip("/") + "/"))
        )
    if isinstance(selection, Unknown):
        return Evaluation(frozenset(), (selection,))
    if isinstance(selection, (Assets, Named)):
        symbols = selection.symbols if isinstance(selection, Assets) else (selection.symbol,)
        keys: set[str] = set()
        unknown: list[Unknown] = []
        for symbol in symbols:
            found = symbol_keys(symbol)
            if found is None:
                unknown.append(
                    Unknown(
                        symbol.name,
                        f"'{symbol.name}' does not name an asset or selection found in "
                        f"the analysed files (module {symbol.module})",
                    )
                )
            elif isinstance(found, frozenset):
                keys |= found
            else:
                inner = evaluate(found, graph, symbol_keys, _depth + 1)
                keys |= inner.keys
                unknown.extend(inner.unknown)
        return Evaluation(frozenset(keys), tuple(unknown))
    if isinstance(selection, Closure):
        inner = evaluate(selection.inner, graph, symbol_keys, _depth + 1)
        edges = graph.upstream if selection.direction == "upstream" else graph.downstream
        reached = _closure(inner.keys, edges, selection.depth)
        if not selection.include_self:
            reached -= inner.keys
        return Evaluation(reached, inner.unknown)
    if isinstance(selection, Boundary):
        inner = evaluate(selection.inner, graph, symbol_keys, _depth + 1)
        edges = graph.upstream if selection.kind == "roots" else graph.downstream
        return Evaluation(
            frozenset(k for k in inner.keys if not (edges.get(k, frozenset()) & inner.keys)), inner.unknown
        )
    if isinstance(selection, MultiAssetNeighbors):
        inner = evaluate(selection.inner, graph, symbol_keys, _depth + 1)
        return Evaluation(
            inner.keys | frozenset(s for k in inner.keys for s in graph.siblings.get(k, ())), inner.unknown
        )
    left = evaluate(selection.left, graph, symbol_keys, _depth + 1)
    right = evaluate(selection.right, graph, symbol_keys, _depth + 1)
    unknown_parts = left.unknown + right.unknown
    if selection.op == "|":
        return Evaluation(left.keys | right.keys, unknown_parts)
    if selection.op == "&":
        return Evaluation(left.keys & right.keys, unknown_parts)
    return Evaluation(left.keys - right.keys, unknown_parts)


def _closure(start: Iterable[str], edges: Mapping[str, frozenset[str]], depth: int | None) -> frozenset[str]:
    reached = set(start)
    frontier = set(start)
    level = 0
    while frontier and (depth is None or level < depth):
        frontier = {n for k in frontier for n in edges.get(k, frozenset())} - reached
        reached |= frontier
        level += 1
    return frozenset(reached)


def describe_selection(selection: Selection | None) -> str:
    """A short, stable, human-readable rendering of a selection (for the report)."""
    if selection is None or isinstance(selection, AllAssets):
        return "all assets"
    if isinstance(selection, Keys):
        return "keys " + ", ".join(selection.keys)
    if isinstance(selection, Groups):
        return "groups " + ", ".join(selection.groups)
    if isinstance(selection, KeyPrefixes):
        return "key prefixes " + ", ".join(selection.prefixes)
    if isinstance(selection, Assets):
        return "assets " + ", ".join(s.name for s in selection.symbols)
    if isinstance(selection, Named):
        return selection.symbol.name
    if isinstance(selection, Closure):
        depth = "" if selection.depth is None else f" (depth {selection.depth})"
        return f"{describe_selection(selection.inner)} + {selection.direction}{depth}"
    if isinstance(selection, Boundary):
        return f"{selection.kind} of ({describe_selection(selection.inner)})"
    if isinstance(selection, MultiAssetNeighbors):
        return f"{describe_selection(selection.inner)} + multi-asset neighbors"
    if isinstance(selection, Combined):
        return f"({describe_selection(selection.left)}) {selection.op} ({describe_selection(selection.right)})"
    return f"unresolved {selection.text}"
