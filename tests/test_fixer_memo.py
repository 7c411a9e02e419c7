"""Fixers keep what they compute for one file in its typed :class:`FileIndex`, with no string keys.

The string-key memo (``ctx.__dict__["_fixer_cache"]``, later ``edits.per_file`` over a
``FixerMemo``) is gone: every shared lookup is a typed member of the index, and results
worked out per node live in typed dictionaries of the index or of its op graph.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from dagster_zenml_lint.analysis.walk import analyze
from dagster_zenml_lint.engine import check_source_with_context
from dagster_zenml_lint.fixers.file_index import FileIndex, file_index

PACKAGE = Path(__file__).resolve().parents[1] / "dagster_zenml_lint"
GONE = {"FixerMemo", "fixer_memo", "decorated_by", "_fixer_cache"}
MEMO_FUNCTION = "per_file"  # a function of that name (baseline.py's ``Comparison.per_file`` is a field)

TEXT = "from dagster import op\n\n\n@op\ndef a():\n    return 1\n"


def _names_in(tree: ast.AST) -> set[str]:
    """The names a module spells that belong to the string-key memo."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add(node.name.rsplit(".", 1)[-1])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)
    found = names & GONE
    # the memo's own spelling: a string key into an instance's ``__dict__`` (``ctx.__dict__["_x"]``,
    # ``.get``/``.setdefault``/``.pop`` of one); ``__dict__.update(field=...)`` builds an object
    for node in ast.walk(tree):
        keyed = isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute)
        called = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        if keyed and node.value.attr == "__dict__":
            found.add("__dict__")
        elif called and node.func.attr in ("get", "setdefault", "pop"):
            owner = node.func.value
            if isinstance(owner, ast.Attribute) and owner.attr == "__dict__":
                found.add("__dict__")
    # ``per_file`` as a function: defined, imported or called (not a variable or field of that name)
    for node in ast.walk(tree):
        defined = isinstance(node, ast.FunctionDef) and node.name == MEMO_FUNCTION
        imported = isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] == MEMO_FUNCTION
        called = isinstance(node, ast.Call) and ast.unparse(node.func).rsplit(".", 1)[-1] == MEMO_FUNCTION
        if defined or imported or called:
            found.add(MEMO_FUNCTION)
    return found


def test_no_module_of_the_package_keeps_string_keyed_per_file_values():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        found = _names_in(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[str(path.relative_to(PACKAGE))] = sorted(found)
    assert offenders == {}


def test_the_index_is_a_typed_attribute_of_the_context_not_part_of_its_facts():
    ctx, other = (analyze("p.py", TEXT, ast.parse(TEXT)) for _ in range(2))
    assert ctx.fixer_index is None
    index = file_index(ctx)
    assert isinstance(index, FileIndex) and ctx.fixer_index is index
    assert file_index(other) is not index
    assert "fixer_index" not in repr(ctx)
    field = next(f for f in dataclasses.fields(ctx) if f.name == "fixer_index")
    assert not field.compare  # the index is not a fact: contexts compare by their facts


def test_fixing_fills_the_index_and_its_op_graph_once():
    text = (
        "from dagster import RetryPolicy, job, op\n\n\n"
        "@op(retry_policy=RetryPolicy(max_retries=2))\n"
        "def a():\n    return 1\n\n\n"
        "@op\ndef b(x):\n    return x\n\n\n"
        "@op\ndef c(context):\n    context.log.info('x')\n\n\n"
        "@job\ndef j():\n    b(a())\n"
    )
    findings, ctx = check_source_with_context(text, "p.py", with_fixes=True)
    graph = file_index(ctx).op_graph
    assert set(graph.ops) == {"a", "b", "c"} and [job.node.name for job in graph.jobs] == ["j"]
    # two components, (a, b, j) and (c): one plan each, and a fix per member
    assert len(graph.plans) == 2 and len(graph.fixes) == 4
    component_fixes = [f.fix for f in findings if f.code in ("DZ101", "DZ102", "DZ103") and f.line != 14]
    assert len(component_fixes) == 4 and component_fixes[0] is not None
    assert all(fix is component_fixes[0] for fix in component_fixes)  # one fix object, worked out once
    assert len(file_index(ctx).context_log_fixes) == 1  # DZ106's fix, kept by the context parameter
