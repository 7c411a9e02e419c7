"""The fixers' shared per-file lookups are one typed :class:`FileIndex` per file context."""

from __future__ import annotations

import ast
import itertools

from dagster_zenml_lint.analysis.facts import FileContext
from dagster_zenml_lint.analysis.walk import analyze
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
    assert [node.lineno for node in file_index(ctx).loads_by_name["a"]] == [10]
    assert "b" not in file_index(ctx).loads_by_name
    assert file_index(ctx).is_module_level(func_b)
    assert not file_index(ctx).is_module_level(inner_return)
    info = file_index(ctx).function_of(func_a)
    assert info is not None and info.node is func_a
    assert file_index(ctx).function_of(inner_return) is None
    assert file_index(ctx).function_of(None) is None


RETRY_TEXT = (
    "import dagster as dg\n"
    "from dagster import Config, RetryPolicy, op\n\n"
    "A = B = RetryPolicy(max_retries=1)\n"
    "A = 2\n\n\n"
    "class Cfg(Config):\n"
    "    x: int = 1\n\n\n"
    "class Plain:\n"
    "    pass\n\n\n"
    "@op\n"
    "def a(context):\n"
    "    context.log.info('x')\n"
)


def test_assignments_references_classes_and_context_uses():
    ctx = analyze("p.py", RETRY_TEXT, ast.parse(RETRY_TEXT))
    index = file_index(ctx)
    first, second = ctx.tree.body[2], ctx.tree.body[3]
    assert index.module_assignments["A"] == [first, second]
    assert index.module_assignments["B"] == [first]
    lines, positions = index.references_by_line
    assert lines == sorted(lines) and len(lines) == len(ctx.references)
    assert sorted(positions) == list(range(len(ctx.references)))
    assert [ctx.references[i].node.lineno for i in positions] == lines
    assert set(index.dagster_classes) == {"Cfg"}
    uses = index.context_uses_by_node
    assert uses and all(id(use.node) == key for key, use in uses.items())
    assert {use.param.name for use in uses.values()} == {"context"}


MARKER_TEXT = (
    "from dagster import op\n\n"
    'DOC = """a\nb\n"""\n\n\n'
    "@op\n"
    "def a():\n"
    "    def inner():\n"
    "        return 1\n\n"
    "    return inner()\n"
)


def test_marker_anchors_and_string_interiors():
    ctx = analyze("p.py", MARKER_TEXT, ast.parse(MARKER_TEXT))
    objects, statements = file_index(ctx).marker_anchors
    assert objects == [(8, 13), (10, 11)]
    assert statements == [(1, 1), (3, 5), (8, 13)]
    assert file_index(ctx).string_interiors == {3: 2, 4: 2}


_KEPT: list[FileContext] = []  # an index is valid while its context lives (it refers to it weakly)


def _index(text: str) -> FileIndex:
    ctx = analyze("p.py", text, ast.parse(text))
    _KEPT.append(ctx)
    return file_index(ctx)


def test_import_block_end_and_leading_comments_end():
    text = (
        "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n"
        '"""Doc."""\nimport os\nfrom dagster import op\nX = 1\nimport sys\n'
    )
    index = _index(text)
    assert index.import_block_end is not None and index.import_block_end.lineno == 5
    assert index.leading_comments_end == text.index('"""')
    assert _index("X = 1\n").import_block_end is None
    assert _index("X = 1\n").leading_comments_end == 0


def test_taken_names_cover_bindings_loads_and_builtins():
    taken = _index("import os as o\n\n\ndef f(p):\n    q = p\n    return undefined_name\n").taken_names
    assert {"o", "f", "p", "q", "undefined_name", "len"} <= taken
    assert "os" not in taken


def test_exported_names_from_literals_only():
    assert _index("__all__ = ['a']\n__all__ += ('b',)\n__all__.append('c')\n").exported_names == {"a", "b", "c"}
    assert _index("x = 1\n").exported_names == frozenset()
    assert _index("__all__ = ['a', NAME]\n").exported_names is None
    assert _index("__all__.extend(a, b)\n").exported_names is None


