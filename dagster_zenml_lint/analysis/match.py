"""Matching: the registry's declarative matchers and detectors run over a file's facts (and DZ399)."""

from __future__ import annotations

from collections.abc import Iterator

from dagster_zenml_lint.analysis.facts import FileContext, Match, Reference, internal_error_finding
from dagster_zenml_lint.analysis.walk import _callee_display, _value_display
from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.registry import Index, NamePredicate, Rule, build_index
from dagster_zenml_lint.rules import UNMAPPED


def _subject_for_reference(ref: Reference, detail: str | None) -> str:
    if detail:
        return detail
    owner = f" '{ref.owner}'" if ref.owner else ""
    if ref.role == "decorator":
        return f"@{ref.short}{owner}"
    if ref.role == "base":
        return f"class{owner} derives from {ref.short}"
    if ref.role == "annotation":
        return f"annotation {ref.short}"
    if ref.role == "import":
        return f"import of {ref.short}"
    if ref.call is not None:
        return f"{ref.short}(){owner and ' assigned to' + owner}"
    return f"{ref.short}"


def match_all(ctx: FileContext, faults: list[Finding] | None = None, index: Index | None = None) -> Iterator[Match]:
    """Every rule match in a walked file (before de-duplication and filtering).

    A predicate or detector that raises is skipped for that event (or the rest of the
    file) and the exception becomes a DZ000 finding in ``faults``: one broken rule never
    hides the others' findings nor ends the run. ``index``: the rules to match (default: all).
    """
    index = build_index() if index is None else index
    faults = [] if faults is None else faults
    rules_for_name = index.rules_for_name
    for ref in ctx.references:
        for rule, pred in rules_for_name(ref.canonical):
            detail = "" if pred is None else _predicate(rule, pred, ctx, ref, ref.line, ref.col, faults)
            if detail is None:
                continue
            yield Match(rule.code, ref.line, ref.col, _subject_for_reference(ref, detail), ref.node)
    keywords = index.keywords
    for use in ctx.keywords:
        for rule, pred in keywords.get(use.keyword.arg or "", ()):
            detail = _predicate(rule, pred, ctx, use, use.keyword.lineno, use.keyword.col_offset, faults)
            if detail is None:
                continue
            subject = detail or (
                f"{_callee_display(ctx, use)} uses {use.keyword.arg}={_value_display(ctx, use.keyword.value)}"
            )
            yield Match(rule.code, use.keyword.lineno, use.keyword.col_offset, subject, use.keyword)
    for method in ctx.methods:
        for rule, pred in index.methods.get(method.node.attr, ()):
            detail = _predicate(rule, pred, ctx, method, method.node.lineno, method.node.col_offset, faults)
            if detail is None:
                continue
            subject = detail or f"{method.receiver}.{method.node.attr}()"
            yield Match(rule.code, method.node.lineno, method.node.col_offset, subject, method.call)
    for context_use in ctx.context_uses:
        chain = context_use.chain
        for depth in range(len(chain), 0, -1):
            rules = index.context_attrs.get(".".join(chain[:depth]))
            if rules is not None:  # the longest chain a rule claims, its rules on or off (build_index)
                subject = f"{context_use.param.name}.{'.'.join(chain)} in '{context_use.function_name}'"
                node = context_use.node
                for rule in rules:
                    yield Match(rule.code, node.lineno, node.col_offset, subject, node)
                break
    for rule, detector in index.detectors:
        try:
            yield from detector(ctx)  # type: ignore[operator]
        except Exception as exc:  # a broken detector costs its own findings only
            faults.append(internal_error_finding(f"{rule.code} detector", exc))


def _predicate(
    rule: Rule, pred: NamePredicate | None, ctx: FileContext, event: object, line: int, col: int, faults: list[Finding]
) -> str | None:
    """A rule's predicate on one event (``""`` without one); an exception counts as "no match" plus a fault."""
    if pred is None:
        return ""
    try:
        return pred(ctx, event)
    except Exception as exc:
        faults.append(internal_error_finding(f"{rule.code} predicate", exc, line, col))
        return None


def _unmapped(ctx: FileContext, claimed: set[str]) -> Iterator[Match]:
    """DZ399 for the references no rule claims (``claimed``: every name of the file some rule claims)."""
    for ref in ctx.references:
        if ref.canonical in claimed:
            continue
        if "." not in ref.canonical and (ref.role != "import" or ref.canonical == "dagster"):
            continue  # a bare module such as ``dagster`` (an unused ``import dagster_k8s`` is reported)
        yield Match(UNMAPPED, ref.line, ref.col, f"{_subject_for_reference(ref, None)} ({ref.canonical})", ref.node)
