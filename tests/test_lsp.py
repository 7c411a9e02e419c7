"""The language server, tested as an editor uses it: ``dagster-zenml-lint server`` as a subprocess, LSP over stdio."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lsp_client import LspClient, change_document, open_document, start_server
from samples import BROKEN, OPS

from dagster_zenml_lint.fixers.apply import fix_text
from dagster_zenml_lint.registry import get_rule

pytest.importorskip("pygls")


PARTITIONED = """\
from dagster import DailyPartitionsDefinition, asset, op


@op  {noqa}
def silenced():
    return 1


@asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))
def orders():
    return 1
""".format(noqa="# no" + "qa: DZ101")  # spelled apart so ruff does not read it as its own directive


@pytest.fixture
def server(project: Path) -> Iterator[LspClient]:
    """A running server, shut down cleanly (or killed) afterwards."""
    client = start_server(project)
    yield client
    if client.process.poll() is None:
        client.process.kill()
    client.close()


def offset_of(text: str, position: dict[str, int]) -> int:
    """Character offset of an LSP position (the test texts are ASCII, so UTF-16 units are characters)."""
    lines = text.splitlines(keepends=True)
    return sum(len(line) for line in lines[: position["line"]]) + position["character"]


def apply_text_edits(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply LSP TextEdits the way an editor does (all ranges refer to the original text)."""
    spans = sorted(
        ((offset_of(text, e["range"]["start"]), offset_of(text, e["range"]["end"]), e["newText"]) for e in edits),
        reverse=True,
    )
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


def by_code(diagnostics: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    """The diagnostics with one code."""
    return [d for d in diagnostics if d["code"] == code]


def test_capabilities_advertise_hover_and_both_code_action_kinds(server: LspClient) -> None:
    caps = server.capabilities
    assert caps["hoverProvider"] is True
    assert set(caps["codeActionProvider"]["codeActionKinds"]) == {"quickfix", "source.fixAll.dagster-zenml-lint"}
    assert caps["textDocumentSync"]["openClose"] is True
    assert caps["textDocumentSync"]["save"]


def test_open_publishes_mapped_diagnostics_with_docs_links(server: LspClient, project: Path) -> None:
    diagnostics = open_document(server, project / "ops.py", OPS)
    op_diag = by_code(diagnostics, "DZ101")
    job_diag = by_code(diagnostics, "DZ102")
    assert len(op_diag) == 2 and len(job_diag) == 1  # two ops, one job
    op = op_diag[0]
    # on the decorator's line (0-based 3), covering the name after "@"
    assert op["range"] == {"start": {"line": 3, "character": 1}, "end": {"line": 3, "character": 3}}
    assert op["severity"] == 4  # INFO -> Hint
    assert op["source"] == "dagster-zenml-lint"
    assert op["codeDescription"]["href"] == get_rule("DZ101").docs_url
    assert "'one'" in op["message"]


def test_severity_mapping_high_and_medium_are_warnings(server: LspClient, project: Path) -> None:
    diagnostics = open_document(server, project / "parts.py", PARTITIONED)
    partitions = by_code(diagnostics, "DZ301")
    assert partitions, diagnostics
    assert partitions[0]["severity"] == 2  # HIGH -> Warning
    assert partitions[0]["range"]["start"]["line"] == 8  # the partitions_def= keyword's line
    # the noqa comment for DZ101 on the @op line silences it, as in the CLI
    assert "@op  # noqa: DZ101\n" in PARTITIONED
    assert not by_code(diagnostics, "DZ101")


def test_hover_shows_rule_target_and_redesign_hint(server: LspClient, project: Path) -> None:
    path = project / "ops.py"
    open_document(server, path, OPS)
    hover = server.request(
        "textDocument/hover", {"textDocument": {"uri": path.as_uri()}, "position": {"line": 3, "character": 2}}
    )
    rule = get_rule("DZ101")
    value = hover["contents"]["value"]
    assert hover["contents"]["kind"] == "markdown"
    assert rule.symbol in value and rule.hint in value and rule.docs_url in value
    assert hover["range"]["start"] == {"line": 3, "character": 1}
    nothing = server.request(
        "textDocument/hover", {"textDocument": {"uri": path.as_uri()}, "position": {"line": 5, "character": 4}}
    )
    assert nothing is None


def test_quick_fix_rewrites_op_to_step(server: LspClient, project: Path) -> None:
    path = project / "ops.py"
    uri = path.as_uri()
    diagnostics = open_document(server, path, OPS)
    op = by_code(diagnostics, "DZ101")[0]
    actions = server.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": op["range"], "context": {"diagnostics": [op]}},
    )
    quick_fixes = [
        a
        for a in actions
        if a["kind"] == "quickfix" and a["diagnostics"][0]["code"] == "DZ101" and "noqa" not in a["title"]
    ]
    assert len(quick_fixes) == 1, actions
    action = quick_fixes[0]
    assert action["isPreferred"] is True
    assert action["title"].startswith("DZ101: ")
    # the fixes computed for the code action now show in the hover too
    hover = server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": op["range"]["start"]})
    assert "**Fix (safe):**" in hover["contents"]["value"]
    fixed = apply_text_edits(OPS, action["edit"]["changes"][uri])
    ast.parse(fixed)
    # the ops and the job that wires them are converted together (one fix)
    assert "@step\ndef one" in fixed and "@step\ndef add_one" in fixed and "@pipeline\ndef my_job" in fixed
    assert "@op" not in fixed and "from zenml import pipeline, step" in fixed
    # the editor applies the edit and sends the new text: the findings are gone
    after = change_document(server, uri, fixed, 2)
    assert not by_code(after, "DZ101") and not by_code(after, "DZ102")


