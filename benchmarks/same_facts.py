"""Record or compare a digest of every fact the engine's walk records, per file, to prove a speed change kept them.

Stronger than comparing findings (:mod:`same_findings`): the fixers, the report and
``migrate`` read these facts too (references, keywords, methods, functions, classes,
context uses, every node's parent, every name read, calls, dicts, scopes and bindings)::

    PYTHONPATH=<old checkout> python benchmarks/same_facts.py record FILE DIR...
    PYTHONPATH=<new checkout> python benchmarks/same_facts.py compare FILE DIR...

Nodes are named by type and position, so the digests of two runs can be compared.
"""

from __future__ import annotations

import ast
import hashlib
import sys
from pathlib import Path

from dagster_zenml_lint.analysis.walk import analyze
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import FileKind, discover
from dagster_zenml_lint.runner import worth_reading
from dagster_zenml_lint.semantic import Scope
from dagster_zenml_lint.source import decode_source, read_bytes


def where(node: object) -> tuple[object, ...] | None:
    """A node named by its type and span."""
    if node is None:
        return None
    spans = ("lineno", "col_offset", "end_lineno", "end_col_offset")
    return (type(node).__name__, *(getattr(node, name, None) for name in spans))


def scope_key(scope: Scope | None) -> tuple[object, ...] | None:
    """A scope named by its kind and the node that opens it."""
    return None if scope is None else (scope.kind, where(scope.node))


def digest(path: str, text: str, tree: ast.Module) -> str:
    """The digest of every fact of one file."""
    in_tree = {id(node): where(node) for node in ast.walk(tree)}
    ctx = analyze(path, text, tree)
    facts: list[object] = []
    for r in ctx.references:
        facts.append(("ref", where(r.node), r.canonical, r.attrs, r.role, r.line, r.col, where(r.call), r.owner))
        facts.append((r.keyword, r.keyword_of))
    for k in ctx.keywords:
        facts.append(("kw", where(k.keyword), k.keyword.arg, where(k.call), k.callee and k.callee.canonical))
        facts.append((k.callee_name, k.owner))
    for m in ctx.methods:
        facts.append(("method", where(m.node), where(m.call), m.receiver, m.enclosing and where(m.enclosing.node)))
    for f in ctx.functions:
        context = f.context and (f.context.name, f.context.kind, where(f.context.function))
        uses = f.context and [(where(a), b) for a, b in f.context.uses]
        parent = f.parent_class and where(f.parent_class.node)
        facts.append(("function", where(f.node), [d.canonical for d in f.decorators], context, uses, parent))
    for c in ctx.classes:
        facts.append(("class", where(c.node), [b.canonical for b in c.bases]))
    for u in ctx.context_uses:
        facts.append(("context use", u.param.name, where(u.node), u.chain, u.function_name))
    parents = sorted((repr(in_tree[k]), repr(where(v))) for k, v in ctx.parents.items() if k in in_tree)
    facts.append(("parents", len(ctx.parents), parents))
    facts.append(("name reads", [(where(n), n.id, scope_key(s)) for n, s in ctx.name_loads]))
    facts.append(("calls", [where(c) for c in ctx.calls]))
    facts.append(("dicts", [where(d) for d in ctx.dicts]))
    model = ctx.model
    scopes = []
    for scope in model.scopes.values():
        bindings = sorted(
            (name, [(b.position, b.qualname, where(b.node), b.fallback, b.star) for b in found])
            for name, found in scope.bindings.items()
        )
        scopes.append(
            repr((scope_key(scope), scope_key(scope.parent), bindings, sorted(scope.global_names), scope.star_modules))
        )
    facts.append(("scopes", sorted(scopes)))
    facts.append(
        ("imports", [(where(i.node), i.name, i.qualname, i.fallback, scope_key(i.scope)) for i in model.imports])
    )
    facts.append(("dagster names", sorted(model.dagster_bound_names), model.has_dagster_star_import))
    return hashlib.sha256(repr(facts).encode()).hexdigest()


def digests(directories: list[str]) -> list[str]:
    """``path<TAB>digest`` for every Python file that names Dagster and parses."""
    lines = []
    config = Config()
    for file in discover(directories, config):
        if file.kind is not FileKind.PYTHON:
            continue
        try:
            data = read_bytes(file.path)
            if not worth_reading(data):
                continue
            text = decode_source(data, str(file.path)).text
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError, OSError):
            continue
        try:
            lines.append(f"{file.path}\t{digest(str(file.path), text, tree)}")
        except Exception as exc:  # a crash of the walk is a fact too
            lines.append(f"{file.path}\terror {type(exc).__name__}")
    return lines


def main(argv: list[str]) -> int:
    """``record`` or ``compare`` the digests of every file under the directories given."""
    if len(argv) < 3 or argv[0] not in ("record", "compare"):
        print("usage: same_facts.py record|compare FILE DIR...", file=sys.stderr)
        return 2
    mode, store, directories = argv[0], Path(argv[1]), argv[2:]
    produced = digests(directories)
    if mode == "record":
        store.write_text("\n".join(produced) + "\n", encoding="utf-8")
        print(f"recorded {len(produced)} files")
        return 0
    recorded = store.read_text(encoding="utf-8").splitlines()
    differ = [new for old, new in zip(recorded, produced, strict=False) if old != new]
    if len(recorded) != len(produced) or differ:
        print(f"DIFFERENT: {len(differ)} files, first: {(differ or ['(file count)'])[0]}")
        return 1
    print(f"same facts in {len(produced)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
