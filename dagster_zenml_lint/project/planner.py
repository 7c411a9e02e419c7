"""The pipeline-boundary decision: which Dagster assets and ops become which ZenML pipelines.

The rules, in the order they apply (``docs/report.md`` explains them for readers):

1. **Op jobs** (``@job``, ``graph.to_job``) become one pipeline each; their ops are the
   steps. An op used by several jobs is a member of the first pipeline (by name) and is
   listed under ``reuses`` by the others.
2. **Asset run units** are asset jobs (``define_asset_job``) and schedules or sensors that
   target assets directly. Each asset goes to the *smallest* run unit that selects it:
   a unit that runs a subset on its own (its own schedule) keeps it, and the larger job
   loads it as an external artifact. The keys of one ``@multi_asset`` stay together.
3. Inside a run unit, assets with different **partitions definitions** are split apart
   (each backfill domain gets its own partition parameters).
4. An **eager** asset joins the pipeline of its upstreams (a run unit or a loose group).
5. Assets that no run unit selects are grouped by **connected component** of the asset
   graph, split where their declarative automation condition or partitions definition
   differs.
6. A job that an **asset sensor** or a **run-status sensor** (success) starts after pipeline
   P folds into P as its final steps; **observable sources** become the source-loading step
   of their first reader; **graph-backed assets** list their ops as steps.
7. Names come from the job, the group or the cadence; never a numbered suffix.

The **shape** is ``single`` for one pipeline, ``multiple`` for several, and ``partial``
when HIGH findings dominate the work that remains after the plan: HIGH findings the plan
does not absorb make up at least :data:`PARTIAL_THRESHOLD` of all non-direct findings.
The plan absorbs asset-selection findings (DZ305) inside statically resolved asset jobs
(the split replaces them), partition findings (DZ301) when every partitions definition
is a resolved time-window or static one (they become pipeline parameters), and the
backfill finding (DZ303) of ``build_schedule_from_partitioned_job`` (a schedule plus a
``--partition-key`` launcher replaces it).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import NamedTuple

from dagster_zenml_lint.findings import Mapping, Severity
from dagster_zenml_lint.project.facts import Location, PartitionsFact
from dagster_zenml_lint.project.model import Asset, Job, JobKey, OpKey, ProjectModel, Trigger, topological_order
from dagster_zenml_lint.registry import Rule, rules_by_code
from dagster_zenml_lint.rules.asset_jobs import DZ305
from dagster_zenml_lint.rules.automation import DZ306
from dagster_zenml_lint.rules.partitions import DZ301, DZ303
from dagster_zenml_lint.rules.sensors import DZ304

# Partial migration when unabsorbed HIGH findings are at least this share of non-direct findings.
PARTIAL_THRESHOLD = 0.5
# A project is asset-centric (op-job-centric) when at least this share of its definitions are assets (ops/jobs).
STYLE_THRESHOLD = 0.9
TIME_PARTITIONS = frozenset(
    {
        "DailyPartitionsDefinition",
        "HourlyPartitionsDefinition",
        "WeeklyPartitionsDefinition",
        "MonthlyPartitionsDefinition",
        "TimeWindowPartitionsDefinition",
    }
)
STATIC_PARTITIONS = frozenset({"StaticPartitionsDefinition"})
RANGE_ACCESS = frozenset(
    {
        "partition_time_window",
        "partition_key_range",
        "partition_keys",
        "asset_partitions_time_window_for_output",
        "asset_partition_key_range_for_output",
        "asset_partition_keys_for_output",
    }
)
AUTOMATION_SENSORS = frozenset({"automation_sensor", "freshness_sensor"})
TRIGGER_KINDS = {
    "schedule": "schedule",
    "sensor": "sensor",
    "asset_sensor": "asset sensor",
    "multi_asset_sensor": "multi-asset sensor",
    "run_status_sensor": "run-status sensor",
    "run_failure_sensor": "run-failure sensor",
    "automation_sensor": "automation sensor",
    "freshness_sensor": "freshness sensor",
}


@dataclass(frozen=True)
class TriggerPlan:
    """A Dagster schedule or sensor that a pipeline's runs used to come from."""

    kind: str
    name: str
    location: Location
    detail: str  # "cron `0 6 * * 1`", "one run per partition", "watches raw/orders"
    cron: str | None = None  # a schedule's literal cron (None for a partitioned or non-literal one)
    timezone: str | None = None  # a schedule's ``execution_timezone=``

    @property
    def is_schedule(self) -> bool:
        """Only cron schedules have a ZenML counterpart (``Schedule`` on a supporting orchestrator)."""
        return self.kind == "schedule"

    @property
    def family(self) -> str:
        """``schedule`` or ``sensor`` (every kind of sensor)."""
        return "schedule" if self.is_schedule else "sensor"

    def describe(self) -> str:
        """One line: ``schedule 'nightly' (cron `0 0 * * *`)``."""
        label = TRIGGER_KINDS.get(self.kind, self.kind)
        return f"{label} '{self.name}'" + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class PipelinePlan:
    """One proposed ZenML pipeline."""

    name: str
    kind: str  # asset | op
    members: tuple[str, ...]  # asset keys (``/``-joined) or op names, each in exactly one pipeline
    files: tuple[str, ...]  # files the members are defined in
    source: str  # the Dagster run unit it replaces
    location: Location  # where that run unit is defined (the job, or the first member)
    reason: str
    triggers: tuple[TriggerPlan, ...] = ()
    automation: tuple[str, ...] = ()  # declarative automation conditions of its members
    partitions: PartitionsFact | None = None
    partitions_label: str | None = None
    partition_params: tuple[str, ...] = ()
    external_inputs: tuple[str, ...] = ()  # upstream keys produced elsewhere (other pipelines, outside)
    reuses: tuple[str, ...] = ()  # ops defined as members of another pipeline but also run here
    edges: tuple[tuple[str, str], ...] = ()  # member -> member data edges
    checks: tuple[tuple[str, str], ...] = ()  # (asset check, asset key): validation steps to add
    sources: tuple[str, ...] = ()  # observable source assets its first step loads
    graph_ops: tuple[tuple[str, tuple[str, ...]], ...] = ()  # graph-backed member -> its ops, in graph order
    folded: tuple[str, ...] = ()  # sensors and automation conditions folded into this pipeline
    maybe_run_by: tuple[str, ...] = ()  # asset jobs with an unresolved selection that may run these assets
    job: JobKey | None = None  # the op job an op pipeline replaces
    ops: tuple[OpKey, ...] = ()  # an op pipeline's members then reuses, as keys of ``ProjectModel.ops``

    @property
    def module(self) -> str:
        """The ZenML module that will hold this pipeline."""
        return f"pipelines/{self.name}.py"

    @property
    def steps(self) -> tuple[str, ...]:
        """The steps in order: observable sources, then members (a graph-backed asset's ops stand in for it)."""
        ops = dict(self.graph_ops)
        steps: list[str] = list(self.sources)
        for member in self.members:
            steps.extend(ops.get(member, (member,)))
        return tuple(dict.fromkeys(steps))

    @property
    def trigger(self) -> str:
        """What started runs of this slice in Dagster, in one line."""
        parts = [t.describe() for t in self.triggers]
        parts.extend(f"declarative automation `{a}`" for a in self.automation)
        if not parts and self.maybe_run_by:
            jobs = ", ".join(f"'{j}'" for j in self.maybe_run_by)
            return f"unknown: asset job {jobs} (selection unresolved) may run them"
        return "; ".join(parts) if parts else "none (run on demand)"