def test_noqa_quick_fix_silences_a_finding_without_a_fix(server: LspClient, project: Path) -> None:
    path = project / "parts.py"
    uri = path.as_uri()
    diagnostics = open_document(server, path, PARTITIONED)
    (partitions,) = by_code(diagnostics, "DZ301")
    actions = server.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": partitions["range"], "context": {"diagnostics": [partitions]}},
    )
    titles = [a["title"] for a in actions]
    assert "DZ301: ignore on this line (# noqa)" in titles, titles
    action = actions[titles.index("DZ301: ignore on this line (# noqa)")]
    silenced = apply_text_edits(PARTITIONED, action["edit"]["changes"][uri])
    assert silenced.splitlines()[8].endswith(")  # noqa: DZ301")
    after = change_document(server, uri, silenced, 2)
    assert not by_code(after, "DZ301")
    # another finding on the same line: its code is appended to the existing noqa list
    (other,) = [d for d in after if d["range"]["start"]["line"] == 8]
    more = server.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": other["range"], "context": {"diagnostics": [other]}},
    )
    noqa = next(a for a in more if a["title"] == f"{other['code']}: ignore on this line (# noqa)")
    both = apply_text_edits(silenced, noqa["edit"]["changes"][uri])
    assert both.splitlines()[8].endswith(f"# noqa: DZ301,{other['code']}")
    assert not [d for d in change_document(server, uri, both, 3) if d["range"]["start"]["line"] == 8]


def test_fix_all_safe_matches_the_fix_applier(server: LspClient, project: Path) -> None:
    path = project / "ops.py"
    uri = path.as_uri()
    open_document(server, path, OPS)
    actions = server.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        },
    )
    assert [a["kind"] for a in actions] == ["source.fixAll.dagster-zenml-lint"]
    fixed = apply_text_edits(OPS, actions[0]["edit"]["changes"][uri])
    assert fixed == fix_text(OPS, str(path)).text
    assert "@step" in fixed and "@pipeline" in fixed
    after = change_document(server, uri, fixed, 2)
    assert not by_code(after, "DZ101") and not by_code(after, "DZ102")


def test_broken_code_gives_dz000_and_the_server_survives(server: LspClient, project: Path) -> None:
    path = project / "ops.py"
    uri = path.as_uri()
    open_document(server, path, OPS)
    broken = change_document(server, uri, BROKEN, 2)
    assert [d["code"] for d in broken] == ["DZ000"]
    assert broken[0]["severity"] == 1  # Error: the file could not be analysed
    assert broken[0]["range"]["start"]["line"] == 3
    # still answering requests on the broken text
    assert (
        server.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 0}},
                "context": {"diagnostics": []},
            },
        )
        == []
    )
    # and back to normal once the text parses again
    again = change_document(server, uri, OPS, 3)
    assert by_code(again, "DZ101")
    assert server.request("shutdown", None) is None
    server.notify("exit", None)
    assert server.close() == 0


