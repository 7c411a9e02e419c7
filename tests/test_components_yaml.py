"""``defs.yaml`` component files: DZ313 on each document's ``type:`` line, DZ000 on bad YAML."""

from __future__ import annotations

from dagster_zenml_lint.components_yaml import check_defs_yaml
from dagster_zenml_lint.config import Config


def test_each_document_type_line_is_reported():
    text = (
        "type: dagster_dbt.DbtProjectComponent\nattributes:\n  project: dbt\n---\n"
        "# a second instance\n\ntype: dagster_sling.SlingReplicationCollectionComponent\nattributes: {}\n"
    )
    findings = check_defs_yaml(text, "defs/defs.yaml")
    assert [(f.code, f.line, f.col) for f in findings] == [("DZ313", 1, 0), ("DZ313", 7, 0)]
    assert "dagster_dbt.DbtProjectComponent" in findings[0].message


def test_documents_without_type_and_empty_files_are_silent():
    assert check_defs_yaml("", "defs.yaml") == []
    assert check_defs_yaml("attributes: {}\n---\n- a\n", "defs.yaml") == []


def test_malformed_yaml_is_dz000_with_its_line():
    findings = check_defs_yaml("type: [a\n  b: c\n", "defs.yaml")
    assert [(f.code, f.line) for f in findings] == [("DZ000", 2)]


def test_control_characters_do_not_raise():
    findings = check_defs_yaml("type: \x00\n", "defs.yaml")
    assert [f.code for f in findings] == ["DZ000"]


def test_config_filters_component_findings():
    assert check_defs_yaml("type: x.Y\n", "defs.yaml", config=Config(ignore=("DZ313",))) == []
