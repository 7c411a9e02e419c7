"""``# noqa`` comments for the front-ends that do not have their own (CLI, language server).

The semantics follow flake8, so the CLI and ``flake8 --select DZ`` agree: a bare
``# noqa`` silences every finding on its line, ``# noqa: DZ301,DZ302`` (or space
separated) only those codes or code prefixes. A comment at the end of a multi-line
string covers every line of that string. Only real comments count: ``"# noqa"`` inside a
string literal does nothing.

Also here, for every front-end alike: the suppressions that belong to files
(``per-file-ignores``) and the ``fixable`` / ``unfixable`` settings.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from dagster_zenml_lint.findings import Applicability, Edit, Finding, Fix
from dagster_zenml_lint.rules import PARSE_ERROR, UNUSED_NOQA
from dagster_zenml_lint.source import python_lines, says_noqa

if TYPE_CHECKING:
    from dagster_zenml_lint.config import Config

NOQA = re.compile(
    r"#\s*noqa"
    r"(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
ALL_CODES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LineSuppressions:
    """The ``# noqa`` directives of one file: line -> codes (empty set = every code)."""

    by_line: dict[int, frozenset[str]]

    def suppresses(self, finding: Finding) -> bool:
        """Whether a finding is silenced by a ``# noqa`` on its line."""
        codes = self.by_line.get(finding.line)
        if codes is None:
            return False
        return codes == ALL_CODES or finding.code.startswith(tuple(codes))


def parse_noqa(text: str) -> LineSuppressions:
    """Collect the ``# noqa`` comments of a source text (tolerates text that does not tokenize)."""
    by_line: dict[int, frozenset[str]] = {}
    if not says_noqa(text):
        return LineSuppressions(by_line)
    for first, last, comment in _comments_with_spans(python_lines(text)):
        match = NOQA.search(comment)
        if match is None:
            continue
        codes = match.group("codes")
        directive = frozenset(c.upper() for c in re.split(r"[,\s]+", codes) if c) if codes else ALL_CODES
        for line in range(first, last + 1):
            previous = by_line.get(line)
            if previous is None or directive == ALL_CODES:
                by_line[line] = directive
            elif previous != ALL_CODES:
                by_line[line] = previous | directive
    return LineSuppressions(by_line)


def _tokens(lines: list[str]) -> Iterator[tokenize.TokenInfo]:
    """The tokens of a text's ``lines`` (``source.python_lines``), numbered as Python (and so the findings) number them.

    ``io.StringIO(text).readline`` would end a line at ``\\n`` only: in a file whose lines end
    with a bare ``\\r`` every comment would be on line 1. Each line is handed to :mod:`tokenize`
    with a ``\\n`` instead of its own ending; columns within a line are unchanged.
    """
    ended = iter([line + "\n" for line in lines])
    return tokenize.generate_tokens(functools.partial(next, ended, ""))


def _comment_tokens(lines: list[str]) -> Iterator[tuple[int, tokenize.TokenInfo]]:
    """Yield (first line of the tokens before it on its line, token) for each comment token.

    Raises what :mod:`tokenize` raises on text that does not tokenize; callers choose the fallback.
    """
    first_line = None
    for token in _tokens(lines):
        if token.type in (tokenize.NL, tokenize.NEWLINE):
            first_line = None
            continue
        if token.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
            continue
        if first_line is None:
            first_line = token.start[0]
        if token.type == tokenize.COMMENT:
            yield first_line, token


def _comments_with_spans(lines: list[str]) -> Iterable[tuple[int, int, str]]:
    """Yield (first line, last line, comment) for each comment.

    A comment applies to the physical lines of the tokens before it on its line; a
    multi-line string ending on the comment's line stretches the span back to the
    string's first line (flake8 does the same).
    """
    try:
        for first_line, token in _comment_tokens(lines):
            yield first_line, token.start[0], token.string
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Fall back to plain line scanning for text that does not tokenize.
        for number, line in enumerate(lines, start=1):
            if "#" in line:
                yield number, number, line[line.index("#") :]


