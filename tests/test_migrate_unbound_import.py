"""migrate: an import of the project's own package that names nothing there is left out, with a TODO.

giga-dagster's ``from src.spark import spark``: ``src/spark/__init__.py`` is empty and there is
no ``src/spark/spark.py``, so the Dagster module cannot import it either. Copied as it was, the
generated step imported the Dagster project's package ``src``, which the generated project does
not have: the step module failed to import. The import is left out and a TODO says what is
missing (the README lists it). A module that may bind the name in a way no statement spells
(a star import, a module ``__getattr__``, ``globals()``) keeps the import as before.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from zenml_env import import_generated

from dagster_zenml_lint.scaffold import generate_project, write_project
from dagster_zenml_lint.scaffold.code import may_bind

ASSETS = """\
    from dagster import asset

    from src.spark import spark


    @asset
    def optimized() -> int:
        return spark.run()
    """


def _project(root: Path, package_init: str) -> Path:
    files = {
        "src/__init__.py": "",
        "src/spark/__init__.py": package_init,
        "src/spark/functions.py": "def run() -> int:\n    return 1\n",
        "src/assets.py": ASSETS,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def test_an_import_naming_nothing_in_the_project_is_left_out_with_a_todo(tmp_path):
    files = generate_project([_project(tmp_path / "proj", "")]).files
    step = files["steps/optimized.py"]
    assert "from src" not in step and "import src" not in step
    assert "# TODO(migration): `spark` was imported from 'src.spark', but src/spark/__init__.py does not" in step
    readme = [line for line in files["README.md"].splitlines() if "`spark` was imported from 'src.spark'" in line]
    assert readme == [  # the README lists the marker whole, its wrapped lines joined
        "- `steps/optimized.py:7`: `spark` was imported from 'src.spark', but src/spark/__init__.py does not "
        "bind it and no migrated module is named so (the Dagster code cannot have imported it either): the "
        "import was left out; define it in helpers/ and import it from there."
    ]
    ast.parse(step)


def test_the_step_module_imports_under_zenml(tmp_path):
    out = tmp_path / "out"
    write_project(generate_project([_project(tmp_path / "proj", "")]), out)
    done = import_generated(out, ["steps.optimized"], tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr[-2000:]


@pytest.mark.parametrize(
    "package_init",
    [
        "from .functions import *\n",
        "def __getattr__(name):\n    return name\n",
        "globals()['spark'] = object()\n",
        "for spark in range(1):\n    pass\n",
    ],
    ids=["star-import", "module-getattr", "globals", "for-target"],
)
def test_a_module_that_may_bind_the_name_keeps_the_import(tmp_path, package_init):
    step = generate_project([_project(tmp_path / "proj", package_init)]).files["steps/optimized.py"]
    assert "from src.spark import spark" in step
    assert "was imported from" not in step


def test_may_bind_is_cautious():
    assert not may_bind(ast.parse("x = 1\ndef f(y):\n    return y\n"), "spark")
    for text in ("spark = 1", "import spark", "from a import b as spark", "def f(spark): ...", "class spark: ..."):
        assert may_bind(ast.parse(text), "spark"), text
    assert may_bind(ast.parse("from a import *"), "spark")
    assert may_bind(ast.parse("setattr(sys.modules[__name__], 'spark', 1)"), "spark")
