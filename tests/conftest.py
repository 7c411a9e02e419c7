"""Fixtures shared by the test modules: lint a snippet, a project directory.

``lint`` runs the engine on a snippet (dedented, so tests may indent their sources) and
returns a :class:`Linted`, which answers the questions the tests ask of findings.
``project`` is a temporary directory with its own empty ``[tool.dagster-zenml-lint]``
table, so no configuration outside it applies.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.findings import Finding


@dataclass(frozen=True)
class Linted:
    """The findings of one snippet, with the views the tests compare."""

    findings: tuple[Finding, ...]

    def found(self) -> set[tuple[str, int]]:
        """Every (code, line) reported."""
        return {(f.code, f.line) for f in self.findings}

    def positions(self) -> list[tuple[int, str]]:
        """Every (line, code) reported, sorted."""
        return sorted((f.line, f.code) for f in self.findings)

    def lines(self, code: str) -> set[int]:
        """The lines reported with ``code``."""
        return {f.line for f in self.findings if f.code == code}

    def codes_on(self, line: int) -> set[str]:
        """The codes reported on ``line``."""
        return {f.code for f in self.findings if f.line == line}

    def messages_on(self, line: int) -> dict[str, str]:
        """Code -> message of the findings on ``line``."""
        return {f.code: f.message for f in self.findings if f.line == line}

    def blockers(self, code: str) -> list[str | None]:
        """Why each finding of ``code`` has no fix (``None`` where it has one)."""
        return [f.fix_blocker for f in self.findings if f.code == code]


def lint_snippet(source: str | Path, path: str = "t.py", *, with_fixes: bool = False) -> Linted:
    """The engine's findings for ``source`` (dedented) as if it were the file ``path``.

    ``source`` may be a file: its text is linted under its own path (so the engine can
    look at the modules beside it).
    """
    if isinstance(source, Path):
        text, path = source.read_text(encoding="utf-8"), str(source)
    else:
        text = textwrap.dedent(source)
    return Linted(tuple(check_source(text, path, with_fixes=with_fixes)))


@pytest.fixture
def lint() -> Callable[..., Linted]:
    """Lint a snippet or a file: ``lint(text_or_path, path="t.py", with_fixes=False)`` -> :class:`Linted`."""
    return lint_snippet


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project directory with its own (empty) configuration: no outer pyproject.toml applies."""
    (tmp_path / "pyproject.toml").write_text("[tool.dagster-zenml-lint]\n", encoding="utf-8")
    return tmp_path
