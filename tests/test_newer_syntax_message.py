"""DZ000 for Python 3.12 syntax under an older Python says so: the code may well be right.

tgrecojr/grecohome-dagster (it requires Python 3.14) has ``def run_async[T](...)``; under Python 3.11
the finding read ``syntax error: expected '('`` with nothing to say that the parser, not the code, is old.
"""

from __future__ import annotations

import sys

import pytest

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