@dataclass(frozen=True)
class UnresolvedJob:
    """An asset job whose selection static analysis could not evaluate: it keeps its row and its trigger."""

    name: str
    location: Location
    selection: str
    triggers: tuple[TriggerPlan, ...] = ()

    @property
    def trigger(self) -> str:
        """Its schedules and sensors in one line."""
        return "; ".join(t.describe() for t in self.triggers) or "none (run on demand)"


@dataclass(frozen=True)
class FindingCounts:
    """Findings by mapping, and the HIGH findings the plan absorbs."""

    direct: int
    approximate: int
    flagged: int
    errors: int
    high: int
    high_absorbed: int

    @property
    def high_remaining(self) -> int:
        """HIGH findings a person still has to redesign after the plan."""
        return self.high - self.high_absorbed

    @property
    def redesign_share(self) -> float:
        """Unabsorbed HIGH findings as a share of all non-direct findings (0 when there are none)."""
        work = self.approximate + self.flagged
        return self.high_remaining / work if work else 0.0


@dataclass(frozen=True)
class Plan:
    """The migration plan: shape, style, reasons and the proposed pipelines."""

    shape: str  # single | multiple | partial
    style: str  # asset-centric | op-job-centric | mixed
    reason: str
    style_reason: str
    signals: tuple[str, ...]
    pipelines: tuple[PipelinePlan, ...]
    unassigned_ops: tuple[str, ...]
    counts: FindingCounts
    absorbed: frozenset[tuple[str, int, str]]  # (path, line, code) of findings the plan handles
    unresolved_jobs: tuple[UnresolvedJob, ...] = ()

    def pipeline_of(self, member: str) -> PipelinePlan | None:
        """The pipeline an asset key or op belongs to."""
        return next((p for p in self.pipelines if member in p.members), None)


# ---------------------------------------------------------------------------- helpers
def report_bucket(rule: Rule) -> str:
    """Where a rule's findings are listed: ``direct``, ``approximate``, ``flagged`` (absent or HIGH), ``error``
    or ``meta`` (about the linter's own directives: listed nowhere, counted nowhere)."""
    if rule.mapping is Mapping.ERROR:
        return "error"
    if rule.mapping is Mapping.META:
        return "meta"
    if rule.mapping is Mapping.ABSENT or rule.severity is Severity.HIGH:
        return "flagged"
    return "direct" if rule.mapping is Mapping.DIRECT else "approximate"


def _identifier(text: str) -> str:
    """A valid Python identifier for a pipeline (a module and function name): never a keyword."""
    name = re.sub(r"\W+", "_", text).strip("_").lower()
    name = name if name and not name[0].isdigit() else f"p_{name}"
    return f"{name}_pipeline" if keyword.iskeyword(name) or keyword.issoftkeyword(name) else name


def trigger_plan(trigger: Trigger) -> TriggerPlan:
    """What the plan says of a schedule or sensor: its kind, name, place, cron and a one-line detail."""
    fact = trigger.fact
    if fact.partitioned:
        detail = "one run per partition, cron derived from the partitions definition"
    elif fact.cron:
        detail = f"cron `{fact.cron}`"
    elif fact.monitors:
        detail = "watches " + ", ".join(fact.monitors)
    else:
        detail = ""
    if fact.uses_cursor:
        detail = f"{detail}, keeps a cursor" if detail else "keeps a cursor"
    return TriggerPlan(fact.kind, fact.name, fact.location, detail, fact.cron, fact.timezone)