def test_incremental_changes_are_applied_before_linting(server: LspClient, project: Path) -> None:
    path = project / "ops.py"
    uri = path.as_uri()
    before = open_document(server, path, OPS)
    assert [d["range"]["start"]["line"] for d in by_code(before, "DZ101")] == [3, 8]
    # what an editor sends when a line is typed at the top: a ranged edit, not the whole text
    server.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [
                {
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                    "text": "# migrated soon\n",
                }
            ],
        },
    )
    after = server.diagnostics(uri, 2)
    assert [d["range"]["start"]["line"] for d in by_code(after, "DZ101")] == [4, 9]


def test_component_defs_yaml_is_checked_like_the_cli(server: LspClient, project: Path) -> None:
    (project / "defs").mkdir()
    text = "type: dagster_dbt.DbtProjectComponent\nattributes:\n  project: ../dbt\n"
    diagnostics = open_document(server, project / "defs" / "defs.yaml", text)
    assert [d["code"] for d in diagnostics] == ["DZ313"]
    assert diagnostics[0]["range"] == {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 37}}


def test_a_burst_of_changes_ends_with_diagnostics_for_the_last_text(server: LspClient, project: Path) -> None:
    path = project / "ops.py"
    uri = path.as_uri()
    open_document(server, path, OPS)
    for version, text in ((2, BROKEN), (3, BROKEN + "\n"), (4, PARTITIONED)):
        server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )
    last = server.diagnostics(uri, 4)
    assert by_code(last, "DZ301") and not by_code(last, "DZ000")
    # nothing older is published after it (a stale result must never overwrite the last one)
    already_seen = len(server.seen)
    assert server.request("shutdown", None) is None
    later = [
        m
        for m in server.seen[already_seen:]
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
    ]
    assert later == []


def test_save_republishes_and_close_clears(server: LspClient, project: Path) -> None:
    path = project / "ops.py"
    uri = path.as_uri()
    open_document(server, path, OPS)
    server.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert by_code(server.diagnostics(uri), "DZ101")
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert server.diagnostics(uri) == []


def test_positions_are_utf16_code_units(server: LspClient, project: Path) -> None:
    # "😀" is one character but two UTF-16 code units; "é" is one of each (two UTF-8 bytes)
    text = 'import dagster as dg\n\nlabel = "é😀"; key = dg.AssetKey("orders")\n'
    diagnostics = open_document(server, project / "keys.py", text)
    on_line = [d for d in diagnostics if d["range"]["start"]["line"] == 2]
    assert on_line, diagnostics
    line = text.splitlines()[2]
    char_col = line.index("dg.AssetKey")
    assert on_line[0]["range"]["start"]["character"] == char_col + 1  # one extra unit for the emoji
    width = on_line[0]["range"]["end"]["character"] - on_line[0]["range"]["start"]["character"]
    assert width == len("dg.AssetKey")


def test_positions_follow_a_negotiated_utf8_encoding(project: Path) -> None:
    client = start_server(project, {"general": {"positionEncodings": ["utf-8"]}})
    try:
        assert client.capabilities["positionEncoding"] == "utf-8"
        text = 'import dagster as dg\n\nlabel = "é😀"; key = dg.AssetKey("orders")\n'
        diagnostics = open_document(client, project / "keys.py", text)
    finally:
        client.process.kill()
        client.close()
    on_line = [d for d in diagnostics if d["range"]["start"]["line"] == 2]
    line = text.splitlines()[2]
    byte_col = len(line[: line.index("dg.AssetKey")].encode("utf-8"))
    assert on_line[0]["range"]["start"]["character"] == byte_col


def test_configuration_of_the_nearest_pyproject_is_honoured(server: LspClient, project: Path) -> None:
    sub = project / "pkg"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[tool.dagster-zenml-lint]\nignore = ["DZ102"]\n', encoding="utf-8")
    diagnostics = open_document(server, sub / "ops.py", OPS)
    assert by_code(diagnostics, "DZ101") and not by_code(diagnostics, "DZ102")
    outside = open_document(server, project / "ops.py", OPS)
    assert by_code(outside, "DZ102")


