"""The Python version the generated project requires (``requires-python`` of its pyproject.toml).

What the source project supports: the lowest ``3.X`` its own ``requires-python`` (or Poetry's
``python`` dependency) allows, read from the nearest ``pyproject.toml`` at or above the
sources; without one, the running interpreter's version. Never above the running
interpreter: the project is generated (and ``verify`` runs it) here.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

Version = tuple[int, int]

# One clause of a PEP 440 specifier (plus Poetry's caret): operator and a release like 3, 3.9, 3.9.1, 3.9.*
_CLAUSE = re.compile(r"^\s*(===|==|!=|~=|>=|<=|>|<|\^)?\s*v?(\d+)(?:\.(\d+|\*))?(?:\.(\d+|\*))?\s*$")


def required_python(start: Path, running: Version | None = None) -> str:
    """``X.Y`` for the generated project whose sources are at ``start``."""
    here = running or (sys.version_info[0], sys.version_info[1])
    spec = source_spec(start)
    lowest = lowest_supported(spec, here) if spec is not None else None
    major, minor = lowest or here
    return f"{major}.{minor}"


def source_spec(start: Path) -> str | None:
    """The ``requires-python`` of the nearest ``pyproject.toml`` at or above ``start``.

    None when there is no such file, it says nothing about Python, or it cannot be read
    as TOML (the version then falls back to the running interpreter's).
    """
    from dagster_zenml_lint.config import ConfigError, read_toml

    start = start.resolve()
    for directory in [start, *start.parents] if os.path.isdir(start) else [start.parent, *start.parent.parents]:
        candidate = directory / "pyproject.toml"
        if not os.path.isfile(candidate):
            continue
        try:
            document: Any = read_toml(candidate)
        except ConfigError:
            return None
        return _python_of(document)
    return None


def _python_of(document: Any) -> str | None:
    """``[project] requires-python``, else ``[tool.poetry.dependencies] python``, when a string."""
    project = document.get("project")
    if isinstance(project, dict) and isinstance(project.get("requires-python"), str):
        return str(project["requires-python"])
    tool = document.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    dependencies = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if isinstance(dependencies, dict) and isinstance(dependencies.get("python"), str):
        return str(dependencies["python"])
    return None


def lowest_supported(spec: str, running: Version) -> Version | None:
    """The lowest ``3.X`` (up to ``running``) some release of which satisfies ``spec``.

    None when the specifier cannot be read (alternatives ``||``, an unknown form) or no
    version up to ``running`` satisfies it: the caller then uses ``running``.
    """
    clauses = [_clause(part) for part in spec.split(",") if part.strip() and part.strip() != "*"]
    if any(c is None for c in clauses):
        return None
    for minor in range(running[1] + 1) if running[0] == 3 else ():
        if all(_allows(clause, (3, minor)) for clause in clauses if clause is not None):
            return (3, minor)
    return None


_Clause = tuple[str, int, int | None, int | None, bool]  # operator, major, minor, micro, ends in .*


def _clause(text: str) -> _Clause | None:
    """An ``(operator, major, minor, micro, wildcard)`` clause, or None for a form we do not read."""
    match = _CLAUSE.match(text)
    if match is None:
        return None
    op, major, minor, micro = match.group(1) or "==", int(match.group(2)), match.group(3), match.group(4)
    wildcard = "*" in (minor, micro)
    return (
        op,
        major,
        int(minor) if minor not in (None, "*") else None,
        int(micro) if micro not in (None, "*") else None,
        wildcard,
    )


def _allows(clause: _Clause, version: Version) -> bool:
    """Whether some release ``version.N`` satisfies ``clause`` (N any micro version)."""
    op, major, minor, micro, _ = clause
    bound = (major, minor if minor is not None else 0)
    if op in (">=", ">"):
        return version >= bound  # 3.9.1 > 3.9: a ">3.9" project runs on 3.9.x
    if op in ("<=",):
        return version <= bound
    if op == "<":  # "<3.10" excludes 3.10.0 and so every 3.10.N; "<3.10.2" allows 3.10.0
        return version < bound or (micro is not None and micro > 0 and version == bound)
    if op in ("==", "==="):
        return version == bound if minor is not None else version[0] == major
    if op == "~=":  # ~=3.9 is >=3.9,==3.*; ~=3.9.1 is >=3.9.1,==3.9.*
        return version >= bound and (version == bound if micro is not None else version[0] == major)
    if op == "^":  # Poetry: ^3.9 is >=3.9,<4
        return version >= bound and version[0] == major
    return True  # "!=" excludes one release at most: the minor version still runs
