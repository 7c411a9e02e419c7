"""The guard of fixed text parses each text once and compiles that tree, with the verdict compiling the text gives.

``ast.parse`` accepts code that only the compiler rejects (``return`` outside a function,
duplicate argument names...): compiling the parse must reject every one of them as
compiling the text does, with the same message, and a fix producing one is dropped.
The fixed text is then analysed from that same tree, and the caller's tree of the
original is compiled instead of its text: counted with the real ``compile`` wrapped.
"""

from __future__ import annotations

import ast
import builtins

import pytest
from samples import ORPHANING

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.findings import Applicability, Edit, Finding, Fix
from dagster_zenml_lint.fixers.apply import (
    DroppedFix,
    _apply_round,
    compile_error,
    compiled_verdict,
    fix_text,
    guard_for,
    parsed_verdict,
)
from dagster_zenml_lint.runner import lint_text_with_context

NESTED_LOOPS = "".join("    " * depth + "for a in b:\n" for depth in range(21)) + "    " * 21 + "pass\n"

# Code that parses and does not compile, with the compiler's message (Python 3.11).
COMPILER_ONLY = {
    "return outside a function": ("return 1\n", "line 1: 'return' outside function"),
    "return in a class body": ("class C:\n    return 1\n", "line 2: 'return' outside function"),
    "yield outside a function": ("yield 1\n", "line 1: 'yield' outside function"),
    "yield from outside a function": ("yield from x\n", "line 1: 'yield' outside function"),
    "yield inside a comprehension": (
        "def f():\n    return [(yield a) for a in x]\n",
        "line 2: 'yield' inside list comprehension",
    ),
    "await outside a function": ("await x\n", "line 1: 'await' outside function"),
    "async with outside async": (
        "def f():\n    async with x:\n        pass\n",
        "line 2: 'async with' outside async function",
    ),
    "async for outside async": (
        "def f():\n    async for a in x:\n        pass\n",
        "line 2: 'async for' outside async function",
    ),
    "async comprehension outside async": (
        "def f():\n    return [a async for a in x]\n",
        "line 2: asynchronous comprehension outside of an asynchronous function",
    ),
    "return with a value in an async generator": (
        "async def f():\n    yield 1\n    return 2\n",
        "line 3: 'return' with value in async generator",
    ),
    "nonlocal at module level": ("nonlocal x\n", "line 1: nonlocal declaration not allowed at module level"),
    "nonlocal with no binding": ("def f():\n    nonlocal y\n", "line 2: no binding for nonlocal 'y' found"),
    "a parameter declared global": ("def f(x):\n    global x\n", "line 2: name 'x' is parameter and global"),
    "assigned before its global declaration": (
        "def f():\n    x = 1\n    global x\n",
        "line 3: name 'x' is assigned to before global declaration",
    ),
    "an annotated global": ("def f():\n    global x\n    x: int = 1\n", "line 3: annotated name 'x' can't be global"),
    "break outside a loop": ("break\n", "line 1: 'break' outside loop"),
    "break in a loop's else": ("for a in b:\n    pass\nelse:\n    break\n", "line 4: 'break' outside loop"),
    "continue outside a loop": ("continue\n", "line 1: 'continue' not properly in loop"),
    "duplicate argument names": ("def f(a, a):\n    pass\n", "line 1: duplicate argument 'a' in function definition"),
    "duplicate lambda argument names": (
        "g = lambda a, a: a\n",
        "line 1: duplicate argument 'a' in function definition",
    ),
    "an unknown future feature": (
        "from __future__ import nothing_here\n",
        "line 1: future feature nothing_here is not defined",
    ),
    "a late future import": (
        "x = 1\nfrom __future__ import annotations\n",
        "line 2: from __future__ imports must occur at the beginning of the file",
    ),
    "two starred targets": ("*a, *b = c\n", "line 1: multiple starred expressions in assignment"),
    "a starred target alone": ("*a = b\n", "line 1: starred assignment target must be in a list or tuple"),
    "a bare except before another": (
        "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
        "line 3: default 'except:' must be last",
    ),
    "import star in a function": ("def f():\n    from os import *\n", "line 2: import * only allowed at module level"),
    "a walrus rebinding a comprehension variable": (
        "[i := 0 for i in x]\n",
        "line 1: assignment expression cannot rebind comprehension iteration variable 'i'",
    ),
    "too many nested blocks": (NESTED_LOOPS, "line 21: too many statically nested blocks"),
}


