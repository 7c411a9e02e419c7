"""CPU time of each phase of ``report`` (nothing is written), to see where its time goes.

    python benchmarks/report_phases.py DIR [--format markdown|json]

Wraps the report's phases (linting each file with fixes, extracting its facts, the
project model and the per-location models, planning, rendering) with
``time.process_time`` and prints each one's CPU time and share of the whole
``render_report`` call. Phases nest: the lint and the facts are part of ``_analysis`` (one
Python file, answered from the cache or analysed), the project model's own resolution is part
of ``build_project`` and of each location's model.
"""

from __future__ import annotations

import argparse
import time
from types import ModuleType

from migrate_phases import print_phases, timed

from dagster_zenml_lint.commands import report
from dagster_zenml_lint.project import model

PHASES: tuple[tuple[ModuleType, str], ...] = (
    (report, "build_project"),  # the name report calls (it imports it from project)
    (model, "_analysis"),
    (model, "lint_text_with_context"),
    (model, "extract_file_facts"),
    (model.ProjectModel, "_resolve"),  # type: ignore[dict-item]
    (model.ProjectModel, "code_location_models"),  # type: ignore[dict-item]
    (report, "plan_code_locations"),
    (report, "render_markdown"),
    (report, "render_markdown_locations"),
    (report, "render_json"),
    (report, "render_json_locations"),
)


def main() -> None:
    """Report on DIR in memory and print the phases' CPU times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the Dagster project to report on")
    parser.add_argument("--format", choices=tuple(report.RENDERERS), default="markdown")
    args = parser.parse_args()
    spent: dict[str, float] = {}
    for owner, name in PHASES:
        setattr(owner, name, timed(spent, name, getattr(owner, name)))
    report.RENDERERS.update(markdown=report.render_markdown, json=report.render_json)
    report.LOCATION_RENDERERS.update(markdown=report.render_markdown_locations, json=report.render_json_locations)
    start = time.process_time()
    report.render_report([args.path], args.format)
    total = time.process_time() - start
    print_phases("render_report", total, spent, width=28)


if __name__ == "__main__":
    main()
