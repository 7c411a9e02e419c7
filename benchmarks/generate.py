"""Generate a synthetic Dagster monorepo for benchmarks and long fuzz runs.

The tree looks like a real data-platform repository: a few top-level packages, each
with sub-packages of modules. Most modules do not import Dagster (helpers, models,
clients, SQL builders, tests); the rest use the Dagster patterns the linter knows:
assets, partitioned assets, ops and jobs, sensors, schedules, IO managers, resources,
asset checks and ``Definitions``. A few plain modules mention the word "dagster" in a
comment, so the linter's cheap pre-filter does not get an unrealistically easy ride.

Everything is derived from one seed, so the same ``(files, seed)`` gives byte-identical
trees::

    python benchmarks/generate.py /tmp/corpus --files 5000 --seed 7
"""

from __future__ import annotations

import argparse
import ast
import random
import shutil
from collections.abc import Callable
from pathlib import Path

WORDS = (
    "orders",
    "customers",
    "invoices",
    "events",
    "sessions",
    "payments",
    "refunds",
    "products",
    "inventory",
    "shipments",
    "clicks",
    "pageviews",
    "accounts",
    "ledger",
    "forecast",
    "churn",
    "cohorts",
    "campaigns",
    "leads",
    "tickets",
    "reviews",
    "ratings",
    "stores",
    "regions",
    "suppliers",
    "warehouses",
    "carriers",
    "returns",
    "subscriptions",
    "plans",
    "usage",
    "metrics",
)
VERBS = ("load", "clean", "enrich", "aggregate", "join", "score", "export", "validate", "normalize", "rank")
PACKAGES = ("ingestion", "transform", "analytics", "ml", "reporting", "platform", "finance", "marketing")
SUBPACKAGES = ("core", "io", "models", "jobs", "utils", "clients", "pipelines", "features", "tests")

# Share of Dagster modules by kind (they add up to 1.0).
DAGSTER_KINDS = (
    ("assets", 0.30),
    ("partitioned_assets", 0.12),
    ("ops_jobs", 0.16),
    ("sensors", 0.08),
    ("schedules", 0.07),
    ("io_managers", 0.07),
    ("resources", 0.08),
    ("asset_checks", 0.05),
    ("definitions", 0.07),
)
PLAIN_KINDS = ("helpers", "models", "client", "sql", "tests", "cli", "constants")


class ModuleWriter:
    """Builds one module's text from random but valid Python blocks."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def word(self) -> str:
        """A table-like noun."""
        return self.rng.choice(WORDS)

    def name(self) -> str:
        """A unique-looking identifier such as ``enrich_orders_12``."""
        return f"{self.rng.choice(VERBS)}_{self.word()}_{self.rng.randrange(100)}"

    def blocks(self, make: Callable[[], str], low: int, high: int) -> str:
        """``make()`` repeated between ``low`` and ``high`` times, separated by blank lines."""
        return "\n\n".join(make() for _ in range(self.rng.randint(low, high)))

    # -- plain modules -------------------------------------------------------------
    def plain_function(self) -> str:
        """A helper function with a loop, a comprehension and a branch."""
        name, word = self.name(), self.word()
        limit = self.rng.randrange(2, 50)
        return f'''def {name}(rows: list[dict[str, object]], limit: int = {limit}) -> list[dict[str, object]]:
    """Return at most ``limit`` {word} rows with a computed total."""
    result = []
    for index, row in enumerate(rows):
        if index >= limit:
            break
        amount = float(row.get("amount", 0) or 0)
        tax = round(amount * 0.{self.rng.randrange(5, 25)}, 2)
        result.append({{**row, "total": amount + tax, "source": "{word}"}})
    seen = {{r["id"] for r in result if "id" in r}}
    if len(seen) != len(result):
        logger.warning("duplicate ids in %s", "{word}")
    return sorted(result, key=lambda r: r.get("total", 0), reverse=True)
'''

    def plain_class(self) -> str:
        """A dataclass with a property and a method."""
        cls = self.word().title().replace("_", "") + f"Record{self.rng.randrange(100)}"
        return f'''@dataclass(frozen=True)
class {cls}:
    """One row of the {self.word()} table."""

    id: int
    name: str
    amount: float = 0.0
    tags: tuple[str, ...] = ()

    @property
    def is_large(self) -> bool:
        """True above the reporting threshold."""
        return self.amount > {self.rng.randrange(100, 10000)}

    def with_tag(self, tag: str) -> "{cls}":
        """A copy with one more tag."""
        return {cls}(self.id, self.name, self.amount, (*self.tags, tag))
'''

    def helpers(self, mention_dagster: bool) -> str:
        """A utility module."""
        note = "# Moved out of the dagster code location so that plain scripts can use it.\n" if mention_dagster else ""
        return f'''"""Helpers for the {self.word()} data."""

from __future__ import annotations

import logging
import math
from collections import defaultdict

{note}logger = logging.getLogger(__name__)


{self.blocks(self.plain_function, 2, 10)}


def bucket(values: list[float], width: float = {self.rng.randrange(1, 20)}.0) -> dict[int, int]:
    """Histogram of values in buckets of ``width``."""
    counts: dict[int, int] = defaultdict(int)
    for value in values:
        counts[math.floor(value / width)] += 1
    return dict(counts)
'''

    def models(self, mention_dagster: bool) -> str:
        """A module of dataclasses."""
        note = '\n\nLEGACY_ORCHESTRATOR = "dagster"  # kept for old run records\n' if mention_dagster else ""
        return f'''"""Typed records for the {self.word()} domain."""

from __future__ import annotations

from dataclasses import dataclass
{note}

{self.blocks(self.plain_class, 2, 8)}
'''

    def client(self, mention_dagster: bool) -> str:
        """A small HTTP-ish client class."""
        word = self.word()
        methods = "\n".join(
            f'''    def {verb}_{word}(self, since: str | None = None) -> list[dict]:
        """Fetch {word} ({verb})."""
        params = {{"since": since}} if since else {{}}
        return self._get("/{word}/{verb}", params)
'''
            for verb in self.rng.sample(VERBS, self.rng.randint(1, 5))
        )
        note = "        # the dagster resource wrapper lives elsewhere\n" if mention_dagster else ""
        return f'''"""Client for the {word} service."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request