def partition_params(partitions: PartitionsFact | None, assets: Iterable[Asset]) -> tuple[str, ...]:
    """The ``run.py`` parameters that replace a partitions definition."""
    if partitions is None:
        return ()
    kind = partitions.kind.split(".", 1)[0]
    if kind == "MultiPartitionsDefinition" and partitions.dimensions:
        return tuple(f"--{_identifier(d).replace('_', '-')}-key" for d in partitions.dimensions)
    params = ["--partition-key"]
    if kind in TIME_PARTITIONS:
        wants_range = any(set(a.definition.partition_access) & RANGE_ACCESS or a.definition.backfill for a in assets)
        if wants_range:
            params.extend(["--start-date", "--end-date"])
    return tuple(params)


def _step_functions(project: ProjectModel) -> frozenset[str]:
    """The function names of the project's steps (assets, ops, asset checks), compared ignoring case."""
    names = {asset.definition.function for asset in project.assets.values()}
    names.update(fact.function for fact, _ in project.ops.values())
    names.update(name for name, _, _ in project.checks)
    return frozenset(name.casefold() for name in names)


def _unique(name: str, taken: set[str]) -> str:
    candidate = name
    counter = 2
    while candidate in taken:
        candidate = f"{name}_{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


def _components(keys: set[str], assets: dict[str, Asset]) -> list[list[str]]:
    """Connected components of the asset graph restricted to ``keys`` (multi-asset keys joined)."""
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for key in sorted(keys):
        for up in assets[key].upstream:
            if up in keys:
                union(key, up)
        for sibling in assets[key].definition.keys:
            if sibling in keys:
                union(key, sibling)
    groups: dict[str, list[str]] = {}
    for key in sorted(keys):
        groups.setdefault(find(key), []).append(key)
    return sorted(groups.values(), key=lambda g: g[0])


@dataclass(frozen=True)
class _AssetDraft:
    """An asset pipeline while planning: members can still be folded in, the name is chosen last."""

    candidates: tuple[str, ...]  # names in order of preference (job, group, group + cadence...)
    keys: tuple[str, ...]
    source: str
    location: Location
    reason: str
    triggers: tuple[Trigger, ...]
    automation: tuple[str, ...] = ()
    jobs: tuple[JobKey, ...] = ()  # Dagster asset jobs it replaces (for folding by run-status sensors)
    folded: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    maybe_run_by: tuple[str, ...] = ()


def cron_cadence(cron: str | None) -> str | None:
    """``0 * * * *`` -> ``hourly``; ``30 2 * * *`` -> ``daily``; None for anything less regular."""
    if cron is None:
        return None
    aliases = {"@hourly": "hourly", "@daily": "daily", "@midnight": "daily", "@weekly": "weekly", "@monthly": "monthly"}
    if cron in aliases:
        return aliases[cron]
    fields = cron.split()
    if len(fields) != 5:
        return None
    minute, hour, day, month, weekday = fields
    if not minute.isdigit() or month != "*":
        return None
    if hour == "*" and day == "*" and weekday == "*":
        return "hourly"
    if hour.isdigit() and day == "*" and weekday == "*":
        return "daily"
    if hour.isdigit() and day == "*" and weekday != "*":
        return "weekly"
    if hour.isdigit() and day.isdigit() and weekday == "*":
        return "monthly"
    return None


def is_eager(automation: str | None) -> bool:
    """``AutomationCondition.eager()`` / ``AutoMaterializePolicy.eager()``: runs right after its upstreams."""
    return automation is not None and "eager(" in automation


