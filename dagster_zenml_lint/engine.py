"""The per-file engine: (path, text, config) -> findings. Pure and front-end agnostic.

Parse once, resolve names once (:mod:`semantic`), walk once (:mod:`.analysis.walk`). During the
walk every Dagster reference, keyword, method call and context-attribute use is looked up in
indexes built from the registry; rules with detectors then query the collected facts
(:mod:`.analysis.match`). This module holds the entry points, fixing and settlement.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Iterable
from functools import cache
from operator import attrgetter

from dagster_zenml_lint.analysis.facts import FileContext, Match, internal_error_finding
from dagster_zenml_lint.analysis.match import _unmapped, match_all
from dagster_zenml_lint.analysis.walk import analyze
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.findings import Finding, Fix
from dagster_zenml_lint.registry import FixOutcome, Index, Rule, all_rules, build_index, rules_by_code
from dagster_zenml_lint.rules import PARSE_ERROR
from dagster_zenml_lint.source import says_noqa


def may_contain_dagster(text: str) -> bool:
    """Cheap pre-filter: every Dagster reference needs an import naming ``dagster``."""
    return "dagster" in text


def syntax_error_finding(exc: SyntaxError | ValueError, target: tuple[int, int] | None = None) -> Finding:
    """The DZ000 finding for a file that does not parse.

    ``target``: the Python the project targets (``Config.target_python``). When it is newer
    than this one, the error may well be the parser's, not the code's, and the message says
    what to do; otherwise a line of PEP 695 syntax gets its own note (:func:`_newer_syntax`).
    """
    if isinstance(exc, SyntaxError):
        line = exc.lineno or 1
        col = max((exc.offset or 1) - 1, 0)
        if target is not None and target > sys.version_info[:2]:
            message = f"syntax error: {exc.msg}; the file was not analysed ({_targets_newer(target)})"
        else:
            newer = _newer_syntax(exc.text or "")
            message = f"syntax error: {exc.msg}{newer}; the file was not analysed"
    else:
        line, col = 1, 0
        message = f"cannot parse: {exc}; the file was not analysed"
    return Finding(PARSE_ERROR, line, col, message)


def _targets_newer(target: tuple[int, int]) -> str:
    """What to do when the project targets a newer Python than this one; it names both once, so it
    replaces the PEP 695 note (the same advice for any syntax the newer Python has)."""
    wanted = f"{target[0]}.{target[1]}"
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    return (
        f"the project targets Python {wanted} and this is Python {running}: "
        f"run dagster-zenml-lint under Python {wanted} or newer"
    )


def _newer_syntax(line: str) -> str:
    """A note on the failing line's syntax when a newer Python than this one has it (PEP 695's
    ``def f[T]``, ``class C[T]``, ``type X = ...``, Python 3.12), else "": the code may be fine."""
    if sys.version_info >= (3, 12):
        return ""
    words = line.replace("[", " [ ").replace("=", " = ").replace(":", " : ").split()
    if words[:1] == ["async"]:
        words = words[1:]
    generic = len(words) > 2 and words[0] in ("def", "class") and words[2] == "["
    alias = len(words) > 2 and words[0] == "type" and words[1].isidentifier() and words[2] in ("=", "[")
    if not (generic or alias):
        return ""
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f" (type parameters and `type` aliases are Python 3.12 syntax; this is Python {running})"


def check_source(
    text: str,
    path: str = "<string>",
    *,
    tree: ast.Module | None = None,
    config: Config | None = None,
    with_fixes: bool = False,
    root: str | None = None,
) -> list[Finding]:
    """Lint one file's text; the single per-file entry point every front-end uses.

    With fixes, a fix that depends on other files of the project (an op a job imports)
    carries those needs unanswered (``Fix.requires``): the engine reads no other file.
    The layer above settles them (:func:`dagster_zenml_lint.fixers.crossfile.check_with_fixes`).
    """
    findings, _ = check_source_with_context(text, path, tree=tree, config=config, with_fixes=with_fixes, root=root)
    return findings


# A finding's outcome when no fix is asked for (an immutable value: one for every finding).
NO_FIX_OUTCOME = FixOutcome()
# The order findings are reported in (``Finding.sort_key``), read from a match in one call.
_MATCH_ORDER = attrgetter("line", "col", "code")


def check_source_with_context(
    text: str,
    path: str = "<string>",
    *,
    tree: ast.Module | None = None,
    config: Config | None = None,
    with_fixes: bool = False,
    root: str | None = None,
) -> tuple[list[Finding], FileContext | None]:
    """Like :func:`check_source`, also returning the file's facts (for the report).

    ``root``: the directory a relative ``path`` is relative to (the report's and migrate's
    project root), where the names imported from the project's own modules are looked up.
    """
    if not may_contain_dagster(text):
        # No Dagster code: nothing to find, and the file is not parsed (its syntax errors are
        # flake8's and ruff's). A noqa directive naming DZ codes may be left, silencing nothing (DZ001).
        # Nothing else is done first: most files of a plugin's run end here.
        if "DZ" in text and says_noqa(text):
            return _unused_noqa_only(text, path, tree, config or Config(), with_fixes=with_fixes)
        return [], None
    config = config or Config()
    if tree is None:
        try:
            tree = ast.parse(text, filename=path)
        except (SyntaxError, ValueError) as exc:
            finding = syntax_error_finding(exc, config.target_python)
            return ([finding] if config.enabled(rules_by_code()[PARSE_ERROR]) else []), None
        except (RecursionError, MemoryError):
            return _too_deep(config), None
    try:
        ctx, faults = analyse_source(text, path, tree, root=root)
        findings = _findings_of(ctx, config, with_fixes, faults)
    except RecursionError:
        # Nesting that the parser accepts can still be deeper than the walk can follow.
        return _too_deep(config), None
    except Exception as exc:  # a bug in the walk: this file only, never the run
        return _analysis_failed(exc, config), None
    return findings, ctx


def analyse_source(
    text: str, path: str, tree: ast.Module, *, root: str | None = None
) -> tuple[FileContext, list[Finding]]:
    """The analysis :func:`check_source_with_context` makes of a parsed file that names Dagster.

    The file's facts, with what the names imported from the project's own modules are
    (``root`` as there), and a DZ000 finding when that lookup failed. Raises what the walk
    raises (``RecursionError`` for code nested too deeply). :func:`check_context` reads it.
    """
    ctx = analyze(path, text, tree)
    faults: list[Finding] = []
    if ctx.classes or ctx.calls:
        from dagster_zenml_lint.class_bases import dynamic_partitions_names, io_manager_bases

        where = _located(path, root)  # a path relative to the project's root (report, migrate)
        try:  # reads other files of the project: a failure costs these two facts only
            ctx.io_bases = io_manager_bases(ctx, where)
            ctx.dynamic_partitions = dynamic_partitions_names(ctx, where)
        except Exception as exc:
            faults.append(internal_error_finding("the lookup of classes imported from the project", exc))
    return ctx, faults


def check_context(
    ctx: FileContext, config: Config, *, with_fixes: bool = False, faults: Iterable[Finding] = ()
) -> list[Finding]:
    """The findings of a file analysed already (:func:`analyse_source`, or the context
    :func:`check_source_with_context` returned), under ``config``.

    One analysis read under several configurations or more than once: ``migrate`` works out
    the direct fixes (DZ1xx) from the analysis its lint made, and the fix applier lints a
    fixed text with the analysis it made to find orphaned imports, instead of walking the
    file again. ``faults``: the analysis' DZ000 findings (:func:`analyse_source`). The fixers'
    work is cached on ``ctx``: a fix asked for again is not worked out again.
    """
    try:
        return _findings_of(ctx, config, with_fixes, list(faults))
    except RecursionError:
        return _too_deep(config)
    except Exception as exc:  # a bug in matching: this file only, never the run
        return _analysis_failed(exc, config)


def _analysis_failed(exc: Exception, config: Config) -> list[Finding]:
    """A file's findings when its analysis raised ``exc``: one DZ000 naming it, if DZ000 is enabled."""
    finding = internal_error_finding("the analysis of the file", exc)
    return [finding] if config.enabled(rules_by_code()[PARSE_ERROR]) else []


