"""``dagster-zenml-lint server``: a language server (LSP over stdio, built on pygls).

A thin front-end like the CLI: a document's text goes through the same
:func:`runner.lint_text` (engine, ``# noqa``, ``per-file-ignores``) with the
``[tool.dagster-zenml-lint]`` configuration of the document's nearest ``pyproject.toml``,
and findings come back as LSP values:

* diagnostics on open and save, and :data:`LINT_DELAY` after the last of a burst of
  changes; ``code`` is the DZ code, linked to the rule's docs; severity follows
  :data:`SEVERITY` (see ``docs/editors.md``). Fixes are computed only when code actions
  are asked for: on a large file they cost much more than the findings;
* hover on a reported range: the rule, its ZenML target, the redesign hint, the fix or
  why there is none, the rule's page and the ZenML page;
* code actions: one quick fix per fix (findings sharing a fix get one; unsafe ones say so), one that adds
  ``# noqa: CODE`` to the line, and "fix all safe" (``source.fixAll.dagster-zenml-lint``)
  for the whole file;
* when the client can watch files, a changed ``pyproject.toml`` re-lints the open documents;
* the other files of a workspace (the directory of the configuration in force) are read
  for cross-file questions (a job's imported ops, an IO manager's base class) through one
  ``ProjectIndex`` per workspace, kept between lints and code actions, and dropped when a
  document of that workspace changes or is saved (what it read may be stale then);
* a document matched by the configuration's ``exclude``/``extend-exclude`` globs gets no
  diagnostics, like a file the CLI or the pre-commit hook is told to skip.

A file that does not parse gets the DZ000 diagnostic; a configuration error is shown to
the user (naming the key) and the document is linted with the default settings.

Only documents the client opened are linted or answered for: a hover, code action or
save for any other URI gets an empty answer. pygls would otherwise read the file from
disk, which blocks forever on a FIFO and exhausts memory on ``/dev/zero``.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from dagster_zenml_lint import __version__
from dagster_zenml_lint.config import Config, ConfigError, load_config
from dagster_zenml_lint.discovery import FileKind, classify, is_excluded
from dagster_zenml_lint.findings import Applicability, Finding, Mapping, Severity
from dagster_zenml_lint.fixers.apply import fix_text
from dagster_zenml_lint.fixers.crossfile import ProjectIndex
from dagster_zenml_lint.locations import Span, TextIndex, char_index, code_units
from dagster_zenml_lint.registry import Rule, rules_by_code
from dagster_zenml_lint.rules import PARSE_ERROR
from dagster_zenml_lint.runner import lint_text, unreadable_finding
from dagster_zenml_lint.source import text_too_large

SERVER_NAME = "dagster-zenml-lint"
SOURCE = "dagster-zenml-lint"
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.{SERVER_NAME}"
PYPROJECT = "pyproject.toml"
LINT_DELAY = 0.15  # seconds without changes before a changed document is linted
# The list of codes of a noqa comment already on a line; a new code is appended to it.
NOQA_CODES = re.compile(r"#\s*noqa:\s?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*)", re.IGNORECASE)

# LSP severity per rule severity. HIGH is a Warning, not an Error: the code runs fine
# under Dagster, it only needs a redesign before it can move; Error is kept for files
# the linter could not read (DZ000), the one finding that means "something is broken".
SEVERITY: dict[Severity, types.DiagnosticSeverity] = {
    Severity.HIGH: types.DiagnosticSeverity.Warning,
    Severity.MEDIUM: types.DiagnosticSeverity.Warning,
    Severity.LOW: types.DiagnosticSeverity.Information,
    Severity.INFO: types.DiagnosticSeverity.Hint,
}
UNREADABLE_SEVERITY = types.DiagnosticSeverity.Error

log = logging.getLogger(__name__)


def diagnostic_severity(rule: Rule) -> types.DiagnosticSeverity:
    """The LSP severity of a rule's findings."""
    return UNREADABLE_SEVERITY if rule.mapping is Mapping.ERROR else SEVERITY[rule.severity]


@dataclass(frozen=True)
class LintedDocument:
    """The findings of one document version, with what is needed to turn them into LSP values."""

    uri: str
    version: int | None
    text: str
    path: str
    config: Config
    kind: FileKind
    findings: tuple[Finding, ...]
    index: TextIndex
    with_fixes: bool = False  # whether the findings carry their fixes (computed for code actions only)

    def span(self, finding: Finding) -> Span:
        """The character region a finding covers in this text."""
        return self.index.finding_span(finding)


