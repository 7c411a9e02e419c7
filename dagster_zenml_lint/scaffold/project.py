"""What the generator learnt about a project: the value ``generate`` builds and ``render`` reads.

It sits below both, so files flow one way (``generate`` -> ``render``): ``render`` needs
this value, never the generator that fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.project.facts import Location
from dagster_zenml_lint.project.model import JobKey, ProjectModel
from dagster_zenml_lint.project.planner import LocatedPlan, planned_pipelines
from dagster_zenml_lint.project.planner import PipelinePlan as BoundaryPipeline
from dagster_zenml_lint.project.resources import ResourceBindings
from dagster_zenml_lint.scaffold.graphs import GraphAsset
from dagster_zenml_lint.scaffold.plan import JobSpec, PipelinePlan
from dagster_zenml_lint.scaffold.sources import SkippedModule, SourceModule
from dagster_zenml_lint.scaffold.step_spec import IOManagers, Steps
from dagster_zenml_lint.scaffold.steps import StepCode


@dataclass(frozen=True)
class Definition:
    """A module-level definition of a source module that generated code depends on."""

    module: str  # relpath of the source module
    name: str


@dataclass
class Project:
    """Everything the generator learnt, and the files it produces."""

    root: Path
    name: str
    modules: dict[str, SourceModule]
    io_managers: IOManagers  # the model's IO manager classes with their class nodes
    pipelines: list[PipelinePlan]
    python: str
    model: ProjectModel  # the report's model of the sources, built from the same analysis
    boundaries: tuple[LocatedPlan, ...]  # its pipeline-boundary plan per code location (MIGRATION_REPORT.md)
    jobs: dict[JobKey, JobSpec]  # the model's op jobs whose bodies pipelines copy
    steps: Steps = field(default_factory=Steps)  # every step, from the model (scaffold/plan.step_specs)
    # (module, line, function, kind) of steps a factory function or a loop builds: a TODO each (plan.nested_steps)
    factories: list[tuple[str, int, str, str]] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    # path -> (the text the generator wrote there, the top-level packages its import statements name):
    # pyproject.toml's dependencies read them instead of parsing the file again
    imported: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict, repr=False, compare=False)
    step_codes: dict[str, StepCode] = field(default_factory=dict)
    shared: set[Definition] = field(default_factory=set)  # helpers placed in helpers/ (used by several steps)
    unplaced: list[str] = field(default_factory=list)  # TODO lines for HIGH findings outside steps and jobs
    skipped: list[SkippedModule] = field(default_factory=list)  # DZ000 files: not migrated, listed in README.md
    graph_assets: dict[str, GraphAsset] = field(default_factory=dict)  # terminal step name -> its graph asset
    # run unit's location -> its resource bindings: each is worked out over every file's facts, so once
    unit_bindings: dict[Location, ResourceBindings] = field(default_factory=dict, repr=False, compare=False)

    @property
    def planned(self) -> tuple[BoundaryPipeline, ...]:
        """The boundary plans' pipelines, location by location (``PipelinePlan.boundary`` indexes these)."""
        return planned_pipelines(self.boundaries)

    @property
    def findings(self) -> list[tuple[str, Finding]]:
        """Every finding with its module path, in a stable order."""
        return [(path, f) for path, module in sorted(self.modules.items()) for f in module.findings]

    def pipeline_bindings(self, plan: PipelinePlan) -> ResourceBindings:
        """The resources of the Dagster run unit a pipeline replaces: its job's own ``resource_defs``, else
        its code location's ``Definitions(resources=...)``, else the project's bindings (two jobs binding
        one key differently keep their own binding each)."""
        if plan.boundary is None or not self.boundaries:
            return self.model.project_bindings
        row = self.planned[plan.boundary]
        job = self.model.jobs.get(row.job) if row.job is not None else None
        owner = job.location if job is not None else row.location
        if owner not in self.unit_bindings:
            self.unit_bindings[owner] = self.model.resource_bindings(owner)
        return self.unit_bindings[owner]
