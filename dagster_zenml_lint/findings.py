"""Small immutable values that flow out of the engine: severities, edits, fixes, findings."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """How much human work a finding means; ordered so that filters can compare."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Parse a severity name case-insensitively; raise ValueError naming the choices."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(s.name for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose from {choices})") from None


class Mapping(str, enum.Enum):
    """How a Dagster concept maps onto ZenML (the seed skill's three buckets).

    Two more values are about the linter itself, not about Dagster code, and stay out of
    every migration table and count: ``ERROR`` (a file that could not be analysed, listed as
    not migrated) and ``META`` (the linter's own directives, such as an unused ``# noqa``).
    """

    DIRECT = "direct"
    APPROXIMATE = "approximate"
    ABSENT = "absent"
    ERROR = "error"
    META = "meta"


class Applicability(str, enum.Enum):
    """How safe a fix is to apply without a person looking (ruff's model)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the text between two offsets (0-based, in characters of the decoded text)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class ImportedOpNeed:
    """A job's fix is only as safe as an op it imports from another module of the project."""

    job: str  # the job calling it
    name: str  # the name the job's file binds
    original: str  # the name the other module defines
    module: str  # as written in the import (``ops``, ``pkg.ops``)
    level: int  # dots of a relative import
    importer: str  # the job's file


@dataclass(frozen=True)
class ImporterNeed:
    """A fix is only safe when every other file of the project that imports what it converts
    keeps working: ``kind`` says what ``op`` names in its file (``"op"``, ``"job"`` or a
    ``"config"`` class); a job calling a converted op must convert too."""

    op: str
    path: str  # the file defining it
    kind: str = "op"


@dataclass(frozen=True)
class Fix:
    """A set of edits that must be applied together, with how safe they are.

    ``requires`` lists what the fix's safety depends on in other files of the project;
    front-ends settle it (:mod:`dagster_zenml_lint.fixers.crossfile`) before a fix is shown
    or applied, and a settled fix requires nothing.
    """

    edits: tuple[Edit, ...]
    applicability: Applicability
    description: str
    requires: tuple[ImportedOpNeed | ImporterNeed, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One reported Dagster pattern (or an input problem, DZ000) at a location."""

    code: str
    line: int  # 1-based
    col: int  # 0-based, like ast
    message: str
    end_line: int | None = None
    end_col: int | None = None
    fix: Fix | None = None
    fix_blocker: str | None = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple[int, int, str]:
        """Order findings by position, then code."""
        return (self.line, self.col, self.code)
