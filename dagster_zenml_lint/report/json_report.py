"""``report --format json``: the project model and the plan for tools."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring
from typing import Any

from dagster_zenml_lint.output import finding_record
from dagster_zenml_lint.project.model import ProjectModel
from dagster_zenml_lint.project.planner import PipelinePlan, Plan

SCHEMA_VERSION = 1


def pipeline_record(pipeline: PipelinePlan) -> dict[str, Any]:
    """The JSON object of one proposed pipeline."""
    return {
        "name": pipeline.name,
        "members": list(pipeline.steps),  # the steps: observable sources, graph ops, assets, ops
        "assets": list(pipeline.members) if pipeline.kind == "asset" else [],
        "sources": list(pipeline.sources),
        "graph_ops": {key: list(ops) for key, ops in pipeline.graph_ops},
        "folded": list(pipeline.folded),
        "trigger": pipeline.trigger,
        "partition_params": list(pipeline.partition_params),
        "files": list(pipeline.files),
        "kind": pipeline.kind,
        "module": pipeline.module,
        "source": pipeline.source,
        "location": str(pipeline.location),
        "reason": pipeline.reason,
        "partitions": pipeline.partitions_label,
        "external_inputs": list(pipeline.external_inputs),
        "reuses": list(pipeline.reuses),
        "checks": [{"name": name, "asset": key} for name, key in pipeline.checks],
        "triggers": [
            {"kind": t.kind, "name": t.name, "location": str(t.location), "detail": t.detail} for t in pipeline.triggers
        ],
    }


def report_record(project: ProjectModel, plan: Plan) -> dict[str, Any]:
    """The whole report as JSON-ready values (keys in a fixed order)."""
    counts = plan.counts
    return {
        "schema_version": SCHEMA_VERSION,
        "project": project.root,
        "shape": plan.shape,
        "style": plan.style,
        "reason": plan.reason,
        "signals": list(plan.signals),
        "counts": {
            "direct": counts.direct,
            "approximate": counts.approximate,
            "flagged": counts.flagged,
            "errors": counts.errors,
            "high": counts.high,
            "high_absorbed_by_plan": counts.high_absorbed,
        },
        "pipelines": [pipeline_record(p) for p in plan.pipelines],
        "unassigned_ops": list(plan.unassigned_ops),
        "unresolved_jobs": [
            {
                "name": job.name,
                "location": str(job.location),
                "selection": job.selection,
                "trigger": job.trigger,
                "triggers": [
                    {"kind": t.kind, "name": t.name, "location": str(t.location), "detail": t.detail}
                    for t in job.triggers
                ],
            }
            for job in plan.unresolved_jobs
        ],
        "findings": [finding_record(result, finding) for result, finding in project.findings()],
        "unresolved": [
            {"path": u.location.path, "line": u.location.line, "subject": u.subject, "reason": u.reason}
            for u in project.unresolved
        ],
    }


INDENT = "  "


class _NotPlain(Exception):
    """A value :func:`dumps` leaves to :func:`json.dumps` (a float, a key that is not a string, an object)."""


def dumps(record: Any) -> str:
    """``json.dumps(record, indent=2, ensure_ascii=False)``, byte for byte, about twice as fast.

    With ``indent`` the standard library leaves its C encoder for a generator per container;
    a report of thousands of findings spent a tenth of its time there. Strings, integers,
    booleans, ``None``, lists, tuples and dicts with string keys are written here, in the
    order and with the separators ``json`` uses; anything else hands the whole record to
    ``json.dumps`` (the same text, the slower way).
    """
    chunks: list[str] = []
    try:
        _encode(record, "\n", chunks.append)
    except _NotPlain:
        return json.dumps(record, indent=len(INDENT), ensure_ascii=False)
    return "".join(chunks)


def _encode(value: Any, newline: str, write: Callable[[str], None]) -> None:
    """Write one value whose first line is already indented; ``newline`` starts a line at its depth."""
    # the order of ``json``'s own tests: a bool is an int, an enum of str is a str
    if isinstance(value, str):
        write(encode_basestring(value))
    elif value is None:
        write("null")
    elif value is True:
        write("true")
    elif value is False:
        write("false")
    elif isinstance(value, int):
        write(int.__repr__(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            write("[]")
            return
        inner = newline + INDENT
        separator = "[" + inner
        for item in value:
            write(separator)
            _encode(item, inner, write)
            separator = "," + inner
        write(newline + "]")
    elif isinstance(value, dict):
        if not value:
            write("{}")
            return
        inner = newline + INDENT
        separator = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _NotPlain
            write(separator + encode_basestring(key) + ": ")
            _encode(item, inner, write)
            separator = "," + inner
        write(newline + "}")
    else:
        raise _NotPlain


def render_json_locations(root: str, locations: Sequence[tuple[str, ProjectModel, Plan]]) -> str:
    """Several code locations: one full record per location, each from its own files."""
    record = {
        "schema_version": SCHEMA_VERSION,
        "project": root,
        "locations": [{"location": location, **report_record(project, plan)} for location, project, plan in locations],
    }
    return dumps(record) + "\n"


def render_json(project: ProjectModel, plan: Plan) -> str:
    """Serialize the report deterministically."""
    return dumps(report_record(project, plan)) + "\n"