def _findings_of(ctx: FileContext, config: Config, with_fixes: bool, faults: list[Finding]) -> list[Finding]:
    """An analysed file's findings under ``config``, DZ001 judged on them, with DZ000 for ``faults``."""
    findings = findings_for(ctx, config, with_fixes=with_fixes)
    if says_noqa(ctx.text):  # DZ001: judged on every other finding
        from dagster_zenml_lint.suppression import unused_noqa_findings

        try:
            unused = unused_noqa_findings(findings, ctx.text, config, with_fixes=with_fixes)
        except Exception as exc:
            unused = []
            faults.append(internal_error_finding("DZ001 (unused noqa)", exc))
        findings = sorted([*findings, *unused], key=lambda f: f.sort_key) if unused else findings
    return _with_faults(findings, faults, config) if faults else findings


def _unused_noqa_only(
    text: str, path: str, tree: ast.Module | None, config: Config, *, with_fixes: bool
) -> tuple[list[Finding], FileContext | None]:
    """DZ001 for a file without Dagster code; a file that does not parse gets nothing (not ours)."""
    from dagster_zenml_lint.suppression import unused_noqa_findings

    if tree is None:
        try:
            tree = ast.parse(text, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return [], None
    unused = unused_noqa_findings([], text, config, with_fixes=with_fixes)
    # the facts of the file, so that the fix applier can work on it (rare: no cost otherwise)
    return unused, (analyze(path, text, tree) if unused else None)


def _located(path: str, root: str | None) -> str:
    """Where a file is on disk: a relative path is taken from ``root`` when one is given."""
    if root is None or path.startswith("<"):
        return path
    return os.path.abspath(os.path.join(root, path))


def with_faults(findings: list[Finding], faults: list[Finding], config: Config) -> list[Finding]:
    """Findings plus DZ000 findings for the steps that failed (one per line), sorted."""
    return _with_faults(findings, faults, config)


def _too_deep(config: Config) -> list[Finding]:
    """DZ000 for code nested too deeply to parse or walk (the parser's and Python's recursion limits)."""
    if not config.enabled(rules_by_code()[PARSE_ERROR]):
        return []
    return [Finding(PARSE_ERROR, 1, 0, "expressions nested too deeply to analyse; the file was not analysed")]


def findings_for(ctx: FileContext, config: Config, *, with_fixes: bool = False) -> list[Finding]:
    """Turn a walked file's matches into de-duplicated, filtered findings."""
    by_code = rules_by_code()
    seen: dict[tuple[str, int], Match] = {}
    faults: list[Finding] = []
    enabled, index = _judged(config)
    matches = list(match_all(ctx, faults, index))
    rules_for_name = build_index().rules_for_name  # what any rule claims, on or off: DZ399 is for the rest
    claimed = {name for name in {ref.canonical for ref in ctx.references} if rules_for_name(name)}
    matches.extend(_unmapped(ctx, claimed))
    covered = _keyword_values(matches)
    for match in sorted(matches, key=_MATCH_ORDER):
        key = (match.code, match.line)
        if key not in seen and not (covered and _inside(match, covered)):
            seen[key] = match
    findings: list[Finding] = []
    message_parts = _message_parts()
    for match in seen.values():
        rule = by_code[match.code]
        if not enabled[rule.code]:
            continue
        outcome = NO_FIX_OUTCOME
        if with_fixes and rule.fixer is not None:
            outcome = _fix_outcome(rule, ctx, match, faults)
        parts = message_parts.get(rule.code)
        message = (
            rule.message.format(subject=match.subject) if parts is None else f"{parts[0]}{match.subject}{parts[1]}"
        )
        findings.append(
            _new_finding(
                rule.code, match.line, match.col, message, match.end_line, match.end_col, outcome.fix, outcome.blocker
            )
        )
    # in (line, col, code) order already, as the matches were: sorted again only with faults added
    return _with_faults(findings, faults, config) if faults else findings


# A keyword's value, by the code of the rule its keyword matched: ((line, col), (end line, end col)).
ValueSpans = dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]


