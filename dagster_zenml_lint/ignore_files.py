"""``.gitignore`` and ``.ignore`` files, respected while walking directories (ruff's defaults).

* ``.gitignore`` counts inside a git repository only (a directory at or above the walked
  one holds ``.git``), as git, ripgrep and ruff read it; ``.ignore`` counts everywhere.
* The files of the walked directory's ancestors count too, up to the repository root
  (or, outside a repository, only the walked directory and below).
* A deeper file overrides a shallower one, ``.ignore`` overrides ``.gitignore`` in the
  same directory, and a later line overrides an earlier one (``!pattern`` re-includes).
* A file named on the command line is checked whatever these files say.

The patterns follow git's rules (``pathspec.GitIgnoreSpec``), which is imported only
when an ignore file is found. ``--no-respect-gitignore`` (``respect-gitignore = false``)
turns all of this off.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, NamedTuple

GITIGNORE = ".gitignore"
IGNORE = ".ignore"
IGNORE_FILE_NAMES = (GITIGNORE, IGNORE)  # in order of precedence: .ignore wins


class IgnoreRules(NamedTuple):
    """The patterns of one ignore file and where it sits (relative to the walk's base, '' = the base)."""

    directory: str
    spec: Any  # pathspec.GitIgnoreSpec


class IgnoreContext(NamedTuple):
    """What a walk needs: whether ``.gitignore`` counts, and the base paths are measured from."""

    in_repository: bool
    base: str  # the repository root (or the walked directory outside one), absolute
    root_from_base: str  # the walked directory relative to ``base`` ('' when it is the base)


def repository_root(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` that holds ``.git`` (None outside a repository)."""
    current = os.path.abspath(directory)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def context_for(root: str) -> IgnoreContext:
    """Where a walk of ``root`` measures ignore patterns from."""
    absolute = os.path.abspath(root)
    repository = repository_root(absolute)
    if repository is None:
        return IgnoreContext(False, absolute, "")
    relative = os.path.relpath(absolute, repository)
    return IgnoreContext(True, repository, "" if relative == "." else relative.replace(os.sep, "/"))


def read_rules(directory: str, relative: str, names: Sequence[str], context: IgnoreContext) -> list[IgnoreRules]:
    """The rules of the ignore files ``names`` found in ``directory`` (``relative``: from the base)."""
    rules = []
    for name in IGNORE_FILE_NAMES:
        if name not in names or (name == GITIGNORE and not context.in_repository):
            continue
        try:
            with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            continue  # unreadable: as git does, it excludes nothing
        if any(line.strip() and not line.lstrip().startswith("#") for line in lines):
            rules.append(IgnoreRules(relative, compile_patterns(lines)))
    return rules


def compile_patterns(lines: Sequence[str]) -> Any:
    """The ``GitIgnoreSpec`` of an ignore file; a line that is no valid pattern is skipped, as git does."""
    import pathspec

    try:
        spec = pathspec.GitIgnoreSpec.from_lines(lines)
        spec.check_file("probe")  # some patterns only fail when first matched
        return spec
    except Exception:  # pathspec's own error types and re.error: find the bad lines
        pass
    valid = []
    for line in lines:
        try:
            pathspec.GitIgnoreSpec.from_lines([line]).check_file("probe")
        except Exception:
            continue
        valid.append(line)
    return pathspec.GitIgnoreSpec.from_lines(valid)


def ancestor_rules(context: IgnoreContext) -> list[IgnoreRules]:
    """The rules of the ignore files between the repository root and the walked directory (excluded)."""
    if not context.root_from_base:
        return []
    parts = context.root_from_base.split("/")
    rules: list[IgnoreRules] = []
    for depth in range(len(parts)):
        relative = "/".join(parts[:depth])
        directory = os.path.join(context.base, *parts[:depth])
        names = [name for name in IGNORE_FILE_NAMES if os.path.isfile(os.path.join(directory, name))]
        if names:
            rules += read_rules(directory, relative, names, context)
    return rules


def is_ignored(rules: Sequence[IgnoreRules], path: str, is_dir: bool) -> bool:
    """Whether ``path`` (relative to the base, '/'-separated) is excluded; the deepest, latest match decides."""
    for rule in reversed(rules):
        if rule.directory:
            if not path.startswith(rule.directory + "/"):
                continue
            inner = path[len(rule.directory) + 1 :]
        else:
            inner = path
        result = rule.spec.check_file(inner + "/" if is_dir else inner)
        if result.include is not None:
            return bool(result.include)
    return False
