"""``migrate`` parses a file without Dagster code only when the generated code takes something from it.

Most files of a monorepo never name Dagster: the engine does not parse them, and the
generator needs the definitions of only the few that steps import helpers from. Counted
with the real parse wrapped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_zenml_lint.scaffold import generate_project, sources
from dagster_zenml_lint.scaffold.sources import ModuleDefinitions

ASSETS = """\
from dagster import asset

from helpers_lib import double


@asset
def numbers() -> list:
    return [1, 2, 3]


@asset
def doubled(numbers: list) -> list:
    return [double(n) for n in numbers]
"""
HELPERS = "def double(n: int) -> int:\n    return n * 2\n"
UNRELATED = "import os\n\n\ndef home() -> str:\n    return os.sep\n"
BROKEN = "def broken(:\n    pass\n"


@pytest.fixture
def parsed(monkeypatch):
    """The texts ``scaffold.sources`` parsed for a module's fixed tree, in order."""
    seen: list[str] = []
    real = sources._parse

    def counting(text):
        seen.append(text)
        return real(text)

    monkeypatch.setattr(sources, "_parse", counting)
    return seen


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_plain_modules_are_not_parsed_when_loaded(tmp_path: Path, parsed):
    write(tmp_path, {"assets.py": ASSETS, "helpers_lib.py": HELPERS, "unrelated.py": UNRELATED})
    _, modules, _ = sources.load_sources([tmp_path])
    assert [m.relpath for m in modules] == ["assets.py", "helpers_lib.py", "unrelated.py"]
    assert parsed == []
    plain = modules[2]
    assert plain.fixed_tree is not None and plain.fixed_tree.body[-1].name == "home"  # type: ignore[attr-defined]
    assert plain.fixed_tree is plain.fixed_tree  # parsed once
    assert parsed == [UNRELATED]


def test_definitions_are_read_for_the_modules_asked_for(tmp_path: Path, parsed):
    write(tmp_path, {"assets.py": ASSETS, "helpers_lib.py": HELPERS, "unrelated.py": UNRELATED, "broken.py": BROKEN})
    _, modules, _ = sources.load_sources([tmp_path])
    definitions = ModuleDefinitions({m.relpath: m for m in modules})
    assert set(definitions.get("helpers_lib.py", {})) == {"double"}
    assert parsed == [HELPERS]
    assert definitions.get("broken.py", {}) == {} and "broken.py" not in definitions  # does not parse
    assert definitions.get("missing.py") is None
    assert set(definitions["assets.py"]) == {"asset", "double", "numbers", "doubled"}
    assert sorted(definitions) == ["assets.py", "helpers_lib.py", "unrelated.py"]  # the ones that parse


def test_migrate_parses_only_the_plain_modules_steps_use(tmp_path: Path, parsed):
    source = write(tmp_path, {"assets.py": ASSETS, "helpers_lib.py": HELPERS, "unrelated.py": UNRELATED})
    project = generate_project([source])
    steps = "\n".join(text for name, text in project.files.items() if name.startswith("steps/"))
    assert "def double(" in steps or "import double" in steps  # the helper reached the steps
    assert HELPERS in parsed
    assert UNRELATED not in parsed