@pytest.mark.parametrize("kind", sorted(COMPILER_ONLY))
def test_compiling_the_parse_rejects_what_compiling_the_text_rejects(kind):
    text, message = COMPILER_ONLY[kind]
    tree = ast.parse(text)  # the parser accepts it: only the compiler raises
    assert compile_error(text) == message
    assert compile_error(text, tree) == message
    verdict = compiled_verdict(text)
    assert verdict.error == message and verdict.tree is not None
    assert parsed_verdict(text).error is None  # an original that did not compile only asks for a parse


@pytest.mark.parametrize("kind", sorted(COMPILER_ONLY))
def test_a_fix_producing_code_only_the_compiler_rejects_is_dropped(kind):
    text, message = COMPILER_ONLY[kind]
    original = "pass\n"
    fix = Fix((Edit(0, len(original), text),), Applicability.SAFE, "test fix")
    finding = Finding("DZ101", 1, 0, "m", fix=fix)
    dropped: list[DroppedFix] = []
    new_text, applied, tree = _apply_round(original, [finding], dropped, guard_for(original, ast.parse(original)))
    assert (new_text, applied, tree) == (original, [], None)
    assert [d.reason for d in dropped] == [f"the fix would produce code that does not compile ({message})"]


def test_an_original_that_does_not_compile_only_asks_fixed_text_to_parse():
    original = "return 1\n"
    guard = guard_for(original, ast.parse(original))
    assert guard("return 2\n").error is None
    assert guard("return (\n").error is not None


def test_the_original_is_compiled_only_when_a_fixed_text_does_not_compile(monkeypatch):
    from dagster_zenml_lint.fixers import apply

    originals: list[str] = []
    real = apply.compile_error

    def counting(text, tree=None):
        if text.startswith("x"):
            originals.append(text)
        return real(text, tree)

    monkeypatch.setattr(apply, "compile_error", counting)
    guard = guard_for("x = 1\n")
    assert guard("y = 1\n").error is None and guard("z = 2\n").error is None
    assert originals == []  # fixed texts that compile pass whatever the original does
    assert guard("return 1\n").error == "line 1: 'return' outside function"
    assert guard("break\n").error == "line 1: 'break' outside loop"
    assert originals == ["x = 1\n"]  # asked once, when the first fixed text fails


def test_a_text_that_does_not_parse_has_no_tree():
    verdict = compiled_verdict("def f(:\n")
    assert verdict.tree is None and verdict.error is not None and verdict.error.startswith("line 1: ")


@pytest.fixture
def compiled(monkeypatch):
    """What ``compile`` was given while fixing: ("parse", text), ("text", text) or ("tree", None), in order."""
    seen: list[tuple[str, str | None]] = []
    real = builtins.compile

    def counting(source, *args, **kwargs):
        flags = args[2] if len(args) > 2 else kwargs.get("flags", 0)
        if isinstance(source, ast.AST):
            seen.append(("tree", None))
        elif isinstance(source, str):
            seen.append(("parse" if flags & ast.PyCF_ONLY_AST else "text", source))
        return real(source, *args, **kwargs)

    monkeypatch.setattr(builtins, "compile", counting)
    return seen


def test_each_fixed_text_is_parsed_once_and_no_text_is_compiled_from_source(compiled):
    config = Config(select=("DZ1",))
    _, context = lint_text_with_context(ORPHANING, "m.py", config, with_fixes=True)
    assert context is not None
    compiled.clear()
    result = fix_text(ORPHANING, "m.py", config, unsafe=True, tree=context.tree, context=context)
    assert result.changed and "AssetExecutionContext" not in result.text  # the orphaned import went
    parsed = [text for what, text in compiled if what == "parse"]
    assert ORPHANING not in parsed  # the caller's tree is compiled instead
    assert len(parsed) == len(set(parsed)) and result.text in parsed
    assert [text for what, text in compiled if what == "text"] == []
    assert compiled.count(("tree", None)) == len(parsed)  # each fixed text; the original only when one fails


