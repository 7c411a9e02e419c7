"""Find the files to lint under the paths a user gives.

Directories are walked recursively, in sorted order, so every run lists files the same
way. Always skipped: version-control directories, ``__pycache__``, and virtual
environments (any directory holding a ``pyvenv.cfg``). ``exclude`` globs replace the
default exclusions (:data:`~dagster_zenml_lint.config.DEFAULT_EXCLUDE`),
``extend_exclude`` globs add to them. A glob without ``/`` matches a file or directory
name; one with ``/`` matches the path relative to the walked root.

Under a directory only ``*.py`` files and Dagster component files (``defs.yaml``, or
the older ``component.yaml`` inside a ``defs`` folder) are picked up; ``*.pyi`` stubs
are not, because they hold no runtime Dagster code to migrate and would double every
finding of their module. A file named explicitly is always
linted (unless a user exclude glob matches it).
"""

from __future__ import annotations

import enum
import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dagster_zenml_lint.config import DEFAULT_EXCLUDE, Config

ALWAYS_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__"})
COMPONENT_FILE_NAMES = frozenset({"defs.yaml"})
# Dagster's components first named the instance file ``component.yaml``; that name is too
# common to claim everywhere, so it counts only inside a ``defs`` folder, as Dagster loads it.
LEGACY_COMPONENT_FILE_NAME = "component.yaml"
DEFS_FOLDER_NAME = "defs"


class DiscoveryError(Exception):
    """A path given by the user does not exist (a usage error: exit code 2)."""


class FileKind(str, enum.Enum):
    """What a discovered file is, which decides how it is checked."""

    PYTHON = "python"
    COMPONENT_YAML = "defs-yaml"


@dataclass(frozen=True)
class DiscoveredFile:
    """A file to check and how to check it."""

    path: Path
    kind: FileKind


def exclude_patterns(config: Config) -> tuple[str, ...]:
    """The exclusion globs in force: ``exclude`` (or the defaults) plus ``extend_exclude``."""
    base = config.exclude if config.exclude else DEFAULT_EXCLUDE
    return (*base, *config.extend_exclude)


def is_excluded(path: Path, root: Path, patterns: Iterable[str]) -> bool:
    """Whether a path matches one of the globs (by name, or by path relative to ``root``)."""
    name = path.name
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = path.as_posix()
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if not pattern:
            continue
        if "/" in pattern:
            pattern = pattern.removeprefix("./")
            if fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(path.as_posix(), pattern):
                return True
        elif fnmatch.fnmatchcase(name, pattern):
            return True
    return False


def is_virtualenv(directory: Path) -> bool:
    """A directory that is a virtual environment (``python -m venv`` and virtualenv write ``pyvenv.cfg``)."""
    return (directory / "pyvenv.cfg").is_file()


def classify(path: Path, *, explicit: bool) -> FileKind | None:
    """How a file is checked, or None when it is not ours to check."""
    if path.name in COMPONENT_FILE_NAMES:
        return FileKind.COMPONENT_YAML
    if path.name == LEGACY_COMPONENT_FILE_NAME and DEFS_FOLDER_NAME in path.parent.parts:
        return FileKind.COMPONENT_YAML
    if path.suffix == ".py":
        return FileKind.PYTHON
    if explicit:
        return FileKind.PYTHON  # a file named on the command line is treated as Python
    return None


def discover(paths: Iterable[str | Path], config: Config | None = None) -> Iterator[DiscoveredFile]:
    """Yield every file to check under ``paths``; raise :class:`DiscoveryError` for a missing path.

    Missing paths are reported before any file is yielded, so a typo fails fast.
    """
    config = config or Config()
    patterns = exclude_patterns(config)
    user_patterns = (*config.exclude, *config.extend_exclude)
    roots = [Path(p) for p in paths]
    missing = [str(p) for p in roots if not p.exists() and not p.is_symlink()]
    if missing:
        raise DiscoveryError(f"no such file or directory: {', '.join(missing)}")
    seen: set[Path] = set()
    for root in roots:
        if root.is_dir():
            files: Iterable[DiscoveredFile] = _walk(root, patterns)
        else:
            kind = classify(root, explicit=True)
            excluded = _explicit_file_excluded(root, user_patterns)
            files = [] if kind is None or excluded else [DiscoveredFile(root, kind)]
        for found in files:
            key = found.path.absolute()
            if key not in seen:
                seen.add(key)
                yield found


def _explicit_file_excluded(path: Path, patterns: tuple[str, ...]) -> bool:
    """Whether a file named on the command line falls under a user exclude glob.

    The file and each directory above it (up to the working directory) are matched,
    so ``exclude = ["legacy"]`` skips ``legacy/ops.py`` whether the directory is walked
    or pre-commit passes the file by name.
    """
    if not patterns:
        return False
    cwd = Path.cwd()
    absolute = path.absolute()
    candidates = [absolute]
    for parent in absolute.parents:
        if parent == cwd or cwd not in parent.parents:
            break
        candidates.append(parent)
    return any(is_excluded(candidate, cwd, patterns) for candidate in candidates)


def _walk(root: Path, patterns: tuple[str, ...]) -> Iterator[DiscoveredFile]:
    """Walk one directory tree, following symlinked directories once (no loops)."""
    visited: set[str] = set()
    for current, dirnames, filenames in os.walk(root, followlinks=True):
        directory = Path(current)
        real = os.path.realpath(current)
        if real in visited:
            dirnames[:] = []
            continue
        visited.add(real)
        kept = []
        for name in sorted(dirnames):
            child = directory / name
            if name in ALWAYS_SKIPPED_DIRS or is_excluded(child, root, patterns) or is_virtualenv(child):
                continue
            if os.path.realpath(child) in visited:
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = directory / name
            kind = classify(path, explicit=False)
            if kind is None or is_excluded(path, root, patterns):
                continue
            if not path.exists():  # a dangling symlink
                continue
            yield DiscoveredFile(path, kind)