def _may_suppress(findings: list[Finding], text: str) -> bool:
    """Whether any noqa in the text, comment or not, could silence one of the findings.

    A cheap textual over-approximation that spares tokenizing the file in the common
    case where every noqa lists only other tools' codes (E501, F401...), which never
    silence a DZ finding.
    """
    if not says_noqa(text):
        return False
    codes = tuple({finding.code for finding in findings})
    for line in _noqa_lines(text):
        for match in NOQA.finditer(line):
            listed = match.group("codes")
            if not listed:
                return True  # a bare noqa silences everything on its line
            prefixes = [prefix.upper() for prefix in re.split(r"[,\s]+", listed) if prefix]
            if any(code.startswith(prefix) for prefix in prefixes for code in codes):
                return True
    return False


def _noqa_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` (as :func:`python_lines` cuts them) that spell ``noqa`` in any case.

    An ASCII text (lower-casing keeps every offset) is searched whole and only the lines
    around each hit are cut out: most files have a noqa on one line of many, and splitting
    the file and lower-casing every line cost several times more.
    """
    if not text.isascii():
        yield from (line for line in python_lines(text) if "noqa" in line.lower())
        return
    lowered = text.lower()
    at = lowered.find("noqa")
    while at != -1:
        start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
        ends = [end for end in (text.find("\n", at), text.find("\r", at)) if end != -1]
        end = min(ends) if ends else len(text)
        yield text[start:end]
        at = lowered.find("noqa", end)


def filter_suppressed(findings: Iterable[Finding], text: str) -> list[Finding]:
    """Drop the findings that a ``# noqa`` comment silences."""
    findings = list(findings)
    if not findings or not _may_suppress(findings, text):
        return findings
    suppressions = parse_noqa(text)
    if not suppressions.by_line:
        return findings
    return [f for f in findings if not suppressions.suppresses(f)]


# --------------------------------------------------------------------------- unused noqa
# A noqa directive whose code list names a DZ code: without one there is nothing for DZ001 to
# judge, and the file is not tokenized (most directives in a codebase are for other tools).
NOQA_LISTING_DZ = re.compile(r"noqa\s*:[\s,A-Z0-9]*DZ", re.IGNORECASE)


class NoqaDirective(NamedTuple):
    """One ``# noqa: CODES`` comment: where it is (character offsets) and the lines it covers."""

    line: int  # 1-based line of the comment
    comment_start: int  # offset of the comment's ``#``
    comment_end: int
    codes_start: int  # offsets of the code list
    codes_end: int
    codes: tuple[str, ...]  # as written, upper-cased
    first_line: int  # the first line it covers (a multi-line string's first line)


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for line in python_lines(text, keepends=True):
        offsets.append(offsets[-1] + len(line))
    return offsets


def noqa_directives(text: str) -> list[NoqaDirective]:
    """Every ``# noqa: CODES`` comment of a text that tokenizes (a bare ``# noqa`` is not listed)."""
    if not says_noqa(text):
        return []
    offsets = _line_offsets(text)
    found = []
    try:
        for first_line, token in _comment_tokens(python_lines(text)):
            match = NOQA.search(token.string)
            if match is None or not match.group("codes"):
                continue
            start = offsets[token.start[0] - 1] + token.start[1]
            codes = tuple(c.upper() for c in re.split(r"[,\s]+", match.group("codes")) if c)
            found.append(
                NoqaDirective(
                    line=token.start[0],
                    comment_start=start,
                    comment_end=start + len(token.string),
                    codes_start=start + match.start("codes"),
                    codes_end=start + match.end("codes"),
                    codes=codes,
                    first_line=first_line,
                )
            )
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    return found


def unused_noqa_findings(findings: Sequence[Finding], text: str, config: Config, *, with_fixes: bool) -> list[Finding]:
    """DZ001 for each ``# noqa`` that lists DZ codes silencing nothing on its lines (ruff's RUF100).

    Only DZ codes are judged (the others belong to other tools), and only codes of rules
    the configuration enables (a disabled rule's directive cannot be judged); a DZ code
    that names no rule is unused too. The fix removes the unused codes, and the comment
    (or its line) when nothing is left.
    """
    from dagster_zenml_lint.registry import rules_by_code

    by_code = rules_by_code()
    if UNUSED_NOQA not in by_code or not config.enabled(by_code[UNUSED_NOQA]):
        return []
    if "dz" not in text.lower() or not NOQA_LISTING_DZ.search(text):  # the substring first: far cheaper
        return []
    directives = noqa_directives(text)
    if not directives:
        return []
    codes_on: dict[int, set[str]] = {}
    for finding in findings:
        codes_on.setdefault(finding.line, set()).add(finding.code)
    lines = python_lines(text, keepends=True)
    offsets = _line_offsets(text)
    unused_findings = []
    for directive in directives:
        present = {code for line in range(directive.first_line, directive.line + 1) for code in codes_on.get(line, ())}
        unused, unknown = [], []
        for code in directive.codes:
            if not code.startswith("DZ") or code == UNUSED_NOQA or any(c.startswith(code) for c in present):
                continue
            matching = [rule for c, rule in by_code.items() if c.startswith(code)]
            if not matching:
                unknown.append(code)
            elif any(config.enabled(rule) for rule in matching):
                unused.append(code)
        if not unused and not unknown:
            continue
        parts = [f"unused: {', '.join(unused)}"] if unused else []
        parts += [f"unknown: {', '.join(unknown)}"] if unknown else []
        line_text = lines[directive.line - 1]
        col = directive.comment_start - offsets[directive.line - 1]
        end_col = directive.comment_end - offsets[directive.line - 1]
        fix = None
        if with_fixes:
            fix = _unused_noqa_fix(text, directive, {*unused, *unknown}, offsets, line_text)
        unused_findings.append(
            Finding(
                code=UNUSED_NOQA,
                line=directive.line,
                col=len(line_text[:col].encode("utf-8")),
                message=f"unused `# noqa` directive ({'; '.join(parts)})",
                end_line=directive.line,
                end_col=len(line_text[:end_col].encode("utf-8")),
                fix=fix,
            )
        )
    return unused_findings