class DagsterZenmlLanguageServer(LanguageServer):
    """The language server: pygls plus the last lint result of each open document."""

    def __init__(self) -> None:
        super().__init__(SERVER_NAME, __version__)
        self.documents: dict[str, LintedDocument] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}  # debounced lints after changes, per document
        # configuration errors already shown to the user (each is shown once, logged every time)
        self.reported_config_errors: set[str] = set()
        # the cross-file index of each workspace, by its root ("" for documents outside any configuration)
        self.indexes: dict[str, ProjectIndex] = {}

    # -- configuration ---------------------------------------------------------------
    def config_for(self, path: str | None) -> Config:
        """The configuration in force for a document path; a bad one is reported and replaced by defaults.

        Read on every lint (a few small files), so an edited ``pyproject.toml`` applies at once.
        """
        if path is None:
            return Config()
        try:
            config = load_config(start=Path(path))
        except ConfigError as exc:
            message = f"{SERVER_NAME}: {exc}; using the default settings"
            if message not in self.reported_config_errors:
                self.reported_config_errors.add(message)
                self.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))
            self.window_log_message(types.LogMessageParams(types.MessageType.Error, message))
            return Config()
        return config

    # -- the other files of a workspace ------------------------------------------------
    def project_index(self, config: Config) -> ProjectIndex:
        """The index of the workspace a configuration governs, built on first use and then reused.

        Its root is the configuration's directory: the engine sees document paths relative
        to it (:func:`lint_path`), so the other files are found there whatever the server's
        working directory is.
        """
        root = workspace_root(config)
        index = self.indexes.get(root)
        if index is None:
            index = self.indexes[root] = ProjectIndex(root=root or None)
        return index

    def forget_workspace(self, path: str | None) -> None:
        """A document changed or was saved: drop what was worked out from the other files of its workspace.

        That is the workspace's index, and the fixes of the other open documents there (a
        job's fix depends on the ops it imports): their next code action or hover works
        the fixes out again.
        """
        if path is None:
            return
        document = Path(path).absolute()
        for root in [root for root in self.indexes if _holds(root, document)]:
            del self.indexes[root]
        for uri, linted in list(self.documents.items()):
            if linted.with_fixes and _holds(workspace_root(linted.config), document):
                self.documents[uri] = replace(linted, with_fixes=False)

    # -- linting ---------------------------------------------------------------------
    def lint(self, document: TextDocument, *, with_fixes: bool = False) -> LintedDocument:
        """Lint a document's current text and remember the result.

        Fixes cost far more than findings on a large file, so diagnostics are computed
        without them; code actions ask for them (and the result is kept for hover).
        """
        text = document.source
        config = self.config_for(document.path)
        path = lint_path(document.path, config) or document.uri
        kind = (classify(Path(document.path), explicit=True) if document.path else None) or FileKind.PYTHON
        too_large = text_too_large(text)
        if is_excluded_document(document.path, config):
            findings: tuple[Finding, ...] = ()
        elif too_large is not None:  # as the CLI refuses such a file: same finding, and the editor stays responsive
            findings = (unreadable_finding(too_large),) if config.enabled(rules_by_code()[PARSE_ERROR]) else ()
        else:
            project = self.project_index(config)
            findings = tuple(lint_text(text, path, config, kind=kind, with_fixes=with_fixes, project=project))
        linted = LintedDocument(
            uri=document.uri,
            version=document.version,
            text=text,
            path=path,
            config=config,
            kind=kind,
            findings=findings,
            index=TextIndex(text),
            with_fixes=with_fixes,
        )
        self.documents[document.uri] = linted
        return linted

    def open_document(self, uri: str) -> TextDocument | None:
        """The document the client opened under ``uri``, or None (never read from disk).

        pygls's ``get_text_document`` makes up a document for an unknown URI and reads its
        file on first use; that read must never happen for a path the client chose.
        """
        return self.workspace.text_documents.get(unquote(uri))  # pygls keys documents by the unquoted URI

    def lint_and_publish(self, uri: str) -> None:
        """Lint an open document and publish its diagnostics; an internal error is logged, never fatal."""
        document = self.open_document(uri)
        if document is None:
            return
        try:
            linted = self.lint(document)
        except Exception as exc:  # a bug in a rule must not take the editor's server down
            log.exception("linting %s failed", uri)
            self.window_log_message(
                types.LogMessageParams(types.MessageType.Error, f"{SERVER_NAME}: linting {uri} failed: {exc!r}")
            )
            return
        encoding = position_encoding(document)
        diagnostics = [to_diagnostic(linted, finding, encoding) for finding in linted.findings]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=document.version, diagnostics=diagnostics)
        )

    def schedule_lint(self, uri: str) -> None:
        """Lint and publish once the document has been quiet for :data:`LINT_DELAY` (typing bursts lint once)."""
        pending = self.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._lint_later(uri))

    async def _lint_later(self, uri: str) -> None:
        await asyncio.sleep(LINT_DELAY)
        self.pending.pop(uri, None)
        self.lint_and_publish(uri)

    def cancel_pending(self, uri: str) -> None:
        """Forget a scheduled lint (the document was linted right away, or closed)."""
        pending = self.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()

    def current(self, uri: str, *, with_fixes: bool = False) -> tuple[TextDocument, LintedDocument] | None:
        """An open document and its lint result for its current text (re-linted when stale, or for fixes).

        None for a document the client did not open.
        """
        document = self.open_document(uri)
        if document is None:
            return None
        linted = self.documents.get(uri)
        if linted is None or linted.text != document.source or (with_fixes and not linted.with_fixes):
            linted = self.lint(document, with_fixes=with_fixes)
        return document, linted


