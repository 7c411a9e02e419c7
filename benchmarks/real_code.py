"""Lint seven public Dagster repositories and print the numbers of ``docs/real-code.md``.

One command reproduces them::

    python benchmarks/real_code.py --repos /tmp/repos           # clone what is missing, lint, print
    python benchmarks/real_code.py --repos /tmp/repos --parity  # also run flake8 and compare
    python benchmarks/real_code.py --repos /tmp/repos --sample 100 --seed 17 > sample.md

Each repository is checked out at the commit in :data:`REPOSITORIES` (``git clone`` +
``git checkout``; an existing directory is used as it is, so a tarball of that commit works
too). The linter runs as a user runs it (``python -m dagster_zenml_lint check --output-format
json``, one process per repository, default configuration). Printed: files checked, findings
per rule (per repository and in total), DZ000 findings (files that could not be analysed), the
objects left to DZ399, and with ``--sample N`` a reproducible random sample of N findings with
their source line, for judging by hand (the judged list is in ``docs/real-code.md``).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple


class Repository(NamedTuple):
    """A public repository and the commit the numbers were taken at."""

    slug: str  # owner/name on GitHub
    commit: str

    @property
    def name(self) -> str:
        """The directory it is checked out into."""
        return self.slug.split("/", 1)[1]


REPOSITORIES = (
    Repository("dagster-io/dagster-open-platform", "a5b83cf866fcd2b5db83e6d0bc77748021dac1cd"),
    Repository("dagster-io/hooli-data-eng-pipelines", "272eb866ec22fc27abba873b64da25a9f81bc05a"),
    Repository("dagster-io/project-dagster-university", "07aafc94e63a13b8054f3c23a776b4800c6e57dd"),
    Repository("unicef/giga-dagster", "a4d07fcb3a21e2706c836a0da50dcf883b50547d"),
    Repository("openclimatefix/dagster-dags", "4da1e559e4c5fd197b95c62ce691d77a80f9d5cb"),
    Repository("dehume/corise-dagster", "30d1799736a3ea37bbc4efd20d34efd7e940d10a"),
    Repository("mobidata-bw/ipl-dagster-pipeline", "a5e4d6b1b0e74f8e1579a329e7a34cba86dc71b6"),
)
Finding = dict[str, Any]


def checkout(repos: Path, repo: Repository) -> Path:
    """The repository's directory under ``repos``, cloned at its commit when missing."""
    target = repos / repo.name
    if not target.exists():
        subprocess.run(["git", "clone", "--quiet", f"https://github.com/{repo.slug}.git", str(target)], check=True)
        subprocess.run(["git", "-C", str(target), "checkout", "--quiet", repo.commit], check=True)
    return target


def lint(directory: Path) -> tuple[list[Finding], int]:
    """The CLI's JSON findings for one repository (paths relative to its parent) and the files checked."""
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--output-format", "json", "--exit-zero", directory.name],
        cwd=directory.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0 or "Traceback" in proc.stderr:
        raise SystemExit(f"check failed on {directory}: {proc.stderr.strip()}")
    files = sum(1 for _ in directory.rglob("*.py"))
    return json.loads(proc.stdout), files


def flake8_pairs(directory: Path) -> set[tuple[str, int, str]]:
    """(path, line, code) of flake8's DZ findings on one repository."""
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "DZ", "--format=%(path)s\t%(row)d\t%(code)s", "."],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    pairs = set()
    for line in proc.stdout.splitlines():
        path, row, code = line.split("\t")
        pairs.add((str(Path(directory.name) / Path(path)), int(row), code))
    return pairs


def source_line(repos: Path, finding: Finding) -> str:
    """The finding's line of source, stripped."""
    try:
        lines = (repos / finding["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[finding["line"] - 1].strip() if 0 < finding["line"] <= len(lines) else ""


def table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=Path, required=True, help="directory holding (or receiving) the checkouts")
    parser.add_argument("--parity", action="store_true", help="also run flake8 and compare its findings")
    parser.add_argument("--sample", type=int, default=0, help="print a random sample of this many findings")
    parser.add_argument("--seed", type=int, default=17, help="seed of the sample")
    args = parser.parse_args(argv)
    args.repos.mkdir(parents=True, exist_ok=True)

    everything: list[Finding] = []
    per_repo: dict[str, Counter[str]] = {}
    files_total = 0
    mismatches = 0
    for repo in REPOSITORIES:
        directory = checkout(args.repos, repo)
        findings, files = lint(directory)
        files_total += files
        everything.extend(findings)
        per_repo[repo.name] = Counter(f["code"] for f in findings)
        if args.parity:
            # flake8 sees Python files only; component YAML files (DZ313) are the CLI's alone
            cli = {(f["path"], f["line"], f["code"]) for f in findings if f["path"].endswith(".py")}
            mismatches += len(cli ^ flake8_pairs(directory))

    totals = Counter(f["code"] for f in everything)
    severity = {f["code"]: f["severity"] for f in everything}
    print(
        f"{len(REPOSITORIES)} repositories, {files_total} Python files, {len(everything)} findings, "
        f"{totals.get('DZ000', 0)} DZ000 (not analysed)"
    )
    if args.parity:
        print(f"flake8 against the CLI on Python files: {mismatches} (path, line, code) differences")
    print()
    print(
        table(
            [(r.slug, r.commit[:12], sum(per_repo[r.name].values())) for r in REPOSITORIES],
            ("repository", "commit", "findings"),
        )
    )
    print()
    names = [r.name for r in REPOSITORIES]
    rows = [(code, severity[code], *(per_repo[n].get(code, 0) for n in names), totals[code]) for code in sorted(totals)]
    print(table(rows, ("rule", "severity", *names, "total")))
    print()
    unmapped = Counter(
        f["message"].split(": no specific migration rule")[0] for f in everything if f["code"] == "DZ399"
    )
    print(f"DZ399: {totals.get('DZ399', 0)}")
    print(table(sorted(unmapped.items(), key=lambda item: (-item[1], item[0])), ("object", "count")))
    if args.sample:
        chosen = random.Random(args.seed).sample(
            sorted(everything, key=lambda f: (f["path"], f["line"], f["code"])), args.sample
        )
        print()
        print(
            table(
                [
                    (i, f"`{f['path']}:{f['line']}`", f["code"], f["severity"], f"`{source_line(args.repos, f)[:70]}`")
                    for i, f in enumerate(chosen, start=1)
                ],
                ("#", "where", "rule", "severity", "line"),
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
