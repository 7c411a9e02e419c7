"""The pre-commit hooks, run by the real ``pre-commit try-repo`` against this repository.

``try-repo`` clones this repository at HEAD (``--ref``: what is committed is what a user
would get, whatever is being edited in the working tree), builds the hook's environment
with pip and runs it on a throw-away git repository, the way a user's
``.pre-commit-config.yaml`` would. ``PRE_COMMIT_HOME`` points into a
temporary directory, so nothing is shared with the user's own cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_zenml_lint.registry import get_rule

REPO_ROOT = Path(__file__).resolve().parents[1]

OPS = """\
from dagster import op


@op
def add_one(x: int) -> int:
    return x + 1
"""
CLEAN = """\
from zenml import step


@step
def add_one(x: int) -> int:
    return x + 1
"""

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
    pytest.mark.skipif(
        subprocess.run(
            ["git", "-C", str(REPO_ROOT), "ls-files", "--error-unmatch", ".pre-commit-hooks.yaml"],
            capture_output=True,
            check=False,
        ).returncode
        != 0,
        reason="try-repo needs .pre-commit-hooks.yaml committed in this repository",
    ),
]


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Process environment with a private PRE_COMMIT_HOME and a git identity."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.com",
        PRE_COMMIT_COLOR="never",
    )
    return env


def make_repo(path: Path, files: dict[str, str], env: dict[str, str]) -> Path:
    """A git repository with ``files`` committed."""
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-q", "-m", "init"]):
        subprocess.run(command, cwd=path, env=env, check=True, capture_output=True)
    return path


def head() -> str:
    """The commit this repository's HEAD points at."""
    return subprocess.run(
        ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()


def try_repo(repo: Path, hook: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo <this repository> <hook> --all-files`` in ``repo``."""
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO_ROOT), hook, "--ref", head(), "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_check_hook_fails_with_the_findings(tmp_path: Path, environment: dict[str, str]) -> None:
    # notes.txt holds Dagster code too, but `types: [python]` keeps it away from the hook
    repo = make_repo(tmp_path / "repo", {"ops.py": OPS, "notes.txt": OPS}, environment)
    completed = try_repo(repo, "dagster-zenml-lint", environment)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    assert "Failed" in output
    assert "ops.py:4:2: DZ101" in output
    assert "notes.txt" not in output.split("hooks:")[-1]


def test_check_hook_passes_on_zenml_code(tmp_path: Path, environment: dict[str, str]) -> None:
    repo = make_repo(tmp_path / "repo", {"steps.py": CLEAN}, environment)
    completed = try_repo(repo, "dagster-zenml-lint", environment)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "Passed" in output


@pytest.mark.skipif(get_rule("DZ101").fixer is None, reason="DZ101 has no fixer yet")
def test_fix_hook_rewrites_op_to_step(tmp_path: Path, environment: dict[str, str]) -> None:
    repo = make_repo(tmp_path / "repo", {"ops.py": OPS}, environment)
    completed = try_repo(repo, "dagster-zenml-lint-fix", environment)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    assert "files were modified by this hook" in output
    fixed = (repo / "ops.py").read_text(encoding="utf-8")
    assert "@step\ndef add_one" in fixed and "@op" not in fixed
    # it prints what it changed, not the findings (that is the check hook's output)
    assert "ops.py:4:2: DZ101 Convert @op 'add_one'" in output and "Fixed 1 finding in 1 file." in output
    assert "ops.py:4:2: DZ101 [INFO]" not in output and "Found " not in output
    assert "from zenml import step" in fixed
    # a second run has nothing left to change
    again = try_repo(repo, "dagster-zenml-lint-fix", environment)
    assert "files were modified by this hook" not in again.stdout + again.stderr
    assert (repo / "ops.py").read_text(encoding="utf-8") == fixed


def test_hooks_honour_the_pyproject_configuration(tmp_path: Path, environment: dict[str, str]) -> None:
    pyproject = '[tool.dagster-zenml-lint]\nignore = ["DZ1"]\n'
    repo = make_repo(tmp_path / "repo", {"ops.py": OPS, "pyproject.toml": pyproject}, environment)
    completed = try_repo(repo, "dagster-zenml-lint", environment)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "DZ101" not in output


def test_hook_names_a_malformed_config_key(tmp_path: Path, environment: dict[str, str]) -> None:
    pyproject = '[tool.dagster-zenml-lint]\nselectt = ["DZ1"]\n'
    repo = make_repo(tmp_path / "repo", {"ops.py": OPS, "pyproject.toml": pyproject}, environment)
    completed = try_repo(repo, "dagster-zenml-lint", environment)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    assert "exit code: 2" in output
    assert "unknown key 'selectt'" in output
