"""Leftovers of parallel authoring stay gone: guarded imports of our own modules, copied helpers.

The package imports its own modules plainly: no guard pretends one of them may be missing.
Guards such as ``try: from dagster_zenml_lint.x import y`` / ``except ImportError:`` were
left over from parallel authoring; they hid real import errors behind a silent
fallback. And one helper finds a call's argument by keyword (``rules._calls.argument``);
four copies of it had grown in the rules, the project model and the scaffold. The package
is read with :mod:`ast` (nothing is imported).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dagster_zenml_lint"
OWN = PACKAGE.name
IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


def _imports_own_module(statements: list[ast.stmt]) -> bool:
    for node in (n for s in statements for n in ast.walk(s)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == OWN:
            return True
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            return True
        if isinstance(node, ast.Import) and any(alias.name.split(".")[0] == OWN for alias in node.names):
            return True
    return False


def _catches_import_errors(handler: ast.ExceptHandler) -> bool:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(name, ast.Name) and name.id in IMPORT_ERRORS for name in names)


def guarded_own_imports(tree: ast.AST) -> list[int]:
    """Lines of ``try`` statements that import a module of the package and catch import errors."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Try)
        and any(_catches_import_errors(h) for h in node.handlers)
        and _imports_own_module(node.body)
    ]


def own_module_probes(tree: ast.AST) -> list[int]:
    """Lines asking whether a module of the package exists (``find_spec``/``importorskip`` of it)."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute | ast.Name)
        and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) in {"find_spec", "importorskip"}
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and str(node.args[0].value).split(".")[0] == OWN
    ]


def test_no_module_of_the_package_guards_an_import_of_its_own_modules():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in guarded_own_imports(ast.parse(path.read_bytes())) + own_module_probes(ast.parse(path.read_bytes()))
    ]
    assert not found, "imports of the package's own modules behind a guard:\n" + "\n".join(found)


def test_no_test_skips_when_a_module_of_the_package_is_missing():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "tests").glob("*.py"))
        for line in own_module_probes(ast.parse(path.read_bytes()))
    ]
    assert not found, "tests that skip when the package's own module is missing:\n" + "\n".join(found)


def test_the_checks_see_a_guard_and_a_probe():
    guard = "try:\n    from dagster_zenml_lint.fixers.apply import fix_text\nexcept ImportError:\n    fix_text = None\n"
    probe = "import pytest\n\napply = pytest.importorskip('dagster_zenml_lint.fixers.apply')\n"
    third_party = "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
    assert guarded_own_imports(ast.parse(guard)) == [1]
    assert own_module_probes(ast.parse(probe)) == [3]
    assert guarded_own_imports(ast.parse(third_party)) == []


KEYWORD_HELPERS = "dagster_zenml_lint/rules/_calls.py"


def keyword_lookups(tree: ast.AST) -> list[int]:
    """Lines of functions that look a call's keyword up by a name they are given (``kw.arg == name``)."""
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        params = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Attribute)
                and node.left.attr == "arg"
                and isinstance(node.ops[0], ast.Eq)
                and isinstance(node.comparators[0], ast.Name)
                and node.comparators[0].id in params
            ):
                found.append(function.lineno)
                break
    return found


def test_one_helper_finds_a_keyword_argument():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(ROOT).as_posix() != KEYWORD_HELPERS
        for line in keyword_lookups(ast.parse(path.read_bytes()))
    ]
    assert not found, "use rules._calls.argument instead of another keyword lookup:\n" + "\n".join(found)
    copy = "def _kwarg(call, name):\n    return next((k.value for k in call.keywords if k.arg == name), None)\n"
    assert keyword_lookups(ast.parse(copy)) == [1]
