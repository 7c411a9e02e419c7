"""The whole-project Dagster model and the pipeline-boundary planner (shared by ``report`` and ``migrate``)."""

from dagster_zenml_lint.project.model import ProjectModel, build_project
from dagster_zenml_lint.project.planner import (
    LocatedPlan,
    PipelinePlan,
    Plan,
    plan_code_locations,
    plan_pipeline_boundaries,
)

__all__ = [
    "LocatedPlan",
    "PipelinePlan",
    "Plan",
    "ProjectModel",
    "build_project",
    "plan_code_locations",
    "plan_pipeline_boundaries",
]
