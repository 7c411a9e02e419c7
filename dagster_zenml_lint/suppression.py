"""``# noqa`` comments for the front-ends that do not have their own (CLI, language server).

The semantics follow flake8, so the CLI and ``flake8 --select DZ`` agree: a bare
``# noqa`` silences every finding on its line, ``# noqa: DZ301,DZ302`` (or space
separated) only those codes or code prefixes. A comment at the end of a multi-line
string covers every line of that string. Only real comments count: ``"# noqa"`` inside a
string literal does nothing.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass

from dagster_zenml_lint.findings import Finding

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
    if "noqa" not in text.lower():
        return LineSuppressions(by_line)
    lines = text.splitlines()
    for first, last, comment in _comments_with_spans(text, len(lines)):
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


def _comments_with_spans(text: str, line_count: int) -> Iterable[tuple[int, int, str]]:
    """Yield (first line, last line, comment) for each comment.

    A comment applies to the physical lines of the tokens before it on its line; a
    multi-line string ending on the comment's line stretches the span back to the
    string's first line (flake8 does the same).
    """
    first_line = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NL, tokenize.NEWLINE):
                first_line = None
                continue
            if token.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
                continue
            if first_line is None:
                first_line = token.start[0]
            if token.type == tokenize.COMMENT:
                yield first_line, token.start[0], token.string
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Fall back to plain line scanning for text that does not tokenize.
        for number, line in enumerate(text.splitlines()[:line_count], start=1):
            if "#" in line:
                yield number, number, line[line.index("#") :]


def _may_suppress(findings: list[Finding], text: str) -> bool:
    """Whether any noqa in the text, comment or not, could silence one of the findings.

    A cheap textual over-approximation that spares tokenizing the file in the common
    case where every noqa lists only other tools' codes (E501, F401...), which never
    silence a DZ finding.
    """
    if "noqa" not in text.lower():
        return False
    codes = tuple({finding.code for finding in findings})
    for line in text.splitlines():
        if "noqa" not in line.lower():
            continue
        for match in NOQA.finditer(line):
            listed = match.group("codes")
            if not listed:
                return True  # a bare noqa silences everything on its line
            prefixes = [prefix.upper() for prefix in re.split(r"[,\s]+", listed) if prefix]
            if any(code.startswith(prefix) for prefix in prefixes for code in codes):
                return True
    return False


def filter_suppressed(findings: Iterable[Finding], text: str) -> list[Finding]:
    """Drop the findings that a ``# noqa`` comment silences."""
    findings = list(findings)
    if not findings or not _may_suppress(findings, text):
        return findings
    suppressions = parse_noqa(text)
    if not suppressions.by_line:
        return findings
    return [f for f in findings if not suppressions.suppresses(f)]