# ---------------------------------------------------------------------------- planning
class _Planner:
    def __init__(
        self,
        project: ProjectModel,
        *,
        taken: Iterable[str] = (),
        step_functions: frozenset[str] | None = None,
        code_location: str = "",
    ) -> None:
        self.project = project
        self.assets = project.assets
        self.taken: set[str] = set(taken)  # names other code locations' pipelines already have
        self.step_functions = _step_functions(project) if step_functions is None else step_functions
        self.code_location = code_location  # tells a pipeline from another location's of the same name
        self.pipelines: list[PipelinePlan] = []
        self.eager_joined: set[str] = set()
        self.folded_triggers: list[Trigger] = []
        # computed asset key -> the external upstreams it reads, once: each asset pipeline asked every
        # external upstream whether a member reads it (pipelines x external keys, on a big project)
        self.external_of: dict[str, list[str]] = {}
        for upstream, dependents in project.external_upstreams.items():
            for dependent in dependents:
                self.external_of.setdefault(dependent, []).append(upstream)

    def plan(self) -> Plan:
        self.plan_op_jobs()
        self.plan_assets()
        pipelines = tuple(sorted(self.pipelines, key=lambda p: (p.kind != "asset", p.name)))
        assigned_ops = {op for p in pipelines if p.kind == "op" for op in p.ops}
        unassigned = tuple(
            sorted(
                self.project.op_label(op) for op in set(self.project.ops) - assigned_ops - self.project.graph_asset_ops
            )
        )
        counts, absorbed = self.count_findings()
        style, style_reason = self.style()
        shape, reason, signals = self.shape(pipelines, counts)
        return Plan(
            shape,
            style,
            reason,
            style_reason,
            signals,
            pipelines,
            unassigned,
            counts,
            absorbed,
            unresolved_jobs=self.unresolved_jobs(),
        )

    # ------------------------------------------------------------ op jobs
    def plan_op_jobs(self) -> None:
        seen: set[OpKey] = set()
        label = self.project.op_label
        for job in sorted((j for j in self.project.jobs.values() if j.kind == "op"), key=lambda j: (j.name, j.key)):
            members = tuple(op for op in job.ops if op not in seen)
            reuses = tuple(op for op in job.ops if op in seen)
            seen.update(job.ops)
            files = sorted({self.project.ops[op][1] for op in members if op in self.project.ops})
            triggers = tuple(trigger_plan(t) for t in self.project.triggers_for_job(job.key))
            reason = f"op job '{job.name}' runs these {len(job.ops)} ops as one unit"
            if self.project.shares_name(job):
                reason += f"; another module also defines a job '{job.name}'"
            if reuses:
                reason += f"; it also runs {', '.join(map(label, reuses))}, defined with an earlier pipeline"
            self.pipelines.append(
                PipelinePlan(
                    name=self.choose_name(self.located((self.job_label(job),)), fallback=self.job_label(job)),
                    kind="op",
                    members=tuple(map(label, members)),
                    ops=(*members, *reuses),
                    files=tuple(files),
                    source=f"op job '{job.name}'",
                    location=job.location,
                    reason=reason,
                    triggers=triggers,
                    partitions=job.partitions,
                    partitions_label=self.project.partitions_label(job.partitions),
                    partition_params=partition_params(job.partitions, ()),
                    reuses=tuple(map(label, reuses)),
                    edges=tuple((label(up), label(down)) for up, down in job.op_edges),
                    job=job.key,
                )
            )

    def unresolved_jobs(self) -> tuple[UnresolvedJob, ...]:
        """Asset jobs whose selection could not be evaluated: they keep a row, marked unresolved."""
        return tuple(
            UnresolvedJob(
                job.name,
                job.location,
                job.selection_text,
                tuple(trigger_plan(t) for t in self.project.triggers_for_job(job.key)),
            )
            for job in sorted(self.project.jobs.values(), key=lambda j: (j.name, j.key))
            if job.kind == "asset" and not job.selection_complete
        )

    def job_label(self, job: Job) -> str:
        """What a job's pipeline is named after: its name, followed by its module when another module
        defines a job of the same name (``j_first``, ``j_second``), so each gets a stable name of its own."""
        if not self.project.shares_name(job):
            return job.name
        return f"{job.name}_{job.module.replace('.', '_')}"

    # ------------------------------------------------------------ assets
    def run_units(self) -> list[tuple[str, str, Location, frozenset[str], tuple[Trigger, ...], str, JobKey | None]]:
        """(name, description, location, keys, triggers, selection, job) of every unit that runs a set of assets."""
        units: list[tuple[str, str, Location, frozenset[str], tuple[Trigger, ...], str, JobKey | None]] = []
        for job in sorted((j for j in self.project.jobs.values() if j.kind == "asset"), key=lambda j: (j.name, j.key)):
            keys = frozenset(job.assets)
            if keys:
                units.append(
                    (
                        self.job_label(job),
                        f"asset job '{job.name}'",
                        job.location,
                        keys,
                        tuple(self.project.triggers_for_job(job.key)),
                        job.selection_text,
                        job.key,
                    )
                )
        for trigger in self.project.triggers:
            # an automation or freshness sensor evaluates each asset's own condition: it is no run unit
            if trigger.assets and trigger.fact.kind not in AUTOMATION_SENSORS:
                label = TRIGGER_KINDS.get(trigger.fact.kind, trigger.fact.kind)
                units.append(
                    (
                        trigger.fact.name,
                        f"{label} '{trigger.fact.name}' targeting assets",
                        trigger.location,
                        frozenset(trigger.assets),
                        (trigger,),
                        "its target",
                        None,
                    )
                )
        return units

    def plan_assets(self) -> None:
        units = self.run_units()
        home: dict[str, int | None] = {}
        for key in sorted(self.assets):
            if key in home:
                continue
            siblings = [k for k in self.assets[key].definition.keys if k in self.assets]
            candidates = [i for i, unit in enumerate(units) if unit[3] & set(siblings)]
            chosen = min(candidates, key=lambda i: (len(units[i][3]), units[i][0])) if candidates else None
            for sibling in siblings:
                home[sibling] = chosen
        self.follow_eager_upstreams(home)
        # (run unit, partitions, automation, code location, group): assets outside run units are grouped by
        # what they share; within a unit only partitions split
        bucket_of: dict[str, tuple[int | None, str, str, str, str]] = {}
        for key, unit in home.items():
            asset = self.assets[key]
            partitions = asset.partitions.identity if asset.partitions else ""
            loose = unit is None
            automation = (asset.definition.automation or "") if loose else ""
            location = asset.code_location if loose else ""
            group = (asset.group or "") if loose else ""
            bucket_of[key] = (unit, partitions, automation, location, group)
        self.follow_eager_loose_upstreams(bucket_of)
        buckets: dict[tuple[int | None, str, str, str, str], set[str]] = {}
        for key, bucket in bucket_of.items():
            buckets.setdefault(bucket, set()).add(key)
        drafts: list[_AssetDraft] = []
        for index, run_unit in enumerate(units):
            parts = sorted((b[1], keys) for b, keys in buckets.items() if b[0] == index)
            if len([p for p, _ in parts if p]) <= 1 and len(parts) > 1:
                # one partitions definition plus unpartitioned assets: they still run together, keyed by it
                merged = {k for _, keys in parts for k in keys}
                parts = [(max(p for p, _ in parts), merged)]
            unit_keys = {k for _, keys in parts for k in keys}
            for _partitions_id, keys in parts:
                drafts.append(self.unit_draft(run_unit, keys, len(parts) > 1, unit_keys))
        loose_buckets = sorted((b[1:], sorted(keys)) for b, keys in buckets.items() if b[0] is None)
        for (_partitions_id, automation, _location, group), loose_keys in loose_buckets:
            # a named group that shares trigger and partitions runs together even where the graph is
            # disconnected (its upstreams are external); ungrouped assets split into connected components
            for component in [loose_keys] if group else _components(set(loose_keys), self.assets):
                drafts.append(self.loose_draft(component, automation))
        drafts = self.attach_observable_sources(drafts)
        drafts = self.fold_sensors(drafts)
        self.pipelines.extend(self.build_asset_pipelines(drafts))

    def follow_eager_upstreams(self, home: dict[str, int | None]) -> None:
        """An asset outside any run unit whose condition is ``eager()`` runs right after its upstreams update:
        it joins their run unit when they all share one (and its partitions definition)."""
        changed = True
        while changed:
            changed = False
            for key in sorted(home):
                asset = self.assets[key]
                if home[key] is not None or not is_eager(asset.definition.automation):
                    continue
                upstream_homes = {home.get(up) for up in asset.upstream if up in self.assets}
                same_partitions = all(
                    self.assets[up].partitions == asset.partitions for up in asset.upstream if up in self.assets
                )
                if len(upstream_homes) == 1 and None not in upstream_homes and same_partitions:
                    unit = upstream_homes.pop()
                    for sibling in asset.definition.keys:
                        if sibling in home:
                            home[sibling] = unit
                    self.eager_joined.add(key)
                    changed = True

    def follow_eager_loose_upstreams(self, bucket_of: dict[str, tuple[int | None, str, str, str, str]]) -> None:
        """The same rule where the upstreams run outside any job (by their own automation condition or
        group): an eager asset never gets a pipeline of its own when its upstreams share one."""
        changed = True
        while changed:
            changed = False
            for key in sorted(bucket_of):
                asset = self.assets[key]
                if bucket_of[key][0] is not None or not is_eager(asset.definition.automation):
                    continue
                upstreams = [up for up in asset.upstream if up in self.assets]
                upstream_buckets = {bucket_of[up] for up in upstreams}
                same_partitions = all(self.assets[up].partitions == asset.partitions for up in upstreams)
                if len(upstream_buckets) != 1 or not same_partitions:
                    continue
                target = upstream_buckets.pop()
                if target == bucket_of[key]:
                    continue
                for sibling in asset.definition.keys:
                    if sibling in bucket_of:
                        bucket_of[sibling] = target
                self.eager_joined.add(key)
                changed = True

    def unit_draft(self, unit, keys: set[str], split: bool, unit_keys: set[str]) -> _AssetDraft:
        name, description, location, selected, triggers, selection, job = unit
        partitions = next((self.assets[k].partitions for k in sorted(keys) if self.assets[k].partitions), None)
        reason = f"{description} selects {selection}: {len(selected)} asset(s) that run together"
        elsewhere = sorted(selected - unit_keys)  # selected here, but placed in a smaller run unit
        if elsewhere:
            reason += (
                f"; {', '.join(elsewhere)} also run in a smaller unit with its own trigger and are loaded from there"
            )
        candidates = [name]
        if split:
            label = self.project.partitions_label(partitions) or "unpartitioned"
            candidates = [f"{name}_{label}"]
            reason += (
                f"; split by partitions definition ({label}) because its assets belong to different backfill domains"
            )
        jobs = (job,) if job is not None else ()
        return _AssetDraft(tuple(candidates), tuple(sorted(keys)), description, location, reason, triggers, jobs=jobs)

    def loose_draft(self, keys: list[str], automation: str) -> _AssetDraft:
        assets = [self.assets[k] for k in keys]
        groups = sorted({a.group or "default" for a in assets if a.key not in self.eager_joined})
        keyset = set(keys)
        sinks = [k for k in keys if not any(k in self.assets[o].upstream for o in keyset)]
        single_group = len(groups) == 1 and groups[0] != "default"
        base = groups[0] if single_group else (sinks or keys)[0].rsplit("/", 1)[-1]
        what = f"{len(keys)} asset(s) of group '{groups[0]}'" if single_group else f"{len(keys)} connected asset(s)"
        cron = next((a.definition.automation_cron for a in assets if a.definition.automation == automation), None)
        cadence = cron_cadence(cron)
        # a group refreshed on a cron reads best with its cadence (``catalog_refresh_hourly``)
        candidates = [f"{base}_refresh_{cadence}"] if cadence and single_group else []
        candidates.append(base)
        if not single_group and "/" in (sinks or keys)[0]:
            candidates.append((sinks or keys)[0])  # the whole key tells ``eu/sales`` from ``us/sales``
        if cadence:
            candidates.append(f"{base}_{cadence}")
        label = self.project.partitions_label(assets[0].partitions)
        if label:
            candidates.append(f"{base}_{label}")
        if automation:
            candidates.append(f"{base}_{'eager' if is_eager(automation) else 'automated'}")
        if assets[0].code_location:
            candidates.append(f"{base}_{assets[0].code_location}")
        if automation:
            reason = f"{what} that no job selects, all with the automation condition `{automation}`"
        else:
            reason = f"{what} that no job or schedule selects (materialized on demand)"
        if any(a.partitions for a in assets):
            reason += f", partitioned by {label}"
        maybe = tuple(
            sorted(
                j.name
                for j in self.project.unresolved_asset_jobs()
                if j.code_location == assets[0].code_location or not j.code_location
            )
        )
        if maybe and not automation:
            reason += f"; asset job(s) {', '.join(maybe)} with an unresolved selection may run them"
        first = min(assets, key=lambda a: a.location)
        return _AssetDraft(
            tuple(candidates),
            tuple(keys),
            "assets outside any job",
            first.location,
            reason,
            (),
            automation=(automation,) if automation else (),
            maybe_run_by=maybe if not automation else (),
        )

    def attach_observable_sources(self, drafts: list[_AssetDraft]) -> list[_AssetDraft]:
        """An observable source asset becomes the source-loading step of the first pipeline that reads it."""
        result = list(drafts)
        for key, source in sorted(self.project.source_assets.items()):
            if source.kind != "observable_source_asset":
                continue
            readers = set(self.project.external_upstreams.get(key, ()))
            index = next((i for i, d in enumerate(result) if readers & set(d.keys)), None)
            if index is not None:
                result[index] = replace(result[index], sources=(*result[index].sources, key))
        return result

    def fold_sensors(self, drafts: list[_AssetDraft]) -> list[_AssetDraft]:
        """A job an asset sensor or a run-status sensor starts after pipeline P runs becomes P's final steps."""
        result: list[_AssetDraft | None] = list(drafts)
        for trigger in self.project.triggers:
            kind = trigger.fact.kind
            if kind in ("asset_sensor", "multi_asset_sensor"):
                watched = set(trigger.watched_assets)
                holders = {i for i, d in enumerate(result) if d is not None and watched & {*d.keys, *d.sources}}
                after = "watches " + ", ".join(sorted(watched))
            elif kind == "run_status_sensor" and trigger.fact.run_status == "SUCCESS":
                watched_jobs = set(trigger.watched_jobs)
                holders = {i for i, d in enumerate(result) if d is not None and watched_jobs & set(d.jobs)}
                after = "starts it when job " + ", ".join(sorted(k.name for k in watched_jobs)) + " succeeds"
            else:
                continue
            if len(holders) != 1:
                continue
            upstream = holders.pop()
            for key in trigger.jobs:
                job = key.name
                started = [i for i, d in enumerate(result) if d is not None and key in d.jobs]
                if len(started) != 1 or started[0] == upstream:
                    continue
                follow_up = result[started[0]]
                target = result[upstream]
                assert follow_up is not None and target is not None
                if any(t is not trigger for t in follow_up.triggers) or not self.same_partitions(target, follow_up):
                    continue  # it also runs on its own trigger, or in another backfill domain: stays separate
                label = TRIGGER_KINDS.get(kind, kind)
                folded = f"{label} '{trigger.fact.name}' ({after}) -> job '{job}'"
                reason = (
                    f"; job '{job}' ({', '.join(follow_up.keys)}) folded in as final steps because {label} "
                    f"'{trigger.fact.name}' {after}; alternative: keep it a separate pipeline started by a "
                    "success hook of this one"
                )
                result[upstream] = replace(
                    target,
                    keys=(*target.keys, *follow_up.keys),
                    reason=target.reason + reason,
                    jobs=(*target.jobs, *follow_up.jobs),
                    folded=(*target.folded, *follow_up.folded, folded),
                    sources=(*target.sources, *follow_up.sources),
                )
                result[started[0]] = None
                self.folded_triggers.append(trigger)
        return [d for d in result if d is not None]

    def same_partitions(self, first: _AssetDraft, second: _AssetDraft) -> bool:
        """Two drafts that may run as one pipeline: the same partitions definition, or none in one of them."""
        identities = {
            self.assets[k].partitions.identity  # type: ignore[union-attr]
            for k in (*first.keys, *second.keys)
            if self.assets[k].partitions is not None
        }
        return len(identities) <= 1

    def build_asset_pipelines(self, drafts: list[_AssetDraft]) -> list[PipelinePlan]:
        """Choose names (the first free candidate; never a number) and build the pipelines."""
        built = []
        for draft in sorted(drafts, key=lambda d: (d.candidates[0], d.location)):
            # every readable candidate taken: add the first member, which no other pipeline has
            name = self.choose_name(self.located(draft.candidates), f"{draft.candidates[0]}_{draft.keys[0]}")
            built.append(self.asset_pipeline(name, draft))
        return built

    def choose_name(self, candidates: Iterable[str], fallback: str) -> str:
        """The first candidate no other pipeline has, else ``fallback`` made unique."""
        for candidate in candidates:
            name = self.pipeline_identifier(candidate)
            if name not in self.taken:
                self.taken.add(name)
                return name
        return _unique(self.pipeline_identifier(fallback), self.taken)

    def located(self, candidates: tuple[str, ...]) -> tuple[str, ...]:
        """``candidates``, then the first one followed by this code location (``j_team_b``): a pipeline of
        another code location may have that name already, and all share one generated project."""
        if not self.code_location:
            return candidates
        return (*candidates, f"{candidates[0]}_{self.code_location}")

    def pipeline_identifier(self, text: str) -> str:
        """The pipeline name for ``text``: ``<name>_pipeline`` when a step function has that name.

        The pipeline's module imports its steps by function name, so ``migrate`` cannot name a
        pipeline like one of them; the report names the module ``migrate`` writes.
        """
        name = _identifier(text)
        return f"{name}_pipeline" if name.casefold() in self.step_functions else name

    def asset_pipeline(self, name: str, draft: _AssetDraft) -> PipelinePlan:
        keys = set(draft.keys)
        edges = {(up, k) for k in draft.keys for up in self.assets[k].upstream if up in keys}
        members = tuple(topological_order(list(draft.keys), edges))
        assets = [self.assets[k] for k in members]
        partitions = next((a.partitions for a in assets if a.partitions is not None), None)
        external = sorted(
            (
                {up for a in assets for up in a.upstream if up not in keys}
                | {up for key in keys for up in self.external_of.get(key, ())}
            )
            - set(draft.sources)
        )
        automation = tuple(
            sorted(
                {*draft.automation, *(a.definition.automation for a in assets if a.definition.automation)}
                - {a.definition.automation for a in assets if a.key in self.eager_joined}
            )
        )
        reason = draft.reason
        joined = sorted(k for k in members if k in self.eager_joined)
        folded = list(draft.folded)
        if joined:
            reason += (
                f"; {', '.join(joined)} joined because an eager automation condition materializes it right "
                "after its upstreams"
            )
            folded.extend(f"eager automation condition of {k}" for k in joined)
        if draft.sources:
            reason += (
                f"; observable source(s) {', '.join(draft.sources)} loaded by its first step (the observation "
                "moves to the external trigger)"
            )
        graph_ops = []
        for asset in assets:
            ops = self.project.ops_of_graph_asset(asset.definition)
            if ops:
                graph_ops.append((asset.key, tuple(map(self.project.op_label, ops))))
        return PipelinePlan(
            name=name,
            kind="asset",
            members=members,
            files=tuple(
                sorted({a.path for a in assets} | {self.project.source_assets[s].location.path for s in draft.sources})
            ),
            source=draft.source,
            location=draft.location,
            reason=reason,
            triggers=tuple(trigger_plan(t) for t in draft.triggers),
            automation=automation,
            partitions=partitions,
            partitions_label=self.project.partitions_label(partitions),
            partition_params=partition_params(partitions, assets),
            checks=tuple((check, key) for check, key, _ in self.project.checks if key in keys),
            external_inputs=tuple(external),
            edges=tuple(sorted(edges)),
            sources=draft.sources,
            graph_ops=tuple(graph_ops),
            folded=tuple(folded),
            maybe_run_by=draft.maybe_run_by,
        )

    # ------------------------------------------------------------ findings and decision
    def count_findings(self) -> tuple[FindingCounts, frozenset[tuple[str, int, str]]]:
        rules = rules_by_code()
        direct = approximate = flagged = errors = high = 0
        absorbed: set[tuple[str, int, str]] = set()
        job_spans = {
            (j.location.path, line)
            for j in self.project.jobs.values()
            if j.kind == "asset" and j.selection_complete
            for line in range(j.location.line, max(j.end_line, j.location.line) + 1)
        }
        partitioned_schedules = {
            (t.location.path, t.location.line) for t in self.project.triggers if t.fact.partitioned
        }
        # a folded sensor that keeps no cursor only chained two runs: the upstream pipeline now does that
        folded_spans = {
            (t.path, line)
            for t in self.folded_triggers
            if not t.fact.uses_cursor
            for span in self.project.object_spans(t.path)
            if span.start <= t.location.line <= span.end
            for line in range(span.start, span.end + 1)
        }
        # an eager condition folded into its upstream's pipeline is that pipeline's step order now
        eager_spans = {
            (asset.path, line)
            for key in self.eager_joined
            for asset in [self.assets[key]]
            for span in self.project.object_spans(asset.path)
            if span.start <= asset.location.line <= span.end
            for line in range(span.start, span.end + 1)
        }
        definitions = self.project.partitions_definitions()
        partitions_absorbable = (
            bool(definitions)
            and all(d.kind in TIME_PARTITIONS | STATIC_PARTITIONS for d in definitions)
            and not any(u.subject.startswith("partitions_def=") for u in self.project.unresolved)
        )
        for result, finding in self.project.findings():
            rule = rules[finding.code]
            bucket = report_bucket(rule)
            if bucket == "error":
                errors += 1
                continue
            if bucket == "meta":
                continue
            if bucket == "direct":
                direct += 1
            elif bucket == "approximate":
                approximate += 1
            else:
                flagged += 1
            if rule.severity is not Severity.HIGH:
                continue
            high += 1
            where = (result.path, finding.line)
            if (
                (finding.code == DZ305.code and where in job_spans)
                or (finding.code == DZ303.code and where in partitioned_schedules)
                or (finding.code == DZ301.code and partitions_absorbable)
                or (finding.code == DZ304.code and where in folded_spans)
                or (finding.code == DZ306.code and where in eager_spans)
            ):
                absorbed.add((result.path, finding.line, finding.code))
        return FindingCounts(direct, approximate, flagged, errors, high, len(absorbed)), frozenset(absorbed)

    def style(self) -> tuple[str, str]:
        asset_defs = len({a.definition.location for a in self.assets.values()})
        op_jobs = sum(1 for j in self.project.jobs.values() if j.kind == "op")
        ops = len(set(self.project.ops) - self.project.graph_asset_ops)
        op_defs = ops + op_jobs
        total = asset_defs + op_defs
        counted = f"{asset_defs} asset definition(s), {ops} op(s) and {op_jobs} op job(s)"
        if total == 0:
            return "asset-centric", "no assets, ops or jobs were found"
        if asset_defs / total >= STYLE_THRESHOLD:
            return "asset-centric", counted
        if op_defs / total >= STYLE_THRESHOLD:
            return "op-job-centric", counted
        return "mixed", counted

    def shape(self, pipelines: tuple[PipelinePlan, ...], counts: FindingCounts) -> tuple[str, str, tuple[str, ...]]:
        project = self.project
        asset_jobs = [j for j in project.jobs.values() if j.kind == "asset"]
        op_jobs = [j for j in project.jobs.values() if j.kind == "op"]
        schedules = [t for t in project.triggers if t.is_schedule]
        sensors = [t for t in project.triggers if not t.is_schedule]
        crons = sorted(
            {t.fact.cron or ("partitioned" if t.fact.partitioned else "non-literal cron") for t in schedules}
        )
        definitions = project.partitions_definitions()
        automation = sorted({a.definition.automation for a in self.assets.values() if a.definition.automation})
        loose = [p for p in pipelines if p.source == "assets outside any job"]
        signals: list[str] = []
        if asset_jobs:
            signals.append(f"{len(asset_jobs)} asset job(s)")
        if op_jobs:
            signals.append(f"{len(op_jobs)} op job(s)")
        if len(schedules) == 1:
            signals.append(f"1 schedule ({crons[0]})")
        elif schedules:
            kinds = "different cron schedules" if len(crons) > 1 else "the same cron schedule"
            signals.append(f"{len(schedules)} schedules with {kinds} ({', '.join(crons)})")
        if sensors:
            signals.append(f"{len(sensors)} sensor(s)")
        if definitions:
            labels = ", ".join(self.project.partitions_label(d) or "" for d in definitions)
            signals.append(f"{len(definitions)} partitions definition(s) ({labels})")
        if automation:
            signals.append(f"{len(automation)} distinct declarative automation condition(s)")
        if loose:
            signals.append(f"{len(loose)} group(s) of connected assets outside any job")
        summary = ", ".join(signals) if signals else "no jobs, schedules, sensors or partitions"
        share = counts.redesign_share
        if counts.high_remaining and share >= PARTIAL_THRESHOLD:
            reason = (
                f"HIGH findings the plan cannot absorb are {counts.high_remaining} of "
                f"{counts.approximate + counts.flagged} non-direct findings ({share:.0%}, threshold "
                f"{PARTIAL_THRESHOLD:.0%}): migrate the portable core of the {len(pipelines)} proposed "
                f"pipeline(s) and redesign the rest ({summary})"
            )
            return "partial", reason, tuple(signals)
        if len(pipelines) <= 1:
            what = f"'{pipelines[0].name}'" if pipelines else "nothing to run"
            return "single", f"one run unit ({what}): {summary}", tuple(signals)
        return "multiple", f"{len(pipelines)} pipelines because of {summary}", tuple(signals)


