"""The Markdown and JSON reports: sections, Mermaid validity, locations, determinism, the CLI."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from report_support import PACKAGES, PROJECTS, MermaidError, mermaid_blocks, parse_flowchart

from dagster_zenml_lint import cli
from dagster_zenml_lint.commands.report import render_report
from dagster_zenml_lint.project import build_project, plan_pipeline_boundaries
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.report.json_report import report_record
from dagster_zenml_lint.report.markdown import render_markdown
from dagster_zenml_lint.report.mermaid import render_mermaid
from dagster_zenml_lint.scaffold import generate_project

SECTIONS = [
    "## Summary",
    "## Pipeline Boundary Decisions",
    "## Direct Translations",
    "## Approximate Translations",
    "## Flagged for Review",
    "## IO / Storage Migration",
    "## Caching and Failures",
    "## Partition / Backfill Strategy",
    "## Automation and Scheduling Gaps",
    "## What's NOT Migrated",
    "## What You Get After Migrating",
    "## Recommended Next Steps",
]
LOCATION = re.compile(r"`([^`\s]+\.(?:py|yaml)):(\d+)`")


@pytest.fixture(scope="module", params=sorted(PACKAGES))
def rendered(request):
    project = build_project([PROJECTS / request.param])
    plan = plan_pipeline_boundaries(project)
    return request.param, project, plan, render_markdown(project, plan)


def section(markdown: str, title: str) -> str:
    start = markdown.index(title + "\n")
    following = markdown.find("\n## ", start + len(title))
    return markdown[start : following if following != -1 else len(markdown)]


def test_sections_appear_once_in_order(rendered):
    _, _, _, markdown = rendered
    positions = [markdown.index(title + "\n") for title in SECTIONS]
    assert positions == sorted(positions)
    assert all(markdown.count(title + "\n") == 1 for title in SECTIONS)
    assert markdown.startswith("# Migration Report: Dagster `")


def test_summary_states_style_shape_and_counts(rendered):
    _, _, plan, markdown = rendered
    summary = section(markdown, "## Summary")
    assert f"**Project style**: {plan.style} (" in summary
    assert f"**Migration shape**: **{plan.shape}**: {plan.reason}" in summary
    counts = plan.counts
    assert f"{counts.direct} direct, {counts.approximate} approximate, {counts.flagged} flagged" in summary


def test_mermaid_block_is_a_valid_flowchart_with_one_subgraph_per_pipeline(rendered):
    _, project, plan, markdown = rendered
    blocks = mermaid_blocks(markdown)
    assert len(blocks) == 1
    chart = parse_flowchart(blocks[0])
    assert sorted(chart.subgraphs.values()) == sorted(p.name for p in plan.pipelines)
    by_label = {}
    for node_id, label in chart.nodes.items():
        if chart.node_subgraph[node_id] is not None and node_id.startswith("a"):
            by_label[label] = chart.subgraphs[chart.node_subgraph[node_id]]
    assert by_label == {m: p.name for p in plan.pipelines if p.kind == "asset" for m in p.members}
    edges = {(chart.nodes[u], chart.nodes[d]) for u, d, arrow in chart.edges if arrow == "-->"}
    assert {(up, key) for key, asset in project.assets.items() for up in asset.upstream} <= edges
    # observable sources sit in the pipeline that loads them, with a solid edge to their readers
    sources = {
        label: chart.subgraphs[chart.node_subgraph[node_id]]
        for node_id, label in chart.nodes.items()
        if node_id.startswith("s")
    }
    assert sources == {s: p.name for p in plan.pipelines for s in p.sources}
    assert {(s, d) for s in sources for d in project.external_upstreams[s]} <= edges


@pytest.mark.parametrize(
    "broken",
    [
        'flowchart LR\n    subgraph p1["x"]\n        a1["a"]\n',  # unterminated subgraph
        'flowchart LR\n    a1["a"]\n    a1 --> a2\n',  # undeclared endpoint
        'graph LR\n    a1["a"]\n',  # wrong header
        'flowchart LR\n    a1["a"]\n    a1["b"]\n',  # node declared twice
        'flowchart LR\n    a1["a "quoted""]\n',  # raw quote in a label
        "flowchart LR\n    end\n",  # end without subgraph
    ],
)
def test_mermaid_parser_rejects_broken_charts(broken):
    with pytest.raises(MermaidError):
        parse_flowchart(broken)


def test_mermaid_labels_escape_quotes(tmp_path):
    (tmp_path / "q.py").write_text(
        'from dagster import asset\n\n\n@asset(key=["we\\"ird"])\ndef q() -> int:\n    return 1\n'
    )
    project = build_project([tmp_path])
    chart = parse_flowchart(render_mermaid(project, plan_pipeline_boundaries(project)))
    assert list(chart.nodes.values()) == ["we#quot;ird"]


def test_every_location_points_at_a_real_line(rendered):
    name, _, _, markdown = rendered
    found = LOCATION.findall(markdown)
    assert found
    for path, line in found:
        file = PROJECTS / name / path
        assert file.is_file(), path
        assert 1 <= int(line) <= len(file.read_text().splitlines()), f"{path}:{line}"


def test_every_table_row_of_the_translation_sections_has_a_location(rendered):
    _, _, _, markdown = rendered
    for title in ("## Direct Translations", "## Approximate Translations", "## Flagged for Review"):
        rows = [line for line in section(markdown, title).splitlines() if line.startswith("| `")]
        body = [line for line in section(markdown, title).splitlines() if line.startswith("| ") and "---" not in line]
        assert len(rows) == max(len(body) - 1, 0)  # every row but the header starts with `path:line`
        assert all(LOCATION.match(row[2:]) for row in rows)


def test_every_high_finding_is_flagged_with_its_location(rendered):
    name, project, _, markdown = rendered
    flagged = section(markdown, "## Flagged for Review")
    rules = rules_by_code()
    highs = [(r.path, f) for r, f in project.findings() if rules[f.code].severity.name == "HIGH"]
    assert bool(highs) == (name != "ops_etl")
    rows = [[cell.strip() for cell in line.split(" | ")] for line in flagged.splitlines() if line.startswith("| `")]
    for path, finding in highs:
        # one row per object and rule: the finding's line is listed in the row of its object
        # (a partitions_def= reference is listed as path:line with the definition it names)
        assert any(
            row[1:3] == [finding.code, "HIGH"]
            and (
                (row[0].startswith(f"| `{path}:") and str(finding.line) in row[4].split(", "))
                or f"{path}:{finding.line}" in row[4].split(", ")
            )
            for row in rows
        ), (path, finding.line, finding.code)


def test_flagged_rows_group_one_object_with_its_lines_and_count(rendered):
    name, _, _, markdown = rendered
    flagged = section(markdown, "## Flagged for Review")
    rows = [[cell.strip() for cell in line.split(" | ")] for line in flagged.splitlines() if line.startswith("| `")]
    keys = [(row[0], row[1]) for row in rows]
    assert len(keys) == len(set(keys))  # one row per (object, rule)
    assert all(int(row[3]) >= len(row[4].split(", ")) for row in rows)
    if name == "asset_shop":  # one row for the daily partitions definition and every asset and job using it
        (daily,) = [row for row in rows if row[1] == "DZ301"]
        assert daily[:4] == ["| `shop/partitions.py:3` `daily`", "DZ301", "HIGH", "7"]
        assert daily[4] == (
            "3, shop/assets/ingest.py:7, shop/assets/ingest.py:9, shop/assets/marts.py:7, shop/assets/marts.py:12, "
            "shop/assets/marts.py:16, shop/jobs.py:5"
        )
    if name == "catalog_chain":
        sensor = next(row for row in rows if "`vendor_file_sensor`" in row[0])
        assert sensor[:5] == ["| `chain/sensors.py:6` `vendor_file_sensor`", "DZ304", "HIGH", "4", "6, 8, 9, 10"]


def test_boundary_table_has_one_row_per_pipeline(rendered):
    _, _, plan, markdown = rendered
    table = [
        line
        for line in section(markdown, "## Pipeline Boundary Decisions").splitlines()
        if line.startswith("| ") and "pipelines/" in line
    ]
    assert len(table) == len(plan.pipelines)
    for pipeline, row in zip(plan.pipelines, table, strict=True):
        assert f"`{pipeline.module}`" in row and f"`{pipeline.location}`" in row


def test_automation_section_never_presents_sensors_as_one_to_one(rendered):
    name, _, _, markdown = rendered
    gaps = section(markdown, "## Automation and Scheduling Gaps")
    if name == "sensor_hub":
        assert "Sensors have no 1:1 equivalent" in gaps
        assert "Declarative automation is not a schedule" in gaps
        assert "Freshness policies do not drive runs in ZenML" in gaps
        assert "| `hub/sensors.py:6` | `new_files` | sensor |" in gaps
    if name == "asset_shop":
        assert "`zenml pipeline schedule" in gaps and "ZenML Pro schedule triggers are a separate" in gaps
        assert "| `shop/schedules.py:6` | `customers_schedule` | `0 6 * * 1` | `customers_refresh` |" in gaps


def test_report_is_deterministic_across_runs_argument_forms_and_copies(tmp_path, monkeypatch):
    first = render_report([str(PROJECTS / "asset_shop")])
    assert render_report([str(PROJECTS / "asset_shop")]) == first
    copy = tmp_path / "asset_shop"
    shutil.copytree(PROJECTS / "asset_shop", copy)
    monkeypatch.chdir(tmp_path)
    files = sorted(str(p.relative_to(tmp_path)) for p in copy.rglob("*.py"))
    assert render_report(list(reversed(files)), root="asset_shop") == first
    assert render_report(["asset_shop"]) == first
    assert render_report(["asset_shop"], "json") == render_report([str(copy)], "json")


def test_json_report_has_the_contract_keys_and_check_findings(tmp_path, monkeypatch, capsys):
    root = PROJECTS / "sensor_hub"
    record = json.loads(render_report([str(root)], "json"))
    assert {"shape", "style", "pipelines", "findings", "unresolved"} <= set(record)
    assert record["shape"] == "partial" and record["style"] == "asset-centric"
    for pipeline in record["pipelines"]:
        assert {"name", "members", "trigger", "partition_params", "files"} <= set(pipeline)
    monkeypatch.chdir(root)
    cache = ["--cache-dir", str(tmp_path / "cache")]  # not into the repository (parallel runs share it)
    assert cli.main(["check", ".", "--output-format", "json", "--exit-zero", *cache]) == 0
    check_records = json.loads(capsys.readouterr().out)
    assert record["findings"] == check_records


def test_json_unresolved_entries_carry_locations(tmp_path):
    (tmp_path / "jobs.py").write_text(
        "from dagster import AssetSelection, asset, define_asset_job\n\n\n@asset\ndef a() -> int:\n    return 1\n\n\n"
        "owned = define_asset_job('owned', selection=AssetSelection.owner('me@example.com'))\n"
    )
    project = build_project([tmp_path])
    record = report_record(project, plan_pipeline_boundaries(project))
    assert record["unresolved"] == [
        {
            "path": "jobs.py",
            "line": 9,
            "subject": "selection of asset job 'owned': AssetSelection.owner('me@example.com')",
            "reason": "AssetSelection.owner(...) is not evaluated statically",
        }
    ]
    markdown = render_markdown(project, plan_pipeline_boundaries(project))
    assert "| `jobs.py:9` | selection of asset job 'owned'" in markdown


def test_cli_report_writes_the_file_and_json_to_stdout(tmp_path, capsys):
    out = tmp_path / "MIGRATION_REPORT.md"
    assert cli.main(["report", str(PROJECTS / "ops_etl"), "-o", str(out)]) == 0
    text = out.read_text()
    assert text == render_report([str(PROJECTS / "ops_etl")])
    assert "`pipelines/nightly_etl.py`" in text
    capsys.readouterr()
    assert cli.main(["report", str(PROJECTS / "ops_etl"), "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in record["pipelines"]] == ["nightly_etl", "weekly_report_job"]
    assert cli.main(["report", str(Path(tmp_path) / "missing")]) == 2


def test_defs_yaml_component_instances_are_reported(tmp_path):
    (tmp_path / "defs").mkdir()
    (tmp_path / "defs" / "defs.yaml").write_text("type: dagster_dbt.DbtProjectComponent\nattributes:\n  project: x\n")
    (tmp_path / "a.py").write_text("from dagster import asset\n\n\n@asset\ndef a() -> int:\n    return 1\n")
    markdown = render_report([str(tmp_path)])
    assert "`defs/defs.yaml:1` component `dagster_dbt.DbtProjectComponent`" in markdown
    assert "| `defs/defs.yaml:1` | component 'dagster_dbt.DbtProjectComponent'" in markdown


def test_meta_findings_stay_out_of_the_migration_tables_and_counts(tmp_path):
    # regression: DZ001 (a stale noqa directive) was counted and listed as a direct translation
    (tmp_path / "a.py").write_text(
        "from dagster import asset\n\n\n@asset  # noqa: DZ201, DZ301\ndef a() -> int:\n    return 1\n"
    )
    project = build_project([tmp_path])
    assert [f.code for _, f in project.findings()] == ["DZ001"]
    plan = plan_pipeline_boundaries(project)
    counts = plan.counts
    assert (counts.direct, counts.approximate, counts.flagged, counts.errors) == (0, 0, 0, 0)
    markdown = render_markdown(project, plan)
    assert "DZ001" not in markdown and "noqa" not in markdown
    assert "No direct translations." in section(markdown, "## Direct Translations")
    migrated = generate_project([tmp_path]).files
    assert "DZ001" not in migrated["MIGRATION_REPORT.md"]
