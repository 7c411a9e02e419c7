"""A minimal LSP client for the tests: JSON-RPC with Content-Length framing over a subprocess's pipes.

Written by hand (not pygls's client) so the tests see exactly the bytes a real editor
would exchange with ``dagster-zenml-lint server``.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


class LspError(AssertionError):
    """The server answered a request with an error, or did not answer in time."""


class LspClient:
    """Talk to a language server subprocess; messages from the server are queued by a reader thread."""

    def __init__(self, command: Sequence[str], *, cwd: str | None = None, env: dict[str, str] | None = None) -> None:
        # stderr goes to a file: a pipe nobody reads could fill up and stall the server
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the client
        self.process = subprocess.Popen(
            list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, cwd=cwd, env=env
        )
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.seen: list[dict[str, Any]] = []  # every message received, in order
        self.next_id = 0
        self.capabilities: dict[str, Any] = {}  # the server's, once initialized
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    # -- wire ------------------------------------------------------------------------
    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    self.inbox.put(None)
                    return
                header = header.strip()
                if not header:
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            assert length is not None, "message without Content-Length"
            self.inbox.put(json.loads(stream.read(length).decode("utf-8")))

    def send(self, message: dict[str, Any]) -> None:
        """Frame and write one JSON-RPC message."""
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        """Send a notification."""
        self.send({"method": method, "params": params})

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 30.0) -> dict[str, Any]:
        """The first message (already seen or arriving) that matches; answers server requests meanwhile."""
        for message in self.seen:
            if predicate(message):
                self.seen.remove(message)
                return message
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LspError(f"no matching message within {timeout}s; stderr: {self.stderr_so_far()}")
            try:
                message = self.inbox.get(timeout=remaining)
            except queue.Empty:
                continue
            if message is None:
                raise LspError(f"the server closed its output; stderr: {self.stderr_so_far()}")
            if "id" in message and "method" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
            if predicate(message):
                return message
            self.seen.append(message)

    def request(self, method: str, params: Any, timeout: float = 30.0) -> Any:
        """Send a request and return its result (LspError on an error response)."""
        self.next_id += 1
        request_id = self.next_id
        self.send({"id": request_id, "method": method, "params": params})
        reply = self.wait_for(lambda m: m.get("id") == request_id and "method" not in m, timeout)
        if "error" in reply:
            raise LspError(f"{method} failed: {reply['error']}")
        return reply.get("result")

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = 30.0) -> list[dict[str, Any]]:
        """The next ``publishDiagnostics`` for a document (for a given version, when told)."""

        def matches(message: dict[str, Any]) -> bool:
            if message.get("method") != "textDocument/publishDiagnostics":
                return False
            params = message["params"]
            return params["uri"] == uri and (version is None or params.get("version") == version)

        return self.wait_for(matches, timeout)["params"]["diagnostics"]

    def stderr_so_far(self) -> str:
        """The last part of what the server wrote on stderr."""
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-2000:]

    def close(self, timeout: float = 10.0) -> int | None:
        """Wait for the server to exit (killing it after ``timeout``); return its exit code."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout)
        finally:
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()


def start_server(cwd: Path, capabilities: dict[str, Any] | None = None) -> LspClient:
    """Start the server through the CLI and do the initialize handshake."""
    client = LspClient([sys.executable, "-m", "dagster_zenml_lint", "server"], cwd=str(cwd))
    result = client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": cwd.as_uri(),
            "capabilities": capabilities or {},
            "clientInfo": {"name": "pytest"},
        },
    )
    client.capabilities = result["capabilities"]
    client.notify("initialized", {})
    return client


def open_document(client: LspClient, path: Path, text: str, version: int = 1) -> list[dict[str, Any]]:
    """didOpen a file and return the diagnostics published for it."""
    path.write_text(text, encoding="utf-8")
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": path.as_uri(), "languageId": "python", "version": version, "text": text}},
    )
    return client.diagnostics(path.as_uri(), version)


def change_document(client: LspClient, uri: str, text: str, version: int) -> list[dict[str, Any]]:
    """didChange with the full new text and return the diagnostics published for that version."""
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
    )
    return client.diagnostics(uri, version)