def _unused_noqa_fix(text: str, directive: NoqaDirective, remove: set[str], offsets: list[int], line_text: str) -> Fix:
    """The edit dropping the unused codes: the code list shrinks, or the directive (or its line) goes."""
    kept = [code for code in directive.codes if code not in remove]
    written = text[directive.codes_start : directive.codes_end]
    if kept:
        separator = ", " if ", " in written else ("," if "," in written else " ")
        edit = Edit(directive.codes_start, directive.codes_end, separator.join(kept))
        return Fix((edit,), Applicability.SAFE, f"Remove the unused codes {', '.join(sorted(remove))} from `# noqa`")
    rest = text[directive.codes_end : directive.comment_end].strip()
    description = "Remove the unused `# noqa` directive"
    if rest:  # "
        edit = Edit(directive.comment_start, directive.codes_end, "#")
        return Fix((edit,), Applicability.SAFE, description)
    line_start = offsets[directive.line - 1]
    before = text[line_start : directive.comment_start]
    if not before.strip():  # the comment is the whole line: the line goes
        return Fix((Edit(line_start, offsets[directive.line], ""),), Applicability.SAFE, description)
    start = line_start + len(before.rstrip())
    return Fix((Edit(start, directive.comment_end, ""),), Applicability.SAFE, description)


# --------------------------------------------------------------------------- --add-noqa
def _comment_lines(text: str) -> dict[int, int]:
    """Line -> the line a comment covering it must go on (the last line of a multi-line string or continuation)."""
    moved: dict[int, int] = {}
    try:
        tokens = list(_tokens(python_lines(text)))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return moved
    group_start = None
    for token in tokens:
        if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            if group_start is not None:
                for line in range(group_start, token.start[0]):
                    moved[line] = token.start[0]
            group_start = None
            continue
        if token.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
            continue
        if group_start is None:
            group_start = token.start[0]
    return moved


