"""A class attribute named like the class it holds (``Scheme: Scheme``, pydantic's habit) binds no name:
the class it names is copied with the code that needs it.

Seen in enmeshed-analytics/analytics-platform-dagster: ``ChargeDeviceResponse`` (``Scheme: Scheme``,
``ChargeDevice: List[ChargeDevice]``) was copied to ``helpers/`` without ``Scheme`` and ``ChargeDevice``,
and importing the helper raised ``NameError: name 'Scheme' is not defined``.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from zenml_env import import_generated

from dagster_zenml_lint.scaffold import generate_project, write_project
from dagster_zenml_lint.scaffold.code import free_names

MODELS = """\
    from dataclasses import dataclass, field


    @dataclass
    class Scheme:
        code: str = "x"


    @dataclass
    class Device:
        name: str = "d"


    @dataclass
    class Response:
        Scheme: Scheme = field(default_factory=Scheme)
        Device: list[Device] = field(default_factory=list)
        total = 0
        count = total + 1
    """

ASSETS = """\
    from dagster import asset

    from models import Response


    @asset
    def response() -> str:
        return repr(Response())
    """


def test_a_class_attribute_binds_no_name_its_class_reads():
    tree = ast.parse(textwrap.dedent(MODELS))
    response = next(s for s in tree.body if isinstance(s, ast.ClassDef) and s.name == "Response")
    names = free_names(response)
    assert {"Scheme", "Device", "field"} <= names
    assert "total" in names  # read in the class body: a module-level ``total`` would be needed, none is here


def test_def_and_parameter_names_still_bind():
    tree = ast.parse("def f(a):\n    b = a\n    return b + c\n")
    assert free_names(tree.body[0]) == {"c"}


def _project(root: Path) -> Path:
    for name, text in (("models.py", MODELS), ("assets.py", ASSETS)):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def test_the_classes_a_copied_class_holds_are_copied_and_it_imports_under_zenml(tmp_path):
    root = _project(tmp_path / "repo")
    files = generate_project([root]).files
    copied = "".join(text for path, text in files.items() if path.startswith(("helpers/", "steps/")))
    assert "class Scheme" in copied and "class Device" in copied
    out = tmp_path / "out"
    write_project(generate_project([root]), out)
    done = import_generated(out, ["steps.response"], tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr[-2000:]
