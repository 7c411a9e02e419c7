"""What a project says about its Python: ``requires-python`` specifiers, and Poetry's ``python`` dependency.

One reader for the two places that ask: the configuration (the Python the project targets,
``target-version``, when the table does not set it) and ``migrate`` (the ``requires-python``
of the generated project). Pure functions of a parsed ``pyproject.toml`` and its strings.
"""

from __future__ import annotations

import re
from typing import Any

Version = tuple[int, int]
# How far a ``requires-python`` is read when asked for its lowest Python with no cap: a project may
# need a Python newer than any this tool knows.
ANY_PYTHON_3: Version = (3, 99)

# One clause of a PEP 440 specifier (plus Poetry's caret): operator and a release like 3, 3.9, 3.9.1, 3.9.*
_CLAUSE = re.compile(r"^\s*(===|==|!=|~=|>=|<=|>|<|\^)?\s*v?(\d+)(?:\.(\d+|\*))?(?:\.(\d+|\*))?\s*$")


def python_requirement(document: Any) -> str | None:
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


def lowest_supported(spec: str, highest: Version) -> Version | None:
    """The lowest ``3.X`` (up to ``highest``) some release of which satisfies ``spec``.

    None when the specifier cannot be read (alternatives ``||``, an unknown form) or no
    version up to ``highest`` satisfies it: the caller decides what that means.
    """
    clauses = [_clause(part) for part in spec.split(",") if part.strip() and part.strip() != "*"]
    if any(c is None for c in clauses):
        return None
    for minor in range(highest[1] + 1) if highest[0] == 3 else ():
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
