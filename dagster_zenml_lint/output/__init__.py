"""Output formats of ``dagster-zenml-lint check``.

Each format is a module here with a ``render(results, options) -> str`` function; the
:data:`FORMATS` table maps the ``--output-format`` name to the module. Adding a format
(``sarif``, ``github``) means adding a module and its name to ``config.OUTPUT_FORMATS``
(the configuration checks the setting without loading this package).

Every format describes a finding with the same record (:func:`finding_record`): the
registry's fields plus the location. Columns are 1-based and count characters, like
ruff's and flake8's output; ``end_col`` points one past the last character.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from dagster_zenml_lint.config import OUTPUT_FORMATS
from dagster_zenml_lint.findings import Applicability, Finding
from dagster_zenml_lint.registry import Rule, rules_by_code
from dagster_zenml_lint.runner import FileResult
from dagster_zenml_lint.source import char_column

if TYPE_CHECKING:
    from dagster_zenml_lint.locations import TextIndex

FORMATS: dict[str, str] = {name: f"{__name__}.{name.replace('-', '_')}" for name in OUTPUT_FORMATS}

Renderer = Callable[[Sequence[FileResult], "OutputOptions"], str]

# A lone surrogate: how a file name byte that is not UTF-8 reaches a ``str`` (os.fsdecode).
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(value: Any, **dumps_options: Any) -> str:
    """``value`` as JSON (non-ASCII text kept readable) that is valid UTF-8, whatever file names it holds.

    A lone surrogate cannot be written as UTF-8; it becomes its ``\\uXXXX`` escape, which
    JSON readers turn back into the same string (``os.fsencode`` then gives the file's bytes).
    """
    # imported here (not ``import json``: the submodule ``output.json`` would replace that name in
    # this package), as the line index below: the text format needs neither (start-up)
    from json import dumps as json_dumps

    text = json_dumps(value, ensure_ascii=False, **dumps_options)
    return LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def without_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (for formats, like XML, that cannot carry one)."""
    return LONE_SURROGATE.sub("\ufffd", text)


def utf8_bytes(text: str) -> bytes:
    """``text`` as UTF-8, each lone surrogate as U+FFFD: a written report or generated file is valid UTF-8.

    Nearly every text encodes as it is; only when that fails is it scanned for surrogates
    (a scan of a 5,000-file project's report costs more than its encoding, about 6 ms).
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return without_lone_surrogates(text).encode("utf-8")


class OutputOptions(NamedTuple):
    """How the results should be shown (set by the command line)."""

    statistics: bool = False
    quiet: bool = False
    unsafe_fixes: bool = False
    fixes_computed: bool = True  # False: the findings carry no fixes (check without a fix flag)
    show_fixes: bool = False  # --show-fixes: also say why a finding has no automatic fix
    rules_enabled: bool = True  # False: the selection left no rule (``--ignore ALL``), nothing was looked for


def get_renderer(name: str) -> Renderer:
    """The ``render`` function of an output format (KeyError for an unknown name)."""
    module = importlib.import_module(FORMATS[name])
    return module.render  # type: ignore[no-any-return]


def is_fixable(finding: Finding, options: OutputOptions) -> bool:
    """Whether ``--fix`` (or ``--fix --unsafe-fixes`` when enabled) would fix this finding."""
    if finding.fix is None:
        return False
    if finding.fix.applicability is Applicability.SAFE:
        return True
    return finding.fix.applicability is Applicability.UNSAFE and options.unsafe_fixes


def is_hidden_fix(finding: Finding, options: OutputOptions) -> bool:
    """Whether the finding has an unsafe fix that only ``--unsafe-fixes`` would apply."""
    return finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE and not options.unsafe_fixes


def hidden_fixes_note(hidden: int) -> str:
    """ruff's words for unsafe fixes the flags leave out: ``N hidden fixes can be enabled with `--unsafe-fixes```."""
    return f"{hidden} hidden fix{'' if hidden == 1 else 'es'} can be enabled with `--unsafe-fixes`"


def location(result: FileResult, finding: Finding, lines: Sequence[str]) -> tuple[int, int, int | None, int | None]:
    """1-based character (line, col, end_line, end_col) of a finding."""
    col = char_column(lines[finding.line - 1], finding.col) if 0 < finding.line <= len(lines) else finding.col
    end_line, end_col = finding.end_line, finding.end_col
    if end_line is not None and end_col is not None:
        if 0 < end_line <= len(lines):
            end_col = char_column(lines[end_line - 1], end_col)
        end_col += 1
    return finding.line, col + 1, end_line, end_col


@lru_cache(maxsize=4)
def text_index(text: str) -> TextIndex:
    """The line index of a file's text (records of one file are made one after another: built once)."""
    from dagster_zenml_lint.locations import TextIndex

    return TextIndex(text)


def finding_record(result: FileResult, finding: Finding, lines: Sequence[str] | None = None) -> dict[str, Any]:
    """The JSON-ready description of one finding: every registry field plus its location.

    The end is the end of the region the finding covers, the one SARIF and GitHub
    annotations show (1-based, one past the last character); a file whose text could
    not be read has only the engine's own end, if any.
    """
    rule: Rule = rules_by_code()[finding.code]
    line, col, end_line, end_col = location(result, finding, result.lines if lines is None else lines)
    if result.source is not None:
        span = text_index(result.source.text).finding_span(finding)
        line, col, end_line, end_col = span.start_line, span.start_col + 1, span.end_line, span.end_col + 1
    fix = None
    if finding.fix is not None:
        fix = {"applicability": finding.fix.applicability.value, "description": finding.fix.description}
    return {
        "code": rule.code,
        "symbol": rule.symbol,
        "severity": rule.severity.name,
        "mapping": rule.mapping.value,
        "message": finding.message,
        "path": result.path,
        "line": line,
        "col": col,
        "end_line": end_line,
        "end_col": end_col,
        "target": rule.target,
        "hint": rule.hint,
        "docs_url": rule.docs_url,
        "zenml_docs_url": rule.zenml_docs_url,
        "fix": fix,
        "fix_blocker": finding.fix_blocker,
    }


@dataclass(frozen=True)
class RuleCount:
    """How often one rule was reported, for ``--statistics``."""

    rule: Rule
    count: int
    fixable: int


def statistics(results: Sequence[FileResult], options: OutputOptions) -> list[RuleCount]:
    """Findings per rule (most frequent first, then by code)."""
    counts: Counter[str] = Counter()
    fixable: Counter[str] = Counter()
    for result in results:
        for finding in result.findings:
            counts[finding.code] += 1
            if is_fixable(finding, options):
                fixable[finding.code] += 1
    by_code = rules_by_code()
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [RuleCount(by_code[code], count, fixable[code]) for code, count in ordered]
