"""``fix_text(orphans=False)``: the imports the fixes leave unused stay (``migrate``'s direct fixes).

``migrate`` copies no import statement of a source module: it derives each import from the names
the copied code reads. So it skips removing the orphaned ones; ``check --fix`` still removes them.
"""

from __future__ import annotations

from dagster_zenml_lint.fixers.apply import fix_text
from dagster_zenml_lint.scaffold.sources import DIRECT_CONFIG, apply_direct_fixes

# DZ106 drops the context parameter that only logged: its annotation's import is left unused
# two assets whose context only logs: each DZ106 fix drops one use of the annotation's import
FUNCTION = (
    "@asset\n"
    "def {name}(context: AssetExecutionContext) -> MaterializeResult:\n"
    '    context.log.info("built %d rows", 2)\n'
    "    return MaterializeResult()\n"
)
SOURCE = "from dagster import AssetExecutionContext, MaterializeResult, asset\n\n\n" + "\n\n".join(
    FUNCTION.format(name=name) for name in ("rows", "more_rows")
)
ORPHAN = "AssetExecutionContext"


def test_default_removes_the_orphaned_import() -> None:
    fixed = fix_text(SOURCE, "m.py", DIRECT_CONFIG, unsafe=True).text
    assert "context" not in fixed.split("def rows", 1)[1]
    assert ORPHAN not in fixed


def test_orphans_false_keeps_it_and_fixes_the_rest() -> None:
    result = fix_text(SOURCE, "m.py", DIRECT_CONFIG, unsafe=True, orphans=False)
    assert "context" not in result.text.split("def rows", 1)[1]
    assert f"from dagster import {ORPHAN}, MaterializeResult, asset" in result.text
    assert result.context is not None and result.context.text == result.text  # analysed: migrate reads it


def test_migrate_direct_fixes_keep_it() -> None:
    fixed, context = apply_direct_fixes(SOURCE, "m.py", [])
    assert "context" not in fixed.split("def rows", 1)[1] and ORPHAN in fixed
    assert context is not None and context.text == fixed


def test_string_annotation_with_a_lone_surrogate_is_analysed() -> None:
    """The parser cannot encode a lone surrogate (UnicodeEncodeError, a ValueError): the annotation
    names nothing we know, and the walk goes on (migrate crashed on the fixed text's analysis)."""
    import ast

    from dagster_zenml_lint.analysis.walk import analyze

    text = 'from dagster import asset\n\n\n@asset\ndef a(x: "\\ud800") -> None:\n    return None\n'
    assert analyze("m.py", text, ast.parse(text)) is not None