def test_a_changed_pyproject_relints_open_documents(project: Path) -> None:
    capabilities = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
    client = start_server(project, capabilities)
    try:
        registration = client.wait_for(lambda m: m.get("method") == "client/registerCapability")
        (watch,) = registration["params"]["registrations"]
        assert watch["method"] == "workspace/didChangeWatchedFiles"
        assert watch["registerOptions"]["watchers"][0]["globPattern"] == "**/pyproject.toml"
        path = project / "ops.py"
        assert by_code(open_document(client, path, OPS), "DZ102")
        pyproject = project / "pyproject.toml"
        pyproject.write_text('[tool.dagster-zenml-lint]\nignore = ["DZ102"]\n', encoding="utf-8")
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": pyproject.as_uri(), "type": 2}]})
        after = client.diagnostics(path.as_uri())
        assert by_code(after, "DZ101") and not by_code(after, "DZ102")
    finally:
        client.process.kill()
        client.close()


def test_malformed_config_key_is_reported_by_name(server: LspClient, project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.dagster-zenml-lint]\nselectt = ["DZ1"]\n', encoding="utf-8")
    diagnostics = open_document(server, project / "ops.py", OPS)
    shown = server.wait_for(lambda m: m.get("method") == "window/showMessage")
    assert shown["params"]["type"] == 1  # Error
    assert "'selectt'" in shown["params"]["message"]
    # the document is still linted, with the default settings
    assert by_code(diagnostics, "DZ101")


def test_without_pygls_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    # pygls made unimportable in a fresh interpreter, as on an installation without the extra
    script = (
        "import sys; sys.modules['pygls'] = None; from dagster_zenml_lint.cli import main; sys.exit(main(['server']))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 2
    assert "pip install 'dagster-zenml-lint[lsp]'" in completed.stderr
    assert "Traceback" not in completed.stderr


# --- the other files of the workspace: one index, found from the configuration's directory --------
LOAD_OP = "from dagster import op\n\n\n@op\ndef load() -> int:\n    return 4\n"
CONFIGURED_OP = (
    "from dagster import op\n\n\n@op(config_schema={'n': int})\ndef load(context) -> int:\n"
    "    return context.op_config['n']\n"
)
IMPORTING_JOB = "from dagster import job\n\nfrom ops import load\n\n\n@job\ndef my_job():\n    load()\n"


def _job_hover(client: LspClient, uri: str, diagnostic: dict[str, Any]) -> str:
    client.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}},
    )
    hover = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": diagnostic["range"]["start"]}
    )
    return hover["contents"]["value"]


def test_imported_ops_are_found_from_the_workspace_and_a_saved_change_is_seen(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # regression: paths relative to the configuration were looked up from the server's working
    # directory, so an editor started elsewhere found no imported op (every job fix "unsafe")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / "ops.py").write_text(LOAD_OP, encoding="utf-8")
    client = start_server(elsewhere)
    try:
        jobs = project / "jobs.py"
        (job,) = by_code(open_document(client, jobs, IMPORTING_JOB), "DZ102")
        assert "**Fix (safe):**" in _job_hover(client, jobs.as_uri(), job)
        # ops.py changes and is saved: the job's fix follows (the workspace's index was dropped)
        ops = project / "ops.py"
        open_document(client, ops, LOAD_OP)
        ops.write_text(CONFIGURED_OP, encoding="utf-8")
        change_document(client, ops.as_uri(), CONFIGURED_OP, 2)
        client.notify("textDocument/didSave", {"textDocument": {"uri": ops.as_uri()}})
        client.diagnostics(ops.as_uri())
        assert "op 'load' in ops cannot be converted" in _job_hover(client, jobs.as_uri(), job)
    finally:
        client.notify("exit", None)
        client.close()


def test_one_index_per_workspace_reused_until_one_of_its_documents_changes(project: Path, tmp_path: Path) -> None:
    from dagster_zenml_lint.config import load_config
    from dagster_zenml_lint.lsp import DagsterZenmlLanguageServer

    other = tmp_path / "other"
    other.mkdir()
    (other / "pyproject.toml").write_text("[tool.dagster-zenml-lint]\n", encoding="utf-8")
    ls = DagsterZenmlLanguageServer()
    config = load_config(start=project / "a.py")
    index = ls.project_index(config)
    assert ls.project_index(load_config(start=project / "b.py")) is index
    assert index.root == str(project.absolute())
    other_index = ls.project_index(load_config(start=other / "c.py"))
    assert other_index is not index
    ls.forget_workspace(str(project / "a.py"))
    assert ls.project_index(config) is not index
    assert ls.project_index(load_config(start=other / "c.py")) is other_index
