"""Property tests: for random asset graphs the plan covers every asset once and the Mermaid chart stays valid."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_support import parse_flowchart

from dagster_zenml_lint.project import build_project, plan_pipeline_boundaries
from dagster_zenml_lint.report.markdown import render_markdown
from dagster_zenml_lint.report.mermaid import render_mermaid

KEY_PART = st.text(alphabet=st.sampled_from('abcxyz_09"<>&é -'), min_size=1, max_size=6)
GROUPS = st.sampled_from([None, "g1", "g2"])


@st.composite
def asset_graphs(draw):
    """(key parts, group, upstream indexes, job selections) for up to eight assets."""
    count = draw(st.integers(min_value=1, max_value=8))
    keys = draw(
        st.lists(
            st.lists(KEY_PART, min_size=1, max_size=2),
            min_size=count,
            max_size=count,
            unique_by=lambda parts: "/".join(parts),
        )
    )
    assets = []
    for index, parts in enumerate(keys):
        upstream = draw(st.lists(st.integers(min_value=0, max_value=max(index - 1, 0)), max_size=2, unique=True))
        assets.append((parts, draw(GROUPS), [u for u in upstream if u < index]))
    jobs = draw(
        st.lists(
            st.lists(st.integers(min_value=0, max_value=count - 1), min_size=1, max_size=3, unique=True), max_size=3
        )
    )
    return assets, jobs


def write_module(assets, jobs) -> str:
    lines = ["from dagster import AssetKey, AssetSelection, asset, define_asset_job", ""]
    for index, (parts, group, upstream) in enumerate(assets):
        deps = ", ".join(f"AssetKey({list(assets[u][0])!r})" for u in upstream)
        group_text = f", group_name={group!r}" if group else ""
        lines += [
            "",
            f"@asset(key={list(parts)!r}, deps=[{deps}]{group_text})",
            f"def asset_{index}() -> None:",
            "    return None",
            "",
        ]
    for number, selected in enumerate(jobs):
        keys = ", ".join(f"AssetKey({list(assets[i][0])!r})" for i in selected)
        lines.append(f"job_{number} = define_asset_job('job_{number}', selection=AssetSelection.keys({keys}))")
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(asset_graphs())
def test_random_graphs_plan_every_asset_once_with_a_valid_chart(graph):
    assets, jobs = graph
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "defs.py").write_text(write_module(assets, jobs), encoding="utf-8")
        project = build_project([root])
        plan = plan_pipeline_boundaries(project)
        expected = {"/".join(parts) for parts, _, _ in assets}
        assert set(project.assets) == expected
        members = [m for p in plan.pipelines for m in p.members]
        assert sorted(members) == sorted(expected)
        chart = parse_flowchart(render_mermaid(project, plan))
        assert len(chart.subgraphs) == len(plan.pipelines)
        labels = sorted(label for node, label in chart.nodes.items() if chart.node_subgraph[node])
        escaped = sorted(
            k.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;") for k in expected
        )
        assert labels == escaped
        assert len(chart.edges) == sum(len(upstream) for _, _, upstream in assets)
        assert render_markdown(project, plan) == render_markdown(project, plan_pipeline_boundaries(project))
