"""Renderers of the migration report: Markdown (with a Mermaid asset graph) and JSON.

Both take the same two values, the :class:`~dagster_zenml_lint.project.model.ProjectModel`
and the :class:`~dagster_zenml_lint.project.planner.Plan`, and decide nothing themselves.
"""
