"""Measure dagster-zenml-lint side by side with its baselines and write the tables of ``docs/performance.md``.

One command reproduces every number::

    python benchmarks/run.py                # full run (1,000 / 5,000 / 10,000 files; ~15 minutes on 2 cores)
    python benchmarks/run.py --cache-only   # the cache block alone: cache, report and migrate (5,000 files)
    python benchmarks/run.py --plugins-only # the plugins block alone
    python benchmarks/run.py --quick        # a smoke run with small corpora (prints, writes nothing)

The script writes measured facts only (what was run, on which machine and commit, under
which load; the tables, with their targets and verdicts), each into its block of the
document: the text between a block's marker lines (:mod:`doc_blocks`). Everything outside
the blocks, the notes people write about the numbers included, is never touched; a
document without a block's markers is an error (exit 2), found before measuring.

What is measured (wall-clock medians over ``--runs`` runs after one warm-up run; each
command is a fresh process, so interpreter start-up and imports are included):

* the floor: one Python process that walks the tree, reads every ``*.py`` file and
  ``ast.parse``-es it, against ``dagster-zenml-lint check`` on 1 core and on all cores,
  at several corpus sizes (the ratio should stay flat: linear scaling);
* ``flake8`` with and without the plugin (the plugin is hidden from flake8's plugin
  finder for the bare run, so both runs are the same flake8 with the same options);
* ``pylint`` with and without ``--load-plugins dagster_zenml_lint`` on a subset;
* start-up: ``dagster-zenml-lint --version`` against ``python -c pass``, and the import
  time of ``dagster_zenml_lint`` (``python -X importtime``);
* the file count from which the process pool pays off (``dagster_zenml_lint.parallel``);
* peak memory: the largest resident set of the command or any of its children
  (``ru_maxrss`` from ``wait4``).

The corpora come from :mod:`generate` (deterministic for a seed) and are written under
``--workdir`` (default: a temporary directory, removed afterwards).
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from doc_blocks import CACHE, CHECK, PLUGINS, STARTUP, Block, MarkerError, check_blocks, read_document, rewrite_blocks
from generate import generate

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "performance.md"
CACHE_SIZE = 5000  # the corpus the cache targets of issue 14 are stated for
PYTHON = sys.executable
CLI = [PYTHON, "-m", "dagster_zenml_lint.cli"]

FLOOR_SCRIPT = """
import ast, os, sys
count = 0
for root in sys.argv[1:]:
    for current, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(current, name)
                with open(path, "rb") as handle:
                    ast.parse(handle.read(), path)
                count += 1
print(count)
"""

# flake8 with our plugin hidden from its plugin finder ("without"), or untouched ("with").
FLAKE8_DRIVER = """
import sys
from flake8.plugins import finder
hide = sys.argv.pop(1) == "without"
find = finder._find_importlib_plugins
def visible_plugins():
    for plugin in find():
        if not (hide and plugin.package == "dagster-zenml-lint"):
            yield plugin
