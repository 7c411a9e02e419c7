"""``--output-format junit``: a JUnit XML report, for CI systems that show test results.

One ``testsuite`` per checked file that has findings (``name`` = its path; without any
finding, one passing ``testcase`` so the run does not read as empty), one
``testcase`` per finding (``name`` = ``CODE`` and position, ``classname`` = the path)
holding a ``failure`` whose message is the finding's and whose text gives the position,
the ZenML target and the redesign hint. The document is built with
:mod:`xml.etree.ElementTree`, so every value is escaped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from dagster_zenml_lint.output import OutputOptions, location, without_lone_surrogates
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.runner import FileResult


def render(results: Sequence[FileResult], options: OutputOptions) -> str:
    """The JUnit XML document (``--statistics`` and ``--quiet`` do not apply)."""
    by_code = rules_by_code()
    failing = [result for result in results if result.findings]
    total = sum(len(result.findings) for result in failing)
    root = ET.Element("testsuites", name="dagster-zenml-lint", tests=str(total), failures=str(total), errors="0")
    for result in failing:
        suite = ET.SubElement(
            root,
            "testsuite",
            name=result.path,
            tests=str(len(result.findings)),
            failures=str(len(result.findings)),
            errors="0",
        )
        lines = result.lines
        for finding in result.findings:
            rule = by_code[finding.code]
            line, col, _, _ = location(result, finding, lines)
            case = ET.SubElement(
                suite, "testcase", name=f"{finding.code} ({rule.symbol}) at {line}:{col}", classname=result.path
            )
            failure = ET.SubElement(case, "failure", message=finding.message, type=rule.severity.name)
            failure.text = (
                f"{result.path}:{line}:{col}: {finding.code} [{rule.severity.name}] {finding.message}\n"
                f"ZenML target: {rule.target}\n{rule.hint}\n{rule.docs_url}"
            )
    if not failing:  # a report with no test reads as "nothing ran" in some CI systems: one passing case
        suite = ET.SubElement(root, "testsuite", name="dagster-zenml-lint", tests="1", failures="0", errors="0")
        ET.SubElement(suite, "testcase", name="No Dagster patterns found", classname="dagster-zenml-lint")
        root.set("tests", "1")
    ET.indent(root)
    # XML cannot carry a lone surrogate (a file name byte that is not UTF-8): U+FFFD instead
    return without_lone_surrogates(ET.tostring(root, encoding="unicode", xml_declaration=True)) + "\n"