class {word.title()}Client:
    """A thin JSON client."""

    def __init__(self, base_url: str, token: str, timeout: float = 30.0) -> None:
{note}        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _get(self, path: str, params: dict) -> list[dict]:
        query = urllib.parse.urlencode(params)
        request = urllib.request.Request(f"{{self.base_url}}{{path}}?{{query}}")
        request.add_header("Authorization", f"Bearer {{self.token}}")
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return json.loads(response.read())

{methods}'''

    def sql(self, mention_dagster: bool) -> str:
        """SQL text builders."""
        queries = "\n\n".join(
            f'''def {self.name()}_sql(schema: str, day: str) -> str:
    """SQL for one day of {word}."""
    return f"""
        SELECT id, customer_id, SUM(amount) AS total
        FROM {{schema}}.{word}
        WHERE created_at::date = '{{day}}'
        GROUP BY 1, 2
    """
'''
            for word in (self.word() for _ in range(self.rng.randint(2, 8)))
        )
        note = "# Queries shared by the warehouse loaders.\n" if not mention_dagster else "# Used by dagster assets.\n"
        return f'''"""SQL builders."""

from __future__ import annotations

{note}

{queries}
'''

    def tests(self, mention_dagster: bool) -> str:
        """A pytest module."""
        cases = "\n\n".join(
            f"""def test_{self.name()}():
    rows = [{{"id": i, "amount": i * {self.rng.randrange(1, 9)}}} for i in range({self.rng.randrange(3, 30)})]
    assert len(rows) > 0
    assert all(r["amount"] >= 0 for r in rows)
"""
            for _ in range(self.rng.randint(2, 12))
        )
        return f'''"""Tests for the {self.word()} helpers."""

import pytest


@pytest.fixture
def sample():
    return {{"id": 1, "amount": 2.5}}


