"""The Mermaid ``flowchart`` of the asset graph, with each proposed pipeline drawn as a subgraph."""

from __future__ import annotations

from dagster_zenml_lint.project.model import ProjectModel
from dagster_zenml_lint.project.planner import Plan


def _label(text: str) -> str:
    """A node label safe inside ``["..."]`` (Mermaid has no backslash escapes; it uses entities)."""
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def render_mermaid(project: ProjectModel, plan: Plan) -> str:
    """The flowchart source (without the surrounding code fence), one statement per line."""
    lines = ["flowchart LR"]
    asset_ids = {key: f"a{index}" for index, key in enumerate(sorted(project.assets), start=1)}
    external = sorted({up for p in plan.pipelines for up in p.external_inputs if up not in asset_ids})
    external_ids = {key: f"x{index}" for index, key in enumerate(external, start=1)}
    sources = sorted({s for p in plan.pipelines for s in p.sources} - set(external_ids))
    source_ids = {key: f"s{index}" for index, key in enumerate(sources, start=1)}
    edges: list[tuple[str, str, str]] = []
    for index, pipeline in enumerate(plan.pipelines, start=1):
        lines.append(f'    subgraph p{index}["{_label(pipeline.name)}"]')
        if pipeline.kind == "asset":
            # an observable source is the pipeline's source-loading step, drawn as data (a cylinder)
            lines.extend(
                f'        {source_ids[key]}[("{_label(key)}")]' for key in pipeline.sources if key in source_ids
            )
            lines.extend(f'        {asset_ids[key]}["{_label(key)}"]' for key in pipeline.members)
        else:
            op_ids = {}
            for position, op in enumerate((*pipeline.members, *pipeline.reuses), start=1):
                op_ids[op] = f"o{index}_{position}"
                lines.append(f'        {op_ids[op]}["{_label(op)}"]')
            edges.extend(
                (op_ids[up], op_ids[down], "-->") for up, down in pipeline.edges if up in op_ids and down in op_ids
            )
        lines.append("    end")
    for key in external:
        lines.append(f'    {external_ids[key]}[("{_label(key)}")]')
    for key in sorted(project.assets):
        for up in project.assets[key].upstream:
            if up in asset_ids:
                edges.append((asset_ids[up], asset_ids[key], "-->"))
    for key, dependents in sorted(project.external_upstreams.items()):
        for down in dependents:
            if key in external_ids and down in asset_ids:
                edges.append((external_ids[key], asset_ids[down], "-.->"))
            elif key in source_ids and down in asset_ids:
                edges.append((source_ids[key], asset_ids[down], "-->"))
    lines.extend(f"    {up} {arrow} {down}" for up, down, arrow in edges)
    return "\n".join(lines) + "\n"
