"""Read the expectations written into functional fixtures (pylint's functional-test style).

A fixture line that must be reported ends in a comment listing the symbols expected on
that line, ``# [dagster-op, dagster-retry-policy]``; every other line must be silent.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
ANNOTATION = re.compile(r"#\s*\[(?P<symbols>[a-z0-9\-]+(?:\s*,\s*[a-z0-9\-]+)*)\]\s*$")


def fixture_files() -> list[Path]:
    """Every Python fixture, sorted by name."""
    return sorted(FIXTURES.glob("*.py"))


def is_trap(path: Path) -> bool:
    """Trap fixtures must produce no finding at all."""
    return path.name.startswith("traps_")


def parses(path: Path) -> bool:
    """Whether a fixture is valid Python (syntax-error fixtures are not)."""
    try:
        ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        return False
    return True


def expected_findings(path: Path) -> set[tuple[str, int]]:
    """The (symbol, line) pairs a fixture's annotations ask for."""
    expected: set[tuple[str, int]] = set()
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        match = ANNOTATION.search(line)
        if match:
            expected.update((symbol.strip(), number) for symbol in match.group("symbols").split(","))
    return expected