{cases}
'''

    def cli(self, mention_dagster: bool) -> str:
        """An argparse entry point."""
        return f'''"""Command line for {self.word()} maintenance."""

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="{self.word()} tools")
    parser.add_argument("--day", required=True)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    if args.dry_run:
        print("would process", args.day)
        return 0
    print("processing", args.day)
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''

    def constants(self, mention_dagster: bool) -> str:
        """A settings module."""
        lines = "\n".join(f'{w.upper()}_TABLE = "{w}_{self.rng.randrange(9)}"' for w in self.rng.sample(WORDS, 8))
        return f'''"""Table names and settings."""

{lines}
RETENTION_DAYS = {self.rng.randrange(7, 400)}
'''

    # -- dagster modules -----------------------------------------------------------
    def asset_block(self, prefix: str) -> str:
        """One ``@asset`` with metadata, deps and logging."""
        name, upstream = self.name(), self.name()
        return f'''@{prefix}asset(group_name="{self.word()}", deps=["{upstream}"], compute_kind="python")
def {name}(context: {prefix}AssetExecutionContext) -> {prefix}MaterializeResult:
    """Build {name} from {upstream}."""
    rows = [{{"id": i, "amount": i * 2}} for i in range({self.rng.randrange(5, 50)})]
    context.log.info("built %d rows", len(rows))
    return {prefix}MaterializeResult(metadata={{"rows": {prefix}MetadataValue.int(len(rows))}})
'''

    def assets(self) -> str:
        """Plain assets, either ``from dagster import ...`` or ``import dagster as dg``."""
        if self.rng.random() < 0.4:
            header, prefix = "import dagster as dg", "dg."
        else:
            header, prefix = "from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset", ""
        return f'''"""{self.word().title()} assets."""

{header}


{self.blocks(lambda: self.asset_block(prefix), 1, 6)}
'''

    def partitioned_assets(self) -> str:
        """Daily partitioned assets with a backfill policy and a partition mapping."""
        first, second = self.name(), self.name()
        return f'''"""Daily {self.word()} partitions."""

from dagster import (
    AssetExecutionContext,
    AssetIn,
    BackfillPolicy,
    DailyPartitionsDefinition,
    TimeWindowPartitionMapping,
    asset,
)

daily = DailyPartitionsDefinition(start_date="2024-0{self.rng.randrange(1, 9)}-01")


@asset(partitions_def=daily, backfill_policy=BackfillPolicy.single_run())
def {first}(context: AssetExecutionContext) -> list[dict]:
    """One day of raw rows."""
    day = context.partition_key
    context.log.info("loading %s", day)
    return [{{"day": day, "n": n}} for n in range({self.rng.randrange(3, 30)})]


@asset(
    partitions_def=daily,
    ins={{"{first}": AssetIn(partition_mapping=TimeWindowPartitionMapping(start_offset=-1))}},
)
def {second}(context: AssetExecutionContext, {first}: list[dict]) -> int:
    """Two-day rolling count."""
    return len({first})
'''

    def ops_jobs(self) -> str:
        """Ops wired into a graph and a job, with config and a retry policy."""
        ops = [self.name() for _ in range(self.rng.randint(2, 5))]
        op_defs = "\n\n".join(
            f'''@op(retry_policy=RetryPolicy(max_retries={self.rng.randrange(1, 5)}), out=Out(int))
def {op}(context: OpExecutionContext, value: int) -> int:
    """Step {i}."""
    context.log.debug("value=%s", value)
    return value + {i}
'''
            for i, op in enumerate(ops)
        )
        chain = "0"
        for op in ops:
            chain = f"{op}({chain})"
        config = f"{self.word().title()}Config"
        return f'''"""Ops and jobs for {self.word()}."""

from dagster import Config, OpExecutionContext, Out, RetryPolicy, job, op


class {config}(Config):
    """Run configuration."""

    limit: int = {self.rng.randrange(10, 1000)}
    dry_run: bool = False


@op
def start_{ops[0]}(config: {config}) -> int:
    return config.limit


{op_defs}

@job(tags={{"team": "{self.word()}"}})
def {self.name()}_job():
    {chain}
'''

    def sensors(self) -> str:
        """A polling sensor with a cursor and an asset sensor."""
        return f'''"""Sensors for {self.word()}."""

import os

from dagster import AssetKey, RunRequest, SensorEvaluationContext, SkipReason, asset_sensor, sensor


@sensor(job_name="{self.name()}_job", minimum_interval_seconds={self.rng.randrange(30, 600)})
def {self.name()}_sensor(context: SensorEvaluationContext):
    """Start a run for every new file."""
    last = int(context.cursor or 0)
    new = [f for f in sorted(os.listdir("/data/inbox")) if os.path.getmtime(f) > last]
    if not new:
        return SkipReason("nothing new")
    context.update_cursor(str(max(os.path.getmtime(f) for f in new)))
    return [RunRequest(run_key=f) for f in new]


@asset_sensor(asset_key=AssetKey("{self.word()}"), job_name="{self.name()}_job")
def {self.name()}_asset_sensor(context, asset_event):
    yield RunRequest(run_key=context.cursor)
'''

    def schedules(self) -> str:
        """Cron schedules."""
        return f'''"""Schedules."""

from dagster import ScheduleDefinition, ScheduleEvaluationContext, schedule

nightly = ScheduleDefinition(job_name="{self.name()}_job", cron_schedule="{self.rng.randrange(60)} 2 * * *")


@schedule(job_name="{self.name()}_job", cron_schedule="0 * * * *")
def hourly_{self.word()}(context: ScheduleEvaluationContext):
    return {{"ops": {{"start": {{"config": {{"day": context.scheduled_execution_time.isoformat()}}}}}}}}
'''

    def io_managers(self) -> str:
        """A configurable IO manager doing serialization."""
        return f'''"""Parquet-ish IO manager for {self.word()}."""

import pickle
from pathlib import Path

from dagster import ConfigurableIOManager, InputContext, OutputContext


class {self.word().title()}IOManager(ConfigurableIOManager):
    """Pickles outputs under a base directory."""

    base_dir: str = "/tmp/{self.word()}"

    def _path(self, context) -> Path:
        return Path(self.base_dir, *context.asset_key.path)

    def handle_output(self, context: OutputContext, obj) -> None:
        path = self._path(context)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(obj))

    def load_input(self, context: InputContext):
        return pickle.loads(self._path(context).read_bytes())
'''

    def resources(self) -> str:
        """A configurable resource with an environment variable."""
        word = self.word()
        return f'''"""Resources."""

from dagster import ConfigurableResource, EnvVar


class {word.title()}Warehouse(ConfigurableResource):
    """Connection settings for the {word} warehouse."""

    host: str
    user: str
    password: str

    def query(self, sql: str) -> list[tuple]:
        return []


warehouse = {word.title()}Warehouse(host="db", user="etl", password=EnvVar("{word.upper()}_PASSWORD"))
'''

    def asset_checks(self) -> str:
        """An asset check."""
        return f'''"""Checks."""

from dagster import AssetCheckResult, asset_check


@asset_check(asset="{self.word()}")
def {self.name()}_not_empty(context) -> AssetCheckResult:
    rows = {self.rng.randrange(0, 10)}
    return AssetCheckResult(passed=rows > 0, metadata={{"rows": rows}})
'''

    def definitions(self) -> str:
        """A code location's ``Definitions``."""
        return f'''"""Code location."""

from dagster import Definitions, define_asset_job, load_assets_from_modules, multiprocess_executor

from . import assets

all_assets = load_assets_from_modules([assets])
{self.word()}_job = define_asset_job("{self.word()}_job")

defs = Definitions(
    assets=all_assets,
    jobs=[{self.word()}_job],
    executor=multiprocess_executor.configured({{"max_concurrent": {self.rng.randrange(2, 16)}}}),
)
'''


