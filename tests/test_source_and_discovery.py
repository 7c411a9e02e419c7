"""Reading files (encodings, BOM, newlines), walking directories, and ``# noqa`` parsing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import DiscoveryError, FileKind, discover, is_excluded
from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.source import SourceError, char_column, decode_source, detect_newline, read_source
from dagster_zenml_lint.suppression import filter_suppressed, parse_noqa


# --- source ---------------------------------------------------------------------------
def test_utf8_default():
    source = decode_source("x = 'ü'\n".encode())
    assert (source.text, source.encoding, source.bom, source.newline) == ("x = 'ü'\n", "utf-8", False, "\n")


def test_bom_is_kept_apart_and_restored():
    data = b"\xef\xbb\xbfimport dagster\r\nx = 1\r\n"
    source = decode_source(data)
    assert source.bom and source.text == "import dagster\r\nx = 1\r\n" and source.newline == "\r\n"
    assert source.encode() == data


def test_coding_cookie():
    data = "# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1")
    source = decode_source(data)
    assert source.encoding == "iso-8859-1"
    assert "café" in source.text
    assert source.encode() == data


def test_cookie_on_second_line():
    data = "#!/usr/bin/env python\n# coding=cp1252\nx = '€'\n".encode("cp1252")
    assert "€" in decode_source(data).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"x = 1\x00\n", "NUL"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"x = '\xff'\n", "cannot decode as utf-8 (invalid byte at line 1)"),
        (b"a = 1\nb = 2\nc = '\xc3\x28'\n", "line 3"),
        (b"# coding: no-such-codec\nx = 1\n", "unknown encoding"),
    ],
)
def test_undecodable_bytes_raise_one_line(data, message):
    with pytest.raises(SourceError) as exc:
        decode_source(data)
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_read_source_errors(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        read_source(tmp_path / "missing.py")
    with pytest.raises(SourceError, match="directory"):
        read_source(tmp_path)


@pytest.mark.parametrize(
    ("text", "newline"),
    [
        ("a\nb\r\n", "\n"),
        ("a\r\nb\n", "\r\n"),
        ("a\rb", "\r"),
        ("a", "\n"),
        ("", "\n"),
        ("a\rb\n", "\r"),
        ("\r", "\r"),
        ("x\n\r", "\n"),
    ],
)
def test_detect_newline(text, newline):
    assert detect_newline(text) == newline


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_decode_round_trips_utf8_text(text):
    data = text.encode("utf-8")
    try:
        source = decode_source(data)
    except SourceError:
        return  # e.g. a first line that looks like a coding cookie naming an unknown codec
    assert source.encode() == data


def test_char_column():
    line = "x = 'é'; y = dg.op"
    byte_col = line.encode().index(b"dg")
    assert char_column(line, byte_col) == line.index("dg")
    assert char_column("plain", 3) == 3


# --- discovery ------------------------------------------------------------------------
@pytest.fixture
def tree(tmp_path):
    layout = [
        "app/__init__.py",
        "app/assets.py",
        "app/defs.yaml",
        "app/notes.txt",
        "app/stub.pyi",
        "app/sub/jobs.py",
        ".git/hooks/x.py",
        "app/__pycache__/assets.cpython-311.py",
        "env1/lib/site.py",
        "build/lib/app.py",
        "node_modules/x.py",
    ]
    for name in layout:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")
    (tmp_path / "env1" / "pyvenv.cfg").write_text("home = /usr\n")
    return tmp_path


def names(found, root) -> list[str]:
    return [f.path.relative_to(root).as_posix() for f in found]


def test_walk_picks_python_and_component_files(tree):
    found = list(discover([tree]))
    assert names(found, tree) == ["app/__init__.py", "app/assets.py", "app/defs.yaml", "app/sub/jobs.py"]
    assert [f.kind for f in found] == [FileKind.PYTHON, FileKind.PYTHON, FileKind.COMPONENT_YAML, FileKind.PYTHON]


def test_explicit_files_are_always_checked(tree):
    found = list(discover([tree / "app" / "stub.pyi", tree / "build" / "lib" / "app.py"]))
    assert names(found, tree) == ["app/stub.pyi", "build/lib/app.py"]


def test_exclude_replaces_defaults_and_extend_adds(tree):
    replaced = names(discover([tree], Config(exclude=("sub",))), tree)
    assert "build/lib/app.py" in replaced and "app/sub/jobs.py" not in replaced
    assert ".git/hooks/x.py" not in replaced and "env1/lib/site.py" not in replaced  # always skipped
    extended = names(discover([tree], Config(extend_exclude=("app/sub", "*.yaml"))), tree)
    assert extended == ["app/__init__.py", "app/assets.py"]


def test_missing_path_raises(tree):
    with pytest.raises(DiscoveryError, match="nope"):
        list(discover([tree, tree / "nope"]))


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlink_loop(tree):
    (tree / "app" / "sub" / "back").symlink_to(tree / "app", target_is_directory=True)
    found = names(discover([tree / "app"]), tree)
    assert found.count("app/assets.py") == 1
    assert len(found) == len(set(found))


def test_is_excluded_by_name_and_relative_path():
    root = Path("/r")
    assert is_excluded(Path("/r/a/b/c.py"), root, ["b"]) is False  # names match the path's own name
    assert is_excluded(Path("/r/a/b"), root, ["b"])
    assert is_excluded(Path("/r/a/b/c.py"), root, ["a/b/*.py"])
    assert is_excluded(Path("/r/a/b/c.py"), root, ["./a/b/c.py"])
    assert not is_excluded(Path("/r/a/b/c.py"), root, ["x/*"])


# --- noqa -----------------------------------------------------------------------------
def finding(line: int, code: str = "DZ301") -> Finding:
    return Finding(code, line, 0, "m")


def test_noqa_forms():
    text = "a  # noqa\nb  # noqa: DZ301\nc  # NOQA:DZ1,DZ302\nd  # noqa: E501\ne\n"
    kept = filter_suppressed([finding(n) for n in range(1, 6)] + [finding(3, "DZ101")], text)
    assert [(f.line, f.code) for f in kept] == [(3, "DZ301"), (4, "DZ301"), (5, "DZ301")]


def test_noqa_inside_a_string_is_not_a_comment():
    text = 's = "# noqa"\nt = 1  # noqa: DZ301\n'
    assert [f.line for f in filter_suppressed([finding(1), finding(2)], text)] == [1]


def test_noqa_after_a_multiline_string_covers_it():
    text = 'x = """\nabc\n"""  # noqa: DZ301\ny = 1\n'
    assert parse_noqa(text).by_line.keys() == {1, 2, 3}


def test_noqa_in_text_that_does_not_tokenize():
    text = "x = (  # noqa\n"
    assert filter_suppressed([finding(1)], text) == []


def test_explicit_file_under_an_excluded_directory_is_skipped(tree, monkeypatch):
    # pre-commit passes files by name: a directory glob must exclude them as a walk would
    monkeypatch.chdir(tree)
    config = Config(extend_exclude=("sub",))
    assert names(discover([Path("app/sub/jobs.py"), Path("app/assets.py")], config), Path(".")) == ["app/assets.py"]
    assert names(discover([Path("app/sub/jobs.py")]), Path(".")) == ["app/sub/jobs.py"]


def test_legacy_component_yaml_counts_only_inside_a_defs_folder(tmp_path):
    inside = tmp_path / "src" / "defs" / "dbt" / "component.yaml"
    outside = tmp_path / "deploy" / "component.yaml"
    for path in (inside, outside):
        path.parent.mkdir(parents=True)
        path.write_text("type: dagster_dbt.DbtProjectComponent\n")
    found = list(discover([tmp_path]))
    assert [(f.path, f.kind) for f in found] == [(inside, FileKind.COMPONENT_YAML)]


def test_a_legacy_component_yaml_finding_names_its_own_file(tmp_path, capsys):
    from dagster_zenml_lint.cli import main

    path = tmp_path / "defs" / "dbt" / "component.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("type: dagster_dbt.DbtProjectComponent\n")
    main(["check", str(tmp_path)])
    out = capsys.readouterr().out
    assert "DZ313" in out and "component.yaml component instance of type 'dagster_dbt.DbtProjectComponent'" in out


@pytest.mark.parametrize("root", [".", "./", "app", "./app/", "app/../app"])
def test_a_walked_file_is_spelled_as_its_path_is(tree, monkeypatch, root):
    # Discovery keeps paths as strings (no Path per file): each is spelled as str(Path) spells it,
    # which is what every output shows ("app/assets.py", never "./app/assets.py").
    monkeypatch.chdir(tree)
    found = list(discover([root]))
    assert found
    assert [f.location for f in found] == [str(f.path) for f in found]
    assert all(isinstance(f.location, str) and not f.location.startswith("./") for f in found)
    assert [f.path for f in found] == [Path(root) / f.path.relative_to(Path(root)) for f in found]


def test_a_regular_file_is_read_with_one_read(tmp_path, monkeypatch):
    # fstat's size and a read asking one byte more: a short read is the end; no second read.
    from dagster_zenml_lint import source

    path = tmp_path / "ops.py"
    path.write_bytes(b"import dagster\n" * 100)
    reads: list[int] = []
    real_read = os.read

    def counted(descriptor: int, size: int) -> bytes:
        reads.append(size)
        return real_read(descriptor, size)

    monkeypatch.setattr(source.os, "read", counted)
    assert source.read_bytes(path) == path.read_bytes()
    assert reads == [len(path.read_bytes()) + 1]
    empty = tmp_path / "empty.py"
    empty.write_bytes(b"")
    assert source.read_bytes(empty) == b""


def test_a_file_shorter_than_its_size_says_is_read_whole():
    # sysfs attributes say 4096 bytes and hold a few: the one-read shortcut does not apply, the
    # file is read again from its start, to its end.
    from dagster_zenml_lint.source import read_bytes

    candidates = [Path("/sys/kernel/mm/transparent_hugepage/enabled"), Path("/sys/devices/system/cpu/online")]
    path = next((p for p in candidates if p.exists() and 0 < len(p.read_bytes()) < p.stat().st_size), None)
    if path is None:
        pytest.skip("no sysfs attribute that says more bytes than it holds")
    assert read_bytes(path) == path.read_bytes()