def test_lines_and_module_logger_name():
    lines = [
        "import logging\n",
        "import dagster as dg\n",
        "\n",
        "log = logging.getLogger(__name__)\r\n",
        "other = dg.get_dagster_logger()\n",
        "",
    ]
    index = _index("".join(lines))
    assert index.lines == ([0, *itertools.accumulate(len(line) for line in lines[:-1])], lines)
    assert index.module_logger_name == "log"
    assert _index("import dagster as dg\nlog = dg.get_dagster_logger()\n").module_logger_name == "log"
    assert _index("import logging\nlog = logging.getLogger('x')\n").module_logger_name is None


def test_import_block_module_imports_and_import_uses():
    text = (
        "import os\nimport numpy as np\n\nimport dagster as dg\nfrom dagster import op\n\n"
        "from mypkg import thing\n\n\n@op\ndef a():\n    return os.sep, dg.op, os.name\n"
    )
    ctx = analyze("p.py", text, ast.parse(text))
    index = file_index(ctx)
    block = index.import_block
    assert [stmt.lineno for stmt in block.statements] == [1, 2, 4, 5, 7]
    assert block.groups == [0, 0, 1, 1, 2]
    # the group after the one holding dagster is first party (section 3), numpy stays third party (2)
    assert [key[0] for key in block.keys] == [1, 2, 2, 2, 3]
    assert index.module_imports.from_locals[("dagster", "op")] == "op"
    assert index.module_imports.module_locals == {"os": "os", "numpy": "np", "dagster": "dg"}
    os_import = ctx.tree.body[0]
    uses = index.import_uses[(id(os_import), "os")]
    assert [node.lineno for node in uses] == [12, 12]
    # the imports a fix may orphan: Dagster's, read, not in __all__ (os and numpy are not), with the
    # sorted spans of the names reading each
    spans = {(record.name, record.node.lineno): use for record, use in index.dagster_import_spans}
    assert list(spans) == [("dg", 4), ("op", 5)]
    (dg_read,) = index.import_uses[(id(ctx.tree.body[2]), "dg")]
    assert spans[("dg", 4)].starts == [ctx.node_span(dg_read)[0]]
    assert spans[("op", 5)].count_inside([(0, len(text))]) == 1
    assert (id(ctx.tree.body[1]), "np") not in index.import_uses


GRAPH_TEXT = (
    "from dagster import RetryPolicy, job, op\n\n\n"
    "@op(retry_policy=RetryPolicy(max_retries=1))\n"
    "def a():\n    return 1\n\n\n"
    "@op\ndef b(x):\n    return x\n\n\n"
    "@job\ndef j():\n    b(a())\n\n\n"
    "@job\ndef j():\n    a()\n"
)


def test_op_graph_and_decorator_indexes():
    ctx = analyze("p.py", GRAPH_TEXT, ast.parse(GRAPH_TEXT))
    index = file_index(ctx)
    func_a, func_b, first_j, second_j = ctx.tree.body[1:]
    graph = index.op_graph
    assert {name: info.node for name, info in graph.ops.items()} == {"a": func_a, "b": func_b}
    assert [job.node for job in graph.jobs] == [first_j, second_j]
    assert graph.bodies[id(first_j)].ops == ["b", "a"] and graph.bodies[id(second_j)].ops == ["a"]
    assert [job.node for job in graph.callers["a"]] == [first_j, second_j]
    assert graph.symmetric
    assert index.ops_by_decorator_node[id(func_a.decorator_list[0].func)].node is func_a
    assert index.ops_by_decorator_node[id(func_b.decorator_list[0])].node is func_b
    assert index.jobs_by_decorator_node[id(second_j.decorator_list[0])].node is second_j
    assert index.ops_and_jobs_by_decorator_call[id(func_a.decorator_list[0])].node is func_a
    assert index.op_decorator_calls == {id(func_a.decorator_list[0])}
    assert index.jobs_by_name["j"].node is first_j  # the first job of a name