finder._find_importlib_plugins = visible_plugins
from flake8.main.cli import main
main()
"""

# Serial against pooled linting of the first N files of a corpus, in one process.
THRESHOLD_SCRIPT = """
import sys, time
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import discover
from dagster_zenml_lint import parallel
root, jobs, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
files = list(discover([root], Config()))
config = Config()
parallel.lint_files(files[:50], config, jobs=1)  # warm the caches (rule index) in the parent
for count in map(int, sys.argv[4:]):
    subset = files[:count]
    serial, pooled = [], []
    for _ in range(runs):
        start = time.perf_counter()
        parallel.lint_files(subset, config, jobs=1)
        serial.append(time.perf_counter() - start)
        start = time.perf_counter()
        parallel.lint_files(subset, config, jobs=jobs, threshold=0)
        pooled.append(time.perf_counter() - start)
    serial.sort(); pooled.sort()
    print(count, serial[len(serial) // 2], pooled[len(pooled) // 2])
"""


@dataclass
class Sample:
    """Medians of one command's runs."""

    label: str
    seconds: float  # wall clock
    cpu: float  # user + system time of the process and its workers
    max_rss_mib: float
    runs: int

    def ratio(self, base: Sample) -> float:
        """This sample's wall time relative to ``base``."""
        return self.seconds / base.seconds if base.seconds else float("nan")

    def cpu_ratio(self, base: Sample) -> float:
        """This sample's CPU time relative to ``base``."""
        return self.cpu / base.cpu if base.cpu else float("nan")


def run_once(command: Sequence[str], cwd: Path | None = None) -> tuple[float, float, float, int, str]:
    """Run a command once; return (wall seconds, CPU seconds, peak RSS in MiB, exit code, stderr tail)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, tail


def measure(label: str, command: Sequence[str], runs: int, ok_codes: Sequence[int] = (0, 1)) -> Sample:
    """Median wall and CPU time, and peak RSS, of ``runs`` runs after one warm-up run."""
    seconds, cpu, rss = [], [], []
    for attempt in range(runs + 1):
        elapsed, used, peak, code, tail = run_once(command)
        if code not in ok_codes:
            raise SystemExit(f"{label}: exit code {code}\n$ {' '.join(command)}\n{tail}")
        if attempt:
            seconds.append(elapsed)
            cpu.append(used)
            rss.append(peak)
    sample = Sample(label, statistics.median(seconds), statistics.median(cpu), max(rss), runs)
    print(
        f"  {label:<44} {sample.seconds:8.3f} s wall {sample.cpu:8.3f} s CPU {sample.max_rss_mib:7.1f} MiB", flush=True
    )
    return sample


def measure_pair(
    labels: tuple[str, str], commands: tuple[Sequence[str], Sequence[str]], runs: int, ok_codes: Sequence[int] = (0, 1)
) -> tuple[Sample, Sample]:
    """Like :func:`measure` for two commands whose ratio matters, run alternately (a, b, a, b...)."""
    first, second = measure_group(labels, commands, runs, ok_codes)
    return first, second


def measure_group(
    labels: Sequence[str], commands: Sequence[Sequence[str]], runs: int, ok_codes: Sequence[int] = (0, 1)
) -> list[Sample]:
    """Like :func:`measure` for commands whose ratios matter, run in turn (a, b, c, a, b, c...).

    Alternating spreads a burst of load from elsewhere over every command instead of
    charging it to one of them.
    """
    results: list[list[tuple[float, float, float]]] = [[] for _ in commands]
    for attempt in range(runs + 1):
        for index, command in enumerate(commands):
            elapsed, used, peak, code, tail = run_once(command)
            if code not in ok_codes:
                raise SystemExit(f"{labels[index]}: exit code {code}\n$ {' '.join(command)}\n{tail}")
            if attempt:
                results[index].append((elapsed, used, peak))
    samples = []
    for label, rows in zip(labels, results, strict=True):
        sample = Sample(
            label,
            statistics.median(r[0] for r in rows),
            statistics.median(r[1] for r in rows),
            max(r[2] for r in rows),
            runs,
        )
        print(
            f"  {label:<44} {sample.seconds:8.3f} s wall {sample.cpu:8.3f} s CPU {sample.max_rss_mib:7.1f} MiB",
            flush=True,
        )
        samples.append(sample)
    return samples


def cli_supports(flag: str) -> bool:
    """Whether ``dagster-zenml-lint check`` knows a flag (older checkouts lack ``--jobs``)."""
    result = subprocess.run([*CLI, "check", "--help"], capture_output=True, text=True, check=False)
    return flag in result.stdout


def machine_facts() -> list[tuple[str, str]]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()

    def version(module: str) -> str:
        try:
            from importlib.metadata import version as package_version

            return package_version(module)
        except Exception:  # a missing tool just shows as "-"
            return "-"

    return [
        ("date (UTC)", dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")),
        ("CPU", f"{cpu}, {os.cpu_count()} logical cores"),
        ("memory", memory or "-"),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("flake8 / pylint", f"{version('flake8')} / {version('pylint')}"),
        ("dagster-zenml-lint", f"{version('dagster-zenml-lint')} (commit {commit or '-'})"),
    ]


def corpus(workdir: Path, files: int, seed: int) -> Path:
    """A generated corpus of ``files`` files (re-used when it already exists)."""
    root = workdir / f"corpus_{files}_{seed}"
    stamp = root / ".complete"
    if not stamp.exists():
        generate(root, files, seed)
        stamp.write_text("ok")
    return root


def corpus_lines(root: Path) -> int:
    """Total number of lines in a corpus."""
    return sum(path.read_bytes().count(b"\n") for path in root.rglob("*.py"))


def import_time_ms() -> float:
    """Cumulative import time of ``dagster_zenml_lint.cli`` reported by ``-X importtime`` (median of 5)."""
    values = []
    for _ in range(5):
        result = subprocess.run(
            [PYTHON, "-X", "importtime", "-c", "import dagster_zenml_lint.cli"],
            capture_output=True,
            text=True,
            check=True,
        )
        for line in result.stderr.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == "dagster_zenml_lint.cli":
                values.append(int(parts[1]) / 1000)
    return statistics.median(values) if values else float("nan")


def heaviest_imports(limit: int = 6) -> list[tuple[str, float]]:
    """The slowest modules (self time) imported by the CLI, excluding the interpreter's start-up."""
    result = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", "import dagster_zenml_lint.cli"], capture_output=True, text=True, check=True
    )
    rows = []
    for line in result.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[0].isdigit():
            rows.append((parts[2].strip(), int(parts[0]) / 1000))
    rows.sort(key=lambda row: row[1], reverse=True)
    return rows[:limit]


def parallel_threshold(root: Path, jobs: int, runs: int, counts: Sequence[int]) -> list[tuple[int, float, float]]:
    """(files, serial seconds, pooled seconds) for growing file counts."""
    result = subprocess.run(
        [PYTHON, "-c", THRESHOLD_SCRIPT, str(root), str(jobs), str(runs), *map(str, counts)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        return []
    rows = []
    for line in result.stdout.split("\n"):
        if line.strip():
            count, serial, pooled = line.split()
            rows.append((int(count), float(serial), float(pooled)))
    return rows


def cache_rows(
    root: Path, workdir: Path, runs: int, floor_command: Sequence[str] | None = None
) -> tuple[list[tuple[str, Sample]], Sample | None]:
    """``check --jobs 1`` without a cache, with an empty one, a full one, and one with one file changed.

    With ``floor_command``, the floor also runs in turn with the cold runs (floor, cold,
    floor, cold...), so a burst of load elsewhere falls on both; that floor sample is returned.
    """
    floor_runs: list[tuple[float, float, float]] = []
    cache_dir = workdir / "lint-cache"
    base = [*CLI, "check", str(root), "--quiet", "--exit-zero", "--jobs", "1"]
    cached = [*base, "--cache-dir", str(cache_dir)]
    edited = next(p for p in sorted(root.rglob("*.py")) if b"dagster" in p.read_bytes())
    original = edited.read_bytes()

    def empty_cache() -> None:
        shutil.rmtree(cache_dir, ignore_errors=True)

    def edit_one_file(attempt: int) -> None:  # alternating contents: always a miss for that file
        edited.write_bytes(original + (b"\n# edited\n" if attempt % 2 else b""))

    def sample(label: str, command: Sequence[str], before, alongside=None) -> Sample:  # type: ignore[no-untyped-def]
        seconds, cpu, rss = [], [], []
        for attempt in range(runs + 1):
            if alongside is not None:
                elapsed, used, peak, _code, _tail = run_once(alongside)
                if attempt:
                    floor_runs.append((elapsed, used, peak))
            before(attempt)
            elapsed, used, peak, code, tail = run_once(command)
            if code not in (0, 1):
                raise SystemExit(f"{label}: exit code {code}\n$ {' '.join(command)}\n{tail}")
            if attempt:
                seconds.append(elapsed)
                cpu.append(used)
                rss.append(peak)
        result = Sample(label, statistics.median(seconds), statistics.median(cpu), max(rss), runs)
        print(f"  {label:<44} {result.seconds:8.3f} s wall {result.cpu:8.3f} s CPU", flush=True)
        return result

    try:
        rows = [
            ("no cache (`--no-cache`)", sample("check --no-cache", [*base, "--no-cache"], lambda _: None)),
            ("cold: empty cache", sample("check, empty cache", cached, lambda _: empty_cache(), floor_command)),
            ("warm: nothing changed", sample("check, warm cache", cached, lambda _: None)),
            ("one Dagster file changed", sample("check, one file changed", cached, edit_one_file)),
        ]
    finally:
        edited.write_bytes(original)
        empty_cache()
    floor = None
    if floor_runs:
        floor = Sample(
            "floor, in turn with the cold runs",
            statistics.median(r[0] for r in floor_runs),
            statistics.median(r[1] for r in floor_runs),
            max(r[2] for r in floor_runs),
            runs,
        )
        print(f"  {floor.label:<44} {floor.seconds:8.3f} s wall {floor.cpu:8.3f} s CPU", flush=True)
    return rows, floor


# Where the loop of cold check, report and migrate writes its outputs, when the machine has it: a
# tmpfs. On a disk, creating migrate's ~1,900 files right after deleting the previous run's costs
# the kernel up to a second (ext4 steps past each recently deleted inode): the benchmark's own
# deletions, not migrate's work (c5000: 4.75 s CPU with its output on disk, 3.90 s on tmpfs).
SCRATCH_PARENT = Path("/dev/shm")


def scratch_dir(workdir: Path) -> Path:
    """A fresh directory for the commands' outputs: on :data:`SCRATCH_PARENT` (a tmpfs) when it is
    writable, else under ``workdir``."""
    if SCRATCH_PARENT.is_dir() and os.access(SCRATCH_PARENT, os.W_OK):
        return Path(tempfile.mkdtemp(prefix="dzl-bench-out-", dir=SCRATCH_PARENT))
    return Path(tempfile.mkdtemp(prefix="out-", dir=workdir))


PLAIN_REPORT = "`report --no-cache`"
COLD_REPORT = "cold `report` (empty cache)"
MIGRATE = "`migrate`"


def project_rows(root: Path, workdir: Path, runs: int) -> tuple[list[tuple[str, Sample]], Path]:
    """Cold ``check --jobs 1``, ``report`` and ``migrate`` on one corpus, run in turn (a, b, c, a, b, c...).

    Each command starts from nothing: an empty cache for ``check`` and ``report``, no
    previous output for ``report`` and ``migrate`` (their runs are what a user's first run
    costs), except the warm ``report``, which runs right after the cold one, from the cache
    that one filled, with nothing changed. The outputs go to :func:`scratch_dir` (removed
    afterwards), which is returned with the rows.
    """
    scratch = scratch_dir(workdir)
    cache_dir = scratch / "project-cache"
    report_file = scratch / "report.md"
    migrated = scratch / "migrated"

    def clean() -> None:
        shutil.rmtree(cache_dir, ignore_errors=True)
        shutil.rmtree(migrated, ignore_errors=True)
        report_file.unlink(missing_ok=True)

    report = [*CLI, "report", str(root), "--output", str(report_file), "--cache-dir", str(cache_dir)]
    commands = [  # (label, command, whether it starts from nothing)
        (
            "cold `check --jobs 1` (empty cache)",
            [*CLI, "check", str(root), "--quiet", "--exit-zero", "--jobs", "1", "--cache-dir", str(cache_dir)],
            True,
        ),
        (PLAIN_REPORT, [*report, "--no-cache"], True),
        (COLD_REPORT, report, True),
        ("warm `report` (nothing changed)", report, False),
        (MIGRATE, [*CLI, "migrate", str(root), "--out", str(migrated)], True),
    ]
    results: list[list[tuple[float, float, float]]] = [[] for _ in commands]
    try:
        for attempt in range(runs + 1):
            for index, (label, command, fresh) in enumerate(commands):
                if fresh:
                    clean()
                elapsed, used, peak, code, tail = run_once(command)
                if code not in (0, 1):
                    raise SystemExit(f"{label}: exit code {code}\n$ {' '.join(command)}\n{tail}")
                if attempt:
                    results[index].append((elapsed, used, peak))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    rows = []
    for (label, _, _), measured in zip(commands, results, strict=True):
        sample = Sample(
            label,
            statistics.median(r[0] for r in measured),
            statistics.median(r[1] for r in measured),
            max(r[2] for r in measured),
            runs,
        )
        print(f"  {label:<44} {sample.seconds:8.3f} s wall {sample.cpu:8.3f} s CPU", flush=True)
        rows.append((label, sample))
    return rows, scratch


def project_section(rows: list[tuple[str, Sample]], facts: str, scratch: Path) -> list[str]:
    """The table of ``report`` and ``migrate`` against the cold ``check`` of the same loop (target: under 2x).

    ``facts``: :func:`run_facts` read right after that loop; ``scratch``: where the outputs went.
    """
    check = rows[0][1]
    where = "a tmpfs" if scratch.parent == SCRATCH_PARENT else "the work directory"
    lines = [
        f"### `report` and `migrate` against the cold `check` ({medians_of(check.runs)}, in turn)",
        "",
        "Targets (CPU, one core): `report` under 2x the cold `check` (empty cache); `migrate` under 2x",
        "`report --no-cache`, its own work within one more report (issue 14 asked for 2x the cold `check`,",
        "which `migrate` cannot reach: it does all of `report`'s work and must parse, compile and analyse",
        "every file its fixes change, 2.3x the cold `check` on its own; see the notes below the block).",
        "The commands run in one loop, in turn (cold `check`, `report --no-cache`, cold",
        "`report`, warm `report`, `migrate`, cold `check`...; one warm-up round first), each from",
        "nothing (no cache, no earlier report or generated project) but the warm `report`, which reads",
        f"the cache the cold one left (outputs written to {where}; {facts}). The last column compares",
        "`migrate` with `report --no-cache`: migrate writes report's MIGRATION_REPORT.md from its own",
        "uncached analysis, so that is the part of its work the two share.",
        "",
        "| command | wall | CPU | against cold `check` (CPU) | target | against `report --no-cache` (CPU) |",
        "|---|---:|---:|---:|---|---:|",
    ]
    report = dict(rows).get(PLAIN_REPORT)  # migrate does this work, uncached, and more
    for label, sample in rows:
        ratio = sample.cpu_ratio(check)
        # migrate writes report's MIGRATION_REPORT.md, so it does report's work and more: its cost beyond it
        beyond = sample.cpu_ratio(report) if report is not None and label == MIGRATE else None
        if sample is check or label.startswith("warm"):
            target = "-"
        elif label == MIGRATE:
            target = f"2x `report --no-cache` {verdict(beyond, 2.0)}" if beyond is not None else "-"
        else:
            target = f"2x {verdict(ratio, 2.0)}"
        beyond = f"{beyond:.2f}x" if beyond is not None else "-"
        lines.append(f"| {label} | {sample.seconds:.2f} s | {sample.cpu:.2f} s | {ratio:.2f}x | {target} | {beyond} |")
    return lines


def cache_section(
    size: int,
    floor: Sample,
    rows: list[tuple[str, Sample]],
    facts: str,
    project: tuple[list[tuple[str, Sample]], str, Path] | None = None,
) -> list[str]:
    """The cache block: ``check`` without, with an empty and with a full cache against the floor, then
    ``report`` and ``migrate`` against the cold ``check`` (targets of issue 14). Measured facts only.

    ``facts`` and the second item of ``project``: :func:`run_facts` read right after each loop;
    its third, where the loop's outputs went.
    """
    targets = {"cold: empty cache": 0.6, "warm: nothing changed": 0.2, "one Dagster file changed": 0.3}
    lines = [
        "## The cache, cold and warm (one core)",
        "",
        f"`check --jobs 1` on the {size:,}-file corpus, {medians_of(floor.runs)}, the floor run in turn",
        "with the cold runs (floor, cold, floor, cold...)",
        f"(floor {floor.cpu:.2f} s CPU, {floor.seconds:.2f} s wall;",
        f"{facts}).",
        "Targets (CPU, against the floor): cold at most 0.6x, warm (nothing changed) at most 0.2x,",
        "one file changed under 0.3x.",
        "",
        "| run | wall | CPU | ratio (CPU) | target |",
        "|---|---:|---:|---:|---|",
    ]
    for label, sample in rows:
        ratio = sample.cpu_ratio(floor)
        target = targets.get(label)
        verdict_cell = f"{target}x {verdict(ratio, target)}" if target is not None else "-"
        lines.append(f"| {label} | {sample.seconds:.2f} s | {sample.cpu:.2f} s | {ratio:.2f}x | {verdict_cell} |")
    if project:
        lines += ["", *project_section(*project)]
    return lines


def medians_of(runs: int) -> str:
    """How many measured runs a median is of ("median of 1 run", "medians of 3 runs")."""
    return "median of 1 run" if runs == 1 else f"medians of {runs} runs"


def run_facts(load_before: float | None) -> str:
    """When, on what and under which load a loop was measured (call it right after the loop;
    ``load_before``: the load average when the loop began)."""
    facts = dict(machine_facts())
    return (
        f"{facts['date (UTC)']} UTC, dagster-zenml-lint {facts['dagster-zenml-lint']}, "
        f"{os.cpu_count() or 1} logical cores, load average {load_text(load_before)}"
    )


def load_text(before: float | None) -> str:
    """The 1-minute load average during the measurements: at their start (when known) and now."""
    now = os.getloadavg()[0]
    return f"{now:.1f}" if before is None else f"{before:.1f} at the start, {now:.1f} at the end"


PLUGIN_SHARE = Path(__file__).resolve().parent / "plugin_share.py"


@dataclass(frozen=True)
class PluginRow:
    """The measurements of one front-end with and without the plugin."""

    tool: str
    files: int
    target: float  # the largest ratio allowed (1.10: the plugin adds at most 10%)
    bare: Sample
    plugin: Sample
    share: float  # the plugin's in-process share of the run (plugin_share.py, median): 0.066 = +6.6%
    parts: str  # where that share went ("import 0.018 s (+0.3%), per file 0.343 s (+5.4%), ...")
    instructions: tuple[int, int] | None  # callgrind instruction counts without / with the plugin


def plugin_share(tool: str, arguments: Sequence[str], runs: int) -> tuple[float, str]:
    """The median over ``runs`` runs of the plugin's CPU share as :mod:`plugin_share` measures it,
    and where that run's share went (its parts, as the script prints them)."""
    shares = []
    for _ in range(runs):
        result = subprocess.run(
            [PYTHON, str(PLUGIN_SHARE), tool, *arguments], capture_output=True, text=True, check=True
        )
        # "flake8: ... the plugin 0.421 s = +6.6% (import 0.018 s (+0.3%), per file ...)"
        share_text, parts = result.stdout.strip().split(" = ", 1)[1].split(" (", 1)
        shares.append((float(share_text.rstrip("%")) / 100, parts.removesuffix(")")))
        print(f"  in-process share ({tool}): {shares[-1][0] * 100:+.1f}% ({shares[-1][1]})", flush=True)
    shares.sort()
    return shares[len(shares) // 2]


def instruction_count(command: Sequence[str]) -> int:
    """Instructions executed by ``command`` and its children (callgrind; load does not change it)."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.out"
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise SystemExit(f"callgrind gave no count for {' '.join(command)}\n{result.stderr[-2000:]}")


def plugin_rows(workdir: Path, args: argparse.Namespace) -> list[PluginRow]:
    """flake8 and pylint, each with and without the plugin: alternated runs, in-process share, callgrind."""
    rows = []
    flake8_root = corpus(workdir, args.flake8_files, args.seed)
    pylint_root = corpus(workdir, args.pylint_files, args.seed)
    flake8_options = ["--max-line-length", "120", str(flake8_root)]
    pylint_options = ["--max-line-length", "120", str(pylint_root)]
    pylint_command = [PYTHON, "-m", "pylint", "--jobs", "1", "--persistent", "n", "--score", "n", *pylint_options]
    tools = (
        (
            "flake8",
            args.flake8_files,
            1.10,
            [PYTHON, "-c", FLAKE8_DRIVER, "without", "--jobs", "1", *flake8_options],
            [PYTHON, "-c", FLAKE8_DRIVER, "with", "--jobs", "1", *flake8_options],
            flake8_options,
            args.runs,
        ),
        (
            "pylint",
            args.pylint_files,
            1.05,
            pylint_command,
            [*pylint_command, "--load-plugins", "dagster_zenml_lint"],
            pylint_options,
            max(3, args.runs),
        ),
    )
    for tool, files, target, bare_command, plugin_command, options, runs in tools:
        print(f"{tool} on {files} files", flush=True)
        bare, plugin = measure_pair(
            (f"{tool} (no plugin)", f"{tool} + DZ plugin"), (bare_command, plugin_command), runs, ok_codes=range(64)
        )
        share, parts = plugin_share(tool, options, max(3, args.runs))
        counts = None
        if args.callgrind:
            counts = (instruction_count(bare_command), instruction_count(plugin_command))
            print(f"  instructions: {counts[0]:,} / {counts[1]:,} ({(counts[1] / counts[0] - 1) * 100:+.1f}%)")
        rows.append(PluginRow(tool, files, target, bare, plugin, share, parts, counts))
    return rows


def plugin_section(rows: list[PluginRow], facts: str) -> list[str]:
    """The plugins block: flake8 and pylint with and without the plugin (``facts``: :func:`run_facts`)."""
    with_counts = all(row.instructions is not None for row in rows)
    header = "| front-end | files | no plugin, CPU | with it, CPU | added (CPU, alternated) | added (in-process) |"
    rule = "|---|---:|---:|---:|---:|---:|"
    if with_counts:
        header += " added (instructions) |"
        rule += "---:|"
    lines = ["## Plugins", "", header + " target |", rule + "---|"]
    for row in rows:
        cells = [
            f"{row.tool} (`--jobs 1`)",
            f"{row.files:,}",
            f"{row.bare.cpu:.2f} s",
            f"{row.plugin.cpu:.2f} s",
            f"{(row.plugin.cpu_ratio(row.bare) - 1) * 100:+.1f}%",
            f"{row.share * 100:+.1f}%",
        ]
        judged = 1 + row.share
        if row.instructions is not None and with_counts:
            bare_count, plugin_count = row.instructions
            cells.append(f"{(plugin_count / bare_count - 1) * 100:+.1f}%")
            judged = plugin_count / bare_count
        target = f"<= {(row.target - 1) * 100:.0f}% {verdict(judged, row.target)}"
        lines.append("| " + " | ".join([*cells, target]) + " |")
    judged_by = "the instruction counts" if with_counts else "the in-process share"
    lines += [
        "",
        f"Measured on {facts}.",
        "The bare flake8 run is the same flake8 with the `DZ` entry point hidden from its plugin",
        "finder; pylint runs with its default checkers (duplicate-code included).",
        "",
        "* *alternated*: medians of the CPU time of separate runs with and without the plugin, in",
        "  turn;",
        "* *in-process*: the median of the plugin's share that `benchmarks/plugin_share.py` adds up",
        "  in one run of the tool with the plugin (the CPU time of importing it, of its per-file",
        "  hooks and, for flake8, of flake8's noqa map of the files only the plugin reported in),",
        "  against the rest of the same run;",
        "* *instructions* (with `--callgrind`): callgrind counts of one run each.",
        "",
        "Where the in-process share goes (the median run): "
        + "; ".join(f"{row.tool}: {row.parts}" for row in rows)
        + ".",
        "",
        f"The verdict reads {judged_by}. The package's bytecode is compiled first, as an installed",
        "package has it.",
    ]
    return lines


def verdict(value: float, target: float) -> str:
    """ "ok" or "over" against a target ratio."""
    return "ok" if value <= target else "**over**"


def check_section(
    args: argparse.Namespace,
    scaling: list[tuple[int, int, Sample, Sample, Sample | None]],
    with_fixes: dict[int, Sample],
    load: tuple[float, float],
) -> list[str]:
    """The check block: how the run measured, the machine, and ``check`` against the floor at every size."""
    cores = os.cpu_count() or 1
    lines = [
        f"{medians_of(args.runs).capitalize()} after one warm-up run (pylint: {max(3, args.runs)}); every command is a",
        "fresh process, so interpreter start-up and imports are included. *CPU* is user + system time of",
        "the command and its worker processes (`wait4`); the verdicts read CPU time, and commands whose",
        "ratio matters run in turn (floor, check, floor, check...). Peak memory is the largest resident",
        "set of the command or of any one of its workers (`ru_maxrss`). The corpora are synthetic",
        f"Dagster monorepos from `benchmarks/generate.py` (seed {args.seed}): about 80% plain modules,",
        "20% Dagster modules of every kind (assets, partitions, ops and jobs, sensors, schedules, IO",
        "managers, resources, checks, `Definitions`).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in machine_facts()),
        f"| load average (1 min) before / after | {load[0]:.1f} / {load[1]:.1f} |",
        "",
        "## `dagster-zenml-lint check` against the floor (read + `ast.parse` of every file)",
        "",
        "Target: `check` on one core within 1.5x the floor at every size, and a flat ratio",
        "(linear scaling).",
        "",
        f"| files | lines | floor wall / CPU | check, 1 core, wall / CPU | ratio (CPU) | check, {cores} cores, "
        "wall | peak RSS 1 core / all cores | `check --show-fixes`, 1 core, CPU (ratio) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, line_count, floor, one, every in scaling:
        every_cell = f"{every.seconds:.2f} s ({every.ratio(floor):.2f}x floor wall)" if every is not None else "-"
        rss = f"{one.max_rss_mib:.0f} / {every.max_rss_mib:.0f} MiB" if every else f"{one.max_rss_mib:.0f} MiB"
        fixes = with_fixes[size]
        lines.append(
            f"| {size:,} | {line_count:,} | {floor.seconds:.2f} / {floor.cpu:.2f} s | "
            f"{one.seconds:.2f} / {one.cpu:.2f} s | {one.cpu_ratio(floor):.2f}x "
            f"{verdict(one.cpu_ratio(floor), 1.5)} | {every_cell} | {rss} | "
            f"{fixes.cpu:.2f} s ({fixes.cpu_ratio(floor):.2f}x) |"
        )
    if len(scaling) > 1:
        first, last = scaling[0], scaling[-1]
        per_file = [one.cpu / size * 1000 for size, _, _, one, _ in scaling]
        lines += [
            "",
            "CPU time per file on one core: "
            + ", ".join(f"{ms:.2f} ms at {size:,}" for ms, (size, *_rest) in zip(per_file, scaling, strict=True))
            + f" ({last[0] // first[0]}x the files took {last[3].cpu / first[3].cpu:.1f}x the CPU time).",
        ]
    lines += [
        "",
        "These rows run with `--no-cache` (the cache has its own section); the last column is",
        "`check --show-fixes`, which works out the fixes as well.",
    ]
    return lines


def startup_section(
    startup: tuple[Sample, Sample, Sample],
    imports_ms: float,
    heavy: list[tuple[str, float]],
    threshold_rows: list[tuple[int, float, float]],
) -> list[str]:
    """The start-up block: start-up and import times, and when the process pool pays off."""
    bare_python, cli_version, cli_empty = startup
    lines = [
        "## Start-up",
        "",
        "| | wall | CPU |",
        "|---|---:|---:|",
        f"| `python -c pass` | {bare_python.seconds * 1000:.0f} ms | {bare_python.cpu * 1000:.0f} ms |",
        f"| `dagster-zenml-lint --version` | {cli_version.seconds * 1000:.0f} ms | {cli_version.cpu * 1000:.0f} ms |",
        f"| `dagster-zenml-lint check` on an empty directory | {cli_empty.seconds * 1000:.0f} ms | "
        f"{cli_empty.cpu * 1000:.0f} ms |",
        f"| `import dagster_zenml_lint.cli` (`-X importtime`, cumulative) | {imports_ms:.0f} ms | |",
        "",
        "Heaviest single imports (self time): " + ", ".join(f"`{name}` {ms:.1f} ms" for name, ms in heavy) + ".",
    ]
    if threshold_rows:
        lines += [
            "",
            f"## When the process pool pays off ({os.cpu_count() or 1} workers)",
            "",
            "In-process wall time of linting the first N files serially and with the pool (pool",
            "start-up included).",
            "",
            "| files | serial | pool | pool / serial |",
            "|---:|---:|---:|---:|",
            *(
                f"| {count:,} | {serial * 1000:.0f} ms | {pooled * 1000:.0f} ms | {pooled / serial:.2f} |"
                for count, serial, pooled in threshold_rows
            ),
        ]
    return lines


def measure_cache(root: Path, size: int, workdir: Path, args: argparse.Namespace) -> list[str]:
    """The cache block's measurements on one corpus: the cache loop against the floor, then the
    loop of cold ``check``, ``report`` and ``migrate``."""
    load_before = os.getloadavg()[0]
    floor_command = [PYTHON, "-c", FLOOR_SCRIPT, str(root)]
    rows, in_turn = cache_rows(root, workdir, args.runs, floor_command)
    floor = in_turn or measure(f"floor: read + ast.parse ({size})", floor_command, args.runs)
    facts = run_facts(load_before)
    project_load_before = os.getloadavg()[0]
    project, scratch = project_rows(root, workdir, args.project_runs)
    return cache_section(size, floor, rows, facts, (project, run_facts(project_load_before), scratch))


def write_blocks(args: argparse.Namespace, bodies: dict[Block, list[str]]) -> None:
    """Rewrite the measured blocks of the output document (``--quick``: print them only)."""
    for block, lines in bodies.items():
        print(f"\n{block.start}\n" + "\n".join(lines) + f"\n{block.end}")
    if not args.quick:
        rewrite_blocks(args.output, {block: "\n".join(lines) + "\n" for block, lines in bodies.items()})
        print(f"wrote {', '.join(block.name for block in bodies)} in {args.output}")


def at_least_one(text: str) -> int:
    """A count of runs: medians need at least one (argparse turns the error into a usage message)."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and rewrite their blocks of the report; 2 when the report has no place for them."""
    parser = argparse.ArgumentParser(description="benchmark dagster-zenml-lint")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--runs", type=at_least_one, default=5, help="measured runs per command (after one warm-up)")
    parser.add_argument("--flake8-files", type=int, default=1000)
    parser.add_argument("--pylint-files", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="where corpora are generated (kept); default: a temp dir")
    parser.add_argument(
        "--output", type=Path, default=DOC, help="the document whose generated blocks are rewritten (between markers)"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 runs, print only")
    parser.add_argument(
        "--project-runs", type=at_least_one, default=3, help="measured runs of cold check, report and migrate, in turn"
    )
    parser.add_argument(
        "--cache-size",
        type=int,
        default=CACHE_SIZE,
        help=f"files of the corpus of the cache block (default {CACHE_SIZE}: the targets' corpus)",
    )
    parser.add_argument(
        "--cache-only", action="store_true", help="only the cache block (cache, report, migrate), rewritten in place"
    )
    parser.add_argument(
        "--plugins-only", action="store_true", help="only the flake8/pylint plugin block, rewritten in place"
    )
    parser.add_argument(
        "--callgrind", action="store_true", help="also count the plugin runs' instructions (valgrind; slow)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.flake8_files, args.pylint_files = [200, 1000], 2, 200, 40
        args.project_runs = 1
    if args.cache_only:
        blocks: tuple[Block, ...] = (CACHE,)
    elif args.plugins_only:
        blocks = (PLUGINS,)
    else:
        blocks = (CHECK, CACHE, PLUGINS, STARTUP) if args.cache_size in args.sizes else (CHECK, PLUGINS, STARTUP)
    try:
        if not args.quick:  # before the run, not after: a missing marker would waste every measurement
            check_blocks(read_document(args.output), blocks)
        return measure_and_write(args, blocks)
    except MarkerError as error:
        print(f"run.py: error: {args.output}: {error}", file=sys.stderr)
        return 2


def measure_and_write(args: argparse.Namespace, blocks: tuple[Block, ...]) -> int:
    """Run the measurements of ``blocks`` and write them."""
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="dzl-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    # Bytecode as an installed package has it (pip compiles at install). A checkout with
    # PYTHONDONTWRITEBYTECODE set would otherwise recompile every module in every run.
    compileall.compile_dir(str(REPO / "dagster_zenml_lint"), quiet=1)
    has_jobs = cli_supports("--jobs")
    no_cache = ["--no-cache"] if cli_supports("--no-cache") else []  # the other rows measure analysis
    try:
        if blocks == (CACHE,):
            print(f"{args.cache_size} files: the cache, report and migrate", flush=True)
            root = corpus(workdir, args.cache_size, args.seed)
            write_blocks(args, {CACHE: measure_cache(root, args.cache_size, workdir, args)})
            return 0
        if blocks == (PLUGINS,):
            load_before = os.getloadavg()[0]
            rows = plugin_rows(workdir, args)
            write_blocks(args, {PLUGINS: plugin_section(rows, run_facts(load_before))})
            return 0
        bodies: dict[Block, list[str]] = {}
        print(f"corpora under {workdir}", flush=True)
        # -- start-up ------------------------------------------------------------------
        print("start-up", flush=True)
        load_before = os.getloadavg()[0]
        empty = workdir / "empty"
        empty.mkdir(exist_ok=True)
        startup = (
            measure("python -c pass", [PYTHON, "-c", "pass"], args.runs * 2),
            measure("dagster-zenml-lint --version", [*CLI, "--version"], args.runs * 2),
            measure("dagster-zenml-lint check <empty dir>", [*CLI, "check", str(empty), *no_cache], args.runs * 2),
        )
        imports_ms = import_time_ms()
        heavy = heaviest_imports()

        # -- CLI against the floor, at several sizes ------------------------------------
        scaling: list[tuple[int, int, Sample, Sample, Sample | None]] = []
        with_fixes: dict[int, Sample] = {}
        for size in args.sizes:
            root = corpus(workdir, size, args.seed)
            print(f"{size} files ({corpus_lines(root):,} lines)", flush=True)
            jobs_flag = ["--jobs", "1"] if has_jobs else []
            check = [*CLI, "check", str(root), "--quiet", "--exit-zero", *no_cache]
            floor, one, fixes = measure_group(
                (
                    f"floor: read + ast.parse ({size})",
                    f"check --jobs 1 ({size})",
                    f"check --show-fixes --jobs 1 ({size})",
                ),
                ([PYTHON, "-c", FLOOR_SCRIPT, str(root)], [*check, *jobs_flag], [*check, *jobs_flag, "--show-fixes"]),
                args.runs,
            )
            with_fixes[size] = fixes
            every = (
                measure(f"check --jobs {cores} ({size})", [*check, "--jobs", str(cores)], args.runs)
                if has_jobs and cores > 1
                else None
            )
            scaling.append((size, corpus_lines(root), floor, one, every))
            if size == args.cache_size and CACHE in blocks:
                bodies[CACHE] = measure_cache(root, size, workdir, args)

        # -- flake8 and pylint, with and without the plugin -----------------------------
        plugins_load = os.getloadavg()[0]
        plugins = plugin_rows(workdir, args)
        bodies[PLUGINS] = plugin_section(plugins, run_facts(plugins_load))

        # -- parallel threshold --------------------------------------------------------
        threshold_rows: list[tuple[int, float, float]] = []
        if has_jobs and cores > 1:
            print("pool threshold", flush=True)
            root = corpus(workdir, max(args.sizes), args.seed)
            counts = [count for count in (25, 50, 100, 200, 400, 800, 1600) if count <= max(args.sizes)]
            threshold_rows = parallel_threshold(root, cores, max(3, args.runs), counts)
            for count, serial, pooled in threshold_rows:
                print(f"  {count:>5} files: serial {serial * 1000:7.1f} ms, pool {pooled * 1000:7.1f} ms", flush=True)
        bodies[CHECK] = check_section(args, scaling, with_fixes, (load_before, os.getloadavg()[0]))
        bodies[STARTUP] = startup_section(startup, imports_ms, heavy, threshold_rows)
        write_blocks(args, {block: bodies[block] for block in blocks})
        return 0
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
