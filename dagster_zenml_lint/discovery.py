"""Find the files to lint under the paths a user gives.

Directories are walked recursively, in sorted order, so every run lists files the same
way. Always skipped: version-control directories, ``__pycache__``, and virtual
environments (any directory holding a ``pyvenv.cfg``), and what ``.gitignore`` (in a git
repository) and ``.ignore`` files exclude, unless ``respect-gitignore = false``
(:mod:`dagster_zenml_lint.ignore_files`). ``exclude`` globs replace the
default exclusions (:data:`~dagster_zenml_lint.config.DEFAULT_EXCLUDE`),
``extend_exclude`` globs add to them. A glob without ``/`` matches a file or directory
name; one with ``/`` matches the path relative to the walked root.

Under a directory only ``*.py`` files and Dagster component files (``defs.yaml``, or
the older ``component.yaml`` inside a ``defs`` folder) are picked up; ``*.pyi`` stubs
are not, because they hold no runtime Dagster code to migrate and would double every
finding of their module. A file named explicitly is always
linted (unless a user exclude glob matches it).

Each file is yielded once, however many paths reach it: files are told apart by their
real path, so a file reached through two symlinks (or named and also walked) is checked
once, under the first path found. A directory that cannot be listed (no permission) is
yielded as if it were a file: reading it then gives the DZ000 finding that says so,
instead of its files being skipped in silence; so is a symlink whose target cannot be
looked at.
"""

from __future__ import annotations

import enum
import fnmatch
import os
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

from dagster_zenml_lint.config import DEFAULT_EXCLUDE, Config
from dagster_zenml_lint.ignore_files import (
    IGNORE_FILE_NAMES,
    IgnoreRules,
    ancestor_rules,
    context_for,
    is_ignored,
    read_rules,
)

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


class DiscoveredFile(NamedTuple):
    """A file to check and how to check it."""

    # The path as ``str(Path(...))`` spells it: a walk of thousands of files makes no ``Path``
    # per file (a tenth of a run's discovery and reading); ``path`` makes one for who needs it.
    location: str
    kind: FileKind

    @property
    def path(self) -> Path:
        """The file's path."""
        return Path(self.location)


def exclude_patterns(config: Config) -> tuple[str, ...]:
    """The exclusion globs in force: ``exclude`` (or the defaults) plus ``extend_exclude``."""
    base = config.exclude if config.exclude else DEFAULT_EXCLUDE
    return (*base, *config.extend_exclude)


class ExcludeMatcher(NamedTuple):
    """Exclusion globs compiled once: one regular expression for names, one for paths."""

    names: re.Pattern[str] | None
    paths: re.Pattern[str] | None

    def matches(self, name: str, relative: str, full: str) -> bool:
        """Whether a file or directory is excluded (``relative``: its path below the walked root)."""
        if self.names is not None and self.names.match(name):
            return True
        return self.paths is not None and (self.paths.match(relative) is not None or self.paths.match(full) is not None)


@cache
def exclude_matcher(patterns: tuple[str, ...]) -> ExcludeMatcher:
    """Compile globs: one without ``/`` matches a name, one with ``/`` a path (``./`` ignored)."""
    names: list[str] = []
    paths: list[str] = []
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if not pattern:
            continue
        if "/" in pattern:
            paths.append(fnmatch.translate(pattern.removeprefix("./")))
        else:
            names.append(fnmatch.translate(pattern))
    return ExcludeMatcher(
        re.compile("|".join(names)) if names else None,
        re.compile("|".join(paths)) if paths else None,
    )


def is_excluded(path: Path, root: Path, patterns: Iterable[str]) -> bool:
    """Whether a path matches one of the globs (by name, or by path relative to ``root``)."""
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = path.as_posix()
    return exclude_matcher(tuple(patterns)).matches(path.name, relative, path.as_posix())


def is_virtualenv(directory: Path) -> bool:
    """A directory that is a virtual environment (``python -m venv`` and virtualenv write ``pyvenv.cfg``)."""
    return (directory / "pyvenv.cfg").is_file()


def classify(path: Path, *, explicit: bool) -> FileKind | None:
    """How a file is checked, or None when it is not ours to check."""
    kind = _classify_name(path.name, os.fspath(path.parent))
    if kind is None and explicit:
        return FileKind.PYTHON  # a file named on the command line is treated as Python
    return kind


def _classify_name(name: str, directory: str) -> FileKind | None:
    """How a file found by name in a directory is checked (None: not ours)."""
    if name.endswith(".py") and name != ".py":
        return FileKind.PYTHON
    if name in COMPONENT_FILE_NAMES:
        return FileKind.COMPONENT_YAML
    if name == LEGACY_COMPONENT_FILE_NAME and DEFS_FOLDER_NAME in Path(directory).parts:
        return FileKind.COMPONENT_YAML
    return None


