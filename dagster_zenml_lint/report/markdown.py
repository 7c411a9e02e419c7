"""``MIGRATION_REPORT.md``: the migration plan a team can act on, in the seed skill's section order.

Every row points at ``path:line`` (relative to the project root). Nothing here depends on
the clock, the machine or dictionary order, so the same input gives a byte-identical report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from dagster_zenml_lint.findings import Finding, Severity
from dagster_zenml_lint.project.facts import PartitionsFact
from dagster_zenml_lint.project.model import ProjectModel
from dagster_zenml_lint.project.planner import PipelinePlan, Plan, report_bucket
from dagster_zenml_lint.registry import DOCS, Rule, rules_by_code, rules_in_section
from dagster_zenml_lint.report.mermaid import render_mermaid
from dagster_zenml_lint.rules.partitions import DZ301, DZ302, DZ303, DZ311
from dagster_zenml_lint.runner import FileResult

FIRST_LOCATIONS = 5  # locations listed per grouped row; the JSON report has them all
SCHEDULE_ORCHESTRATORS = "Airflow, AzureML, Databricks, HyperAI, Kubeflow, Kubernetes, SageMaker, Vertex"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return lines


def _where(path: str, line: int) -> str:
    return f"`{path}:{line}`"


def _code_list(items: Iterable[str]) -> str:
    values = [f"`{i}`" for i in items]
    return ", ".join(values) if values else "-"


def _fix_note(finding: Finding) -> str:
    """How one direct translation gets done."""
    if finding.fix is not None and finding.fix.applicability.value == "safe":
        return "safe autofix (`--fix`)"
    if finding.fix is not None:
        return "autofix with `--unsafe-fixes`"
    return f"by hand ({finding.fix_blocker})" if finding.fix_blocker else "by hand"


FIRST_REASONS = 3  # reasons listed per row for the findings done by hand; ``check --show-fixes`` has each


def _notes_cell(notes: Counter[str]) -> str:
    """Each note with its count, in the order of first appearance; past :data:`FIRST_REASONS` distinct
    reasons for doing it by hand, those are one entry: their count and the first reasons."""
    manual = [note for note in notes if note.startswith("by hand (")]
    if len(manual) <= FIRST_REASONS:
        return "; ".join(f"{count} {note}" for note, count in notes.items())
    parts = []
    for note, count in notes.items():
        if not note.startswith("by hand ("):
            parts.append(f"{count} {note}")
        elif note == manual[0]:
            reasons = [
                f"({number}) {m.removeprefix('by hand (').removesuffix(')')}"
                for number, m in enumerate(manual[:FIRST_REASONS], start=1)
            ]
            total = sum(notes[m] for m in manual)
            more = len(manual) - FIRST_REASONS
            parts.append(
                f"{total} by hand, for example: {' '.join(reasons)} "
                f"(and {more} other reason{'' if more == 1 else 's'}: each in `check --show-fixes`)"
            )
    return "; ".join(parts)


def _schedule_extra_work(partitioned: bool, timezone: str | None) -> str:
    """What a ZenML ``Schedule`` does not carry over from a Dagster schedule."""
    work = ["a launcher computes the partition key"] if partitioned else []
    if timezone:
        work.append(
            f"`execution_timezone={timezone!r}`: ZenML's `Schedule` has no time zone; convert the cron to the "
            "orchestrator's time zone (UTC for most) and mind daylight saving"
        )
    return "; ".join(work) or "-"


def _steps_cell(pipeline: PipelinePlan) -> str:
    """The steps in order: observable sources marked, a graph-backed asset as its ops and output."""
    ops = dict(pipeline.graph_ops)
    parts = [f"`{s}` (observable source)" for s in pipeline.sources]
    for member in pipeline.members:
        if member in ops:
            parts.append(f"{_code_list(ops[member])} (output `{member}`)")
        else:
            parts.append(f"`{member}`")
    return ", ".join(parts) if parts else "-"


class _MarkdownReport:
    def __init__(self, project: ProjectModel, plan: Plan) -> None:
        self.project = project
        self.plan = plan
        self.rules = rules_by_code()
        self.findings = project.findings()
        self.lines: list[str] = []
        self.spans = {facts.path: facts.objects for facts in project.facts}
        self._buckets: dict[str, str] = {}  # rule code -> its report bucket (asked for every finding, per section)
        self._by_bucket: dict[str, list[tuple[FileResult, Finding, Rule]]] | None = None  # bucket -> its findings

    def bucket(self, code: str) -> str:
        """The section a rule's findings are listed in (:func:`report_bucket`)."""
        found = self._buckets.get(code)
        if found is None:
            found = self._buckets[code] = report_bucket(self.rules[code])
        return found

    def in_bucket(self, bucket: str) -> list[tuple[FileResult, Finding, Rule]]:
        """Findings listed in one section: ``direct``, ``approximate`` or ``flagged`` (absent or HIGH)."""
        if self._by_bucket is None:  # one pass over the findings for every section
            self._by_bucket = {}
            for r, f in self.findings:
                self._by_bucket.setdefault(self.bucket(f.code), []).append((r, f, self.rules[f.code]))
        return list(self._by_bucket.get(bucket, ()))

    def with_codes(self, codes: Sequence[str]) -> list[tuple[FileResult, Finding, Rule]]:
        return [(r, f, self.rules[f.code]) for r, f in self.findings if f.code in codes]

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def render(self) -> str:
        self.title_and_summary()
        self.boundaries()
        self.direct()
        self.approximate()
        self.flagged()
        self.io_storage()
        self.caching_and_failures()
        self.partitions()
        self.automation()
        self.not_migrated()
        self.benefits()
        self.next_steps()
        self.features_zenml_lacks()
        text = "\n".join(self.lines).rstrip("\n") + "\n"
        while "\n\n\n" in text:
            text = text.replace("\n\n\n", "\n\n")
        return text

    # ---------------------------------------------------------------- sections
    def title_and_summary(self) -> None:
        plan, counts = self.plan, self.plan.counts
        name = self.project.root
        analysed = sum(1 for f in self.project.files if f.result.error is None)
        self.add(
            f"# Migration Report: Dagster `{name}` -> ZenML",
            "",
            "Generated by `dagster-zenml-lint report` from static analysis (no Dagster code was run). "
            "It proposes a plan; the boundary decision stays a human one.",
            "",
            "## Summary",
            "",
        )
        pipelines = ", ".join(f"`{p.module}`" for p in plan.pipelines) or "none"
        self.add(
            f"- **Source**: Dagster project `{name}` ({analysed} file(s) analysed)",
            f"- **Target**: ZenML project with {len(plan.pipelines)} pipeline(s): {pipelines}",
            f"- **Project style**: {plan.style} ({plan.style_reason})",
            f"- **Migration shape**: **{plan.shape}**: {plan.reason}",
            f"- **Components**: {counts.direct} direct, {counts.approximate} approximate, {counts.flagged} flagged "
            f"({counts.high} HIGH findings, {counts.high_absorbed} of them handled by the pipeline split and "
            "partition parameters)",
        )
        if counts.errors:
            self.add(f"- **Not analysed**: {counts.errors} file problem(s) (see What's NOT Migrated)")
        if self.project.unresolved:
            self.add(
                f"- **Unresolved**: {len(self.project.unresolved)} item(s) static analysis could not "
                "determine (listed under Pipeline Boundary Decisions)"
            )
        self.add("")

    def boundaries(self) -> None:
        plan = self.plan
        self.add("## Pipeline Boundary Decisions", "")
        if not plan.pipelines:
            self.add("No assets, ops or jobs were found, so there is no pipeline to propose.", "")
        else:
            rows = []
            for pipeline in plan.pipelines:
                steps = _steps_cell(pipeline)
                if pipeline.reuses:
                    steps += f" (also runs {_code_list(pipeline.reuses)})"
                if pipeline.checks:
                    steps += f"; validation steps for checks {_code_list(name for name, _ in pipeline.checks)}"
                loads = _code_list(pipeline.external_inputs)
                rows.append(
                    (
                        f"{pipeline.source} ({_where(pipeline.location.path, pipeline.location.line)})",
                        f"`{pipeline.module}`",
                        steps,
                        pipeline.trigger,
                        _code_list(pipeline.partition_params),
                        loads,
                        pipeline.reason,
                    )
                )
            for job in plan.unresolved_jobs:
                rows.append(
                    (
                        f"asset job '{job.name}' ({_where(job.location.path, job.location.line)})",
                        "**unresolved**",
                        f"unknown: its selection `{job.selection}` could not be resolved (see below)",
                        job.trigger,
                        "-",
                        "-",
                        "kept as its own row so its trigger is not lost; resolve the selection by reading the code, "
                        "then place its assets",
                    )
                )
            self.add(
                *_table(
                    (
                        "Dagster run unit / asset slice",
                        "ZenML pipeline",
                        "Steps",
                        "Replaces trigger",
                        "Partition parameters",
                        "Loads from outside",
                        "Why split or combine",
                    ),
                    rows,
                ),
                "",
            )
            self.add("Steps come from these files:", "")
            for pipeline in plan.pipelines:
                self.add(f"- `{pipeline.name}`: {_code_list(pipeline.files)}")
            self.add("")
        folded = [(p, item) for p in plan.pipelines for item in p.folded]
        if folded:
            self.add(
                "Folded into the pipeline of their upstream (in ZenML the upstream pipeline does the follow-up; "
                "the alternative for a sensor is a separate pipeline started by a success hook of the upstream one, "
                f"see {DOCS['HOOKS']}):",
                "",
                *[f"- `{p.name}`: {item}" for p, item in folded],
                "",
            )
        if plan.signals:
            self.add("Signals behind the decision: " + "; ".join(plan.signals) + ".", "")
        if any(p.kind == "asset" for p in plan.pipelines):
            self.add(
                "Anti-patterns avoided: one pipeline per asset (destroys grouping) and the whole asset graph in one "
                "pipeline (hides the loss of subset materialization). Attach every pipeline of one asset graph to one "
                "ZenML `Model` (`@pipeline(model=Model(name=...))`; a downstream pipeline uses "
                '`Model(name=..., version="latest")`) and load an asset another pipeline produced through it '
                '(`get_pipeline_context().model.get_artifact("<asset>")` in the pipeline, as `migrate` writes it, or '
                "`get_step_context().model.get_artifact(...)` in a step) rather than by bare name with "
                "`Client().get_artifact_version(...)`, which returns whichever run last wrote that name. An "
                "AssetSpec's owners, tags and kinds become `ArtifactConfig(name=..., tags=[...])` on the output.",
                "",
            )
        if any(p.reuses for p in plan.pipelines):
            self.add(
                "An op run by several jobs is one step module, listed once (with the first pipeline) and imported "
                "by every pipeline that calls it.",
                "",
            )
        if plan.unassigned_ops:
            self.add(f"Ops that no job runs (not placed in any pipeline): {_code_list(plan.unassigned_ops)}.", "")
        self.add(
            "### Asset graph and proposed pipelines",
            "",
            "```mermaid",
            render_mermaid(self.project, plan).rstrip("\n"),
            "```",
            "",
        )
        self.add("### What static analysis could not resolve", "")
        if self.project.unresolved:
            self.add(
                *_table(
                    ("Location", "What", "Why"),
                    ((_where(u.location.path, u.location.line), u.subject, u.reason) for u in self.project.unresolved),
                ),
                "",
            )
        else:
            self.add("Everything the plan depends on was resolved statically.", "")

    def direct(self) -> None:
        self.add("## Direct Translations", "")
        rows = []
        for rule, items in self.by_rule("direct"):
            # each note with its count, in the order of first appearance (a Counter keeps it)
            notes = _notes_cell(Counter(_fix_note(f) for _, f in items))
            rows.append((self.locations_cell(items), f"{rule.code} {rule.title}", len(items), rule.target, notes))
        self.add(
            *(
                _table(("Locations", "Dagster component", "Findings", "ZenML component", "Notes"), rows)
                if rows
                else ["No direct translations."]
            ),
            "",
        )

    def approximate(self) -> None:
        self.add("## Approximate Translations", "")
        rows = [
            (self.locations_cell(items), f"{rule.code} {rule.title}", len(items), rule.target, rule.hint)
            for rule, items in self.by_rule("approximate")
        ]
        self.add(
            *(
                _table(("Locations", "Dagster component", "Findings", "ZenML component", "What changes"), rows)
                if rows
                else ["No approximate translations."]
            ),
            "",
        )

    def by_rule(self, bucket: str) -> list[tuple[Rule, list[tuple[FileResult, Finding]]]]:
        """A section's findings grouped by rule (in code order), each group in file and line order."""
        groups: dict[str, list[tuple[FileResult, Finding]]] = {}
        for result, finding, _rule in self.in_bucket(bucket):
            groups.setdefault(finding.code, []).append((result, finding))
        return [(self.rules[code], groups[code]) for code in sorted(groups)]

    @staticmethod
    def locations_cell(items: Sequence[tuple[FileResult, Finding]]) -> str:
        """The first locations of a group; the full list is in ``--format json``."""
        shown = ", ".join(_where(r.path, f.line) for r, f in items[:FIRST_LOCATIONS])
        hidden = len(items) - FIRST_LOCATIONS
        return shown + (f" and {hidden} more (all in `--format json`)" if hidden > 0 else "")

    def flagged(self) -> None:
        self.add("## Flagged for Review", "")
        groups = self.flagged_groups()
        rows = []
        for (path, _start, name, code), items in groups:
            rule = self.rules[code]
            # lines of the object's own file by number, references from other files as path:line
            lines = sorted({(r.path != path, r.path, f.line) for r, f in items})
            handled = all((r.path, f.line, f.code) in self.plan.absorbed for r, f in items)
            redesign = rule.hint + (" (covered by the proposed pipeline split / parameters)" if handled else "")
            what = min(items, key=lambda item: (item[0].path != path, item[1].line))[1].message  # the object's own
            if len(items) > 1:
                what += f" (and {len(items) - 1} more reference(s) to the same object)"
            rows.append(
                (
                    f"{_where(path, _start)} `{name}`" if name else _where(path, lines[0][2]),
                    code,
                    rule.severity.name,
                    len(items),
                    ", ".join(f"{other}:{line}" if elsewhere else str(line) for elsewhere, other, line in lines),
                    what,
                    rule.why or rule.title,
                    redesign,
                    rule.docs_url,
                )
            )
        self.add(
            *(
                _table(
                    (
                        "Object",
                        "Pattern",
                        "Severity",
                        "Findings",
                        "Lines",
                        "What the code does",
                        "Why ZenML cannot do it",
                        "Suggested redesign",
                        "Docs",
                    ),
                    rows,
                )
                if rows
                else ["Nothing flagged."]
            ),
            "",
        )

    def flagged_groups(self) -> list[tuple[tuple[str, int, str, str], list[tuple[FileResult, Finding]]]]:
        """Flagged findings grouped by the object they belong to (a sensor, a partitions definition, an asset
        job's selection, an asset's automation condition: the module-level statement around them) and rule."""
        groups: dict[tuple[str, int, str, str], list[tuple[FileResult, Finding]]] = {}
        partitions_users = self.partitions_users()
        for result, finding, _rule in self.in_bucket("flagged"):
            definition = partitions_users.get((result.path, finding.line)) if finding.code == DZ301.code else None
            if definition is not None:  # a partitions_def= reference belongs to the definition it names
                path = definition.location.path
                start, name = self.object_of(path, definition.location.line)
            else:
                path = result.path
                start, name = self.object_of(result.path, finding.line)
            groups.setdefault((path, start, name, finding.code), []).append((result, finding))
        return sorted(groups.items(), key=lambda item: item[0])

    def partitions_users(self) -> dict[tuple[str, int], PartitionsFact]:
        """(path, line) inside an asset definition or asset job -> the partitions definition it uses."""
        users: dict[tuple[str, int], PartitionsFact] = {}
        for asset in self.project.assets.values():
            if asset.partitions is not None:
                start, _ = self.object_of(asset.path, asset.location.line)
                span = next((o for o in self.spans.get(asset.path, ()) if o.start == start), None)
                end = span.end if span is not None else asset.location.line
                users.update(((asset.path, line), asset.partitions) for line in range(start, end + 1))
        for job in self.project.jobs.values():
            if job.partitions is not None:
                lines = range(job.location.line, max(job.end_line, job.location.line) + 1)
                users.update(((job.location.path, line), job.partitions) for line in lines)
        return users

    def object_of(self, path: str, line: int) -> tuple[int, str]:
        """(first line, name) of the module-level statement around a line; the line itself when unknown."""
        span = next((o for o in self.spans.get(path, ()) if o.start <= line <= o.end), None)
        return (span.start, span.name) if span is not None else (line, "")

    def io_storage(self) -> None:
        self.add("## IO / Storage Migration", "")
        resources = self.project.resources()
        io_classes = [
            (c, p)
            for c, p in self.project.classes()
            if {"IOManager", "ConfigurableIOManager", "ConfigurableIOManagerFactory", "UPathIOManager", "io_manager"}
            & set(c.bases)
        ]
        by_key: dict[str, list[str]] = {}
        for key, asset in sorted(self.project.assets.items()):
            by_key.setdefault(asset.definition.io_manager_key or "io_manager", []).append(key)
        self.add(
            "ZenML writes every step output to the stack's artifact store through a materializer chosen by "
            "type. Serialization that an IO manager did becomes a materializer; reads and writes of business "
            "data (warehouse tables, APIs) become explicit loader and writer steps.",
            "",
        )
        rows = []
        for resource, _path in resources:
            used = (
                by_key.get(resource.key, [])
                if resource.key == "io_manager" or "io" in resource.kind.lower() or resource.key in by_key
                else []
            )
            rows.append(
                (
                    _where(resource.location.path, resource.location.line),
                    f"`{resource.key}`",
                    resource.value,
                    _code_list(used),
                )
            )
        if rows:
            self.add("Resources and IO managers bound in `Definitions`:", "")
            self.add(*_table(("Location", "Key", "Value", "Assets using it as IO manager"), rows), "")
        if io_classes:
            self.add("Custom IO managers (decide per class: serialization -> materializer, data access -> steps):", "")
            self.add(
                *_table(
                    ("Location", "IO manager", "Bases"),
                    (
                        (_where(c.location.path, c.location.line), f"`{c.name}`", ", ".join(c.bases))
                        for c, _ in io_classes
                    ),
                ),
                "",
            )
        executors = [(d.location, d.executor) for f in self.project.facts for d in f.definitions if d.executor]
        if executors:
            self.add(
                "Executors become the orchestrator of the ZenML stack (executor config does not carry over): "
                + "; ".join(f"{_where(loc.path, loc.line)} `{text}`" for loc, text in executors)
                + ".",
                "",
            )
        custom_keys = sorted(k for k in by_key if k != "io_manager")
        if custom_keys:
            self.add(
                "Assets with an explicit `io_manager_key`: "
                + "; ".join(f"`{k}` -> {_code_list(by_key[k])}" for k in custom_keys)
                + ".",
                "",
            )
        findings = self.with_codes(rules_in_section("io"))
        if findings:
            self.add(
                *[
                    f"- {_where(r.path, f.line)} {f.code} ({rule.severity.name}): {f.message}"
                    for r, f, rule in findings
                ],
                "",
            )
        if not (rows or io_classes or findings):
            self.add("No IO managers were found: Dagster's default filesystem storage becomes the artifact store.", "")

    def caching_and_failures(self) -> None:
        """Two run-time defaults that differ from Dagster: step caching, and what a failed step stops."""
        self.add(
            "## Caching and Failures",
            "",
            "Caching: ZenML caches steps by default. A step whose code, parameters and inputs are unchanged is "
            "skipped on the next run and its earlier outputs are reused, so a step that reads external data, "
            "writes outside the artifact store (the work of an IO manager or a resource) or has no inputs would "
            "silently stop running: give it `@step(enable_cache=False)`. Dagster's `code_version=` becomes "
            "`@step(cache_policy=CachePolicy(include_step_code=False, cache_func=...))` (DZ240).",
            "",
            "Failures: like Dagster, ZenML's default execution mode (`ExecutionMode.CONTINUE_ON_FAILURE`) runs "
            "the steps that do not depend on a failed step to completion and fails the run. "
            "`@pipeline(execution_mode=ExecutionMode.STOP_ON_FAILURE)` or `FAIL_FAST` stop earlier; the local "
            "orchestrators support all three, other orchestrators may support only the default. Dagster's "
            "retries (`RetryPolicy`) become `@step(retry=StepRetryConfig(...))`.",
            "",
        )

    def partitions(self) -> None:
        self.add("## Partition / Backfill Strategy", "")
        definitions = self.project.partitions_definitions()
        if not definitions and not self.with_codes(rules_in_section("partitions")):
            self.add("No partitions were found: pipelines run without partition parameters.", "")
            return
        self.add(
            "ZenML has no partition engine. A partition key becomes an explicit pipeline parameter exposed by "
            "`run.py`; it keeps the label, not the engine: mappings between slices, backfills and per-partition "
            "status must be rebuilt. A backfill is a driver outside ZenML that loops over keys (or date "
            "ranges) and starts one run each.",
            "",
        )
        rows = []
        for definition in definitions:
            users = [p for p in self.plan.pipelines if p.partitions and p.partitions.identity == definition.identity]
            params = sorted({param for p in users for param in p.partition_params})
            rows.append(
                (
                    _where(definition.location.path, definition.location.line),
                    f"`{self.project.partitions_label(definition)}`",
                    definition.kind,
                    _code_list(p.name for p in users),
                    _code_list(params),
                )
            )
        if rows:
            self.add(*_table(("Location", "Partitions definition", "Kind", "Pipelines", "Parameters"), rows), "")
        for result, finding, rule in self.with_codes((DZ302.code, DZ303.code, DZ311.code)):
            self.add(
                f"- {_where(result.path, finding.line)} {finding.code} ({rule.severity.name}): {finding.message}."
                f" {rule.hint}"
            )
        self.add("")

    def automation(self) -> None:
        self.add("## Automation and Scheduling Gaps", "")
        triggers = self.project.triggers
        schedules = [t for t in triggers if t.is_schedule]
        sensors = [t for t in triggers if not t.is_schedule]
        if schedules:
            self.add(
                "**Schedules** map to an orchestrator-backed `Schedule(cron_expression=...)` "
                "(`from zenml.config.schedule import Schedule`, then `pipeline.with_options(schedule=...)`), "
                f"managed with `zenml pipeline schedule list/update/activate/deactivate/delete`. Only some "
                f"orchestrators run schedules ({SCHEDULE_ORCHESTRATORS}; not the local ones), and the time zone "
                "and default status of a Dagster schedule have no field there. ZenML Pro schedule triggers are a "
                "separate, server-side object attached to a pipeline snapshot.",
                "",
            )
            rows = []
            for trigger in schedules:
                pipelines = [
                    p.name
                    for p in self.plan.pipelines
                    if any(t.name == trigger.fact.name and t.location == trigger.location for t in p.triggers)
                ]
                cron = (
                    f"`{trigger.fact.cron}`"
                    if trigger.fact.cron
                    else ("derived from the partitions definition" if trigger.fact.partitioned else "not a literal")
                )
                rows.append(
                    (
                        _where(trigger.location.path, trigger.location.line),
                        f"`{trigger.fact.name}`",
                        cron,
                        _code_list(pipelines),
                        _schedule_extra_work(trigger.fact.partitioned, trigger.fact.timezone),
                    )
                )
            self.add(*_table(("Location", "Schedule", "Cron", "Pipeline", "Extra work"), rows), "")
        if sensors:
            self.add(
                "**Sensors have no 1:1 equivalent.** A sensor's evaluation loop and its cursor move into an "
                "external trigger service (cron, webhook handler, queue consumer, cloud event). With open-source "
                "ZenML that service starts a run by running `run.py` (calling the pipeline function), or by "
                "calling the HTTP endpoint of a pipeline deployment (`zenml pipeline deploy`, OSS and Pro). "
                "**ZenML Pro only:** triggers (schedule and webhook triggers) and running pipeline snapshots "
                "with `Client().trigger_pipeline(...)` (snapshots replace run templates and need a remote "
                "stack). None of them keeps a Dagster cursor. Never replace a sensor with a step that polls "
                "forever.",
                "",
            )
            rows = []
            for trigger in sensors:
                if trigger.jobs or trigger.assets:
                    jobs = [key.name for key in trigger.jobs]
                    starts = _code_list(jobs) if jobs else _code_list(trigger.assets)
                else:
                    starts = "unresolved target (see above)" if trigger.fact.targets else "nothing (notification)"
                rows.append(
                    (
                        _where(trigger.location.path, trigger.location.line),
                        f"`{trigger.fact.name}`",
                        trigger.fact.kind.replace("_", " "),
                        starts,
                        "yes" if trigger.fact.uses_cursor else "no",
                    )
                )
            self.add(*_table(("Location", "Sensor", "Kind", "Starts", "Cursor"), rows), "")
        automation = sorted(
            {
                (a.definition.location, a.definition.function, a.definition.automation)
                for a in self.project.assets.values()
                if a.definition.automation
            }
        )
        freshness = sorted(
            {
                (a.definition.location, a.definition.function, a.definition.freshness)
                for a in self.project.assets.values()
                if a.definition.freshness
            }
        )
        if automation:
            self.add(
                "**Declarative automation is not a schedule.** Each condition below decided *when* an asset "
                "materializes from the state of its upstreams; rebuild it as explicit schedules plus trigger "
                "logic and write down which data-aware signal is lost:",
                "",
            )
            self.add(*[f"- {_where(loc.path, loc.line)} `{name}`: `{text}`" for loc, name, text in automation], "")
        if freshness:
            self.add(
                "**Freshness policies do not drive runs in ZenML.** Turn each into a scheduled validation step "
                "with an alerter:",
                "",
            )
            self.add(*[f"- {_where(loc.path, loc.line)} `{name}`: `{text}`" for loc, name, text in freshness], "")
        automation_findings = self.with_codes(rules_in_section("automation"))
        if automation_findings:
            self.add(
                f"Every sensor, automation, freshness and observation finding ({len(automation_findings)}) is "
                "listed with its location under Flagged for Review.",
                "",
            )
        if not (schedules or sensors or automation or freshness):
            self.add(
                "No schedules, sensors, declarative automation or freshness policies were found: every "
                "pipeline is started by hand or by your own launcher."
            )
        self.add("")

    def not_migrated(self) -> None:
        self.add("## What's NOT Migrated", "")
        items = [
            "The asset graph as a live, always-addressable object: ZenML artifacts belong to pipeline runs, and "
            "materializing an arbitrary subset of assets on demand is gone (each pipeline runs all its steps).",
        ]
        sensors = [t for t in self.project.triggers if not t.is_schedule]
        if sensors:
            where = ", ".join(_where(t.location.path, t.location.line) for t in sensors)
            items.append(f"Sensor evaluation loops and cursors (they move to an external trigger service): {where}.")
        automated = sorted({a.definition.location for a in self.project.assets.values() if a.definition.automation})
        if automated:
            where = ", ".join(_where(loc.path, loc.line) for loc in automated)
            items.append(f"Declarative automation / auto-materialize decisions: {where}.")
        fresh = sorted({a.definition.location for a in self.project.assets.values() if a.definition.freshness})
        if fresh:
            items.append(
                "Freshness policies as orchestration rules: "
                + ", ".join(_where(loc.path, loc.line) for loc in fresh)
                + "."
            )
        definitions = self.project.partitions_definitions()
        if definitions:
            where = ", ".join(_where(d.location.path, d.location.line) for d in definitions)
            items.append(
                f"The partition engine (per-partition status, partition mappings, backfill bookkeeping): {where}."
            )
        if self.project.source_assets:
            sources = sorted(self.project.source_assets.values(), key=lambda s: (s.location, s.key))
            listed = ", ".join(f"`{s.key}` ({_where(s.location.path, s.location.line)})" for s in sources)
            items.append(f"Source and observable assets as graph nodes (load them in a first step): {listed}.")
        if self.plan.unassigned_ops:
            items.append(f"Ops no job runs: {_code_list(self.plan.unassigned_ops)}.")
        for facts in self.project.facts:
            for component in facts.components:
                items.append(
                    f"{_where(component.location.path, component.location.line)} component "
                    f"`{component.type}`: its generated definitions are not in this plan."
                )
        for result, finding in self.findings:
            if self.bucket(finding.code) == "error":
                items.append(f"{_where(result.path, finding.line)} {finding.message}")
        self.add(*[f"- {item}" for item in items], "")

    def benefits(self) -> None:
        self.add(
            "## What You Get After Migrating",
            "",
            "- **Artifact versioning and lineage**: every step output is a versioned artifact linked to the run "
            "and step that produced it.",
            "- **Step caching**: unchanged steps with unchanged inputs are skipped on re-runs.",
            "- **Stack abstraction**: the same pipelines run locally or on Kubernetes, Vertex, SageMaker... by "
            "switching the stack, not the code.",
            "- **Service connectors**: cloud credentials are managed centrally instead of in resources.",
            "- **Model Control Plane**: group artifacts and runs under a model version where models are produced.",
            "",
        )

    def next_steps(self) -> None:
        flagged = sorted({rule.docs_url for _, _, rule in self.in_bucket("flagged")})
        steps = [
            f"Review the boundary decision above ({self.plan.shape}) with the people who operate the Dagster "
            "project; move assets between pipelines where ownership says otherwise.",
            "Run `dagster-zenml-lint check --fix` for the direct translations, then generate the ZenML project "
            "skeleton with `dagster-zenml-lint migrate --out DIR SRC...` (one pipeline module per row of the "
            "boundary table, steps, configs and `run.py`) and work through its `TODO(migration)` markers.",
        ]
        if self.project.unresolved or self.plan.unresolved_jobs:
            steps.append("Resolve the items static analysis could not determine (listed above) by reading the code.")
        if flagged:
            steps.append("Redesign the flagged patterns, using the docs: " + ", ".join(flagged) + ".")
        steps.append(
            f"ZenML docs for what comes next: schedules ({DOCS['SCHED']}), artifacts ({DOCS['ART']}), hooks and "
            f"alerters ({DOCS['HOOKS']}), metadata ({DOCS['META']}), orchestrators ({DOCS['ORCH']})."
        )
        if len(self.missing_features()) >= 2:
            steps.append(
                "Discuss the redesign with the ZenML community (https://zenml.io/slack); the section below drafts "
                "the features this project would need."
            )
        self.add("## Recommended Next Steps", "", *[f"{i}. {s}" for i, s in enumerate(steps, start=1)], "")

    def missing_features(self) -> list[tuple[str, str, list[tuple[FileResult, Finding]]]]:
        """(feature, what the team would need, findings) per missing concept with a HIGH finding the plan leaves."""
        by_feature: dict[str, list[tuple[FileResult, Finding]]] = {}
        for result, finding in self.findings:
            rule = self.rules[finding.code]
            if rule.severity is not Severity.HIGH or (result.path, finding.line, finding.code) in self.plan.absorbed:
                continue
            if rule.missing_feature is not None:
                by_feature.setdefault(rule.missing_feature.name, []).append((result, finding))
        needs = {r.missing_feature.name: r.missing_feature.ask for r in self.rules.values() if r.missing_feature}
        return [(feature, needs[feature], items) for feature, items in sorted(by_feature.items())]

    def features_zenml_lacks(self) -> None:
        features = self.missing_features()
        high_kinds = {
            f.code
            for r, f in self.findings
            if self.rules[f.code].severity is Severity.HIGH and (r.path, f.line, f.code) not in self.plan.absorbed
        }
        if len(high_kinds) < 2 or not features:
            return
        self.add(
            "## Features ZenML lacks for this project",
            "",
            "Drafts ready to paste into a feature request (https://github.com/zenml-io/zenml/issues), one per "
            "missing concept. For the redesign itself, ask the ZenML community: https://zenml.io/slack.",
            "",
        )
        for feature, need, items in features:
            codes = sorted({f.code for _, f in items})
            objects = sorted({(r.path, *self.object_of(r.path, f.line)) for r, f in items})
            where = ", ".join(
                f"`{name}` ({_where(path, start)})" if name else _where(path, start)
                for path, start, name in objects[:FIRST_LOCATIONS]
            )
            more = f" and {len(objects) - FIRST_LOCATIONS} more" if len(objects) > FIRST_LOCATIONS else ""
            self.add(
                f"### {feature}",
                "",
                f"> Our Dagster project relies on this in {len(objects)} place(s) ({', '.join(codes)}: {where}{more}). "
                f"What we would need in ZenML: {need}",
                "",
            )