def _keyword_values(matches: list[Match]) -> ValueSpans:
    """Where the values of the keywords rules matched lie (``automation_condition=...``).

    The keyword's finding names the construct (``@asset 'a' uses automation_condition=...``): a
    match of the same rule inside its value (``AutomationCondition.on_cron(...)`` on the next line
    of a multi-line value) is the same construct again, and gives no second finding, as it gives
    none when it sits on the keyword's line. That holds for a rule with fixes too: the fix of a node
    inside a decorator's keyword is the decorator's (``retry_policy=(\n RetryPolicy(...))``: both
    matches carry "Convert @op 'load' to ZenML", or both the same reason it is not rewritten), so
    the keyword's finding carries it, as it does on one line.
    """
    spans: ValueSpans = {}
    for match in matches:
        node = match.node
        if type(node) is ast.keyword:
            value = node.value
            end = (value.end_lineno or value.lineno, value.end_col_offset or 0)
            spans.setdefault(match.code, []).append(((value.lineno, value.col_offset), end))
    return spans


def _inside(match: Match, covered: ValueSpans) -> bool:
    """Whether ``match`` (not a keyword's own) starts inside a value its rule's keyword matched."""
    spans = covered.get(match.code)
    if not spans or type(match.node) is ast.keyword:
        return False
    where = (match.line, match.col)
    return any(start <= where < end for start, end in spans)


