"""Which steps and pipelines the generated project has, and which steps each pipeline calls.

The steps are the project model's (:func:`step_specs`): which definitions become steps, and
their asset keys, inputs (parameter -> upstream key), ordering dependencies, checked asset and
partition use are the facts the report shows, so a key the report lists is the output of the
step made from the function the model says defines it, and its parameters are inputs, config
or resources as the model classifies them (:func:`~dagster_zenml_lint.scaffold.step_spec.resource_use`).
Only what the generator copies comes from the file's analysis: the function itself and its
``context.resources`` reads.

The decision is the report's: :func:`plan_from_boundaries` turns the boundary plan of
:func:`dagster_zenml_lint.project.plan_pipeline_boundaries` (the same plan
``MIGRATION_REPORT.md`` shows) into generator plans. :func:`plan_pipelines` is the
fallback used only when that plan has no pipeline: op jobs one pipeline each, assets
by asset job with a statically known selection, then by connected component.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo
from dagster_zenml_lint.fixers.call_forms import member_name
from dagster_zenml_lint.project.facts import AssetFact, CheckFact, Location, OpFact
from dagster_zenml_lint.project.model import JobKey, ProjectModel
from dagster_zenml_lint.project.planner import PipelinePlan as BoundaryPipeline
from dagster_zenml_lint.project.planner import TriggerPlan, trigger_plan
from dagster_zenml_lint.scaffold.names import python_name
from dagster_zenml_lint.scaffold.sources import SourceModule
from dagster_zenml_lint.scaffold.step_spec import Steps, StepSpec, resource_use, unique_step_names

# Decorators of a step; one inside a function (a factory or a loop) makes a step per call, which a person writes.
STEP_DECORATORS = frozenset(
    {"dagster.op", "dagster.asset", "dagster.multi_asset", "dagster.asset_check", "dagster.job"}
)
STEP_ASSET_KINDS = frozenset({"asset", "multi_asset"})  # graph-backed assets are scaffold/graphs.py's
TIME_WINDOW_ATTRS = frozenset({"partition_time_window", "partition_key_range"})


StepFact = AssetFact | OpFact | CheckFact


def _step_facts(model: ProjectModel) -> dict[tuple[str, str], StepFact]:
    """(path, function) -> the model's fact of each definition that becomes a step.

    An asset's fact is the model's resolved one (``specs=[variable]`` keys added); of two facts
    for one function (two decorators), the first kind wins: asset, then op, then check.
    """
    resolved = {(a.path, a.definition.function): a.definition for a in model.assets.values()}
    found: dict[tuple[str, str], StepFact] = {}
    for facts in model.facts:
        for asset in facts.assets:
            if asset.kind in STEP_ASSET_KINDS:
                found.setdefault((facts.path, asset.function), resolved.get((facts.path, asset.function), asset))
        for op in facts.ops:
            found.setdefault((facts.path, op.function), op)
        for check in facts.checks:
            if check.function:
                found.setdefault((facts.path, check.function), check)
    return found


def step_specs(model: ProjectModel, contexts: dict[str, FileContext]) -> Steps:
    """The steps of the generated project, in source order (module path, then line), with unique names.

    A definition is a step when the model has its fact and its function is a module-level
    function of its file (not a call form ``load = op(_load)``, nor one a factory builds:
    :func:`nested_steps` lists those). Test modules have no facts, so no steps.
    """
    facts = _step_facts(model)
    checked = {location: key for _, key, location in model.checks}
    steps: list[StepSpec] = []
    for path in sorted({f.path for f in model.facts}):
        ctx = contexts.get(path)
        if ctx is None:
            continue
        for info in ctx.functions:
            fact = facts.get((path, info.node.name))
            if fact is None or info.parent_class is not None or info.node not in ctx.tree.body:
                continue
            steps.append(_step(model, path, ctx, info, fact, checked))
    unique_step_names(steps)
    return Steps(steps)


def nested_steps(model: ProjectModel, contexts: dict[str, FileContext]) -> list[tuple[str, int, str, str]]:
    """(module, line, function, kind) of each step decorator on a function inside a function or a loop:
    one step per call, which a person must write."""
    found = []
    for path in sorted({f.path for f in model.facts}):
        ctx = contexts.get(path)
        for info in ctx.functions if ctx is not None else ():
            nested = STEP_DECORATORS & {d.canonical for d in info.decorators}
            if info.parent_class is None and info.node not in ctx.tree.body and nested:  # type: ignore[union-attr]
                line = info.decorators[0].line if info.decorators else info.node.lineno
                found.append((path, line, info.node.name, sorted(nested)[0].rsplit(".", 1)[-1]))
    return found


def graph_functions(model: ProjectModel, contexts: dict[str, FileContext]) -> frozenset[tuple[str, str]]:
    """(path, function) of every module-level ``@graph`` of the model: a body a pipeline may run, copied
    as a plain helper function (its ops are steps)."""
    return frozenset(
        (facts.path, info.node.name)
        for facts in model.facts
        if (ctx := contexts.get(facts.path)) is not None
        for info in ctx.functions
        if info.parent_class is None
        and info.node in ctx.tree.body
        and any(g.kind == "graph" and g.function == info.node.name for g in facts.graphs)
    )


def _step(
    model: ProjectModel,
    path: str,
    ctx: FileContext,
    info: FunctionInfo,
    fact: StepFact,
    checked: dict[Location, str],
) -> StepSpec:
    """One step from its model fact; the config and resources it receives from the model's classification of
    its parameters and its ``context.resources`` reads (:func:`~dagster_zenml_lint.scaffold.step_spec.resource_use`)."""
    uses = resource_use(model, fact.params, ctx, info)
    spec = StepSpec(
        name=info.node.name,
        kind="op",
        module=path,
        line=info.decorators[0].line if info.decorators else info.node.lineno,
        function=info,
        injected=uses.injected,
        resource_uses=uses.resource_uses,
        lifecycle=uses.lifecycle,
        state_types=uses.state_types,
        resources=uses.resources,
        pipes=uses.pipes,
    )
    context = info.context.name if info.context is not None else None
    args = info.node.args
    params = [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs] if a.arg not in {context, *uses.skip}]
    if isinstance(fact, OpFact):
        spec.partitioned = bool(fact.partition_access)
        spec.time_window = bool(TIME_WINDOW_ATTRS & set(fact.partition_access))
    elif isinstance(fact, AssetFact):
        spec.kind = fact.kind
        spec.outputs = list(fact.keys[:1] if fact.kind == "asset" else fact.keys)
        mapped = dict(model.data_inputs(fact))
        spec.inputs = {param: mapped.get(param, param) for param in params}
        spec.order_after = _order_after(model, fact)
        spec.partitioned = bool(fact.partition_access) or fact.partitions is not None
        spec.time_window = bool(TIME_WINDOW_ATTRS & set(fact.partition_access))
        spec.io_manager_key = fact.io_manager_key
    else:
        spec.kind = "check"
        spec.outputs = [fact.name]
        target = fact.target.key if fact.target is not None else None
        spec.checked = checked.get(fact.location, target)
        spec.blocking = fact.blocking
        spec.inputs = {param: param for param in params}
        if len(params) == 1 and spec.checked:
            spec.inputs = {params[0]: spec.checked}  # the checked asset's value
    return spec


def _order_after(model: ProjectModel, fact: AssetFact) -> list[str]:
    """The keys of an asset's ``deps=`` (ordering only, no value passed), as the model resolves them."""
    keys: list[str] = []
    for ref in fact.deps:
        if ref.key is not None:
            keys.append(ref.key)
        elif ref.symbol is not None:
            found = model.symbol_keys(ref.symbol)
            if isinstance(found, frozenset):
                keys.extend(sorted(found))
    return list(dict.fromkeys(keys))


