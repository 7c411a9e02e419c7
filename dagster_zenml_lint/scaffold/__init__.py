"""The scaffold generator behind ``dagster-zenml-lint migrate``: a ready-to-run ZenML project from Dagster code.

Built on the engine's per-file facts and the direct fixes; the layout follows the
migration guide (steps/, pipelines/, materializers/, configs/, run.py, README.md,
MIGRATION_REPORT.md, pyproject.toml).
"""

from dagster_zenml_lint.scaffold.generate import Project, ScaffoldError, generate_project, write_project

__all__ = ["Project", "ScaffoldError", "generate_project", "write_project"]
