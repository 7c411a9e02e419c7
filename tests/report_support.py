"""Shared helpers of the report tests: the fixture projects, Dagster's own view of them, a Mermaid parser."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

PROJECTS = Path(__file__).resolve().parent / "projects"
# fixture project directory -> the package Dagster imports from it
PACKAGES = {
    "asset_shop": "shop",
    "catalog_chain": "chain",
    "graph_sources": "pricing",
    "ops_etl": "etl",
    "sensor_hub": "hub",
}

# Loads a project with the real dagster and prints what Dagster itself resolves: asset keys and
# their parents, the keys each asset job selects, the ops each op job runs, and (optionally)
# how selection strings resolve. The report's static model is compared against this.
DAGSTER_VIEW = textwrap.dedent(
    """
    import importlib, json, sys, warnings
    warnings.filterwarnings("ignore")
    import dagster as dg

    package, extra_module, selections = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    module = importlib.import_module(package)
    defs = module.defs
    if extra_module:
        extra = importlib.import_module(extra_module)
        from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

        jobs = [v for v in vars(extra).values() if isinstance(v, UnresolvedAssetJobDefinition)]
        defs = dg.Definitions.merge(defs, dg.Definitions(jobs=jobs))
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    assets = {}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if node.is_materializable:
            assets[key.to_user_string()] = sorted(p.to_user_string() for p in node.parent_keys)
    jobs = {}
    for job in defs.resolve_all_job_defs():
        if job.name.startswith("__"):
            continue
        selected = sorted(k.to_user_string() for k in job.asset_layer.selected_asset_keys)
        ops = sorted({n.name for n in job.graph.iterate_op_defs()})
        jobs[job.name] = {"assets": selected, "ops": [] if selected else ops}
    resolved = {}
    for text in selections:
        resolved[text] = sorted(k.to_user_string() for k in dg.AssetSelection.from_coercible(text).resolve(graph))
    print(json.dumps({"assets": assets, "jobs": jobs, "selections": resolved}))
    """
)


def dagster_view(project_dir: Path, package: str, *, extra_module: str = "", selections: tuple[str, ...] = ()) -> dict:
    """Import a fixture project under the real dagster (in a subprocess) and return Dagster's own view."""
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env["PYTHONPATH"] = str(project_dir)
    env["PYTHONWARNINGS"] = "ignore"
    proc = subprocess.run(
        [sys.executable, "-c", DAGSTER_VIEW, package, extra_module, json.dumps(list(selections))],
        capture_output=True,
        text=True,
        check=False,
        cwd=project_dir,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.splitlines()[-1])


# ---------------------------------------------------------------------------- Mermaid
NODE = re.compile(r'^(?P<id>[A-Za-z][A-Za-z0-9_]*)(?P<shape>\["[^"]*"\]|\[\("[^"]*"\)\])$')
SUBGRAPH = re.compile(r'^subgraph (?P<id>[A-Za-z][A-Za-z0-9_]*)\["(?P<label>[^"]*)"\]$')
EDGE = re.compile(r"^(?P<up>[A-Za-z][A-Za-z0-9_]*) (?P<arrow>-->|-\.->) (?P<down>[A-Za-z][A-Za-z0-9_]*)$")


@dataclass
class Flowchart:
    """The parsed subset of a Mermaid flowchart the report emits."""

    direction: str
    nodes: dict[str, str] = field(default_factory=dict)  # id -> label
    node_subgraph: dict[str, str | None] = field(default_factory=dict)
    subgraphs: dict[str, str] = field(default_factory=dict)  # id -> label
    edges: list[tuple[str, str, str]] = field(default_factory=list)


class MermaidError(ValueError):
    """The text is not a flowchart of the emitted subset."""


def parse_flowchart(text: str) -> Flowchart:
    """Strictly parse: header, ``subgraph id["label"]`` ... ``end`` (no nesting), node and edge lines.

    Every node is declared once, inside at most one subgraph; every edge endpoint is a
    declared node; subgraphs are balanced; labels contain no raw double quotes.
    """
    lines = [line.strip() for line in text.strip("\n").split("\n")]
    if not lines or not re.fullmatch(r"flowchart (LR|TD|TB|RL|BT)", lines[0]):
        raise MermaidError(f"bad header: {lines[:1]}")
    chart = Flowchart(direction=lines[0].split()[1])
    current: str | None = None
    for number, line in enumerate(lines[1:], start=2):
        if not line:
            raise MermaidError(f"line {number}: blank line")
        if match := SUBGRAPH.match(line):
            if current is not None:
                raise MermaidError(f"line {number}: nested subgraph")
            if match["id"] in chart.subgraphs or match["id"] in chart.nodes:
                raise MermaidError(f"line {number}: duplicate id {match['id']}")
            current = match["id"]
            chart.subgraphs[current] = match["label"]
        elif line == "end":
            if current is None:
                raise MermaidError(f"line {number}: 'end' without subgraph")
            current = None
        elif match := NODE.match(line):
            node_id = match["id"]
            if node_id in chart.nodes or node_id in chart.subgraphs or node_id in ("end", "subgraph"):
                raise MermaidError(f"line {number}: node {node_id} declared twice")
            label = match["shape"].strip('[]()"')
            chart.nodes[node_id] = label
            chart.node_subgraph[node_id] = current
        elif match := EDGE.match(line):
            if current is not None:
                raise MermaidError(f"line {number}: edge inside a subgraph")
            for end in (match["up"], match["down"]):
                if end not in chart.nodes:
                    raise MermaidError(f"line {number}: edge endpoint {end} is not declared")
            chart.edges.append((match["up"], match["down"], match["arrow"]))
        else:
            raise MermaidError(f"line {number}: unexpected {line!r}")
    if current is not None:
        raise MermaidError("unterminated subgraph")
    return chart


def mermaid_blocks(markdown: str) -> list[str]:
    """The bodies of the ```mermaid fences in a Markdown text."""
    return re.findall(r"```mermaid\n(.*?)```", markdown, flags=re.S)
