"""The long fuzz run: at least 10,000 generated files, in-process and through the CLI.

Uses the strategies of ``tests/fuzz_strategies.py`` (mutated fixtures and rule examples,
random Dagster-flavoured programs, and ``hypothesmith`` programs when it is installed)
with a random seed, and checks, for every file:

* the engine never raises and its findings are well formed (one DZ000 alone, or real findings);
* the flake8 checker on the parsed tree reports what the engine reports;
* when a fix applies (``--fix`` and ``--unsafe-fixes``), the fixed text parses and a
  second fix changes nothing.

Then the files are written to a directory and ``dagster-zenml-lint check`` runs over all
of them on every core: it must exit 0 or 1, print no traceback, and report each file
at most one DZ000. Failures are not stopped at: each is counted and saved (text and
traceback) under ``--failures`` for triage. The summary goes below the fuzz marker of
``docs/performance.md``::

    python benchmarks/fuzz_long.py --files 10000
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from fuzz_strategies import dagster_programs, mutated_sources  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dagster_zenml_lint.engine import check_source  # noqa: E402
from dagster_zenml_lint.flake8_plugin import DagsterZenmlChecker  # noqa: E402
from dagster_zenml_lint.registry import rules_by_code  # noqa: E402

DOC = REPO / "docs" / "performance.md"
FUZZ_MARKER = "<!-- fuzz-long: everything below is written by benchmarks/fuzz_long.py -->"


def sources_strategy() -> st.SearchStrategy[tuple[str, str]]:
    """(kind, text) pairs from every generator that is available."""
    parts = [
        mutated_sources().map(lambda text: ("mutated fixture or example", text)),
        dagster_programs().map(lambda text: ("random Dagster program", text)),
    ]
    try:
        import hypothesmith

        header = "from dagster import *\nimport dagster as dg\n"
        parts.append(hypothesmith.from_grammar().map(lambda text: ("hypothesmith program", header + text)))
    except ImportError:
        pass
    return st.one_of(*parts)


def parses(text: str) -> ast.Module | None:
    """The tree of ``text``, or None."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def check_text(text: str, stats: Counter) -> None:
    """Every in-process property for one text; raises AssertionError (or anything) on a failure."""
    findings = check_source(text, "fuzz.py", with_fixes=True)
    codes = [f.code for f in findings]
    known = rules_by_code()
    if "DZ000" in codes:
        assert codes == ["DZ000"], f"DZ000 together with other findings: {codes}"
        stats["files with DZ000"] += 1
    else:
        assert all(code in known for code in codes)
        stats["findings"] += len(codes)
    tree = parses(text)
    if tree is not None and "DZ000" not in codes:
        lines = text.splitlines(keepends=True)
        reported = sorted(
            (line, message.split()[0]) for line, _c, message, _t in DagsterZenmlChecker(tree, "fuzz.py", lines).run()
        )
        assert reported == sorted((f.line, f.code) for f in findings), "flake8 checker disagrees with the engine"
    if any(f.fix is not None for f in findings):
        from dagster_zenml_lint.fixers.apply import fix_text

        for unsafe in (False, True):
            result = fix_text(text, "fuzz.py", unsafe=unsafe)
            if result.changed:
                stats["fixed texts checked"] += 1
                assert parses(result.text) is not None, "the fixed text does not parse"
                assert fix_text(result.text, "fuzz.py", unsafe=unsafe).text == result.text, "a second fix changed it"


def main(argv: list[str] | None = None) -> int:
    """Generate, check, run the CLI, write the summary."""
    parser = argparse.ArgumentParser(description="long fuzz run")
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=None, help="default: random (printed)")
    parser.add_argument("--failures", type=Path, default=REPO / "benchmarks" / "fuzz-failures")
    parser.add_argument("--output", type=Path, default=DOC)
    parser.add_argument("--no-write", action="store_true", help="print the summary only")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    print(f"seed {seed}, {args.files} files", flush=True)
    stats: Counter = Counter()
    kinds: Counter = Counter()
    failures: list[tuple[str, str, str]] = []
    texts: list[str] = []
    started = time.perf_counter()

    @settings(
        max_examples=args.files,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(sources_strategy())
    def one(pair: tuple[str, str]) -> None:
        kind, text = pair
        kinds[kind] += 1
        texts.append(text)
        try:
            check_text(text, stats)
        except Exception as exc:  # every failure is recorded; the run goes on
            failures.append((kind, text, "".join(traceback.format_exception(exc))))
        if len(texts) % 1000 == 0:
            print(f"  {len(texts)} files, {len(failures)} failures", flush=True)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hypothesis_seed(seed)(one)()
    in_process = time.perf_counter() - started

    # the same files through the real command line, on every core
    workdir = Path(tempfile.mkdtemp(prefix="dzl-fuzz-"))
    try:
        for index, text in enumerate(texts):
            (workdir / f"f{index:05}.py").write_bytes(text.encode("utf-8", "surrogatepass"))
        started_cli = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "dagster_zenml_lint", "check", "--output-format", "json", "."],
            capture_output=True,
            text=True,
            cwd=workdir,
            check=False,
        )
        cli_seconds = time.perf_counter() - started_cli
        cli_ok = proc.returncode in (0, 1) and "Traceback" not in proc.stderr
        records = json.loads(proc.stdout) if cli_ok else []
        per_file = Counter(r["path"] for r in records if r["code"] == "DZ000")
        double_dz000 = sum(1 for count in per_file.values() if count > 1)
        if not cli_ok:
            failures.append(("CLI run", "", proc.stderr[-5000:]))
        if double_dz000:
            failures.append(("CLI run", "", f"{double_dz000} files with more than one DZ000"))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    if failures:
        args.failures.mkdir(parents=True, exist_ok=True)
        for number, (kind, text, trace) in enumerate(failures):
            (args.failures / f"failure_{number:04}.py").write_text(text, encoding="utf-8", errors="surrogatepass")
            (args.failures / f"failure_{number:04}.txt").write_text(f"{kind}\n\n{trace}", encoding="utf-8")
    distinct = Counter(trace.strip().splitlines()[-1] if trace.strip() else "?" for _k, _t, trace in failures)
    lines = [
        "",
        "## Long fuzz run",
        "",
        f"`python benchmarks/fuzz_long.py --files {args.files} --seed {seed}` on "
        f"{dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M')} UTC, {os.cpu_count()} cores.",
        "",
        "| | |",
        "|---|---:|",
        f"| files generated | {len(texts):,} |",
        *(f"| ... {kind} | {count:,} |" for kind, count in sorted(kinds.items())),
        f"| files that do not parse (DZ000) | {stats['files with DZ000']:,} |",
        f"| findings | {stats['findings']:,} |",
        f"| fixed texts checked (parse, idempotent) | {stats['fixed texts checked']:,} |",
        f"| in-process checks | {in_process:.0f} s |",
        f"| CLI over all files, every core | {cli_seconds:.1f} s, exit code {proc.returncode} |",
        f"| failures | {len(failures)} |",
    ]
    if failures:
        lines += ["", "Failures by last line of the traceback (texts saved for triage):", ""]
        lines += [f"- {count} x `{message[:160]}`" for message, count in distinct.most_common(20)]
    summary = "\n".join(lines) + "\n"
    print(summary)
    if not args.no_write:
        old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        head = old[: old.index(FUZZ_MARKER)] if FUZZ_MARKER in old else old
        args.output.write_text(head.rstrip("\n") + "\n\n" + FUZZ_MARKER + "\n" + summary, encoding="utf-8")
        print(f"wrote {args.output}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