def workspace_root(config: Config) -> str:
    """The directory of the configuration in force ("" without one: paths stay absolute)."""
    return str(Path(config.source).absolute().parent) if config.source is not None else ""


def _holds(root: str, path: Path) -> bool:
    """Whether a file is in the workspace of ``root`` ("": the documents outside any configuration)."""
    return not root or Path(root) in path.parents


def lint_path(path: str | None, config: Config) -> str | None:
    """The path the engine sees: relative to the configuration's directory when under it.

    That is the path the CLI (run from the project root) and the pre-commit hook give, so
    ``per-file-ignores`` globs such as ``tests/*`` match the same files, and never match
    because of a directory above the project.
    """
    if path is None or config.source is None:
        return path
    try:
        return Path(path).absolute().relative_to(Path(config.source).absolute().parent).as_posix()
    except ValueError:
        return path


def is_excluded_document(path: str | None, config: Config) -> bool:
    """Whether the configuration's ``exclude``/``extend-exclude`` globs cover a document.

    As for a file named on the command line, only the user's globs count (not the default
    exclusions), matched against the path relative to the configuration's directory.
    """
    patterns = (*config.exclude, *config.extend_exclude)
    if path is None or config.source is None or not patterns:
        return False
    return is_excluded(Path(path).absolute(), Path(config.source).absolute().parent, patterns)


# --------------------------------------------------------------------------- conversions
def position_encoding(document: TextDocument) -> str:
    """The position encoding negotiated with the client (``utf-16`` unless it asked otherwise)."""
    encoding = document.position_codec.encoding
    return str(getattr(encoding, "value", encoding) or "utf-16")


def to_position(index: TextIndex, offset: int, encoding: str) -> types.Position:
    """An LSP position for a character offset."""
    line, col = index.line_col(offset)
    return types.Position(line=line - 1, character=code_units(index.line_text(line)[:col], encoding))


def to_offset(index: TextIndex, position: types.Position, encoding: str) -> int:
    """The character offset of an LSP position."""
    line = position.line + 1
    if line > index.line_count:
        return len(index.text)
    return index.offset(line, char_index(index.line_text(line), position.character, encoding))


def to_range(index: TextIndex, start: int, end: int, encoding: str) -> types.Range:
    """An LSP range for two character offsets."""
    return types.Range(start=to_position(index, start, encoding), end=to_position(index, end, encoding))


def to_diagnostic(linted: LintedDocument, finding: Finding, encoding: str) -> types.Diagnostic:
    """One finding as an LSP diagnostic."""
    rule = rules_by_code()[finding.code]
    span = linted.span(finding)
    return types.Diagnostic(
        range=to_range(linted.index, span.start, span.end, encoding),
        message=finding.message,
        severity=diagnostic_severity(rule),
        code=rule.code,
        code_description=types.CodeDescription(href=rule.docs_url),
        source=SOURCE,
        data={"symbol": rule.symbol, "severity": rule.severity.name},
    )


