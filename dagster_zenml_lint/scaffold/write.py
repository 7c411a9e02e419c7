"""Put a generated project on disk: all or nothing, and never outside the output directory.

Every file is first written into a fresh temporary directory beside ``out``; only when all
of them are written is anything moved into ``out``. An absent ``out`` is the temporary
directory, renamed in one step; an existing one receives each file
with ``os.replace``, which swaps the directory entry and never writes through a link. Before
anything moves, every target is checked: a symbolic link or a non-directory on the way to a
file, or a directory where a file goes, stops the run with a one-line error, so no write can
land outside ``out``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath


class WriteError(Exception):
    """The project cannot be written where asked (a link or a directory in the way, an OS error)."""


def _parts(relative: str) -> tuple[str, ...]:
    """The components of a generated path; generated paths are relative and never climb."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or any(p in ("", ".", "..") for p in parts):
        raise WriteError(f"refusing to write {relative!r}: not a plain relative path")
    return parts


def check_targets(out: Path, relatives: list[str]) -> None:
    """Refuse before writing when a target inside ``out`` would lead a write elsewhere or cannot be replaced."""
    for relative in relatives:
        parts = _parts(relative)
        here = out
        for part in parts[:-1]:
            here = here / part
            if here.is_symlink():
                raise WriteError(
                    f"--out {here} is a symbolic link; refusing to write through it (remove it or choose another --out)"
                )
            if here.exists() and not here.is_dir():
                raise WriteError(f"--out {here} is not a directory, but the project needs one there")
        target = here / parts[-1]
        if target.is_dir() and not target.is_symlink():
            raise WriteError(f"--out {target} is a directory, but the project writes a file there; remove it")


def write_files(files: Mapping[str, str], out: Path) -> list[Path]:
    """Write ``files`` (relative posix path -> text) under ``out`` all at once; return the written paths."""
    out = Path(os.path.abspath(out))
    if out.is_symlink():  # the directory the user named, wherever the link points
        out = out.resolve()
    relatives = sorted(files)
    if out.exists():
        if not out.is_dir():
            raise WriteError(f"--out {out} exists and is not a directory")
        check_targets(out, relatives)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name[:40]}.", suffix=".tmp", dir=out.parent))
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the renamed directory is an ordinary one
    except OSError as exc:
        raise WriteError(f"cannot write to {out}: {exc.strerror or exc}") from None
    try:
        try:
            for relative in relatives:
                path = staging.joinpath(*_parts(relative))
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(path, "x", encoding="utf-8", newline="\n") as handle:
                    handle.write(files[relative])
        except OSError as exc:
            raise WriteError(f"cannot write {_subject(exc, out)}; nothing was written to {out}") from None
        try:
            _move_into_place(staging, out, relatives)
        except OSError as exc:
            raise WriteError(f"cannot write {_subject(exc, out)}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out.joinpath(*_parts(r)) for r in relatives]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _subject(exc: OSError, out: Path) -> str:
    """``<file>: <reason>`` for an OS error, in one line."""
    return f"{getattr(exc, 'filename', None) or out}: {exc.strerror or exc}"


def _move_into_place(staging: Path, out: Path, relatives: list[str]) -> None:
    """Rename the staging directory to ``out`` when ``out`` is absent, else move the files in one by one.

    An existing ``out``, even an empty one, is kept (its owner, mode, or a mount point on it).
    """
    if not out.exists():
        staging.rename(out)
        return
    check_targets(out, relatives)  # again, right before moving: nothing is followed that appeared meanwhile
    for relative in relatives:
        parts = _parts(relative)
        target = out.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging.joinpath(*parts), target)
