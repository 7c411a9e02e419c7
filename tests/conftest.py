"""Fixtures shared by the test modules: lint a snippet, a project directory.

``lint`` runs the engine on a snippet (dedented, so tests may indent their sources) and
returns a :class:`Linted`, which answers the questions the tests ask of findings.
``project`` is a temporary directory with its own empty ``[tool.dagster-zenml-lint]``
table, so no configuration outside it applies.
"""

from __future__ import annotations

import subprocess
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from dagster_zenml_lint.cache import CACHE_DIR_ENV
from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.findings import Finding


@dataclass(frozen=True)
class Linted:
    """The findings of one snippet, with the views the tests compare."""

    findings: tuple[Finding, ...]

    def found(self) -> set[tuple[str, int]]:
        """Every (code, line) reported."""
        return {(f.code, f.line) for f in self.findings}

    def positions(self) -> list[tuple[int, str]]:
        """Every (line, code) reported, sorted."""
        return sorted((f.line, f.code) for f in self.findings)

    def lines(self, code: str) -> set[int]:
        """The lines reported with ``code``."""
        return {f.line for f in self.findings if f.code == code}

    def codes_on(self, line: int) -> set[str]:
        """The codes reported on ``line``."""
        return {f.code for f in self.findings if f.line == line}

    def messages_on(self, line: int) -> dict[str, str]:
        """Code -> message of the findings on ``line``."""
        return {f.code: f.message for f in self.findings if f.line == line}

    def blockers(self, code: str) -> list[str | None]:
        """Why each finding of ``code`` has no fix (``None`` where it has one)."""
        return [f.fix_blocker for f in self.findings if f.code == code]


def lint_snippet(source: str | Path, path: str = "t.py", *, with_fixes: bool = False) -> Linted:
    """The engine's findings for ``source`` (dedented) as if it were the file ``path``.

    ``source`` may be a file: its text is linted under its own path (so the engine can
    look at the modules beside it).
    """
    if isinstance(source, Path):
        text, path = source.read_text(encoding="utf-8"), str(source)
    else:
        text = textwrap.dedent(source)
    return Linted(tuple(check_source(text, path, with_fixes=with_fixes)))


@pytest.fixture
def lint() -> Callable[..., Linted]:
    """Lint a snippet or a file: ``lint(text_or_path, path="t.py", with_fixes=False)`` -> :class:`Linted`."""
    return lint_snippet


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project directory with its own (empty) configuration: no outer pyproject.toml applies."""
    (tmp_path / "pyproject.toml").write_text("[tool.dagster-zenml-lint]\n", encoding="utf-8")
    return tmp_path


# --- The suite writes nothing into the repository -------------------------------------
# Tests run in parallel processes (pytest-xdist, scripts/test.sh): a file a test writes into
# the repository (a lint cache, regenerated docs, a generated project) is shared by them and
# left behind. Each test writes under its own tmp_path instead; this check, in the process
# that runs the session (the xdist controller, or the one serial process), names any file
# the run left in the working tree and fails the run.

REPO = Path(__file__).resolve().parents[1]
# what Python, pytest and hypothesis keep beside the code by design (all in .gitignore)
EXPECTED_LEFTOVERS = ("__pycache__", ".pytest_cache", ".hypothesis", ".egg-info")
_UNTRACKED_AT_START = pytest.StashKey[frozenset[str] | None]()
_LEFT_IN_REPO = pytest.StashKey[list[str]]()


def untracked_files(repo: Path) -> frozenset[str] | None:
    """The untracked and ignored paths of the git working tree ``repo`` (``None``: not a git checkout)."""
    try:
        listed = subprocess.run(
            ["git", "-C", str(repo), "status", "--porcelain=v1", "-z", "--ignored", "--untracked-files=all"],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    entries = (entry.decode("utf-8", "surrogateescape") for entry in listed.split(b"\0") if entry)
    return frozenset(
        entry[3:]
        for entry in entries
        if entry[:2] in ("??", "!!") and not any(part in entry for part in EXPECTED_LEFTOVERS)
    )


@pytest.fixture(autouse=True)
def _lint_cache_outside_the_repository(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Every test's ``check`` runs keep their cache in a directory of their own.

    A run over files without a configuration keeps its cache in the working directory, the
    repository when pytest runs there (like ruff). The environment variable counts as
    ``--cache-dir`` and reaches the subprocesses too; a test of the default location removes it.
    """
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path_factory.mktemp("lint-cache")))


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # not an xdist worker
        session.config.stash[_UNTRACKED_AT_START] = untracked_files(REPO)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_UNTRACKED_AT_START, None)
    if before is None:
        return
    after = untracked_files(REPO)
    left = sorted(after - before) if after is not None else []
    if left:
        session.config.stash[_LEFT_IN_REPO] = left
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    left = terminalreporter.config.stash.get(_LEFT_IN_REPO, [])
    if left:
        terminalreporter.section("files the tests left in the repository", red=True)
        for path in left:
            terminalreporter.line(path)
        terminalreporter.line("write them under tmp_path: parallel test processes share the repository")


# --- The slowest modules first ------------------------------------------------------------
# Parallel workers take tests in collection order; the modules that run real Dagster and
# ZenML in subprocesses take 20-100 s a test (timed on 2 cores), so when they come last
# (their names sort late) one worker runs them alone at the end while the other is idle.
# Collected first, they run beside the many quick tests instead. Within a module the
# order is pytest's, so module-scoped fixtures are still built once per worker.
SLOWEST_MODULES = (
    "test_migrate_projects.py",
    "test_migrate_model.py",
    "test_migrate_run.py",
    "test_zenml_targets.py",
    "test_migrate_real_shapes.py",
    "test_precommit.py",
    "test_migrate_cache.py",
    "test_migrate_failures.py",
    "test_migrate_lifecycle.py",
    "test_fix_semantics.py",
    "test_crossfile_fuzz.py",
)


@pytest.hookimpl(trylast=True)  # after pytest grouped the items by their scoped fixtures
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move the tests of :data:`SLOWEST_MODULES` to the front, slowest module first, keeping the rest in order."""
    rank = {name: index for index, name in enumerate(SLOWEST_MODULES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
