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

from dagster_zenml_lint.output import utf8_bytes


class WriteError(Exception):
    """The project cannot be written where asked (a link or a directory in the way, an OS error)."""


def _parts(relative: str) -> tuple[str, ...]:
    """The components of a generated path; generated paths are relative and never climb."""
    path = PurePosixPath(relative)
    parts = path.parts
    if not parts or path.is_absolute() or any(p in ("", ".", "..") for p in parts):
        raise WriteError(f"refusing to write {relative!r}: not a plain relative path")
    return parts


def check_targets(out: Path, relatives: list[str]) -> None:
    """Refuse before writing when a target inside ``out`` would lead a write elsewhere or cannot be replaced."""
    _check_targets(out, [_parts(r) for r in relatives])


def _check_targets(out: Path, targets: list[tuple[str, ...]]) -> None:
    """:func:`check_targets` of paths split in components (:func:`_parts`), in order: a directory on the way
    to several files is asked about once, for the first (it passed then, or nothing went on)."""
    checked: set[tuple[str, ...]] = set()
    for parts in targets:
        for depth in range(1, len(parts)):
            directory = parts[:depth]
            if directory in checked:
                continue
            checked.add(directory)
            here = out.joinpath(*directory)
            if here.is_symlink():
                raise WriteError(
                    f"--out {here} is a symbolic link; refusing to write through it (remove it or choose another --out)"
                )
            if here.exists() and not here.is_dir():
                raise WriteError(f"--out {here} is not a directory, but the project needs one there")
        target = out.joinpath(*parts)
        if target.is_dir() and not target.is_symlink():
            raise WriteError(f"--out {target} is a directory, but the project writes a file there; remove it")


def _make_parents(root: Path, targets: list[tuple[str, ...]]) -> None:
    """Make the directories the files go in under ``root``, each once (not once per file)."""
    for directory in sorted({parts[:-1] for parts in targets}):
        if directory:
            root.joinpath(*directory).mkdir(parents=True, exist_ok=True)


def write_files(files: Mapping[str, str], out: Path) -> list[Path]:
    """Write ``files`` (relative posix path -> text) under ``out`` all at once; return the written paths."""
    out = Path(os.path.abspath(out))
    if out.is_symlink():  # the directory the user named, wherever the link points
        out = out.resolve()
    relatives = sorted(files)
    targets = [_parts(r) for r in relatives]  # split once: the checks, the writes and the moves read them
    if out.exists():
        if not out.is_dir():
            raise WriteError(f"--out {out} exists and is not a directory")
        _check_targets(out, targets)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name[:40]}.", suffix=".tmp", dir=out.parent))
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the renamed directory is an ordinary one
    except OSError as exc:
        raise WriteError(f"cannot write to {out}: {exc.strerror or exc}") from None
    try:
        try:
            _make_parents(staging, targets)
            base = str(staging)
            # a file name that is not UTF-8 is quoted in MIGRATION_REPORT.md as surrogate escapes:
            # written as U+FFFD, as ``report`` writes it (the two are the same bytes)
            for relative, parts in zip(relatives, targets, strict=True):
                _write_new_file(os.path.join(base, *parts), utf8_bytes(files[relative]))
        except OSError as exc:
            raise WriteError(f"cannot write {_subject(exc, out)}; nothing was written to {out}") from None
        try:
            _move_into_place(staging, out, targets)
        except OSError as exc:
            raise WriteError(f"cannot write {_subject(exc, out)}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out.joinpath(*parts) for parts in targets]


def _write_new_file(path: str, data: bytes) -> None:
    """Create ``path`` (it must not exist) holding ``data``: what ``open(path, "x")`` and one
    ``write`` do, without the buffered text layer's own calls (a ``stat`` for the buffer
    size, an ``isatty`` and two ``lseek``), which were more than half of each file's calls."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:  # a write may take less than all it was given
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _subject(exc: OSError, out: Path) -> str:
    """``<file>: <reason>`` for an OS error, in one line."""
    return f"{getattr(exc, 'filename', None) or out}: {exc.strerror or exc}"


def _move_into_place(staging: Path, out: Path, targets: list[tuple[str, ...]]) -> None:
    """Rename the staging directory to ``out`` when ``out`` is absent, else move the files in one by one.

    An existing ``out``, even an empty one, is kept (its owner, mode, or a mount point on it).
    """
    if not out.exists():
        staging.rename(out)
        return
    _check_targets(out, targets)  # again, right before moving: nothing is followed that appeared meanwhile
    _make_parents(out, targets)
    for parts in targets:
        os.replace(staging.joinpath(*parts), out.joinpath(*parts))