def pick_kind(rng: random.Random, dagster_share: float) -> tuple[str, bool]:
    """Choose a module kind; returns (kind, mention_dagster) where the flag only matters for plain kinds."""
    if rng.random() < dagster_share:
        roll = rng.random()
        total = 0.0
        for kind, weight in DAGSTER_KINDS:
            total += weight
            if roll < total:
                return kind, False
        return DAGSTER_KINDS[-1][0], False
    return rng.choice(PLAIN_KINDS), rng.random() < 0.04


def module_text(rng: random.Random, kind: str, mention_dagster: bool) -> str:
    """The source of one module of a kind.

    Dagster modules usually carry some plain helper functions too; half of them get a
    tail of helpers (with their own ``logging`` import).
    """
    writer = ModuleWriter(rng)
    make = getattr(writer, kind)
    if kind in PLAIN_KINDS:
        return make(mention_dagster)
    text = make()
    if rng.random() < 0.5:
        helpers = writer.blocks(writer.plain_function, 1, 4)
        text += f"\n\nimport logging  # noqa: E402\n\nlogger = logging.getLogger(__name__)\n\n\n{helpers}"
    return text


def generate(root: Path, files: int, seed: int = 0, dagster_share: float = 0.2) -> dict[str, int]:
    """Write ``files`` Python files under ``root`` (replacing it); return counts per kind.

    About 1 in 12 files is an empty ``__init__.py``, as in real packages.
    """
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    counts: dict[str, int] = {}
    written = 0
    package_index = 0
    while written < files:
        top = f"{PACKAGES[package_index % len(PACKAGES)]}_{package_index // len(PACKAGES)}"
        package_index += 1
        for sub in SUBPACKAGES:
            if written >= files:
                break
            directory = root / top / sub
            directory.mkdir(parents=True, exist_ok=True)
            (directory / "__init__.py").write_text("", encoding="utf-8")
            written += 1
            counts["init"] = counts.get("init", 0) + 1
            for number in range(min(11, files - written)):
                kind, mention = pick_kind(rng, dagster_share)
                text = module_text(rng, kind, mention).rstrip() + "\n"
                ast.parse(text)  # the generator must only write valid Python
                prefix = "test_" if kind == "tests" else ""
                (directory / f"{prefix}{kind}_{number}.py").write_text(text, encoding="utf-8")
                counts[kind] = counts.get(kind, 0) + 1
                written += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command line: ``generate.py DIR --files N --seed S``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dagster-share", type=float, default=0.2, help="share of modules that import dagster")
    args = parser.parse_args(argv)
    counts = generate(args.directory, args.files, args.seed, args.dagster_share)
    total = sum(counts.values())
    print(f"wrote {total} files to {args.directory}: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
