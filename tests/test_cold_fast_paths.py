"""The shortcuts a cold ``check`` takes (issue 14) give exactly what the long way gives.

``source.declared_encoding`` answers most files without ``tokenize.detect_encoding``;
``suppression._noqa_lines`` finds the lines spelling noqa without splitting every file.
"""

from __future__ import annotations

import codecs
import io
import tokenize

import pytest

from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.source import (
    BINARY_SNIFF_BYTES,
    SourceError,
    declared_encoding,
    decode_source,
    python_lines,
)
from dagster_zenml_lint.suppression import _noqa_lines, filter_suppressed

BOM = codecs.BOM_UTF8
HEADS = [
    b"",
    b"x = 1\n",
    b"x = 1",
    b"# -*- coding: latin-1 -*-\nx = 'caf\xe9'\n",
    b"#!/usr/bin/env python\n# coding=cp1252\nx = 1\n",
    b"x = 1\n# coding: latin-1\n",  # a cookie after code does not count
    b"\n\n# coding: latin-1\n",  # nor one on the third line
    b"# coding: no-such-codec\n",
    BOM + b"# coding: latin-1\n",  # the BOM and the cookie disagree
    BOM + b"# coding: utf-8\nx = 1\n",
    BOM + b"x = 1\n",
    b"\xff\xfe = 1\n",  # not UTF-8 in the first line, no cookie
    b"# encoding problem? no: 'coding' in a comment\nx = 1\n",
    b"# coding: latin-1\rx = 1\r",  # \r alone: readline sees one line
    b"print('decoding')\n",  # the word, but not a cookie
    b"x = 1\r\n# vim: set fileencoding=utf-16 :\r\n",
]


def detect(data: bytes) -> str | type[SourceError]:
    """What ``tokenize.detect_encoding`` says, as decode_source reads it (its fallback and its errors)."""
    try:
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError as exc:
        if str(exc).startswith(("unknown encoding", "encoding problem")):
            return SourceError
        return "utf-8"


@pytest.mark.parametrize("data", HEADS)
def test_the_declared_encoding_is_what_tokenize_detects(data: bytes) -> None:
    expected = detect(data)
    if expected is SourceError:
        with pytest.raises(SourceError):
            declared_encoding(data)
    else:
        assert declared_encoding(data) == expected


def test_nul_bytes_are_reported_as_before() -> None:
    with pytest.raises(SourceError, match=r"^binary file"):
        decode_source(b"x = 1\n\x00")
    with pytest.raises(SourceError, match=r"^contains NUL bytes"):
        decode_source(b"#" * BINARY_SNIFF_BYTES + b"\n\x00")
    assert decode_source(b"# coding: latin-1\nx = '\xe9'\n").text == "# coding: latin-1\nx = '\xe9'\n"


TEXTS = [
    "",
    "x = 1\n",
    "import os  # noqa: E402\nx = 1\n",
    "import os  # NOQA\r\nx = 1  # NoQa: DZ201\r\ny = 2\n",
    "a = 1  # noqa\rb = 2  # noqa: DZ3\r",
    "# noqa",
    "s = '''noqa\nnoqa'''  # noqa: DZ101\n",
    "x = 1\x0c  # noqa\ny = 'é'  # noqa: DZ2\n",  # non-ASCII: the per-line way
    "x = 'İ' * 3  # noqa: DZ201\n",  # lower() changes the length here
    "noqanoqa\n\nnoqa\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_noqa_lines_are_the_lines_spelling_noqa(text: str) -> None:
    assert list(_noqa_lines(text)) == [line for line in python_lines(text) if "noqa" in line.lower()]


def test_a_noqa_on_a_crlf_line_still_suppresses() -> None:
    text = "from dagster import asset\r\n@asset  # noqa: DZ201\r\ndef a():\r\n    return 1\r\n"
    kept = filter_suppressed([Finding("DZ201", 2, 0, "m"), Finding("DZ201", 3, 0, "m")], text)
    assert [f.line for f in kept] == [3]