def hover_markdown(rule: Rule, finding: Finding) -> str:
    """The hover text for one finding: what was found, the ZenML target, the redesign hint, the docs."""
    parts = [
        f"**{rule.code}** `{rule.symbol}` · {rule.severity.name} · {rule.mapping.value} in ZenML",
        finding.message,
        f"**ZenML:** {rule.target}",
        f"**Redesign:** {rule.hint}",
    ]
    if finding.fix is not None and finding.fix.applicability is not Applicability.DISPLAY_ONLY:
        parts.append(f"**Fix ({finding.fix.applicability.value}):** {finding.fix.description}")
    elif finding.fix_blocker:
        parts.append(f"**No automatic fix:** {finding.fix_blocker}")
    parts.append(f"[{rule.code} documentation]({rule.docs_url}) · [ZenML docs]({rule.zenml_docs_url})")
    return "\n\n".join(parts)


def findings_at(linted: LintedDocument, start: int, end: int) -> list[Finding]:
    """Findings whose region touches the character range [start, end]."""
    touching = []
    for finding in linted.findings:
        span = linted.span(finding)
        if span.start <= end and start <= span.end:
            touching.append(finding)
    return touching


def _edits(linted: LintedDocument, finding: Finding, encoding: str) -> list[types.TextEdit]:
    assert finding.fix is not None
    return [
        types.TextEdit(range=to_range(linted.index, edit.start, edit.end, encoding), new_text=edit.replacement)
        for edit in sorted(finding.fix.edits)
    ]


def findings_by_fix(findings: list[Finding]) -> list[list[Finding]]:
    """The findings grouped by the fix they share (an op and its job share one), in order of first appearance."""
    groups: dict[object, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.fix if finding.fix is not None else id(finding), []).append(finding)
    return list(groups.values())


def quick_fix(linted: LintedDocument, findings: Finding | list[Finding], encoding: str) -> types.CodeAction | None:
    """The code action applying one fix, offered once for all findings sharing it (none for display-only fixes)."""
    group = [findings] if isinstance(findings, Finding) else findings
    finding = group[0]
    fix = finding.fix
    if fix is None or fix.applicability is Applicability.DISPLAY_ONLY or not fix.edits:
        return None
    unsafe = fix.applicability is Applicability.UNSAFE
    codes = ",".join(dict.fromkeys(f.code for f in group))
    return types.CodeAction(
        title=f"{codes}: {fix.description}{' (unsafe fix)' if unsafe else ''}",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[to_diagnostic(linted, f, encoding) for f in group],
        is_preferred=not unsafe,
        edit=types.WorkspaceEdit(changes={linted.uri: _edits(linted, finding, encoding)}),
    )


def noqa_action(linted: LintedDocument, finding: Finding, encoding: str) -> types.CodeAction | None:
    """A quick fix that silences one finding with ``# noqa: CODE`` on its line.

    An existing ``# noqa: ...`` list on the line gets the code appended; a line ending in
    a backslash continuation gets no action (a comment there would break the code).
    """
    if finding.code == PARSE_ERROR:
        return None
    line = finding.line
    text = linted.index.line_text(line)
    if text.rstrip().endswith("\\"):
        return None
    matches = list(NOQA_CODES.finditer(text))
    if matches:
        existing = matches[-1]
        at = linted.index.offset(line, existing.end("codes"))
        new_text = f",{finding.code}"
    else:
        at = linted.index.offset(line, len(text.rstrip()))
        new_text = f"  # noqa: {finding.code}"
    edit = types.TextEdit(range=to_range(linted.index, at, at, encoding), new_text=new_text)
    return types.CodeAction(
        title=f"{finding.code}: ignore on this line (# noqa)",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[to_diagnostic(linted, finding, encoding)],
        edit=types.WorkspaceEdit(changes={linted.uri: [edit]}),
    )


