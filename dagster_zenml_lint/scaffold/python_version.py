"""The Python version the generated project requires (``requires-python`` of its pyproject.toml).

What the source project supports: the lowest ``3.X`` its own ``requires-python`` (or Poetry's
``python`` dependency) allows, read from the nearest ``pyproject.toml`` at or above the
sources (:func:`dagster_zenml_lint.config.python_requirement_at`, read by
:mod:`dagster_zenml_lint.requires_python`); without one, the running interpreter's version.
Never above the running interpreter: the project is generated (and ``verify`` runs it) here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_zenml_lint.config import python_requirement_at
from dagster_zenml_lint.requires_python import ANY_PYTHON_3, Version, lowest_supported


def required_python(start: Path, running: Version | None = None) -> str:
    """``X.Y`` for the generated project whose sources are at ``start``."""
    return source_python(start, running)[0]


def source_python(start: Path, running: Version | None = None) -> tuple[str, str | None]:
    """``X.Y`` for the generated project whose sources are at ``start`` (:func:`required_python`), and the
    sources' ``requires-python`` when every Python it allows is newer than ``running`` (else None): the
    generated project then says the running interpreter's version, which the sources' own code may
    not run on (``migrate`` warns). The sources' ``pyproject.toml`` is read once for both."""
    here = running or (sys.version_info[0], sys.version_info[1])
    spec = python_requirement_at(start)
    lowest = lowest_supported(spec, here) if spec is not None else None
    newer = spec if spec is not None and lowest is None and lowest_supported(spec, ANY_PYTHON_3) is not None else None
    major, minor = lowest or here
    return f"{major}.{minor}", newer
