"""``migrate`` takes the direct fixes (DZ1xx) from its own lint of each file when that lint gives them.

``load_sources`` lints every file under the project's configuration, with fixes; the fix
applier works the direct fixes out under ``select = ["DZ1"]``. Where the two give the same
DZ1xx findings (the project's configuration enables every DZ1xx rule, turns no fixes off,
and its per-file ignores leave DZ1xx alone for the file), the applier's first round reads the
lint's findings instead of matching the rules again, and a file without an allowed DZ1xx fix
is not handed to the applier at all. Elsewhere the applier lints as before: whatever the
configuration silences, the generated code has the same direct fixes. Real engine, real fixers.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from samples import JOB

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.findings import Severity
from dagster_zenml_lint.fixers import apply
from dagster_zenml_lint.fixers.crossfile import SETTLING_FAILED
from dagster_zenml_lint.runner import lint_text_with_context
from dagster_zenml_lint.scaffold import sources

OP_ONLY = "from dagster import op\n\n\n@op\ndef one() -> int:\n    return 1\n"
ASSET_ONLY = "from dagster import asset\n\n\n@asset\ndef table() -> int:\n    return 2\n"


@pytest.fixture
def first_round_lints(monkeypatch) -> list[str]:
    """The texts the fix applier matched the rules on from an analysis made already (its first round
    with a caller's analysis, or a round after the orphaned-import check), in order."""
    seen: list[str] = []
    real = apply.check_context

    def counting(ctx, *args, **kwargs):
        seen.append(ctx.text)
        return real(ctx, *args, **kwargs)

    monkeypatch.setattr(apply, "check_context", counting)
    return seen


@pytest.fixture
def applied(monkeypatch) -> list[str]:
    """The texts handed to the fix applier by ``migrate``, in order."""
    seen: list[str] = []
    real = sources.fix_text

    def counting(text, *args, **kwargs):
        seen.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(sources, "fix_text", counting)
    return seen


def fixed_text(tmp_path: Path, text: str, config: Config | None = None) -> str:
    (tmp_path / "jobs.py").write_text(text, encoding="utf-8")
    _, (module,), skipped = sources.load_sources([tmp_path], config)
    assert not skipped
    return module.fixed_text


def test_the_first_round_reads_the_lint_of_migrate(tmp_path: Path, first_round_lints: list[str]):
    fixed = fixed_text(tmp_path, JOB)
    assert "from zenml import" in fixed and "@step" in fixed and "@pipeline" in fixed
    assert JOB not in first_round_lints  # the original's findings were not matched again


def test_a_file_without_a_direct_fix_is_not_handed_to_the_applier(tmp_path: Path, applied: list[str]):
    assert fixed_text(tmp_path, ASSET_ONLY) == ASSET_ONLY
    assert applied == []


@pytest.mark.parametrize(
    "config",
    [
        Config(ignore=("DZ101",)),
        Config(extend_ignore=("DZ1",)),
        Config(select=("DZ2",)),
        Config(min_severity=Severity.LOW),
        Config(per_file_ignores={"jobs.py": ("DZ101",)}),
        Config(per_file_ignores={"*.py": ("ALL",)}),
        Config(unfixable=("DZ101",)),
        Config(fixable=("DZ2",)),
    ],
    ids=["ignore", "extend-ignore", "select", "min-severity", "per-file", "per-file-all", "unfixable", "fixable"],
)
@pytest.mark.parametrize("text", [JOB, OP_ONLY], ids=["job", "op"])
def test_a_configuration_that_silences_direct_fixes_does_not_change_them(tmp_path: Path, config: Config, text: str):
    (tmp_path / "default").mkdir()
    (tmp_path / "configured").mkdir()
    expected = fixed_text(tmp_path / "default", text)  # under the default configuration
    assert "@step" in expected
    assert fixed_text(tmp_path / "configured", text, config) == expected


def test_a_configuration_that_silences_direct_fixes_is_not_read_alike():
    assert sources.reads_direct_alike(Config())
    assert sources.reads_direct_alike(Config(select=("DZ1", "DZ2"), ignore=("DZ3",), unfixable=()))
    assert not sources.reads_direct_alike(Config(ignore=("DZ109",)))
    assert not sources.reads_direct_alike(Config(min_severity=Severity.LOW))
    assert not sources.reads_direct_alike(Config(unfixable=("DZ301",)))  # a fix it shares with DZ1xx


def test_findings_whose_cross_file_check_failed_are_worked_out_again():
    findings, _ = lint_text_with_context(JOB, "jobs.py", Config(), with_fixes=True)
    direct = sources.direct_findings(findings, "jobs.py", Config(), True)
    assert direct is not None and [f.code for f in direct] == ["DZ101", "DZ102"]
    failed = [replace(f, fix=None, fix_blocker=SETTLING_FAILED) if f.code == "DZ102" else f for f in findings]
    assert sources.direct_findings(failed, "jobs.py", Config(), True) is None
    assert sources.direct_findings(findings, "jobs.py", Config(), False) is None


def test_the_applier_reads_the_findings_it_is_given():
    config = sources.DIRECT_CONFIG
    findings, context = lint_text_with_context(JOB, "jobs.py", config, with_fixes=True)
    assert context is not None
    expected = apply.fix_text(JOB, "jobs.py", config, unsafe=True)
    given = apply.fix_text(JOB, "jobs.py", config, unsafe=True, tree=context.tree, context=context, findings=findings)
    assert (given.text, given.applied, given.remaining, given.dropped) == (
        expected.text,
        expected.applied,
        expected.remaining,
        expected.dropped,
    )
    # what it is given is what it fixes: no findings, nothing to fix
    nothing = apply.fix_text(JOB, "jobs.py", config, unsafe=True, tree=context.tree, context=context, findings=[])
    assert nothing.text == JOB and not nothing.applied
