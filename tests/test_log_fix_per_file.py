"""DZ106's log fix works out what every context parameter of a file shares once per file.

The module logger (its name, import and definition) is the same for every parameter of a
file, so is the removal of the Dagster imports a fix orphans when two fixes orphan the same
ones; the imports a fix may orphan and the calls of a function are looked up in indexes the
file builds once. Counted with the real functions wrapped; the fixes stay those of a fix
worked out on its own.
"""

from __future__ import annotations

import ast

from dagster_zenml_lint.analysis.walk import analyze
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.engine import check_source_with_context
from dagster_zenml_lint.findings import Edit
from dagster_zenml_lint.fixers import imports, log_calls
from dagster_zenml_lint.fixers.file_index import file_index

THREE_LOGGERS = (
    "from dagster import AssetExecutionContext, asset\n"
    "\n\n"
    "@asset\n"
    "def first(context: AssetExecutionContext) -> int:\n"
    '    context.log.info("first")\n'
    "    return 1\n"
    "\n\n"
    "@asset\n"
    "def second(context) -> int:\n"
    '    context.log.warning("second")\n'
    "    return 2\n"
    "\n\n"
    "@asset\n"
    "def third(context) -> int:\n"
    '    context.log.error("third")\n'
    "    return 3\n"
)

DZ106 = Config(select=("DZ106",))


def _dz106_fixes(text: str) -> list[tuple[int, str, tuple]]:
    findings, _ = check_source_with_context(text, "m.py", config=DZ106, with_fixes=True)
    return [(f.line, f.fix.description, f.fix.edits) for f in findings if f.fix is not None]


def test_the_module_logger_and_its_import_are_worked_out_once_per_file(monkeypatch):
    planned: list[object] = []
    real_edits = imports.ImportPlan.edits

    def counting(self, *args, **kwargs):
        planned.append(self)
        return real_edits(self, *args, **kwargs)

    monkeypatch.setattr(imports.ImportPlan, "edits", counting)
    fixes = _dz106_fixes(THREE_LOGGERS)
    assert len(fixes) == 3
    # the first fix orphans AssetExecutionContext, the other two nothing: two sets of removals
    assert len(planned) == 2
    first, second, third = (edits for _, _, edits in fixes)
    logger = (Edit(0, 0, "import logging\n\n"), Edit(49, 49, "\nlogger = logging.getLogger(__name__)\n"))
    assert (second[0], second[1]) == (third[0], third[1]) == logger
    assert (first[0], first[2]) == logger and first[1] == Edit(20, 43, "")  # ``AssetExecutionContext, `` goes


def test_each_fix_equals_the_fix_worked_out_alone():
    together = _dz106_fixes(THREE_LOGGERS)
    for name in ("first", "second", "third"):
        # the same file with only one parameter's fix asked for: a fresh index each time
        _, ctx = check_source_with_context(THREE_LOGGERS, "m.py", config=DZ106)
        assert ctx is not None
        use = next(u for u in ctx.context_uses if u.param.function.name == name)
        match = next(m for m in _matches(ctx) if m.node is use.node)
        alone = log_calls.fix_context_log(ctx, match).fix
        assert alone is not None
        assert (alone.description, alone.edits) in [(d, e) for _, d, e in together]


def _matches(ctx):
    from dagster_zenml_lint.analysis.match import match_all

    return [m for m in match_all(ctx, []) if m.code == "DZ106"]


def test_only_dagster_imports_that_a_fix_may_remove_get_spans():
    text = (
        "import logging\n"
        "from dagster import AssetExecutionContext, asset, op\n"
        "\n"
        '__all__ = ["op"]\n'
        "\n\n"
        "@asset\n"
        "def first(context: AssetExecutionContext) -> int:\n"
        "    logging.info('x')\n"
        "    return 1\n"
    )
    ctx = analyze("m.py", text, ast.parse(text))
    spans = file_index(ctx).dagster_import_spans
    # logging is not Dagster's, op is exported (and unread): only the read Dagster names
    assert [record.name for record, _ in spans] == ["AssetExecutionContext", "asset"]
    assert [len(uses.starts) for _, uses in spans] == [1, 1]


def test_a_computed_all_keeps_every_import():
    text = (
        "from dagster import asset\n\n__all__ = [name for name in dir()]\n\n\n@asset\ndef a() -> int:\n    return 1\n"
    )
    ctx = analyze("m.py", text, ast.parse(text))
    assert file_index(ctx).dagster_import_spans == []


def test_calls_are_indexed_by_the_name_they_call():
    text = "def a(x):\n    return x\n\n\nb = a(1)\nc = a(2)\nd = obj.a(3)\ne = b(a)\n"
    ctx = analyze("m.py", text, ast.parse(text))
    index = file_index(ctx).calls_by_callee_name
    assert [call.lineno for call in index["a"]] == [5, 6]
    assert [call.lineno for call in index["b"]] == [8]
    assert "obj" not in index
