"""The generated blocks of ``docs/performance.md``: what a benchmark run may rewrite.

A block is the text between a start marker line and its end marker line. ``run.py``
replaces the text between the markers of the blocks it measured and nothing else: the
title, the notes people write about the numbers and every other block stay
byte-identical, so a run never destroys hand-written analysis. A document without a
block's markers (or with them twice, or in the wrong order) is an error, never a reason
to append a second copy of the block.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class MarkerError(ValueError):
    """A document's markers do not delimit exactly one block of the name asked for."""


@dataclass(frozen=True)
class Block:
    """One generated block: its start and end marker lines (without their newlines)."""

    name: str
    start: str
    end: str


CHECK = Block("check", "<!-- check: written by benchmarks/run.py -->", "<!-- check: end -->")
CACHE = Block("cache", "<!-- cache: written by benchmarks/run.py (also alone: --cache-only) -->", "<!-- cache: end -->")
PLUGINS = Block(
    "plugins", "<!-- plugins: written by benchmarks/run.py (also alone: --plugins-only) -->", "<!-- plugins: end -->"
)
STARTUP = Block("startup", "<!-- startup: written by benchmarks/run.py -->", "<!-- startup: end -->")
ALL_BLOCKS = (CHECK, CACHE, PLUGINS, STARTUP)


def block_span(document: str, block: Block) -> tuple[int, int]:
    """Where ``block``'s text lies in ``document``: from just after its start marker line
    to the start of its end marker line.

    Raises :class:`MarkerError` unless each marker is a whole line, present exactly once,
    the start before the end.
    """
    lines = document.splitlines(keepends=True)
    starts = [index for index, line in enumerate(lines) if line.rstrip("\r\n") == block.start]
    ends = [index for index, line in enumerate(lines) if line.rstrip("\r\n") == block.end]
    if len(starts) != 1 or len(ends) != 1:
        raise MarkerError(
            f"the {block.name!r} block needs exactly one line {block.start!r} and one line {block.end!r} "
            f"(found {len(starts)} and {len(ends)})"
        )
    if ends[0] < starts[0]:
        raise MarkerError(f"the {block.name!r} block ends ({block.end!r}) before it starts ({block.start!r})")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets[starts[0] + 1], offsets[ends[0]]


def check_blocks(document: str, blocks: Iterable[Block]) -> None:
    """Raise :class:`MarkerError` if any of ``blocks`` cannot be found (before a long run, not after it)."""
    for block in blocks:
        block_span(document, block)


def replace_block(document: str, block: Block, body: str) -> str:
    """``document`` with the text between ``block``'s marker lines replaced by ``body``.

    ``body`` is a whole number of lines (a final newline is added when missing); the
    marker lines and everything outside them are kept as they are.
    """
    begin, end = block_span(document, block)
    if body and not body.endswith("\n"):
        body += "\n"
    return document[:begin] + body + document[end:]


def read_document(path: Path) -> str:
    """The document's text, its bytes decoded as they are (no newline translation)."""
    try:
        document = path.read_bytes().decode("utf-8")  # bytes: line endings outside the blocks stay as they are
    except OSError as error:
        raise MarkerError(f"cannot read the document: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise MarkerError(f"the document is not UTF-8 ({error.reason} at byte {error.start})") from None
    return document


def rewrite_blocks(path: Path, bodies: dict[Block, str]) -> None:
    """Replace each block's text in the file at ``path`` (all or none: it is written once, at the end)."""
    document = read_document(path)
    for block, body in bodies.items():
        document = replace_block(document, block, body)
    path.write_bytes(document.encode("utf-8"))
