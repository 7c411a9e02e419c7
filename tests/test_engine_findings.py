"""The engine's shortcuts in making findings give what the plain calls give.

``engine._new_finding`` makes each finding without ``Finding.__init__`` (if ``Finding``
gains, loses or reorders a field, these tests fail until it follows); messages are
joined around their subject instead of formatted; rule verdicts are kept per configuration.
"""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import replace

import pytest

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.engine import _message_parts, _new_finding, check_source
from dagster_zenml_lint.findings import Finding, Fix
from dagster_zenml_lint.registry import rules_by_code

VALUES = [
    ("DZ101", 3, 4, "an op", None, None, None, None),
    ("DZ226", 10, 0, "deps=", 11, 5, None, "no fix: the key is computed"),
]


def test_finding_has_the_fields_the_engine_fills() -> None:
    names = [f.name for f in dataclasses.fields(Finding)]
    assert names == ["code", "line", "col", "message", "end_line", "end_col", "fix", "fix_blocker"]


@pytest.mark.parametrize("values", VALUES)
def test_new_finding_is_the_dataclass_instance(values: tuple[object, ...]) -> None:
    made = _new_finding(*values)  # type: ignore[arg-type]
    built = Finding(*values)  # type: ignore[arg-type]
    assert type(made) is Finding
    assert made == built and hash(made) == hash(built)
    assert list(vars(made).items()) == list(vars(built).items())
    assert repr(made) == repr(built)
    assert pickle.loads(pickle.dumps(made)) == built  # (findings cross to the parent process pickled)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.line = 1  # type: ignore[misc]


def test_fixes_and_blockers_are_kept() -> None:
    text = "from dagster import op\n\n@op\ndef a(context) -> int:\n    context.log.info('x')\n    return 1\n"
    findings = {f.code: f for f in check_source(text, with_fixes=True)}
    assert isinstance(findings["DZ106"].fix, Fix)
    assert findings["DZ101"].fix is None and findings["DZ101"].fix_blocker


@pytest.mark.parametrize("subject", ["op 'a'", "{x} and {{y}}", "", "%s"])
def test_message_parts_format_as_the_template_does(subject: str) -> None:
    parts = _message_parts()
    assert len(parts) > len(rules_by_code()) // 2  # (most messages are "...{subject}...")
    for code, rule in rules_by_code().items():
        if code in parts:
            before, after = parts[code]
            assert f"{before}{subject}{after}" == rule.message.format(subject=subject)


def test_each_configuration_gets_its_own_verdicts() -> None:
    text = "from dagster import op\n\n@op\ndef a(context) -> int:\n    context.log.info('x')\n    return 1\n"
    everything, without_dz101 = Config(), Config(ignore=("DZ101",))
    for _ in range(2):  # alternating: a verdict of one configuration never answers for the other
        assert "DZ101" in {f.code for f in check_source(text, config=everything)}
        assert "DZ101" not in {f.code for f in check_source(text, config=without_dz101)}
        assert "DZ101" not in {f.code for f in check_source(text, config=replace(everything, ignore=("DZ1",)))}
