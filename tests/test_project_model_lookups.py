"""The project model's lookups give the answers of a scan of every module, without the scan.

``ProjectModel.module`` finds a module by a suffix of its dotted name, or by a name it is a
suffix of (an import rooted above or below the package); the code location models share
their library's facts; each directory's code location is found once per run. Checked
against the plain scans these replace, on names built to collide.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_zenml_lint.project import model
from dagster_zenml_lint.project.model import (
    MODULE_SEPARATOR,
    ProjectModel,
    build_project,
    code_location_of,
)

ASSET = "from dagster import asset\n\n\n@asset\ndef {name}() -> int:\n    return 1\n"
MODULES = (
    "pkg/assets.py",
    "src/pkg/assets.py",
    "other/pkg/assets.py",
    "pkg/jobs/daily.py",
    "a/x/jobs/daily.py",
    "b/x/jobs/daily.py",
    "assets.py",
    "deep/a/b/c/d.py",
)
ASKED = (
    "pkg.assets",
    "src.pkg.assets",
    "top.src.pkg.assets",
    "assets",
    "jobs.daily",
    "x.jobs.daily",
    "daily",
    "c.d",
    "z.deep.a.b.c.d",
    "missing",
    "pkg",
    "",
)


def scanned(by_module: dict, name: str):
    """The answer of the scan ``ProjectModel.module`` made before it indexed the suffixes."""
    if name in by_module:
        return by_module[name]
    candidates = [m for m in by_module if m and name.endswith(MODULE_SEPARATOR + m)]
    candidates += [m for m in by_module if m and m.endswith(MODULE_SEPARATOR + name)]
    if len(candidates) == 1:
        return by_module[candidates[0]]
    if candidates:
        return by_module[max(candidates, key=len)]
    return None


@pytest.fixture
def project(tmp_path: Path) -> ProjectModel:
    for index, relative in enumerate(MODULES):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ASSET.format(name=f"table_{index}"), encoding="utf-8")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "helpers.py").write_text("class Helper:\n    pass\n", encoding="utf-8")
    return build_project([tmp_path])


def test_module_lookups_agree_with_a_scan_of_every_module(project: ProjectModel):
    by_module = dict(project._by_module)
    for name in ASKED:
        assert project.module(name) is scanned(by_module, name), name


def test_a_plain_module_read_later_is_found_by_suffix_too(project: ProjectModel):
    assert project.module("nothing.here") is None  # the suffix index is made
    helpers = project.module("plain.helpers")  # read now, added to the index
    assert helpers is not None
    assert project.module("helpers") is helpers
    assert project.module("root.plain.helpers") is helpers


def test_each_location_model_has_its_library(tmp_path: Path):
    for location in ("one", "two"):
        (tmp_path / location).mkdir()
        (tmp_path / location / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
        (tmp_path / location / "assets.py").write_text(ASSET.format(name=f"t_{location}"), encoding="utf-8")
        (tmp_path / location / "util.py").write_text("VALUE = 1\n", encoding="utf-8")
    (tmp_path / "shared.py").write_text("VALUE = 2\n", encoding="utf-8")
    project = build_project([tmp_path])
    locations = dict(project.code_location_models())
    assert sorted(locations) == ["one", "two"]  # shared.py, outside both, has no findings: no section
    for name, located in locations.items():
        assert located._by_module.keys() == project._by_module.keys()
        assert located._plain == {
            **{model.module_name_for(f.result.path): f for f in project.files if f.facts is None},
            **{model.module_name_for(f.result.path): f for f in located.files if f.facts is None},
        }
        assert all(f.result.path.startswith(f"{name}/") for f in located.files if name)


def test_a_directorys_code_location_is_found_once(tmp_path: Path, monkeypatch):
    (tmp_path / "one" / "pkg").mkdir(parents=True)
    (tmp_path / "one" / "setup.py").write_text("", encoding="utf-8")
    asked: list[Path] = []
    real = Path.is_file

    def counting(path: Path) -> bool:
        asked.append(path)
        return real(path)

    monkeypatch.setattr(Path, "is_file", counting)
    known: dict[Path, str] = {}
    first = code_location_of(tmp_path / "one" / "pkg" / "a.py", tmp_path, known)
    stats = len(asked)
    second = code_location_of(tmp_path / "one" / "pkg" / "b.py", tmp_path, known)
    assert first == second == code_location_of(tmp_path / "one" / "pkg" / "c.py", tmp_path) == "one"
    assert stats > 0 and len(asked) == stats + stats  # the second file asked nothing; the third, unmemoised, did
