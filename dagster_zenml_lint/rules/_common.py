"""Small predicates shared by rule modules (kept here so each rule stays declarative)."""

from __future__ import annotations

import ast

from dagster_zenml_lint.findings import Mapping, Severity
from dagster_zenml_lint.registry import NamePredicate

INFO, LOW, MEDIUM, HIGH = Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH
DIRECT, APPROXIMATE, ABSENT = Mapping.DIRECT, Mapping.APPROXIMATE, Mapping.ABSENT


def dagster(*names: str) -> dict[str, NamePredicate | None]:
    """Claim ``dagster.<name>`` for each name, with no predicate."""
    return {f"dagster.{n}": None for n in names}


def is_constant(node: ast.expr | None, value: object) -> bool:
    """True when ``node`` is the literal ``value`` (``True``, ``False``, ``None``...)."""
    return isinstance(node, ast.Constant) and node.value is value