def plan_pipeline_boundaries(project: ProjectModel) -> Plan:
    """Group a project's assets and ops into proposed ZenML pipelines and decide the migration shape."""
    return _Planner(project).plan()


class LocatedPlan(NamedTuple):
    """The plan of one code location: its name (``""`` when the project has one), its model and its plan
    (a tuple, as the location renderers of ``report/`` take them)."""

    location: str
    model: ProjectModel
    plan: Plan


def plan_code_locations(project: ProjectModel) -> tuple[LocatedPlan, ...]:
    """One plan per code location, as Dagster deploys them (``report`` shows these, ``migrate`` writes them).

    Code locations are separate deployments: one location's jobs never select another's
    assets, so each is planned from its own model. The pipelines of all locations land in one
    generated project, so their names are unique across locations (a name an earlier location
    has gets the location's name after it), and no name is that of a step of any location.
    """
    located = project.code_location_models()
    if len(located) == 1:
        ((location, model),) = located
        return (LocatedPlan(location, model, plan_pipeline_boundaries(model)),)
    step_functions = _step_functions(project)
    taken: set[str] = set()
    plans = []
    for location, model in located:
        plan = _Planner(model, taken=taken, step_functions=step_functions, code_location=location).plan()
        taken.update(p.name for p in plan.pipelines)
        plans.append(LocatedPlan(location, model, plan))
    return tuple(plans)


def planned_pipelines(located: Iterable[LocatedPlan]) -> tuple[PipelinePlan, ...]:
    """The pipelines of every code location's plan, location by location (what ``migrate`` writes)."""
    return tuple(pipeline for plan in located for pipeline in plan.plan.pipelines)
