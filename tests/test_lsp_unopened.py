"""The language server's bounds: only opened documents are answered for, none is read from disk, size is capped.

Before, a hover or code action for an unopened ``file:///.../fifo.py`` blocked the server
forever (pygls read the file from disk) and ``file:///dev/zero`` ended in MemoryError.
A document over the size limit is analysed no more than the CLI would: it gets the
CLI's DZ000. The server runs as a subprocess, driven over stdio by ``tests/lsp_client.py``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_process import run_check
from lsp_client import LspClient, open_document, start_server
from samples import OPS

from dagster_zenml_lint.source import MAX_FILE_BYTES

pytest.importorskip("pygls")

ANSWER_SECONDS = 20.0  # far more than an answer takes; a server reading a FIFO never answers


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LspClient]:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    client = start_server(tmp_path)
    yield client
    if client.process.poll() is None:
        client.process.kill()
    client.close()


def hostile_uris(tmp_path: Path) -> list[str]:
    """URIs of files that must never be read: a FIFO with no writer, an endless device, a plain unopened file."""
    fifo = tmp_path / "fifo.py"
    os.mkfifo(fifo)
    uris = [fifo.as_uri()]
    if os.path.exists("/dev/zero"):
        uris.append("file:///dev/zero")
    unopened = tmp_path / "unopened.py"
    unopened.write_text(OPS, encoding="utf-8")
    uris.append(unopened.as_uri())
    return uris


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_hover_and_code_actions_for_unopened_documents_answer_nothing(server: LspClient, tmp_path: Path) -> None:
    for uri in hostile_uris(tmp_path):
        position = {"line": 3, "character": 2}
        hover = server.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}, timeout=ANSWER_SECONDS
        )
        assert hover is None, uri
        actions = server.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {"start": position, "end": position},
                "context": {"diagnostics": []},
            },
            timeout=ANSWER_SECONDS,
        )
        assert actions == [], uri
        server.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    # still alive and answering for a document that is open
    opened = tmp_path / "ops.py"
    assert open_document(server, opened, OPS)
    hover = server.request(
        "textDocument/hover", {"textDocument": {"uri": opened.as_uri()}, "position": {"line": 3, "character": 2}}
    )
    assert hover is not None and "DZ101" in hover["contents"]["value"]
    published = [m for m in server.seen if m.get("method") == "textDocument/publishDiagnostics"]
    assert all(m["params"]["uri"] == opened.as_uri() for m in published), published


def test_a_document_over_the_size_limit_gets_the_cli_finding(server: LspClient, tmp_path: Path) -> None:
    """The CLI refuses a file over 10 MB with DZ000; the editor gets the same finding, not a long analysis."""
    text = OPS + "#" * (MAX_FILE_BYTES + 1) + "\n"
    diagnostics = open_document(server, tmp_path / "huge.py", text)
    assert [d["code"] for d in diagnostics] == ["DZ000"]
    assert "file too large" in diagnostics[0]["message"]
    cli = run_check(tmp_path, "--output-format", "json", "huge.py")
    assert [r["message"] for r in json.loads(cli.stdout)] == [diagnostics[0]["message"]]