@dataclass(frozen=True)
class JobSpec:
    """An op job of the project model with the body its pipeline copies: the ``@job`` function, or the
    graph a ``to_job()`` call builds it from."""

    name: str
    module: str  # the source path of that function (and of the job)
    line: int
    function: FunctionInfo
    partitioned: bool = False

    @property
    def from_graph(self) -> bool:
        """Built by ``graph.to_job()``: its body is a ``@graph``, which stays a helper function too."""
        return any(d.canonical == "dagster.graph" for d in self.function.decorators)


def job_specs(model: ProjectModel, modules: dict[str, SourceModule]) -> dict[JobKey, JobSpec]:
    """Every op job of the model whose body the generator can copy, by key, in source order.

    Left out (their pipelines become placeholders): a job defined inside a function or method,
    and ``graph.to_job()`` of a graph defined in another module.
    """
    found: dict[JobKey, JobSpec] = {}
    for job in sorted(model.jobs.values(), key=lambda j: (j.location, j.name)):
        module = modules.get(job.function_path)
        ctx = module.context if module is not None else None
        if job.kind != "op" or ctx is None or job.function_path != job.location.path:
            continue
        info = next(
            (
                f
                for f in ctx.functions
                if f.parent_class is None and f.node in ctx.tree.body and member_name(f) == job.function
            ),
            None,
        )
        if info is not None:
            found[job.key] = JobSpec(job.name, job.location.path, job.location.line, info, job.partitions is not None)
    return found


