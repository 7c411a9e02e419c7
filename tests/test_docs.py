"""Generated rule docs: present for every rule, fresh, and identical to ``dagster-zenml-lint rule``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_zenml_lint.docs_gen import expected_files, render_rule, stale_files
from dagster_zenml_lint.registry import all_rules

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "rules"


def test_rule_docs_are_up_to_date():
    stale = stale_files(DOCS)
    assert not stale, f"stale rule docs {stale}: run `python -m dagster_zenml_lint.docs_gen` and commit docs/rules/"


def test_check_flag_detects_stale_docs(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(DOCS, copy)
    ok = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint.docs_gen", "--check", "--out", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    first = sorted(copy.glob("DZ*.md"))[0]
    first.write_text(first.read_text() + "hand edit\n")
    (copy / "DZ998.md").write_text("# a rule that does not exist\n")
    stale = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint.docs_gen", "--check", "--out", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert stale.returncode == 1
    assert first.name in stale.stderr and "DZ998.md" in stale.stderr
    subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint.docs_gen", "--out", str(copy)], check=True, capture_output=True
    )
    assert stale_files(copy) == []
    assert not (copy / "DZ998.md").exists()


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_page_sections(rule):
    page = render_rule(rule)
    for heading in (
        "## What it does",
        "## Example (flagged)",
        "## Use instead (clean)",
        "## ZenML target",
        "## Redesign hint",
        "## Fix safety",
        "## Docs",
    ):
        assert heading in page, f"{rule.code} page lacks {heading}"
    assert f"`{rule.symbol}`" in page and f"`{rule.pylint_msgid}`" in page and rule.severity.name in page
    assert rule.zenml_docs_url in page


def test_index_links_every_rule():
    index = expected_files()["index.md"]
    for rule in all_rules():
        assert f"[{rule.code}]({rule.code}.md)" in index


def test_every_rule_links_a_specific_zenml_page():
    """A finding links its rule's page and a ZenML page about its target, not the docs' front page (issue 15)."""
    from dagster_zenml_lint.registry import DOCS as LINKS

    bare = [r.code for r in all_rules() if r.code != "DZ000" and r.zenml_docs_url == LINKS["ZENML"]]
    assert not bare, f"give these rules a specific ZenML page (a tag of registry.DOCS in docs=): {bare}"


def test_configuration_doc_lists_every_check_flag_and_key():
    """docs/configuration.md names every ``check`` flag and configuration key (issue 15)."""
    import argparse
    from dataclasses import fields

    from dagster_zenml_lint.commands import check
    from dagster_zenml_lint.config import Config

    page = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    parser = argparse.ArgumentParser()
    check.add_arguments(parser)
    flags = [option for action in parser._actions for option in action.option_strings if option not in ("-h", "--help")]
    missing = [flag for flag in flags if f"`{flag}" not in page and f", {flag}" not in page]
    keys = [f.name.replace("_", "-") for f in fields(Config) if f.name != "source"]
    missing += [key for key in keys if f"`{key}`" not in page]
    assert not missing, f"document these in docs/configuration.md (with ruff's equivalent): {missing}"
