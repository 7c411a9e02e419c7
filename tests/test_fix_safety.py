"""``check --fix`` never corrupts a file: the safety items of issue 6, each through the real CLI.

A fixed file is written to a temporary file in the same directory and renamed over the
original; it keeps its mode, owner, encoding declaration, BOM, line endings and final
newline (or its absence); a file that does not parse is left alone; a file that changed
on disk between the read and the write is not overwritten.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_zenml_lint.cache import CACHE_DIR_NAME
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import DiscoveredFile, FileKind
from dagster_zenml_lint.fixers import apply as apply_module
from dagster_zenml_lint.fixers.files import FixOptions, fix_file
from dagster_zenml_lint.runner import lint_file

SOURCE = "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n@job\ndef my_job():\n    one()\n"
FIXED = (
    "from zenml import pipeline, step\n\n\n@step\ndef one() -> int:\n    return 1\n\n\n"
    "@pipeline\ndef my_job():\n    one()\n"
)


def fix(*paths: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``dagster-zenml-lint check --fix`` in a subprocess."""
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--fix", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def write(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """Create a file with exact bytes and mode."""
    path.write_bytes(data)
    os.chmod(path, mode)
    return path


# --- atomic write ---------------------------------------------------------------------------
def test_the_file_is_replaced_by_a_rename_and_no_temporary_file_is_left(tmp_path):
    path = write(tmp_path / "jobs.py", SOURCE.encode())
    inode_before = os.stat(path).st_ino
    fix(path, cwd=tmp_path)
    assert path.read_text() == FIXED
    assert os.stat(path).st_ino != inode_before  # a new file renamed into place, not an in-place rewrite
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != CACHE_DIR_NAME)  # check's cache is no temporary
    assert left == ["jobs.py"]


def test_a_failed_rename_leaves_the_original_and_no_temporary_file(tmp_path, monkeypatch):
    path = write(tmp_path / "jobs.py", SOURCE.encode())
    original = os.stat(path)

    def broken_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(apply_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        apply_module.write_atomically(path, FIXED.encode(), original, original_data=SOURCE.encode())
    assert path.read_text() == SOURCE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.py"]


def test_a_failed_write_is_reported_as_one_line_and_the_file_is_intact(tmp_path, monkeypatch, capsys):
    """Through the CLI code path: the error is a message, not a traceback, and nothing changed."""
    from dagster_zenml_lint.cli import main

    path = write(tmp_path / "jobs.py", SOURCE.encode())
    monkeypatch.setattr(apply_module.os, "replace", lambda source, target: (_ for _ in ()).throw(OSError(5, "EIO")))
    main(["check", "--fix", str(path)])
    err = capsys.readouterr().err
    assert "EIO" in err and "Traceback" not in err
    assert path.read_text() == SOURCE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.py"]


# --- what is kept -----------------------------------------------------------------------------
@pytest.mark.parametrize("mode", [0o755, 0o600, 0o640, 0o444])
def test_file_mode_is_kept(tmp_path, mode):
    path = write(tmp_path / "jobs.py", SOURCE.encode(), mode)
    fix(path, cwd=tmp_path)
    assert path.read_text() == FIXED
    assert stat.S_IMODE(os.stat(path).st_mode) == mode


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="only root can give a file to another user")
def test_owner_and_group_are_kept(tmp_path):
    path = write(tmp_path / "jobs.py", SOURCE.encode())
    os.chown(path, 12345, 23456)
    fix(path, cwd=tmp_path)
    assert path.read_text() == FIXED
    assert (os.stat(path).st_uid, os.stat(path).st_gid) == (12345, 23456)


@pytest.mark.parametrize(
    ("prefix", "newline", "final"),
    [
        (b"", b"\n", True),
        (b"", b"\n", False),
        (b"", b"\r\n", True),
        (b"", b"\r\n", False),
        (b"\xef\xbb\xbf", b"\n", True),
        (b"\xef\xbb\xbf", b"\r\n", False),
    ],
    ids=["LF", "LF, no final newline", "CRLF", "CRLF, no final newline", "BOM + LF", "BOM + CRLF, no final newline"],
)
def test_bom_line_endings_and_final_newline_are_kept(tmp_path, prefix, newline, final):
    def encode(text: str) -> bytes:
        body = text if final else text.rstrip("\n")
        return prefix + body.replace("\n", newline.decode()).encode()

    path = write(tmp_path / "jobs.py", encode(SOURCE))
    fix(path, cwd=tmp_path)
    assert path.read_bytes() == encode(FIXED)


@pytest.mark.parametrize(
    ("cookie", "encoding"),
    [("# -*- coding: latin-1 -*-\n", "latin-1"), ("# vim: set fileencoding=cp1252 :\n", "cp1252")],
)
def test_encoding_declaration_and_non_ascii_bytes_are_kept(tmp_path, cookie, encoding):
    text = cookie + "# café, naïve, €uro\n" + SOURCE + "NAME = 'Zürich'\n"
    if encoding == "latin-1":
        text = text.replace("€", "E")  # no euro sign in Latin-1
    path = write(tmp_path / "jobs.py", text.encode(encoding))
    fix(path, cwd=tmp_path)
    expected = text.replace(SOURCE, FIXED)
    assert path.read_bytes() == expected.encode(encoding)


def test_a_fix_that_needs_a_character_the_encoding_lacks_is_not_written(tmp_path):
    """Latin-1 has no room for what a fix might add; the file must stay as it was rather than be mangled."""
    data = "# -*- coding: latin-1 -*-\n# café\n".encode("latin-1") + SOURCE.encode()
    path = write(tmp_path / "jobs.py", data)
    fix(path, cwd=tmp_path)
    result = path.read_bytes()
    assert result in (data, data.replace(SOURCE.encode(), FIXED.encode()))  # fixed cleanly, or untouched
    assert result.decode("latin-1").startswith("# -*- coding: latin-1 -*-\n# café\n")


def test_a_symlink_stays_a_link_and_its_target_is_fixed(tmp_path):
    target = write(tmp_path / "real_jobs.py", SOURCE.encode())
    link = tmp_path / "jobs.py"
    link.symlink_to(target.name)
    fix(link, cwd=tmp_path)
    assert link.is_symlink()
    assert target.read_text() == FIXED


# --- what is refused ------------------------------------------------------------------------
def test_a_file_that_does_not_parse_is_left_alone(tmp_path):
    data = (SOURCE + "\ndef broken(:\n").encode()
    path = write(tmp_path / "jobs.py", data)
    proc = fix(path, cwd=tmp_path)
    assert path.read_bytes() == data
    assert "DZ000" in proc.stdout


def test_a_file_changed_on_disk_while_it_is_being_fixed_is_not_overwritten(tmp_path, monkeypatch):
    """An editor saves the file after it was read and before the fix is written back."""
    path = write(tmp_path / "jobs.py", SOURCE.encode())
    edited = SOURCE + "\n# saved by the editor meanwhile\n"
    real_fix_text = apply_module.fix_text

    def fix_text_while_the_editor_saves(*args, **kwargs):
        result = real_fix_text(*args, **kwargs)
        path.write_text(edited)
        return result

    monkeypatch.setattr(apply_module, "fix_text", fix_text_while_the_editor_saves)
    linted = lint_file(DiscoveredFile(path, FileKind.PYTHON), Config(), with_fixes=True)
    outcome = fix_file(linted, Config(), FixOptions(fix=True))
    assert not outcome.written
    assert outcome.error is not None and "changed" in outcome.error
    assert path.read_text() == edited


def test_a_file_changed_between_the_check_and_the_fix_is_not_fixed(tmp_path):
    path = write(tmp_path / "jobs.py", SOURCE.encode())
    linted = lint_file(DiscoveredFile(path, FileKind.PYTHON), Config(), with_fixes=True)
    path.write_text(SOURCE.replace("return 1", "return 2"))
    outcome = fix_file(linted, Config(), FixOptions(fix=True))
    assert not outcome.written
    assert path.read_text() == SOURCE.replace("return 1", "return 2")


def test_a_second_fix_changes_nothing(tmp_path):
    path = write(tmp_path / "jobs.py", SOURCE.replace("\n", "\r\n").encode())
    fix(path, cwd=tmp_path)
    once = path.read_bytes()
    stat_once = os.stat(path)
    fix(path, cwd=tmp_path)
    assert path.read_bytes() == once
    assert os.stat(path).st_ino == stat_once.st_ino  # nothing to fix: not even rewritten
