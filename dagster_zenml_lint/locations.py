"""Where a finding sits in its text, in the units each output format counts in.

The engine reports ``line`` (1-based) and ``col`` (0-based, in UTF-8 bytes like
:mod:`ast`); fix edits are character offsets into the decoded text. SARIF counts columns
in code points (we declare ``columnKind: unicodeCodePoints``), GitHub annotations in
characters, LSP in the code units the client negotiated (UTF-16 unless told otherwise).
:class:`TextIndex` converts between them; only ``\\n``, ``\\r\\n`` and ``\\r`` end a line,
as for the Python tokenizer and the LSP specification.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.source import LINE_END, char_column

# The name a finding points at: an optional ``@`` then a dotted identifier.
_NAME_AT = re.compile(r"@?[^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)*")


@dataclass(frozen=True)
class Span:
    """A region of the text as character offsets plus 1-based lines and 0-based character columns."""

    start: int
    end: int
    start_line: int
    start_col: int
    end_line: int
    end_col: int


class TextIndex:
    """Line starts of one text, for converting between offsets, lines and columns."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in LINE_END.finditer(text)]

    @property
    def line_count(self) -> int:
        """Number of lines (a text ending in a newline has an empty last line)."""
        return len(self.starts)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line break ('' past the end)."""
        if line < 1 or line > len(self.starts):
            return ""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, line: int, char_col: int) -> int:
        """Character offset of a 1-based line and a 0-based character column (clamped to the text)."""
        line = min(max(line, 1), len(self.starts))
        return self.starts[line - 1] + min(max(char_col, 0), len(self.line_text(line)))

    def char_col(self, line: int, byte_col: int) -> int:
        """Turn a UTF-8 byte column (as :mod:`ast` gives it) into a character column."""
        text = self.line_text(line)
        return min(char_column(text, byte_col), len(text))

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and 0-based character column of a character offset."""
        offset = min(max(offset, 0), len(self.text))
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index]

    def span(self, start: int, end: int) -> Span:
        """A :class:`Span` for two character offsets."""
        start_line, start_col = self.line_col(start)
        end_line, end_col = self.line_col(end)
        return Span(start, end, start_line, start_col, end_line, end_col)

    def finding_span(self, finding: Finding) -> Span:
        """The region a finding covers.

        Its own end when the engine gave one; otherwise the name at its start (``@op``,
        ``dg.asset``, ``partitions_def``), or the rest of the line when no name starts there.
        """
        line = min(max(finding.line, 1), len(self.starts))
        start = self.offset(line, self.char_col(line, finding.col))
        if finding.end_line is not None and finding.end_col is not None:
            end_line = min(max(finding.end_line, line), len(self.starts))
            end = self.offset(end_line, self.char_col(end_line, finding.end_col))
            if end > start:
                return self.span(start, end)
        line_end = self.offset(line, len(self.line_text(line)))
        match = _NAME_AT.match(self.text, start, line_end)
        if match and match.end() > start:
            return self.span(start, match.end())
        rest = self.text[start:line_end].rstrip()
        return self.span(start, start + len(rest)) if rest else self.span(start, start)


def code_units(text: str, encoding: str = "utf-16") -> int:
    """Length of a text in the code units of an LSP position encoding (``utf-8``, ``utf-16``, ``utf-32``)."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def char_index(text: str, units: int, encoding: str = "utf-16") -> int:
    """The character index in ``text`` that lies ``units`` code units from its start (clamped)."""
    if encoding == "utf-32" or text.isascii():
        return min(max(units, 0), len(text))
    counted = 0
    for index, char in enumerate(text):
        if counted >= units:
            return index
        counted += code_units(char, encoding)
    return len(text)