def discover(paths: Iterable[str | Path], config: Config | None = None) -> Iterator[DiscoveredFile]:
    """Yield every file to check under ``paths``; raise :class:`DiscoveryError` for a missing path.

    Missing paths are reported before any file is yielded, so a typo fails fast.
    """
    config = config or Config()
    patterns = exclude_patterns(config)
    user_patterns = (*config.exclude, *config.extend_exclude)
    roots = [Path(p) for p in paths]
    missing = [str(p) for p in roots if _missing(p)]
    if missing:
        raise DiscoveryError(f"no such file or directory: {', '.join(missing)}")
    seen: set[str] = set()  # real paths already yielded
    for root in roots:
        if os.path.isdir(root):  # False, not PermissionError, for a path inside a locked directory
            files: Iterable[tuple[DiscoveredFile, str]] = _walk(root, patterns, config.respect_gitignore)
        else:
            kind = classify(root, explicit=True)
            excluded = _explicit_file_excluded(root, user_patterns)
            found = DiscoveredFile(os.fspath(root), kind) if kind is not None and not excluded else None
            files = [] if found is None else [(found, os.path.realpath(root))]
        for found, real in files:
            if real not in seen:
                seen.add(real)
                yield found


def _missing(path: Path) -> bool:
    """Whether a path given by the user does not exist (one that cannot be looked at is read, and reported, later)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


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


def _walk(
    root: Path, patterns: tuple[str, ...], respect_ignore_files: bool = True
) -> Iterator[tuple[DiscoveredFile, str]]:
    """Walk one directory tree in sorted order, following symlinked directories once (no loops).

    Yields each file with its real path. ``os.scandir`` tells directories, files and
    symlinks apart without a ``stat`` per file; only symlinks and directories cost a
    system call (a plain file's real path is its real directory's plus its name).
    With ``respect_ignore_files``, ``.gitignore`` / ``.ignore`` files prune the walk
    (:mod:`dagster_zenml_lint.ignore_files`).
    """
    matcher = exclude_matcher(patterns)
    visited: set[str] = set()
    root_text = os.fspath(root)
    ignore_context = context_for(root_text) if respect_ignore_files else None
    first_rules = tuple(ancestor_rules(ignore_context)) if ignore_context is not None else ()
    todo: list[tuple[str, str, str, tuple[IgnoreRules, ...]]] = [
        (root_text, "", os.path.realpath(root_text), first_rules)
    ]
    while todo:
        directory, relative_dir, real, rules = todo.pop()
        if real in visited:
            continue
        visited.add(real)
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            # Unreadable (no permission, or gone meanwhile): yielded so that reading it reports
            # the reason as a finding. Skipping it would pass a CI run that checked nothing there.
            yield DiscoveredFile(directory, FileKind.PYTHON), real
            continue
        if ignore_context is not None:
            names = [entry.name for entry in entries if entry.name in IGNORE_FILE_NAMES]
            if names:
                here = "/".join(part for part in (ignore_context.root_from_base, relative_dir) if part)
                rules = (*rules, *read_rules(directory, here, names, ignore_context))
        from_base = ignore_context.root_from_base if ignore_context is not None else ""
        subdirectories: list[tuple[str, str, str, tuple[IgnoreRules, ...]]] = []
        for entry in entries:
            name = entry.name
            relative = f"{relative_dir}/{name}" if relative_dir else name
            # what str(Path(entry.path)) gives: the walk's directories are spelled as Path spells
            # them, but below "." scandir's "./name" is "name" for Path
            spelled = entry.path if directory != "." else name
            full = Path(entry.path).as_posix() if matcher.paths is not None else ""  # only path globs read it
            try:
                is_dir = entry.is_dir()  # follows symlinks
                is_link = entry.is_symlink()
            except PermissionError:
                # A link into a directory this user cannot search: neither file nor directory
                # can be told, so it is yielded and reading it reports why (never skipped silently).
                if not matcher.matches(name, relative, full):
                    yield DiscoveredFile(spelled, FileKind.PYTHON), os.path.realpath(entry.path)
                continue
            except OSError:
                continue  # a link loop (ELOOP): broken like a dangling link, which a walk skips too
            if is_dir:
                if name in ALWAYS_SKIPPED_DIRS or matcher.matches(name, relative, full):
                    continue
                if os.path.isfile(os.path.join(entry.path, "pyvenv.cfg")):
                    continue  # a virtual environment
                if rules and is_ignored(rules, f"{from_base}/{relative}" if from_base else relative, True):
                    continue
                child_real = os.path.realpath(entry.path) if is_link else os.path.join(real, name)
                if child_real in visited:
                    continue
                subdirectories.append((spelled, relative, child_real, rules))
                continue
            kind = _classify_name(name, directory)
            if kind is None or matcher.matches(name, relative, full):
                continue
            if rules and is_ignored(rules, f"{from_base}/{relative}" if from_base else relative, False):
                continue
            if is_link:
                if not os.path.exists(entry.path):  # a dangling symlink
                    continue
                yield DiscoveredFile(spelled, kind), os.path.realpath(entry.path)
            else:
                yield DiscoveredFile(spelled, kind), os.path.join(real, name)
        todo.extend(reversed(subdirectories))
