"""CPU time of each phase of ``migrate`` (nothing is written), to see where its time goes.

    python benchmarks/migrate_phases.py DIR

Wraps the generator's top-level phases (reading and linting the sources, the direct fixes,
the project model, steps, pipelines, project files) with ``time.process_time`` and prints
each one's CPU time and share of the whole ``generate_project`` call. Phases nest: the direct
fixes and the lint are part of reading the sources.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from dagster_zenml_lint.scaffold import generate, render, sources

PHASES: tuple[tuple[ModuleType, str], ...] = (
    (generate, "load_sources"),
    (sources, "lint_text_with_context"),
    (sources, "apply_direct_fixes"),
    (generate, "project_model"),
    (generate, "_import_roots"),
    (generate, "_generate_steps"),
    (generate, "_place_leftovers"),
    (generate, "_generate_pipelines"),
    (render, "project_files"),
)


def timed(spent: dict[str, float], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, adding the CPU time of each call to ``spent[name]``."""

    def measured(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - start

    return measured


def print_phases(label: str, total: float, spent: dict[str, float], *, width: int) -> None:
    """The whole run's CPU time, then each phase's, largest first, with its share of the run."""
    print(f"{label}: {total:.2f} s CPU")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {name:<{width}} {seconds:7.2f} s  {seconds / total:5.0%}")


def main() -> None:
    """Migrate DIR in memory and print the phases' CPU times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the Dagster project to migrate")
    args = parser.parse_args()
    spent: dict[str, float] = {}
    for module, name in PHASES:
        setattr(module, name, timed(spent, name, getattr(module, name)))
    start = time.process_time()
    generate.generate_project([args.path])
    total = time.process_time() - start
    print_phases("generate_project", total, spent, width=24)


if __name__ == "__main__":
    main()
