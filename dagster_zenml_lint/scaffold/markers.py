"""The comments generated code carries: ``# Migration note:`` (approximate) and ``# TODO(migration):`` (absent).

The wording follows the registry (the same hint the report prints for a finding), so a
marker in the code and the row in ``MIGRATION_REPORT.md`` say the same thing.
"""

from __future__ import annotations

import functools
import re
import textwrap

from dagster_zenml_lint.findings import Finding, Mapping
from dagster_zenml_lint.fixers.markers import marker_text
from dagster_zenml_lint.registry import Rule, rules_by_code
from dagster_zenml_lint.scaffold.names import comment_text

WIDTH = 100


def snake(name: str) -> str:
    """``JsonFileIOManager`` -> ``json_file_io_manager``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def wrap(prefix: str, text: str, indent: str = "") -> list[str]:
    """A comment of one or more lines starting with ``prefix``; continuation lines start with ``# ``."""
    return list(_wrapped(prefix, text, indent))


@functools.lru_cache(maxsize=4096)  # a project's steps repeat the same notes many times over
def _wrapped(prefix: str, text: str, indent: str) -> tuple[str, ...]:
    # Messages quote names from the user's source: a newline in one must not end the comment.
    safe = comment_text(f"{prefix} {text}".strip())
    # lines break at spaces, never inside a path at its hyphens (``dagster-code/sports-`` / ``code/...``);
    # only a word longer than a whole line is cut, so that every line stays within the width
    lines = textwrap.wrap(safe, width=WIDTH - len(indent), subsequent_indent="#   ", break_on_hyphens=False)
    return tuple(f"{indent}{line}" if line.startswith("#") else f"{indent}# {line}" for line in lines)


def todo(rule: Rule, subjects: str | list[str], indent: str = "") -> list[str]:
    """``# TODO(migration):`` for an absent pattern: the report's redesign hint, then what Dagster did, per place."""
    hint = " ".join(rule.hint.split())
    lines = wrap("# TODO(migration):", f"{rule.code} {rule.symbol} \u2014 {hint}", indent)
    for subject in [subjects] if isinstance(subjects, str) else subjects:
        lines.extend(wrap("#", f"Here: {subject.rstrip('.')}.", indent))
    return lines


def file_todo(relpath: str, indent: str = "") -> list[str]:
    """``# TODO(migration):`` for copied code that reads ``__file__``, which now names the generated module."""
    return wrap(
        "# TODO(migration):",
        f"this code reads __file__, which now names this generated module, not {relpath}: a file it finds "
        "beside the Dagster module (SQL, data, configuration) is not part of the generated project; copy "
        "it and fix the path.",
        indent,
    )


def note(text: str, indent: str = "") -> list[str]:
    """``# Migration note:`` with a concise statement of what behaves differently."""
    return wrap("# Migration note:", text, indent)


def for_finding(finding: Finding, indent: str = "") -> list[str]:
    """The marker a finding deserves in generated code (empty for direct mappings).

    Absent patterns get the same ``# TODO(migration):`` line as ``check --add-markers``
    (the report's redesign hint); approximate patterns the generator translated get a
    note on what now behaves differently, others the ``--add-markers`` note.
    """
    rule = rules_by_code().get(finding.code)
    if rule is None:
        return []
    if rule.mapping == Mapping.APPROXIMATE and rule.scaffold.note:
        return note(f"{rule.scaffold.note} ({rule.code})", indent)
    text = _fixer_marker(finding)
    if text is not None:
        prefix, _, rest = text.partition(":")
        return wrap(prefix + ":", rest.strip(), indent)
    if rule.mapping == Mapping.ABSENT:
        return todo(rule, finding.message, indent)
    if rule.mapping == Mapping.APPROXIMATE:
        return note(f"{finding.message}: {rule.hint} ({rule.code})", indent)
    return []


def _fixer_marker(finding: Finding) -> str | None:
    return marker_text(finding)