def add_noqa(text: str, findings: Iterable[Finding]) -> tuple[str, int]:
    """The text with ``# noqa: CODES`` for every finding, and how many directives were added or extended.

    A finding inside a multi-line string or a backslash-continued statement gets its
    directive on the statement's last line (where a comment can go and still covers it);
    a line that has ``# noqa: ...`` gets the new codes appended to that list.
    """
    wanted: dict[int, list[str]] = {}
    moved = _comment_lines(text)
    for finding in findings:
        if finding.code == PARSE_ERROR:
            continue  # a file that cannot be analysed is fixed, not silenced
        line = moved.get(finding.line, finding.line)
        codes = wanted.setdefault(line, [])
        if finding.code not in codes:
            codes.append(finding.code)
    if not wanted:
        return text, 0
    lines = python_lines(text, keepends=True)
    added = 0
    for number, codes in sorted(wanted.items()):
        if not 0 < number <= len(lines):
            continue
        physical = lines[number - 1]
        body = physical.rstrip("\r\n")
        ending = physical[len(body) :]
        directives = list(NOQA.finditer(body))
        match = directives[-1] if directives else None
        if match is not None and not match.group("codes"):
            continue  # a bare noqa already silences the line
        if match is not None:
            listed = {c.upper() for c in re.split(r"[,\s]+", match.group("codes")) if c}
            new = [code for code in codes if code not in listed]
            if not new:
                continue
            body = f"{body[: match.end('codes')]}, {', '.join(new)}{body[match.end('codes') :]}"
        else:
            body = f"{body.rstrip()}  # noqa: {', '.join(codes)}"
        lines[number - 1] = body + ending
        added += 1
    return "".join(lines), added


# --------------------------------------------------------------------------- per-file ignores
def project_path(path: str, config: Config) -> str:
    """``path`` relative to the configuration file's directory, as ``per-file-ignores`` globs are written.

    flake8 and ruff match those globs against the path relative to the configuration, so
    a run from a subdirectory (``cd pkg && check .``) ignores the same findings as a run
    from the project root. A path outside the project, a run without a configuration
    file, and a relative path that names no file from here (the editor's path, already
    relative to the project) are kept as given.
    """
    posix = Path(path).as_posix()
    if config.source is None:
        return posix
    absolute = os.path.abspath(path)
    if not os.path.isabs(path) and not os.path.exists(absolute):
        return posix
    root = os.path.dirname(os.path.abspath(config.source))
    relative = os.path.relpath(absolute, root)
    return posix if relative == ".." or relative.startswith(f"..{os.sep}") else Path(relative).as_posix()


def per_file_ignored(path: str, config: Config) -> tuple[str, ...]:
    """Codes ignored for ``path`` by ``per-file-ignores`` globs (matched on the project path and the name)."""
    if not config.per_file_ignores:
        return ()
    posix = project_path(path, config)
    name = Path(path).name
    ignored: list[str] = []
    for pattern, codes in config.per_file_ignores.items():
        if (
            fnmatch.fnmatchcase(posix, pattern.removeprefix("./"))
            or fnmatch.fnmatchcase(name, pattern)
            or fnmatch.fnmatchcase(posix, f"*/{pattern.removeprefix('./')}")
        ):
            ignored.extend(codes)
    return tuple(ignored)


def drop_ignored(findings: Iterable[Finding], ignored: tuple[str, ...]) -> tuple[Finding, ...]:
    """The findings whose codes ``ignored`` (from :func:`per_file_ignored`) does not name."""
    if not ignored:
        return tuple(findings)
    if "ALL" in ignored:
        return ()
    return tuple(f for f in findings if not f.code.startswith(ignored))


def reported(findings: Iterable[Finding], text: str | None, path: str, config: Config) -> list[Finding]:
    """What a front-end shows of a file's findings: the user's suppressions applied.

    ``# noqa`` comments (when ``text`` is Python source; None for other files), then
    ``per-file-ignores``, then the fixes ``fixable`` / ``unfixable`` turn off. Every lint
    path (``check``, the plugins, the editor, ``--fix``, the report, ``migrate``) goes
    through here, so they agree on what the configuration silences.
    """
    kept = filter_suppressed(findings, text) if text is not None else list(findings)
    return drop_unfixable(list(drop_ignored(kept, per_file_ignored(path, config))), config)


def drop_unfixable(findings: list[Finding], config: Config) -> list[Finding]:
    """The findings without the fixes that ``fixable`` / ``unfixable`` turn off.

    A fix that findings of several rules share (an op and the job calling it) is turned
    off when any of them may not be fixed: applying it would fix that one too.
    """
    if not (config.fixable or config.unfixable):
        return findings
    off = {f.fix for f in findings if f.fix is not None and not config.may_fix(f.code)}
    if not off:
        return findings
    reason = "fixes of this rule are turned off by the `fixable` / `unfixable` settings"
    return [replace(f, fix=None, fix_blocker=reason) if f.fix in off else f for f in findings]
