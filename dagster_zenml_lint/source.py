"""Turn a file's bytes into text the engine can read, remembering how to write it back.

Python source is decoded the way the interpreter does it (PEP 263): a UTF-8 byte order
mark, or a ``# -*- coding: ... -*-`` cookie on one of the first two lines, else UTF-8.
The :class:`SourceFile` keeps the encoding, the BOM and the newline style so a fixer can
write the file back byte-for-byte outside its edits.
"""

from __future__ import annotations

import ast
import codecs
import io
import os
import re
import stat
import tokenize
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

UTF8_BOM = codecs.BOM_UTF8
# How much of a file's head is sniffed for NUL bytes when deciding "binary".
BINARY_SNIFF_BYTES = 8192
# Files larger than this are not read (DZ000 "file too large"): the largest hand-written or
# generated Dagster module seen is well under 1 MB, and a run over a tree must not pull a
# multi-gigabyte data file named ``*.py`` (or an endless kernel file) into memory.
MAX_FILE_BYTES = 10 * 1024 * 1024
READ_CHUNK_BYTES = 1024 * 1024  # later reads of a file whose size ``fstat`` did not tell


# The word every Dagster import spells, as it appears in the bytes of a file: Python source
# is ASCII-compatible (PEP 263), and a UTF-16 or UTF-32 file (which Python cannot run, but
# an editor may write) is recognised by its byte order mark.
DAGSTER_WORD = b"dagster"
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
WIDE_BOM_STARTS = tuple(bom for bom, _codec in WIDE_BOMS)


def names_dagster(data: bytes) -> bool:
    """Whether a file's bytes spell ``dagster``: only such a file may hold Dagster code.

    A file that never does holds nothing to migrate and is not parsed at all; whether its
    syntax is valid is for flake8 or ruff to say.
    """
    if DAGSTER_WORD in data:
        return True
    if not data.startswith(WIDE_BOM_STARTS):  # (most files: one call, not one per byte order mark)
        return False
    for bom, codec in WIDE_BOMS:
        if data.startswith(bom):
            return "dagster".encode(codec) in data
    return False


def says_noqa(text: str) -> bool:
    """Whether a text spells ``noqa`` in any case: only then can a comment in it suppress a finding.

    The one test every noqa check starts with (a lower-cased copy, made in C, is several
    times faster than a case-blind regular expression).
    """
    return "noqa" in text.lower()


class SourceError(Exception):
    """A file cannot be turned into source text; the message is one line for the user."""


@dataclass(frozen=True)
class SourceFile:
    """The decoded text of a file and what is needed to write it back unchanged."""

    path: str
    text: str  # decoded, without the BOM, newlines as in the file
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"  # the first newline found: "\n", "\r\n" or "\r"

    @property
    def is_empty(self) -> bool:
        """True when the file holds nothing but whitespace."""
        return not self.text.strip()

    def encode(self, text: str | None = None) -> bytes:
        """Bytes for ``text`` (default: the original text) in the file's encoding and BOM."""
        data = (self.text if text is None else text).encode(self.encoding)
        return UTF8_BOM + data if self.bom else data


def detect_newline(text: str) -> str:
    """The first line ending in ``text`` (``"\\n"`` when there is none)."""
    cr = text.find("\r")  # (two searches in C, not a Python loop over the first line's characters)
    if cr == -1:
        return "\n"
    lf = text.find("\n", 0, cr)
    if lf != -1:
        return "\n"
    return "\r\n" if text[cr + 1 : cr + 2] == "\n" else "\r"


@lru_cache(maxsize=64)  # asked for every file, about the same few codecs
def _ascii_compatible(codec: str) -> bool:
    """Whether ASCII text encodes to itself in ``codec`` (unknown codecs are left to the decoder)."""
    try:
        return "# coding\n".encode(codec) == b"# coding\n"
    except LookupError:
        return True
    except (UnicodeError, ValueError):
        return False