def minimal_edit(index: TextIndex, new_text: str, encoding: str) -> types.TextEdit:
    """One edit turning the indexed text into ``new_text``, covering only the part that differs."""
    old = index.text
    prefix = 0
    limit = min(len(old), len(new_text))
    while prefix < limit and old[prefix] == new_text[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new_text[len(new_text) - 1 - suffix]:
        suffix += 1
    return types.TextEdit(
        range=to_range(index, prefix, len(old) - suffix, encoding), new_text=new_text[prefix : len(new_text) - suffix]
    )


def fix_all_safe(linted: LintedDocument, encoding: str, project: ProjectIndex | None = None) -> types.CodeAction | None:
    """The "fix all safe" source action for a document (None when nothing safe is fixable)."""
    if not any(f.fix is not None and f.fix.applicability is Applicability.SAFE for f in linted.findings):
        return None
    new_text = fix_text(linted.text, linted.path, config=linted.config, project=project).text
    if new_text == linted.text:
        return None
    return types.CodeAction(
        title=f"{SERVER_NAME}: fix all safe fixes",
        kind=FIX_ALL_KIND,
        edit=types.WorkspaceEdit(changes={linted.uri: [minimal_edit(linted.index, new_text, encoding)]}),
    )


def _document_path(ls: DagsterZenmlLanguageServer, uri: str) -> str | None:
    """The file path of an open document (None for one the client did not open, or not a file)."""
    document = ls.open_document(uri)
    return document.path if document is not None else None


def _wants(only: list[str] | None, kind: str) -> bool:
    """Whether a code action of ``kind`` was asked for (``only`` lists kinds or their parents)."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


# --------------------------------------------------------------------------- the server
def create_server() -> DagsterZenmlLanguageServer:
    """A server with every feature registered (not yet started)."""
    server = DagsterZenmlLanguageServer()

    @server.feature(types.INITIALIZED)
    def initialized(ls: DagsterZenmlLanguageServer, params: types.InitializedParams) -> None:
        # Ask the client to tell us when a pyproject.toml changes, so the settings apply at once.
        workspace = ls.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        if watched is not None and watched.dynamic_registration:
            ls.client_register_capability(
                types.RegistrationParams(
                    registrations=[
                        types.Registration(
                            id=f"{SERVER_NAME}-pyproject",
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                watchers=[types.FileSystemWatcher(glob_pattern=f"**/{PYPROJECT}")]
                            ),
                        )
                    ]
                )
            )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls: DagsterZenmlLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(change.uri.endswith(f"/{PYPROJECT}") for change in params.changes):
            ls.reported_config_errors.clear()
            ls.indexes.clear()  # a workspace may have moved with its configuration
            for uri in list(ls.documents):
                ls.lint_and_publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DagsterZenmlLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.cancel_pending(params.text_document.uri)
        ls.lint_and_publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: DagsterZenmlLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.forget_workspace(_document_path(ls, params.text_document.uri))
        ls.schedule_lint(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DagsterZenmlLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.forget_workspace(_document_path(ls, params.text_document.uri))
        ls.cancel_pending(params.text_document.uri)
        ls.lint_and_publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DagsterZenmlLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.cancel_pending(params.text_document.uri)
        ls.documents.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: DagsterZenmlLanguageServer, params: types.HoverParams) -> types.Hover | None:
        opened = ls.current(params.text_document.uri)
        if opened is None:
            return None
        document, linted = opened
        encoding = position_encoding(document)
        offset = to_offset(linted.index, params.position, encoding)
        found = findings_at(linted, offset, offset)
        if not found:
            return None
        by_code = rules_by_code()
        if not linted.with_fixes and any(by_code[f.code].fixer is not None for f in found):
            # the hover says what the fix does, or why there is none: work the fixes out
            refreshed = ls.current(params.text_document.uri, with_fixes=True)
            if refreshed is None:
                return None
            document, linted = refreshed
            found = findings_at(linted, offset, offset)
        text = "\n\n---\n\n".join(hover_markdown(by_code[f.code], f) for f in found)
        first = linted.span(found[0])
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
            range=to_range(linted.index, first.start, first.end, encoding),
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_action(ls: DagsterZenmlLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        opened = ls.current(params.text_document.uri, with_fixes=True)
        if opened is None:
            return []
        document, linted = opened
        encoding = position_encoding(document)
        only = [str(getattr(k, "value", k)) for k in params.context.only] if params.context.only else None
        actions: list[types.CodeAction] = []
        if _wants(only, types.CodeActionKind.QuickFix.value):
            start = to_offset(linted.index, params.range.start, encoding)
            end = to_offset(linted.index, params.range.end, encoding)
            found = findings_at(linted, start, end)
            for group in findings_by_fix(found):
                action = quick_fix(linted, group, encoding)
                if action is not None:
                    actions.append(action)
            for finding in found:
                action = noqa_action(linted, finding, encoding)
                if action is not None:
                    actions.append(action)
        if _wants(only, FIX_ALL_KIND):
            action = fix_all_safe(linted, encoding, ls.project_index(linted.config))
            if action is not None:
                actions.append(action)
        return actions

    return server


def serve_stdio() -> int:
    """Run the server over stdin/stdout until the client says ``exit``."""
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    create_server().start_io()
    return 0


if __name__ == "__main__":
    raise SystemExit(serve_stdio())