@dataclass
class PipelinePlan:
    """One generated pipeline."""

    name: str
    kind: str  # job | assets
    members: list[str] = field(default_factory=list)  # step (function) names, topological for assets
    job: JobSpec | None = None
    triggers: list[TriggerPlan] = field(default_factory=list)  # the schedules and sensors that started it
    reason: str = ""
    partition_params: list[str] = field(default_factory=list)
    origin: str = ""  # "path:line" of the Dagster definition it replaces
    notes: list[str] = field(default_factory=list)  # marker lines for findings about the run unit itself
    planned_name: str = ""  # the name in the report's boundary plan, when the generator had to change it
    boundary: int | None = None  # index of the report's boundary pipeline this plan realises
    unbuilt: list[str] = field(default_factory=list)  # planned asset keys no generated step produces
    loads: dict[str, str] = field(default_factory=dict)  # asset key loaded as an artifact -> its producing pipeline
    # The ZenML Model shared by the pipelines of one asset graph split into several: (model name, the
    # pipeline that creates its version); the others attach to the latest version. None: no shared model.
    model: tuple[str, str] | None = None


def topological(steps: list[StepSpec], producers: Mapping[str, tuple[StepSpec, str]]) -> list[StepSpec]:
    """Steps ordered so every upstream asset's step comes first (ties broken by source order)."""
    by_name = {s.name: s for s in steps}
    order: list[StepSpec] = []
    state: dict[str, int] = {}

    def visit(step: StepSpec) -> None:
        if state.get(step.name) == 2:
            return
        if state.get(step.name) == 1:
            return  # a cycle: Dagster would have rejected it; keep source order
        state[step.name] = 1
        for key in [*step.inputs.values(), *step.order_after]:
            producer = producers.get(key)
            if producer is not None and producer[0].name in by_name and producer[0].name != step.name:
                visit(producer[0])
        state[step.name] = 2
        order.append(step)

    for step in sorted(steps, key=lambda s: (s.module, s.line)):
        visit(step)
    return order


