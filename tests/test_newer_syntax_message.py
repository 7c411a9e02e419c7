"""DZ000 for newer syntax than the running Python's says so: the code may well be right.

tgrecojr/grecohome-dagster (it requires Python 3.14) has ``def run_async[T](...)``; under Python 3.11
the finding read ``syntax error: expected '('`` with nothing to say that the parser, not the code, is old.
A project that targets a newer Python (``target-version``, else ``requires-python``) is told so for
any syntax error, and what to do; a line of PEP 695 syntax gets its own note when nothing says more.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from cli_process import run_check

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.engine import check_source

HEAD = "from dagster import asset\n\n"
NEWER = {
    "a generic function": "def run_async[T](coro: T) -> T:\n    return coro\n",
    "a generic async function": "async def run[T](coro: T) -> T:\n    return coro\n",
    "a generic class": "class Box[T]:\n    pass\n",
    "a type alias": "type Rows = list[dict[str, int]]\n",
}
HINT = "type parameters and `type` aliases are Python 3.12 syntax"


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="this Python parses it")
@pytest.mark.parametrize("kind", sorted(NEWER))
def test_python_3_12_syntax_is_named_in_the_finding(kind):
    (finding,) = check_source(HEAD + NEWER[kind], "m.py", config=Config())
    assert finding.code == "DZ000" and HINT in finding.message
    assert f"this is Python {sys.version_info.major}.{sys.version_info.minor}" in finding.message


@pytest.mark.parametrize("broken", ["x = [1, 2\n", "def f(:\n    pass\n", "class C(\n"])
def test_other_syntax_errors_get_no_such_note(broken):
    (finding,) = check_source(HEAD + broken, "m.py", config=Config())
    assert finding.code == "DZ000" and HINT not in finding.message


# A PEP 701 f-string (Python 3.12): older parsers end the string at the inner quote.
FSTRING = HEAD + 'row = {"id": 1}\n\n\n@asset\ndef orders():\n    return f"{row["id"]}"\n'
RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"
older_than_3_12 = pytest.mark.skipif(sys.version_info >= (3, 12), reason="this Python parses Python 3.12 syntax")


def targets(version: str) -> str:
    """The note of a project that targets ``version``, a newer Python than this one."""
    return (
        f"(the project targets Python {version} and this is Python {RUNNING}: "
        f"run dagster-zenml-lint under Python {version} or newer)"
    )


@older_than_3_12
def test_a_newer_target_is_named_once_and_wins_over_the_pep_695_note():
    (finding,) = check_source(HEAD + NEWER["a generic function"], "m.py", config=Config(target_version="py313"))
    assert finding.message == f"syntax error: expected '('; the file was not analysed {targets('3.13')}"
    assert finding.message.count("this is Python") == 1


@pytest.mark.parametrize("target", [None, "py37", f"py3{sys.version_info.minor}"], ids=["none", "older", "this"])
def test_a_target_no_newer_than_this_python_adds_nothing(target):
    (finding,) = check_source(HEAD + "x = [1, 2\n", "m.py", config=Config(target_version=target))
    assert "targets" not in finding.message and finding.message.endswith("; the file was not analysed")


@older_than_3_12
def test_a_target_no_newer_than_this_python_keeps_the_pep_695_note():
    (finding,) = check_source(HEAD + NEWER["a type alias"], "m.py", config=Config(target_version="py310"))
    assert HINT in finding.message and "targets" not in finding.message


def _project(root: Path, pyproject: str) -> Path:
    root.mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (root / "assets.py").write_text(FSTRING, encoding="utf-8")
    return root


@older_than_3_12
@pytest.mark.parametrize(
    "pyproject",
    [
        '[project]\nname = "shop"\nrequires-python = ">=3.12"\n',
        '[project]\nname = "shop"\nrequires-python = ">=3.12,<4"\n\n[tool.dagster-zenml-lint]\nselect = ["DZ"]\n',
        '[tool.poetry.dependencies]\npython = "^3.12"\n',
    ],
    ids=["no-table", "table", "poetry"],
)
def test_check_names_the_python_requires_python_asks_for(tmp_path, pyproject):
    root = _project(tmp_path / "shop", pyproject)
    run = run_check(root, "--no-cache", "assets.py")
    assert run.returncode == 1, run.stderr
    # Python 3.11: "assets.py:8:20: DZ000 [HIGH] syntax error: f-string: unmatched '['; the file was ..."
    line = run.stdout.splitlines()[0]
    assert line.startswith("assets.py:8:") and ": DZ000 [HIGH] syntax error: " in line
    assert line.endswith(f"; the file was not analysed {targets('3.12')}")
    assert 'target-version = "py312"' in run_check(root, "--show-settings").stdout


@older_than_3_12
def test_target_version_wins_over_requires_python(tmp_path):
    pyproject = '[project]\nrequires-python = ">=3.12"\n\n[tool.dagster-zenml-lint]\ntarget-version = "py314"\n'
    root = _project(tmp_path / "shop", pyproject)
    run = run_check(root, "--no-cache", "--output-format", "json", "assets.py")
    (finding,) = json.loads(run.stdout)
    assert finding["code"] == "DZ000" and finding["message"].endswith(targets("3.14"))
