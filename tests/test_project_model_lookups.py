"""The project model's lookups give the answers of a scan of every module, without the scan.

``ProjectModel.module`` finds a module by a suffix of its dotted name, or by a name it is a
suffix of (an import rooted above or below the package); the code location models share
their library's facts; each directory's code location is found once per run. Checked
against the plain scans these replace, on names built to collide.
"""

from __future__ import annotations

import os
from collections import Counter
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


def test_location_models_share_the_librarys_suffix_index_and_agree_with_a_scan(tmp_path: Path):
    for location in ("one", "two"):
        (tmp_path / location).mkdir()
        (tmp_path / location / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
        for index, relative in enumerate(MODULES):
            path = tmp_path / location / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(ASSET.format(name=f"t_{location}_{index}"), encoding="utf-8")
    (tmp_path / "two" / "plain.py").write_text("class Plain:\n    pass\n", encoding="utf-8")
    project = build_project([tmp_path])
    located = dict(project.code_location_models())
    assert sorted(located) == ["one", "two"]
    for model_of_location in located.values():
        assert model_of_location._tail_index is project._tail_index  # built once for the project
        by_module = dict(model_of_location._by_module)
        for name in (*ASKED, *(f"{location}.{name}" for location in ("one", "two") for name in ASKED)):
            assert model_of_location.module(name) is scanned(by_module, name), name
        plain = model_of_location.module("two.plain")  # read on demand: indexed for this model only
        assert plain is not None and model_of_location.module("plain") is plain
    assert project._tail_index.tails().get("plain") is None


def test_each_directory_is_asked_for_a_packaging_file_once_per_run(tmp_path: Path, monkeypatch):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    for index in range(5):
        (tmp_path / "pkg" / "sub" / f"m{index}.py").write_text(ASSET.format(name=f"t{index}"), encoding="utf-8")
    asked: list[Path] = []
    real = Path.is_file

    def counting(path: Path) -> bool:
        if path.name in model.PROJECT_MARKERS and tmp_path / "pkg" in path.parents:
            asked.append(path)
        return real(path)

    monkeypatch.setattr(Path, "is_file", counting)
    project = build_project([tmp_path])
    assert len(project.facts) == 5 and {f.code_location for f in project.facts} == {""}
    # pkg/sub and pkg, each for its three markers: once for the five files (the code locations were
    # assigned a second time without the run's memory, 36 questions)
    assert len(asked) == 2 * len(model.PROJECT_MARKERS)


def _relative_by_path(path: str, root: Path) -> str:
    """What ``relative_path`` gave when it made ``Path`` objects."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


@pytest.mark.parametrize(
    ("path", "root"),
    [
        ("/a/b/c.py", "/a/b"),
        ("/a/b/c/d.py", "/a/b"),
        ("/a/bc/d.py", "/a/b"),  # a sibling sharing the root's spelling is outside
        ("/a/b", "/a/b"),
        ("/x/y.py", "/"),
        ("/a/b/../c/d.py", "/a/c"),
        ("/a/b/./c.py", "/a/b"),
        ("rel/x.py", "."),
        ("/elsewhere/x.py", "/a/b"),
    ],
)
def test_relative_path_from_strings_names_files_as_the_path_objects_did(path: str, root: str):
    base = Path(os.path.abspath(root))
    assert model.relative_path(path, base) == _relative_by_path(path, base)
    assert model.relative_path(Path(path), base) == _relative_by_path(path, base)


def test_a_search_for_the_code_location_stops_at_a_directory_passed_before(tmp_path: Path, monkeypatch):
    (tmp_path / "loc" / "a").mkdir(parents=True)
    (tmp_path / "loc" / "b").mkdir()
    (tmp_path / "loc" / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "bare" / "x").mkdir(parents=True)
    (tmp_path / "bare" / "y").mkdir()
    asked: list[Path] = []
    real = Path.is_file

    def counting(path: Path) -> bool:
        asked.append(path.parent)
        return real(path)

    monkeypatch.setattr(Path, "is_file", counting)
    known: dict[str, str] = {}
    assert code_location_of(tmp_path / "loc" / "a" / "m.py", tmp_path, known) == "loc"
    assert code_location_of(tmp_path / "loc" / "b" / "m.py", tmp_path, known) == "loc"
    assert code_location_of(tmp_path / "bare" / "x" / "m.py", tmp_path, known) == ""
    assert code_location_of(tmp_path / "bare" / "y" / "m.py", tmp_path, known) == ""
    assert code_location_of(tmp_path / "loc" / "m.py", tmp_path, known) == "loc"  # asked nothing
    # each directory asked once: ``loc`` and ``bare`` only by the first search that passed them
    markers = len(model.PROJECT_MARKERS)
    expected = {"loc/a": markers, "loc": 1, "loc/b": markers, "bare/x": markers, "bare": markers, "bare/y": markers}
    assert Counter(d.relative_to(tmp_path).as_posix() for d in asked) == expected