# The rules' verdicts under the configuration last asked about (code -> enabled) and the matchers
# of the rules it leaves on (None: every rule's, the index ``match_all`` takes by default): a run
# checks every file under one configuration, and a configuration is immutable, so each rule is
# judged once per run instead of once per file.
_last_judged: tuple[Config, dict[str, bool], Index | None] | None = None


def _judged(config: Config) -> tuple[dict[str, bool], Index | None]:
    """Each rule's ``config.enabled(rule)`` by code, and the index of the rules that are on, worked out
    once per configuration (the same object)."""
    global _last_judged
    last = _last_judged
    if last is not None and last[0] is config:
        return last[1], last[2]
    verdicts = {rule.code: config.enabled(rule) for rule in all_rules()}
    on = frozenset(code for code, enabled in verdicts.items() if enabled)
    index = None if len(on) == len(verdicts) else build_index(on)
    _last_judged = (config, verdicts, index)
    return verdicts, index


@cache
def _message_parts() -> dict[str, tuple[str, str]]:
    """The text before and after ``{subject}`` of each rule message that holds nothing else to format.

    ``message.format(subject=s)`` of such a message is ``f"{before}{s}{after}"``: the same
    text without parsing the template for every finding. Messages with other braces are
    left out (and formatted).
    """
    parts: dict[str, tuple[str, str]] = {}
    for code, rule in rules_by_code().items():
        before, found, after = rule.message.partition("{subject}")
        if found and not any(brace in before + after for brace in "{}"):
            parts[code] = (before, after)
    return parts


_new_object = object.__new__


def _new_finding(
    code: str,
    line: int,
    col: int,
    message: str,
    end_line: int | None,
    end_col: int | None,
    fix: Fix | None,
    fix_blocker: str | None,
) -> Finding:
    """``Finding(code, line, col, ...)`` with every field given, without the dataclass's ``__init__``.

    A frozen dataclass's ``__init__`` sets each of its eight fields with a call to
    ``object.__setattr__``; filling the new instance's ``__dict__`` in one call makes the
    same object (the same fields, in the same order) in half the instructions, and every
    finding of a file passes here. tests/test_engine_findings.py holds it to ``Finding(...)``.
    """
    finding: Finding = _new_object(Finding)
    finding.__dict__.update(
        code=code,
        line=line,
        col=col,
        message=message,
        end_line=end_line,
        end_col=end_col,
        fix=fix,
        fix_blocker=fix_blocker,
    )
    return finding


def _fix_outcome(rule: Rule, ctx: FileContext, match: Match, faults: list[Finding]) -> FixOutcome:
    """A rule's fixer on one match; an exception means no fix (the finding stays) plus a fault."""
    try:
        return rule.fixer(ctx, match)  # type: ignore[misc]
    except Exception as exc:
        faults.append(internal_error_finding(f"the {rule.code} fixer", exc, match.line, match.col))
        return FixOutcome(blocker=f"the fixer failed ({type(exc).__name__}; see DZ000)")


def _with_faults(findings: list[Finding], faults: list[Finding], config: Config) -> list[Finding]:
    """Findings plus the DZ000 findings of rules that failed (one per line), sorted."""
    if faults and config.enabled(rules_by_code()[PARSE_ERROR]):
        lines = {f.line for f in findings if f.code == PARSE_ERROR}
        for fault in faults:
            if fault.line not in lines:
                lines.add(fault.line)
                findings = [*findings, fault]
    return sorted(findings, key=lambda f: f.sort_key)


def iter_rules(codes: Iterable[str]) -> list[Rule]:
    """Rules for a list of codes."""
    by_code = rules_by_code()
    return [by_code[c] for c in codes]
