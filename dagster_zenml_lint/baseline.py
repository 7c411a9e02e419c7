"""A migration baseline: today's findings in a file, so later runs report only new ones.

A team migrates over months. ``check --baseline FILE`` records what the project has today
the first time (FILE does not exist yet) and, on every later run, reports only the
findings that are not in FILE, followed by ``N of M baseline findings resolved (x%)``.
``--update-baseline`` rewrites FILE with the current findings (accepting new ones,
dropping resolved ones); ``report --baseline FILE`` shows the same progress.

A finding is identified by what it is, never by its line number, so moving code does
not make its findings new while editing a flagged line does:

* ``path``: the file, relative to the project root (the directory of the configuration
  file; without one, the directory of FILE), with ``/`` separators;
* ``code``: the rule;
* ``symbol``: the qualified name of the innermost function or class the line belongs to
  (decorators included; empty at module level), so two identical lines in different
  functions stay apart;
* ``fingerprint``: a hash of the flagged line's source, whitespace collapsed;
* ``occurrence``: the index among findings with the same path, code, symbol and
  fingerprint, in file order (two identical lines in one function).

Only baseline entries within this run count towards ``M``: entries of files the run
checked (or that no longer exist) and of rules the configuration reports. A
``check --baseline FILE src/sub`` run says nothing about the rest of the project, and
``--update-baseline`` keeps the entries outside the run unchanged.

FILE is written atomically (a temporary file beside it, renamed over it). A FILE that
cannot be read or is not a baseline is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import ast
import os
import stat
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from dagster_zenml_lint.commands import UsageError
from dagster_zenml_lint.source import LINE_END, first_line

if TYPE_CHECKING:
    from dagster_zenml_lint.config import Config
    from dagster_zenml_lint.findings import Finding
    from dagster_zenml_lint.runner import FileResult

FORMAT_VERSION = 1
TOOL = "dagster-zenml-lint"
SOURCE_SUFFIXES = (".py", ".pyi")  # a baseline is data about code, never written over code
MAX_BYTES = 200_000_000  # about a million findings; anything larger is not a baseline
FINGERPRINT_LENGTH = 16  # hex digits of the line's SHA-256: collisions within one file and code are negligible
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class BaselineError(UsageError):
    """The baseline file cannot be read, is not a baseline, or cannot be written (exit code 2)."""


class Entry(NamedTuple):
    """One recorded finding, identified by its content rather than its line number."""

    path: str
    code: str
    symbol: str
    fingerprint: str
    occurrence: int


class Progress(NamedTuple):
    """How a run compares with the baseline."""

    total: int  # baseline entries within this run (M)
    resolved: int  # of those, the ones no longer reported (N)
    new: int  # findings of this run that are not in the baseline

    @property
    def percent(self) -> str:
        """``resolved / total`` rounded down to one decimal (never 100% while one is left); 100% of nothing."""
        if self.total == 0:
            return "100%"
        tenths = self.resolved * 1000 // self.total
        return f"{tenths // 10}.{tenths % 10}%"

    def line(self) -> str:
        """The progress line ``check`` prints and the report shows."""
        new = f"{self.new} new finding{'' if self.new == 1 else 's'} not in the baseline"
        return f"{self.resolved} of {self.total} baseline findings resolved ({self.percent}); {new}."


# ----------------------------------------------------------------------------- identity
def normalized(line: str) -> str:
    """A source line with its indentation and runs of whitespace collapsed (re-indenting is not an edit)."""
    return " ".join(line.split())


def fingerprint(line: str) -> str:
    """The hash that stands for a flagged line's content."""
    import hashlib  # here, as json below: a check without --baseline never loads them (start-up)

    data = normalized(line).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:FINGERPRINT_LENGTH]


def _scopes(text: str) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every function and class, decorators included."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # the file is a DZ000 then
        return []
    found: list[tuple[int, int, str]] = []
    # A loop, not recursion, and only through statements (a def or class is one): expressions
    # can nest deeper than Python's recursion limit in a file that still parses.
    pending: list[tuple[ast.AST, str]] = [(tree, "")]
    while pending:
        node, prefix = pending.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                continue
            if isinstance(child, SCOPES):
                name = f"{prefix}{child.name}"
                first = first_line(child)
                found.append((first, child.end_lineno or child.lineno, name))
                pending.append((child, f"{name}."))
            else:
                pending.append((child, prefix))
    return found


def _symbol(scopes: Sequence[tuple[int, int, str]], line: int) -> str:
    """The innermost scope holding ``line`` (the one starting last), or "" at module level."""
    holding = [scope for scope in scopes if scope[0] <= line <= scope[1]]
    return max(holding)[2] if holding else ""