def _components(steps: list[StepSpec], producers: Mapping[str, tuple[StepSpec, str]]) -> list[list[StepSpec]]:
    parent = {s.name: s.name for s in steps}

    def find(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for step in steps:
        for key in [*step.inputs.values(), *step.order_after]:
            producer = producers.get(key)
            if producer is not None and producer[0].name in parent:
                parent[find(step.name)] = find(producer[0].name)
    groups: dict[str, list[StepSpec]] = {}
    for step in steps:
        groups.setdefault(find(step.name), []).append(step)
    return sorted(groups.values(), key=lambda g: (g[0].module, g[0].line))


def _triggers_for(model: ProjectModel, jobs: set[JobKey]) -> list[TriggerPlan]:
    """The project model's schedules and sensors that start one of these jobs (by key, not by name)."""
    return [trigger_plan(t) for t in model.triggers if jobs & set(t.jobs)]


def job_plan(steps: Steps, key: JobKey, job: JobSpec, model: ProjectModel) -> PipelinePlan:
    """The pipeline of one op job (``@job`` or ``graph.to_job``): the steps of the ops the model says it
    runs (by ``OpKey``: of two modules' ``@op load``, the one its own module resolves), and the
    schedules and sensors that start that job."""
    by_function = {(s.module, s.function_name): s.name for s in steps if s.kind == "op"}
    ops = [model.ops[op] for op in model.jobs[key].ops if op in model.ops]
    members = [by_function[path, op.function] for op, path in ops if (path, op.function) in by_function]
    return PipelinePlan(
        name=job.name,
        kind="job",
        members=list(dict.fromkeys(members)),
        job=job,
        triggers=_triggers_for(model, {key}),
        reason="an op job runs as one unit: one pipeline",
        origin=f"{job.module}:{job.line}",
        partition_params=["partition_key"] if job.partitioned else [],
    )


def plan_pipelines(
    steps: Steps, project_name: str, model: ProjectModel, jobs: dict[JobKey, JobSpec]
) -> list[PipelinePlan]:
    """Every pipeline of the generated project, in a stable order."""
    plans = [job_plan(steps, key, job, model) for key, job in jobs.items()]
    asset_steps = [s for s in steps if s.kind in ("asset", "multi_asset")]
    if not asset_steps:
        return plans
    producers = steps.asset_producers()
    remaining = {s.name: s for s in asset_steps}
    asset_jobs = sorted((j for j in model.jobs.values() if j.kind == "asset"), key=lambda j: (j.location, j.name))
    for asset_job in asset_jobs:
        if not asset_job.explicit_selection or not asset_job.selection_complete:
            continue
        chosen = [producers[k][0] for k in asset_job.assets if k in producers and producers[k][0].name in remaining]
        if not chosen:
            continue
        for step in chosen:
            remaining.pop(step.name, None)
        plans.append(
            _asset_plan(
                steps,
                model,
                asset_job.name,
                list(dict.fromkeys(chosen)),
                producers,
                {asset_job.key},
                f"asset job selecting {asset_job.selection_text}",
                str(asset_job.location),
            )
        )
    rest = [s for s in asset_steps if s.name in remaining]
    whole_jobs = [j for j in asset_jobs if not j.explicit_selection]
    components = _components(rest, producers) if rest else []
    for component in components:
        if len(components) == 1 and whole_jobs:
            whole = whole_jobs[0]
            name, keys = whole.name, {whole.key}
            reason = "asset job over the whole asset graph"
            origin = str(whole.location)
        else:
            sink = topological(component, producers)[-1]
            name = f"{project_name}_pipeline" if len(components) == 1 else f"{sink.name}_pipeline"
            keys, reason = set(), "connected assets are materialized together"
            origin = f"{component[0].module}:{component[0].line}"
        plans.append(_asset_plan(steps, model, name, component, producers, keys, reason, origin))
    return plans


def _asset_plan(
    all_steps: Steps,
    model: ProjectModel,
    name: str,
    steps: list[StepSpec],
    producers: Mapping[str, tuple[StepSpec, str]],
    trigger_jobs: set[JobKey],
    reason: str,
    origin: str,
) -> PipelinePlan:
    ordered = topological([*steps, *all_steps.checks_of([s.name for s in steps])], producers)
    params: list[str] = []
    if any(s.partitioned and s.time_window for s in ordered):
        params = ["start_date", "end_date"]
    elif any(s.partitioned for s in ordered):
        params = ["partition_key"]
    return PipelinePlan(
        name=name,
        kind="assets",
        members=[s.name for s in ordered],
        triggers=_triggers_for(model, trigger_jobs),
        reason=reason,
        origin=origin,
        partition_params=params,
    )


def param_names(flags: tuple[str, ...]) -> list[str]:
    """Pipeline parameter names for the report's run flags (``--partition-key`` -> ``partition_key``)."""
    names: list[str] = []
    for flag in flags:
        names.append(python_name(flag.lstrip("-").replace("-", "_"), names, suffix="_value"))
    return names


def plan_from_boundaries(
    all_steps: Steps, boundaries: Sequence[BoundaryPipeline], model: ProjectModel, jobs: dict[JobKey, JobSpec]
) -> list[PipelinePlan]:
    """Generator plans for the report's planned pipelines (of every code location, in order: a plan's
    ``boundary`` is its index there).

    An op pipeline copies the body of the job the plan names (:func:`job_specs`) and calls the
    steps of the ops the plan names (:attr:`~dagster_zenml_lint.project.planner.PipelinePlan.ops`).
    An asset key of the plan is matched to its step through the project model (the file and
    function that define it); a graph-backed asset's key, to the terminal step that outputs it.
    """
    by_function = {(s.module, s.function_name): s for s in all_steps}
    plans: list[PipelinePlan] = []
    producers = all_steps.asset_producers()
    for index, pipeline in enumerate(boundaries):
        name = pipeline.name  # made a safe, unique identifier by the generator (generate._name_pipelines)
        origin = f"{pipeline.location.path}:{pipeline.location.line}"
        triggers = list(pipeline.triggers)
        if pipeline.kind == "op":
            job = jobs.get(pipeline.job) if pipeline.job is not None else None
            if job is None:  # defined inside a function or method: a placeholder, as for unbuilt assets
                plans.append(_placeholder(pipeline, index, name, origin, triggers))
                continue
            ops = [model.ops[key] for key in pipeline.ops if key in model.ops]  # the job's ops, as the report has them
            members = [by_function[path, op.function].name for op, path in ops if (path, op.function) in by_function]
            plans.append(
                PipelinePlan(
                    name=name,
                    kind="job",
                    planned_name=pipeline.name,
                    boundary=index,
                    members=members,
                    job=job,
                    triggers=triggers,
                    reason=pipeline.reason,
                    partition_params=param_names(pipeline.partition_params),
                    origin=origin,
                )
            )
            continue
        steps: list[StepSpec] = []
        for key in pipeline.members:
            asset = model.assets.get(key)
            step = by_function.get((asset.path, asset.definition.function)) if asset is not None else None
            if step is None and key in producers:
                step = producers[key][0]
            if step is not None and step not in steps:
                steps.append(step)
        if not steps:  # assets the generator cannot build (made by a factory or an integration): a placeholder
            plans.append(_placeholder(pipeline, index, name, origin, triggers))
            continue
        steps.extend(all_steps.checks_of([s.name for s in steps]))
        plans.append(
            PipelinePlan(
                name=name,
                kind="assets",
                planned_name=pipeline.name,
                boundary=index,
                members=[s.name for s in topological(steps, producers)],
                triggers=triggers,
                reason=pipeline.reason,
                origin=origin,
                partition_params=param_names(pipeline.partition_params),
            )
        )
    return plans


def _placeholder(pipeline: Any, index: int, name: str, origin: str, triggers: list[TriggerPlan]) -> PipelinePlan:
    """A planned pipeline none of whose members became a step: its module says what to write (no silent gap)."""
    return PipelinePlan(
        name=name,
        kind="assets",
        planned_name=pipeline.name,
        boundary=index,
        triggers=triggers,
        reason=pipeline.reason,
        origin=origin,
        partition_params=param_names(pipeline.partition_params),
        unbuilt=list(pipeline.members),
    )


def order_by_dependencies(plans: list[PipelinePlan], steps: Steps) -> list[PipelinePlan]:
    """Pipelines that produce artifacts other pipelines load come first (otherwise the given order is kept)."""
    producers = steps.asset_producers()
    home = {member: plan.name for plan in plans for member in plan.members}
    needs: dict[str, set[str]] = {plan.name: set() for plan in plans}
    for plan in plans:
        for member in plan.members:
            step = steps.step(member)
            for key in [*step.inputs.values(), *step.order_after] if step is not None else []:
                producer = producers.get(key)
                owner = home.get(producer[0].name) if producer else None
                if owner is not None and owner != plan.name:
                    needs[plan.name].add(owner)
    ordered: list[PipelinePlan] = []
    done: set[str] = set()
    remaining = list(plans)
    while remaining:
        ready = next((p for p in remaining if needs[p.name] <= done), remaining[0])  # a cycle keeps the order
        ordered.append(ready)
        done.add(ready.name)
        remaining.remove(ready)
    return ordered
