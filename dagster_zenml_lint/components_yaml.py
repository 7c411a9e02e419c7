"""DZ313 for ``defs.yaml`` files: each component instance (a document's ``type:`` key).

A Dagster project built with the ``dg`` CLI declares components in ``defs/**/defs.yaml``,
one YAML document per component instance (``type: dagster_dbt.DbtProjectComponent``,
``attributes: ...``). pylint and flake8 only see Python; the CLI and the report call
:func:`check_defs_yaml` for these files.
"""

from __future__ import annotations

import os

import yaml

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.rules import COMPONENT_FILE, PARSE_ERROR


def _type_entries(node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
    """The ``type:`` (key, value) pair of a document's top-level mapping, if any."""
    if not isinstance(node, yaml.MappingNode):
        return []
    return [(key, value) for key, value in node.value if isinstance(key, yaml.ScalarNode) and key.value == "type"]


def _parse_error(exc: yaml.YAMLError) -> Finding:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    col = mark.column if mark is not None else 0
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    message = f"YAML error: {problem}; the component file was not analysed"
    return Finding(PARSE_ERROR, line, col, message)


def check_defs_yaml(text: str, path: str, *, config: Config | None = None) -> list[Finding]:
    """DZ313 findings for each component instance in a ``defs.yaml`` text (DZ000 if it does not parse).

    The message names the file (``defs.yaml``, or the older ``component.yaml``); findings
    carry only positions, front-ends add the path. ``config`` filters the findings as it
    does for Python files.
    """
    config = config or Config()
    name = os.path.basename(path) if path and not path.startswith("<") else "defs.yaml"
    findings = _component_findings(text, name)
    by_code = rules_by_code()
    return [f for f in findings if config.enabled(by_code[f.code])]


def _component_findings(text: str, file_name: str = "defs.yaml") -> list[Finding]:
    rule = rules_by_code()[COMPONENT_FILE]
    findings: list[Finding] = []
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        return [_parse_error(exc)]
    except (ValueError, RecursionError) as exc:  # e.g. NUL bytes, absurd nesting
        return [Finding(PARSE_ERROR, 1, 0, f"cannot read YAML: {exc}; the component file was not analysed")]
    for document in documents:
        if document is None:
            continue
        for key, value in _type_entries(document):
            kind = value.value if isinstance(value, yaml.ScalarNode) else "?"
            subject = f"{file_name} component instance of type '{kind}'"
            findings.append(
                Finding(
                    code=rule.code,
                    line=key.start_mark.line + 1,
                    col=key.start_mark.column,
                    message=rule.message.format(subject=subject),
                    end_line=value.end_mark.line + 1,
                    end_col=value.end_mark.column,
                )
            )
    return findings