def declared_encoding(data: bytes) -> str:
    """The encoding ``tokenize.detect_encoding`` finds for source bytes ("utf-8" when no cookie is usable).

    Raises :class:`SourceError` for a cookie naming an unknown encoding, or one the BOM contradicts.
    A cookie is a comment holding ``coding`` on one of the first two lines (as ``readline``
    cuts them: at ``\\n``); most files have none, and ask nothing of the Python-level detector.
    """
    first_end = data.find(b"\n")
    second_end = data.find(b"\n", first_end + 1) if first_end != -1 else -1
    if b"coding" not in (data[: second_end + 1] if second_end != -1 else data):
        return "utf-8-sig" if data.startswith(UTF8_BOM) else "utf-8"
    try:
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError as exc:
        if str(exc).startswith(("unknown encoding", "encoding problem")):
            raise SourceError(f"bad encoding declaration ({exc}); not analysed") from None
        return "utf-8"  # no usable cookie and the first lines are not UTF-8: the decoder reports the bad byte


def decode_source(data: bytes, path: str = "<bytes>") -> SourceFile:
    """Decode Python source bytes (BOM, coding cookie, UTF-8 default).

    Raises :class:`SourceError` for binary content (NUL bytes), an unknown encoding
    declared in a cookie, or bytes that are invalid in the declared encoding.
    """
    nul = data.find(b"\x00")  # (one scan of the bytes, not one of the head and one of the rest)
    if nul != -1:
        if nul < BINARY_SNIFF_BYTES:
            raise SourceError("binary file (contains NUL bytes); not Python source")
        raise SourceError("contains NUL bytes; not valid Python source")
    encoding = declared_encoding(data)
    bom = data.startswith(UTF8_BOM)
    body = data[len(UTF8_BOM) :] if bom else data
    # detect_encoding reports "utf-8-sig" for a BOM; the BOM is kept apart in ``bom``.
    codec = "utf-8" if encoding in ("utf-8-sig", "utf-8") else encoding
    if not _ascii_compatible(codec):  # what the interpreter says: "encoding problem: utf-16"
        raise SourceError(f"declares {codec}, which Python source cannot use (not ASCII-compatible); not analysed")
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise SourceError(f"cannot decode as {codec} (invalid byte at line {line}); not analysed") from None
    except LookupError:
        raise SourceError(f"unknown encoding {codec!r}; not analysed") from None
    return SourceFile(path=path, text=text, encoding=codec, bom=bom, newline=detect_newline(text))


def too_large_reason(size: int | None) -> str:
    """The DZ000 reason for a file of ``size`` bytes, over :data:`MAX_FILE_BYTES`.

    ``size`` None: a stream (a pipe on stdin), not read past the limit, so of no known size.
    """
    limit = MAX_FILE_BYTES // (1024 * 1024)
    if size is None:
        return f"file too large (over the limit of {limit} MB); not read"
    return f"file too large ({size / (1024 * 1024):.1f} MB, the limit is {limit} MB); not read"


def text_too_large(text: str) -> str | None:
    """The DZ000 reason when a text (an editor's buffer) is over the size limit in UTF-8, else None."""
    if len(text) * 4 <= MAX_FILE_BYTES:  # a character is at most 4 bytes: no need to encode
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    return too_large_reason(size) if size > MAX_FILE_BYTES else None


def _too_large(size: int) -> SourceError:
    return SourceError(too_large_reason(size))