def entries_of(result: FileResult, path: str) -> list[tuple[Entry, Finding]]:
    """The baseline identity of each finding of one file, in file order."""
    findings = sorted(result.findings, key=lambda f: f.sort_key)
    if not findings:
        return []
    text = result.source.text if result.source is not None else ""
    lines = LINE_END.split(text)  # as the parser numbers them (str.splitlines also breaks at \f, \x1c, ...)
    scopes = _scopes(text) if text else []
    seen: dict[tuple[str, str, str], int] = defaultdict(int)
    identified = []
    for finding in findings:
        text = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
        key = (finding.code, _symbol(scopes, finding.line), fingerprint(text))
        identified.append((Entry(path, *key, seen[key]), finding))
        seen[key] += 1
    return identified


# ----------------------------------------------------------------------------- the file
def root_for(config: Config, baseline: Path) -> Path:
    """Where baseline paths start: the configuration file's directory, else the baseline's."""
    if config.source is not None:
        return Path(os.path.abspath(config.source)).parent
    return Path(os.path.abspath(baseline)).parent


def relative(path: str | Path, root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators (``..`` for files outside it)."""
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def read(path: Path) -> frozenset[Entry]:
    """The entries of a baseline file (raises :class:`BaselineError` with a one-line reason)."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            mode = os.fstat(handle.fileno())
            if stat.S_ISDIR(mode.st_mode):
                raise BaselineError(f"--baseline {path}: is a directory")
            if not stat.S_ISREG(mode.st_mode):  # a pipe or a device would block, never end, or be replaced
                raise BaselineError(f"--baseline {path}: not a regular file")
            if mode.st_size > MAX_BYTES:
                raise BaselineError(f"--baseline {path}: larger than {MAX_BYTES // 1_000_000} MB; not a baseline file")
            data = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise BaselineError(f"--baseline {path}: is a directory") from None
    except OSError as exc:
        raise BaselineError(f"--baseline {path}: cannot read it: {exc.strerror or exc}") from None
    import json

    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BaselineError(f"--baseline {path}: not a baseline file (invalid JSON: {reason})") from None
    return _entries(document, path)


def _entries(document: Any, path: Path) -> frozenset[Entry]:
    def bad(why: str) -> BaselineError:
        return BaselineError(f"--baseline {path}: not a baseline file ({why})")

    if not isinstance(document, dict) or document.get("tool") != TOOL:
        raise bad(f'expected a JSON object with "tool": "{TOOL}"')
    if document.get("version") != FORMAT_VERSION:
        raise bad(f"unsupported version {document.get('version')!r}; this tool writes version {FORMAT_VERSION}")
    records = document.get("findings")
    if not isinstance(records, list):
        raise bad('"findings" must be a list')
    entries = set()
    for index, record in enumerate(records):
        if not isinstance(record, dict) or set(record) != set(Entry._fields):
            raise bad(f"finding {index} must have exactly the keys {', '.join(Entry._fields)}")
        values = [record[name] for name in Entry._fields]
        if not all(isinstance(v, str) for v in values[:4]) or type(values[4]) is not int or values[4] < 0:
            raise bad(f"finding {index}: path, code, symbol and fingerprint are strings, occurrence a whole number")
        entries.add(Entry(*values))
    return frozenset(entries)


def render(entries: Iterable[Entry]) -> bytes:
    """The file's bytes: deterministic (sorted entries), ASCII JSON, one finding per line."""
    import json

    lines = [json.dumps(dict(entry._asdict()), sort_keys=False) for entry in sorted(set(entries))]
    body = ",\n    ".join(lines)
    findings = f"[\n    {body}\n  ]" if lines else "[]"
    return f'{{\n  "tool": "{TOOL}",\n  "version": {FORMAT_VERSION},\n  "findings": {findings}\n}}\n'.encode("ascii")


def write(path: Path, entries: Iterable[Entry]) -> None:
    """Write the baseline atomically: a temporary file beside ``path``, fsync'ed, renamed over it."""
    import tempfile  # loaded only when a baseline is written

    if path.name.lower().endswith(SOURCE_SUFFIXES) or os.path.realpath(path).lower().endswith(SOURCE_SUFFIXES):
        raise BaselineError(f"--baseline {path}: refusing to write a baseline over Python source (*.py)")
    if path.is_dir():
        raise BaselineError(f"--baseline {path}: is a directory")
    data = render(entries)
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        raise BaselineError(f"--baseline {path}: cannot write it: no such directory: {target.parent}")
    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        raise BaselineError(f"--baseline {path}: cannot write it: {exc.strerror or exc}") from None


# ----------------------------------------------------------------------------- comparison
class Comparison(NamedTuple):
    """This run against the baseline: what is new, and which entries the run speaks for."""

    per_file: list[list[tuple[Entry, Finding]]]  # the identified findings of each result, in order
    in_scope: frozenset[Entry]  # baseline entries this run can confirm or resolve
    out_of_scope: frozenset[Entry]  # entries of files or rules outside this run (kept on update)

    @property
    def current(self) -> list[tuple[Entry, Finding]]:
        """Every finding of the run with its identity."""
        return [pair for pairs in self.per_file for pair in pairs]

    def progress(self) -> Progress:
        """The counts: resolved of in-scope entries, and findings not in the baseline."""
        seen = {entry for entry, _ in self.current}
        return Progress(
            total=len(self.in_scope),
            resolved=len(self.in_scope - seen),
            new=sum(1 for entry, _ in self.current if entry not in self.in_scope),
        )


def compare(
    results: Sequence[FileResult], baseline: frozenset[Entry], root: Path, config: Config, *, base: Path | None = None
) -> Comparison:
    """Identify the run's findings and split the baseline into what the run covers and what it does not.

    ``base`` is the directory the results' paths are relative to (``report`` paths); by
    default the current directory (``check`` paths are as the user typed them).
    """
    from dagster_zenml_lint.registry import rules_by_code

    rules = rules_by_code()
    checked = set()
    per_file = []
    for result in results:
        path = relative(base / result.path if base is not None else result.path, root)
        checked.add(path)
        per_file.append(entries_of(result, path))

    def covered(entry: Entry) -> bool:
        rule = rules.get(entry.code)
        if rule is None or not config.enabled(rule):
            return False
        return entry.path in checked or not (root / entry.path).exists()

    in_scope = frozenset(e for e in baseline if covered(e))
    return Comparison(per_file, in_scope, baseline - in_scope)


# ----------------------------------------------------------------------------- check
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--baseline FILE`` and ``--update-baseline`` for ``check``."""
    group = parser.add_argument_group("baseline")
    group.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="report only findings not recorded in FILE and how many recorded ones are resolved; "
        "a missing FILE is created with today's findings",
    )
    group.add_argument(
        "--update-baseline",
        action="store_true",
        help="rewrite the --baseline FILE with the current findings (accept new ones, drop resolved ones)",
    )


def refuse_stdin(args: argparse.Namespace) -> None:
    """``check -`` lints one buffer, not the files a baseline records: say so instead of ignoring the flags."""
    if getattr(args, "baseline", None) is not None or getattr(args, "update_baseline", False):
        raise BaselineError("--baseline compares the files of a run on disk; it does not apply to `check -` (stdin)")


def apply(args: argparse.Namespace, config: Config, results: list[FileResult]) -> tuple[list[FileResult], str | None]:
    """``check``'s hook: the results to report and the line to print (None without ``--baseline``)."""
    path: Path | None = getattr(args, "baseline", None)
    if path is None:
        if getattr(args, "update_baseline", False):
            raise BaselineError("--update-baseline needs --baseline FILE")
        return results, None
    root = root_for(config, path)
    exists = os.path.lexists(path)
    recorded = read(path) if exists else frozenset()
    comparison = compare(results, recorded, root, config)
    if not exists or args.update_baseline:
        entries = {entry for entry, _ in comparison.current} | comparison.out_of_scope
        write(path, entries)
        before = comparison.progress()
        action = "updated" if exists else "wrote"
        message = f"{action} baseline {path}: {len(entries)} finding(s)"
        if exists:
            message += f" ({before.new} added, {before.resolved} resolved and dropped)"
        return [replace(result, findings=()) for result in results], message
    kept = [
        replace(result, findings=tuple(f for entry, f in own if entry not in comparison.in_scope))
        for result, own in zip(results, comparison.per_file, strict=True)
    ]
    return kept, comparison.progress().line()


# ----------------------------------------------------------------------------- report
def report_with_progress(
    text: str, fmt: str, path: Path, results: Sequence[FileResult], config: Config, base: Path
) -> str:
    """``report``'s hook: the rendered report plus the progress of its files against the baseline ``path``.

    ``base`` is the directory the report's paths are relative to.
    """
    progress = compare(results, read(path), root_for(config, path), config, base=base).progress()
    return with_progress(text, fmt, path, progress)


def with_progress(text: str, fmt: str, path: Path, progress: Progress) -> str:
    """The rendered report with a "Baseline Progress" section (markdown) or a ``baseline`` key (JSON)."""
    if fmt == "json":
        import json

        record = json.loads(text)
        record["baseline"] = {
            "file": path.as_posix(),
            "total": progress.total,
            "resolved": progress.resolved,
            "new": progress.new,
            "percent_resolved": progress.percent,
        }
        return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    section = f"## Baseline Progress\n\nAgainst `{path.as_posix()}`: {progress.line()}\n\n"
    lines = text.splitlines(keepends=True)
    headings = [i for i, line in enumerate(lines) if line.startswith("## ")]
    if not headings:
        return f"{text.rstrip()}\n\n{section}"
    # after the summary when the report starts with one, else before the first section (one per code location)
    at = headings[1] if lines[headings[0]].startswith("## Summary") and len(headings) > 1 else headings[0]
    return "".join([*lines[:at], section, *lines[at:]])
