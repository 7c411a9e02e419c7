"""pylint, flake8 and the CLI report the same (code, line) set on every fixture.

Each tool runs once over all fixtures (pylint and flake8 start slowly), as a real
subprocess with the plugin loaded the way a user loads it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from fixture_annotations import FIXTURES, fixture_files, is_trap, parses

from dagster_zenml_lint.registry import all_rules, rules_by_symbol

PARSEABLE = [p for p in fixture_files() if parses(p)]
Findings = dict[str, set[tuple[str, int]]]


def _by_file(pairs: list[tuple[str, str, int]]) -> Findings:
    grouped: Findings = defaultdict(set)
    for path, code, line in pairs:
        grouped[Path(path).name].add((code, line))
    return grouped


@pytest.fixture(scope="module")
def pylint_findings() -> Findings:
    symbols = ",".join(rule.symbol for rule in all_rules())
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pylint",
            "--load-plugins",
            "dagster_zenml_lint",
            "--disable=all",
            f"--enable={symbols}",
            "--output-format=json",
            "--score=n",
            "--persistent=n",
            *map(str, PARSEABLE),
        ],
        capture_output=True,
        text=True,
        cwd=FIXTURES,
        check=False,
    )
    assert proc.returncode != 32, proc.stderr  # 32: usage error
    assert "Traceback" not in proc.stderr, proc.stderr
    messages = json.loads(proc.stdout or "[]")
    by_symbol = rules_by_symbol()
    return _by_file([(m["path"], by_symbol[m["symbol"]].code, m["line"]) for m in messages])


@pytest.fixture(scope="module")
def flake8_findings() -> Findings:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "flake8",
            "--isolated",
            "--select",
            "DZ",
            "--format=%(path)s\t%(row)d\t%(code)s",
            *map(str, PARSEABLE),
        ],
        capture_output=True,
        text=True,
        cwd=FIXTURES,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    pairs = []
    for line in proc.stdout.splitlines():
        path, row, code = line.split("\t")
        pairs.append((path, code, int(row)))
    return _by_file(pairs)


@pytest.fixture(scope="module")
def cli_findings(tmp_path_factory: pytest.TempPathFactory) -> Findings:
    cache = ["--cache-dir", str(tmp_path_factory.mktemp("cache"))]  # not into the repository's fixtures
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--output-format", "json", *cache, *map(str, PARSEABLE)],
        capture_output=True,
        text=True,
        cwd=FIXTURES,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return _by_file([(r["path"], r["code"], r["line"]) for r in json.loads(proc.stdout)])


@pytest.mark.parametrize("path", PARSEABLE, ids=lambda p: p.name)
def test_three_front_ends_agree(path, pylint_findings, flake8_findings, cli_findings):
    cli = cli_findings.get(path.name, set())
    assert pylint_findings.get(path.name, set()) == cli, "pylint differs from the CLI"
    assert flake8_findings.get(path.name, set()) == cli, "flake8 differs from the CLI"


@pytest.mark.parametrize("path", [p for p in PARSEABLE if is_trap(p)], ids=lambda p: p.name)
def test_traps_are_silent_in_every_front_end(path, pylint_findings, flake8_findings, cli_findings):
    assert not pylint_findings.get(path.name), "pylint reported a trap"
    assert not flake8_findings.get(path.name), "flake8 reported a trap"
    assert not cli_findings.get(path.name), "the CLI reported a trap"


def test_front_ends_report_something(cli_findings, pylint_findings, flake8_findings):
    # guards against three tools agreeing because none of them ran the plugin
    assert sum(map(len, cli_findings.values())) > 0
    assert sum(map(len, pylint_findings.values())) == sum(map(len, cli_findings.values()))
    assert sum(map(len, flake8_findings.values())) == sum(map(len, cli_findings.values()))