# (original, fixed, the error compiling the whole fixed text gives): a fix changed one top-level
# statement, and the fixed text fails only through the statements around it. Compiling the changed
# statement alone would let each one pass.
AROUND_THE_CHANGE = {
    "a module-level global declared after the changed binding": (
        "y = 1\nglobal x\n",
        "x = 1\nglobal x\n",
        "line 2: name 'x' is assigned to before global declaration",
    ),
    "a statement inserted above a future import": (
        "from __future__ import annotations\nx = 1\n",
        "import logging\nfrom __future__ import annotations\nx = 1\n",
        "line 2: from __future__ imports must occur at the beginning of the file",
    ),
    "a future import that changes how an unchanged annotation compiles": (
        "def f(x: (y := 1)):\n    pass\n",
        "from __future__ import annotations\n\ndef f(x: (y := 1)):\n    pass\n",
        "line 3: 'named expression' can not be used within an annotation",
    ),
}


@pytest.mark.parametrize("kind", sorted(AROUND_THE_CHANGE))
def test_what_the_statements_around_a_change_make_of_it_is_caught(kind):
    original, fixed, message = AROUND_THE_CHANGE[kind]
    assert compile_error(original) is None and compile_error(fixed) == message
    assert guard_for(original, ast.parse(original))(fixed).error == message


@pytest.fixture
def compiler(monkeypatch):
    """What the guard hands the compiler: the source of each top-level statement compiled, per call."""
    from dagster_zenml_lint.fixers import apply

    seen: list[list[str]] = []
    real = apply._compiler_error

    def recording(source):
        seen.append([ast.unparse(s) for s in source.body] if isinstance(source, ast.Module) else [source])
        return real(source)

    monkeypatch.setattr(apply, "_compiler_error", recording)
    return seen


ORIGINAL = '''"""Doc."""
from __future__ import annotations

import os


@decorate
def a():
    return os.sep


def b():
    return 1
'''


def test_only_the_statements_a_fix_changed_are_compiled_with_the_future_imports(compiler):
    fixed = ORIGINAL.replace("return 1", "return 2")
    assert guard_for(ORIGINAL, ast.parse(ORIGINAL))(fixed).error is None
    assert compiler == [["'Doc.'", "from __future__ import annotations", "def b():\n    return 2"]]


def test_a_changed_decorator_is_a_changed_statement(compiler):
    fixed = ORIGINAL.replace("@decorate", "@other")
    assert guard_for(ORIGINAL, ast.parse(ORIGINAL))(fixed).error is None
    assert compiler == [["'Doc.'", "from __future__ import annotations", "@other\ndef a():\n    return os.sep"]]


def test_a_changed_statement_that_does_not_compile_is_reported_as_compiling_the_whole_reports_it(compiler):
    fixed = ORIGINAL.replace("return 1", "return 1\n\n\nreturn 3")
    assert guard_for(ORIGINAL, ast.parse(ORIGINAL))(fixed).error == "line 16: 'return' outside function"
    assert len(compiler) == 3  # the changed statements, the whole fixed text, then the original


def test_an_unchanged_statement_that_never_compiled_does_not_fail_the_fix(compiler):
    original = "return 1\nx = 1\n"
    assert guard_for(original, ast.parse(original))("return 1\nx = 2\n").error is None
    assert compiler == [["x = 2"]]  # the original fails to compile: a fixed text only has to parse


def test_with_global_in_the_text_the_whole_fixed_text_is_compiled(compiler):
    original = "def f():\n    global g\n    g = 1\n\n\ndef h():\n    return 1\n"
    fixed = original.replace("g = 1", "g = 2")
    assert guard_for(original, ast.parse(original))(fixed).error is None
    assert compiler == [[ast.unparse(s) for s in ast.parse(fixed).body]]  # h, unchanged, too