# Open for reading, never blocking (a FIFO without a writer), in binary mode where that exists.
READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read_regular_file(path: str | Path) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_FILE_BYTES`; anything else is refused, never waited for.

    The file is opened without blocking (a FIFO with no writer would otherwise wait
    forever) and checked with ``fstat`` on the open descriptor, so there is no window
    between the check and the read. The read itself is bounded too: a kernel file that
    says it is empty but streams (``/proc/kmsg``) either has nothing to give (``EAGAIN``
    on the non-blocking descriptor: refused) or is cut at the limit, and a file that grows
    past the limit while it is read is refused as too large.
    """
    descriptor = os.open(path, READ_FLAGS)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            if stat.S_ISDIR(status.st_mode):
                raise IsADirectoryError(path)
            raise SourceError("not a regular file (a FIFO, socket or device); not read")
        size = status.st_size
        if size > MAX_FILE_BYTES:
            raise _too_large(size)
        if size:  # the common case, one read: the size fstat gave, from a read asking one byte more
            try:
                first = os.read(descriptor, size + 1)
            except BlockingIOError:
                raise SourceError("would wait for data (a kernel or device stream); not read") from None
            if len(first) == size:  # a short read of a regular file: its end
                return first
            os.lseek(descriptor, 0, os.SEEK_SET)  # grown or shrunk meanwhile: read it as below
        chunks: list[bytes] = []
        total = 0
        want = status.st_size + 1  # one read for an ordinary file; the extra byte sees EOF or growth
        while True:
            try:
                chunk = os.read(descriptor, min(want, MAX_FILE_BYTES + 1 - total))
            except BlockingIOError:
                raise SourceError("would wait for data (a kernel or device stream); not read") from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise _too_large(total)
            want = READ_CHUNK_BYTES
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(descriptor)


def read_source(path: str | Path) -> SourceFile:
    """Read and decode a file; every failure becomes a one-line :class:`SourceError`."""
    return decode_source(read_bytes(path), str(path))


def read_bytes(path: str | Path) -> bytes:
    """Read a regular file's bytes; every failure becomes a one-line :class:`SourceError`."""
    try:
        return _read_regular_file(path)
    except IsADirectoryError:
        raise SourceError(_directory_problem(path)) from None
    except PermissionError:
        if os.path.isdir(path):  # a directory discovery could not list
            raise SourceError(_directory_problem(path)) from None
        raise SourceError("permission denied; cannot read the file") from None
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}") from None


def _directory_problem(path: str | Path) -> str:
    """Why a directory was handed over as a file: discovery yields those it could not list."""
    try:
        with os.scandir(path):
            pass
    except OSError as exc:
        return f"cannot list the directory ({exc.strerror or exc}); the files in it were not checked"
    return "is a directory, not a file"


def char_column(line_text: str, byte_col: int) -> int:
    """Convert a 0-based UTF-8 byte offset in a line (what ``ast`` reports) to a character offset."""
    if byte_col <= 0 or line_text.isascii():
        return max(byte_col, 0)
    return len(line_text.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))


# What ends a line for Python. ``str.splitlines`` also breaks at form feeds, \x0b, \x1c-\x1e,
# \x85 and U+2028/U+2029, which Python keeps inside a line (a form feed may start one).
LINE_END = re.compile(r"\r\n|\r|\n")
_LINE_WITH_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


# The characters ``str.splitlines`` ends a line at and Python does not: only a text holding one
# needs the split by :data:`LINE_END`, five times slower than ``str.splitlines`` (looking for
# each with ``in``, a memchr-like scan, costs a tenth of either).
NOT_PYTHON_LINE_ENDS = ("\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def first_line(node: ast.stmt) -> int:
    """The line a statement starts on, the first of its decorators' when it has any."""
    return min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])


def python_lines(text: str, *, keepends: bool = False) -> list[str]:
    """The lines of a source text as Python numbers them (``str.splitlines`` for source code)."""
    if not any(char in text for char in NOT_PYTHON_LINE_ENDS):
        return text.splitlines(keepends)
    if keepends:
        return _LINE_WITH_END.findall(text)
    lines = LINE_END.split(text)
    if lines[-1] == "":  # the text ends with a line end (or is empty): no line after it
        lines.pop()
    return lines


def line_text(text: str, line: int) -> str:
    """The 1-based ``line`` of ``text`` without its line ending ("" when out of range)."""
    if line < 1:
        return ""
    lines = python_lines(text)
    return lines[line - 1] if line <= len(lines) else ""
