"""The fixers' shared per-file lookups are one typed :class:`FileIndex` per file context."""

from __future__ import annotations

import ast

from dagster_zenml_lint.analysis.walk import analyze
from dagster_zenml_lint.fixers.edits import function_of_node, is_module_level, loads_by_name
from dagster_zenml_lint.fixers.file_index import FileIndex, file_index

TEXT = "from dagster import op\n\n\n@op\ndef a():\n    return 1\n\n\ndef b():\n    return a()\n"


def _context():
    return analyze("p.py", TEXT, ast.parse(TEXT))


def test_one_index_per_context_and_each_lookup_computed_once():
    first, second = _context(), _context()
    index = file_index(first)
    assert isinstance(index, FileIndex)
    assert file_index(first) is index
    assert file_index(second) is not index
    assert index.loads_by_name is file_index(first).loads_by_name


def test_the_lookups_answer_from_the_files_facts():
    ctx = _context()
    tree = ctx.tree
    func_a, func_b = tree.body[1], tree.body[2]
    inner_return = func_a.body[0]
    assert [node.lineno for node in loads_by_name(ctx)["a"]] == [10]
    assert "b" not in loads_by_name(ctx)
    assert is_module_level(ctx, func_b)
    assert not is_module_level(ctx, inner_return)
    info = function_of_node(ctx, func_a)
    assert info is not None and info.node is func_a
    assert function_of_node(ctx, inner_return) is None
    assert function_of_node(ctx, None) is None
