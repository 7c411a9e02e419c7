"""The pylint front-end: ``pylint --load-plugins dagster_zenml_lint FILES``.

pylint wants every message id of one checker class to share a two-digit checker id, so
there is one checker class per hundred of DZ codes (see
:func:`dagster_zenml_lint.registry.pylint_msgid`): DZ0xx -> 51, DZ1xx -> 52, DZ2xx -> 53,
DZ3xx -> 54. The checkers share one engine run per module: the first checker that visits
a module runs the engine on the module's source text and the others reuse the result.
Each finding is emitted under its symbol (``dagster-sensor``), so ``# pylint:
disable=dagster-sensor`` works; the message text starts with the severity
(``[HIGH] ...``). The option ``--dagster-min-severity`` filters by severity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pylint.checkers import BaseChecker
from pylint.constants import WarningScope

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.findings import Finding, Severity
from dagster_zenml_lint.fixers import fixable_note
from dagster_zenml_lint.fixers.crossfile import check_with_fixes, process_index
from dagster_zenml_lint.registry import Rule, all_rules, rules_by_code
from dagster_zenml_lint.source import SourceError, decode_source

if TYPE_CHECKING:
    from astroid import nodes
    from pylint.lint import PyLinter

OPTION_NAME = "dagster-min-severity"


@dataclass
class ModuleFindings:
    """The findings of the module being checked, computed once and shared by the checkers."""

    module: Any = None
    min_severity: Severity | None = None
    findings: list[Finding] = field(default_factory=list)

    def get(self, module: nodes.Module, min_severity: Severity) -> list[Finding]:
        """Findings for ``module`` (runs the engine on the first call per module)."""
        if self.module is not module or self.min_severity != min_severity:
            self.module = module
            self.min_severity = min_severity
            self.findings = _run_engine(module, Config(min_severity=min_severity))
        return self.findings


def _module_text(module: nodes.Module) -> str | None:
    """The module's source text, decoded like the CLI does (BOM, coding cookie)."""
    try:
        with module.stream() as stream:
            data = stream.read()
    except (OSError, AttributeError, TypeError):
        data = getattr(module, "file_bytes", None)
    if data is None:
        return None
    if isinstance(data, str):
        return data
    try:
        return decode_source(data, module.file or module.name).text
    except SourceError:
        return None


def _run_engine(module: nodes.Module, config: Config) -> list[Finding]:
    text = _module_text(module)
    if text is None:
        return []
    return check_with_fixes(text, module.file or module.name, config=config, project=process_index())[0]


def _messages(rules: list[Rule]) -> dict[str, tuple[str, str, str, dict[str, Any]]]:
    # Line-scoped messages: findings come from the engine with positions, not astroid nodes.
    return {
        rule.pylint_msgid: (
            "%s",
            rule.symbol,
            f"{rule.title.strip('.')}. ZenML target: {rule.target}. {rule.hint} ({rule.code}, {rule.docs_url})",
            {"scope": WarningScope.LINE},
        )
        for rule in rules
    }


class DagsterChecker(BaseChecker):
    """Base of the four checkers: emits its own hundred of DZ codes from the shared engine run."""

    hundreds: ClassVar[int] = 0

    def __init__(self, linter: PyLinter, shared: ModuleFindings) -> None:
        super().__init__(linter)
        self.shared = shared

    def _min_severity(self) -> Severity:
        value = getattr(self.linter.config, OPTION_NAME.replace("-", "_"), "info")
        return Severity.parse(str(value))

    def visit_module(self, node: nodes.Module) -> None:
        """Report this checker's findings for the module."""
        by_code = rules_by_code()
        for finding in self.shared.get(node, self._min_severity()):
            if int(finding.code[2:]) // 100 != self.hundreds:
                continue
            rule = by_code[finding.code]
            self.add_message(
                rule.symbol,
                line=finding.line,
                col_offset=finding.col,
                end_lineno=finding.end_line,
                end_col_offset=finding.end_col,
                args=(f"[{rule.severity.name}] {finding.message}{fixable_note(finding)}",),
            )


def _checker_class(hundreds: int) -> type[DagsterChecker]:
    """Build the checker class for DZ{hundreds}xx codes (checker id 51 + hundreds)."""
    rules = [r for r in all_rules() if int(r.code[2:]) // 100 == hundreds]
    attributes: dict[str, Any] = {
        "name": f"dagster-zenml-lint-dz{hundreds}xx",
        "msgs": _messages(rules),
        "hundreds": hundreds,
        "__doc__": f"Dagster patterns DZ{hundreds}00-DZ{hundreds}99 (pylint checker id {51 + hundreds}).",
    }
    if hundreds == 0:
        attributes["options"] = (
            (
                OPTION_NAME,
                {
                    "default": "info",
                    "type": "choice",
                    "choices": [s.name.lower() for s in Severity],
                    "metavar": "<info|low|medium|high>",
                    "help": "Report Dagster findings at or above this severity.",
                },
            ),
        )
    return type(f"DagsterChecker{hundreds}xx", (DagsterChecker,), attributes)


def checker_classes() -> list[type[DagsterChecker]]:
    """One checker class per hundred of DZ codes that has rules (DZ0xx always: it holds the option)."""
    hundreds = sorted({int(r.code[2:]) // 100 for r in all_rules()} | {0})
    return [_checker_class(h) for h in hundreds]


def register(linter: PyLinter) -> None:
    """Register the checkers with pylint (called through ``dagster_zenml_lint.register``)."""
    shared = ModuleFindings()
    for cls in checker_classes():
        linter.register_checker(cls(linter, shared))