def render_markdown(project: ProjectModel, plan: Plan) -> str:
    """The complete ``MIGRATION_REPORT.md`` text."""
    return _MarkdownReport(project, plan).render()


def render_markdown_locations(root: str, locations: Sequence[tuple[str, ProjectModel, Plan]]) -> str:
    """One report for a repository with several code locations: an index, then one plan per location."""
    lines = [
        f"# Migration Report: Dagster `{root}` -> ZenML",
        "",
        f"This repository holds {len(locations)} code locations (separate packaging roots, or directories that "
        "each hold their own `Definitions`). Each gets its own plan below, built only from its own files: "
        "merged, their jobs and assets would collide.",
        "",
        *[f"- `{location or '.'}`: {plan.shape}, {len(plan.pipelines)} pipeline(s)" for location, _, plan in locations],
        "",
    ]
    for _location, project, plan in locations:
        in_fence = False
        for line in render_markdown(project, plan).splitlines():
            if line.startswith("```"):
                in_fence = not in_fence
            lines.append(f"#{line}" if line.startswith("#") and not in_fence else line)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def pipeline_summary(pipeline: PipelinePlan) -> str:
    """One line describing a pipeline (for the CLI's short output)."""
    return f"{pipeline.name}: {len(pipeline.members)} step(s), trigger: {pipeline.trigger}"
