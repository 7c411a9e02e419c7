"""DZ301 partitions, DZ302 partition mappings, DZ303 backfills, DZ311 dynamic partitions.

ZenML has no partition engine: a partition key becomes an explicit pipeline parameter and
anything that iterates over keys (backfills, new dynamic keys) lives outside ZenML.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from dagster_zenml_lint.analysis.facts import FileContext, Match
from dagster_zenml_lint.registry import MissingFeature, Rule, clean, flagged
from dagster_zenml_lint.rules._calls import LOOP_NODES, described, display, inside
from dagster_zenml_lint.rules._common import ABSENT, HIGH

PARTITIONS_DEFINITIONS = (
    "PartitionsDefinition",
    "DailyPartitionsDefinition",
    "HourlyPartitionsDefinition",
    "WeeklyPartitionsDefinition",
    "MonthlyPartitionsDefinition",
    "TimeWindowPartitionsDefinition",
    "StaticPartitionsDefinition",
    "DynamicPartitionsDefinition",
    "MultiPartitionsDefinition",
)
PARTITION_HELPERS = (
    "PartitionedConfig",
    "partitioned_config",
    "daily_partitioned_config",
    "hourly_partitioned_config",
    "weekly_partitioned_config",
    "monthly_partitioned_config",
    "static_partitioned_config",
    "dynamic_partitioned_config",
    "PartitionKeyRange",
    "MultiPartitionKey",
    "TimeWindow",
    "Partition",
    "partition_loading_context",
    "AssetPartitionStatus",
    "DagsterUnknownPartitionError",
)
PARTITION_CONTEXT_ATTRS = (
    "partition_key",
    "partition_keys",
    "partition_key_range",
    "partition_time_window",
    "has_partition_key",
    "has_partition_key_range",
    "asset_partition_key_for_output",
    "asset_partition_keys_for_output",
    "asset_partition_key_range_for_output",
    "asset_partitions_time_window_for_output",
    "asset_partitions_def_for_output",
    "asset_partition_key_for_input",
    "asset_partition_keys_for_input",
    "asset_partition_key_range_for_input",
    "asset_partitions_time_window_for_input",
    "asset_partitions_def_for_input",
    "has_asset_partitions",
    "asset_partition_key",
    "asset_partition_keys",
    "asset_partition_key_range",
    "asset_partitions_time_window",
    "partition_loading_context",
)
PARTITION_MAPPINGS = (
    "PartitionMapping",
    "IdentityPartitionMapping",
    "TimeWindowPartitionMapping",
    "AllPartitionMapping",
    "LastPartitionMapping",
    "StaticPartitionMapping",
    "SpecificPartitionsPartitionMapping",
    "MultiToSingleDimensionPartitionMapping",
    "MultiPartitionMapping",
    "DimensionPartitionMapping",
)
DYNAMIC_PARTITION_METHODS = (
    "add_dynamic_partitions",
    "delete_dynamic_partition",
    "get_dynamic_partitions",
    "has_dynamic_partition",
    "build_add_request",
    "build_delete_request",
)


def _partition_request_in_loop(ctx: FileContext) -> Iterator[Match]:
    """``RunRequest(partition_key=...)`` / ``run_request_for_partition`` issued in a loop: a backfill."""
    for ref in ctx.references:
        if ref.canonical != "dagster.RunRequest" or ref.call is None:
            continue
        if not any(kw.arg in ("partition_key", "partition_key_range") for kw in ref.call.keywords):
            continue
        if inside(ctx, ref.call, LOOP_NODES) is not None:
            yield Match(
                "DZ303", ref.line, ref.col, "RunRequest(partition_key=...) issued in a loop (a backfill)", ref.node
            )
    for method in ctx.methods:
        if method.node.attr == "run_request_for_partition" and inside(ctx, method.call, LOOP_NODES) is not None:
            yield Match(
                "DZ303",
                method.node.lineno,
                method.node.col_offset,
                f"{method.receiver}.run_request_for_partition(...) issued in a loop (a backfill)",
                method.call,
            )


def _dynamic_partitions_reads(ctx: FileContext) -> Iterator[Match]:
    """Reads of dynamic partition keys the name tables cannot see.

    ``defs.get_partition_keys(...)`` on a ``DynamicPartitionsDefinition`` imported from another
    module of the project (answered by ``class_bases``), and any call given a
    ``dynamic_partitions_store=`` (the instance that stores the keys).
    """
    if "partition" not in ctx.text:
        return
    if not ctx.dynamic_partitions and "dynamic_partitions_store" not in ctx.text:
        return  # neither a name of another module's dynamic partitions nor the keyword: no call matches
    for call in ctx.calls:
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in ctx.dynamic_partitions
        ):
            subject = f"{func.value.id}.{func.attr}(...) on dynamic partitions defined in another module"
            yield Match("DZ311", func.lineno, func.col_offset, subject, call)
        elif any(kw.arg == "dynamic_partitions_store" for kw in call.keywords) and ctx.imports_dagster():
            keyword = next(kw for kw in call.keywords if kw.arg == "dynamic_partitions_store")
            subject = f"{display(ctx, call.func)}(..., dynamic_partitions_store=...) reads dynamic partition keys"
            yield Match("DZ311", keyword.lineno, keyword.col_offset, subject, call)


DZ301 = Rule(
    code="DZ301",
    report_section="partitions",
    missing_feature=MissingFeature(
        "Partition-aware runs",
        (
            "pipelines parameterized by a partition key that ZenML tracks, with per-partition run status "
            "and re-runs of single partitions."
        ),
    ),
    symbol="dagster-partitions",
    severity=HIGH,
    mapping=ABSENT,
    title="Partitions have no ZenML equivalent",
    target="explicit `partition_key` / `start_date`/`end_date` pipeline parameters; a backfill driver outside ZenML",
    hint="Pass the partition key (or date range) as a typed pipeline parameter and write down what the "
    "partition engine did for this asset.",
    docs=("SCHED", "ORCH"),
    message="{subject}: ZenML has no partitions; pass the key as a pipeline parameter",
    what_it_does="Reports partitions definitions (`DailyPartitionsDefinition`, `StaticPartitionsDefinition`, "
    "`MultiPartitionsDefinition`, ...), `partitions_def=` and `partition_key=` arguments, partitioned config "
    "helpers and partition-key reads on a context (`context.partition_key`, `partition_key_range`, "
    "`partition_time_window`, `asset_partition_key_for_output()`, `has_partition_key`).",
    why="A ZenML pipeline run is not a slice of an asset: there is no partition status, no per-key "
    "materialization history and no partition-aware scheduling. The key is only a label you pass in.",
    fix_safety="No fix: choosing the parameter and the driver that loops over keys is a design decision.",
    names={**described(*PARTITIONS_DEFINITIONS, *PARTITION_HELPERS, "*PartitionsDefinition")},
    keywords={"partitions_def": None, "partition_key": None, "partition_key_range": None},
    methods={
        name: None
        for name in (
            "get_partition_keys",
            "get_last_partition_key",
            "get_first_partition_key",
            "get_partition_keys_in_range",
            "time_window_for_partition_key",
            "run_request_for_partition",
        )
    },
    context_attrs=PARTITION_CONTEXT_ATTRS,
    examples=(
        flagged(
            "from dagster import AssetExecutionContext, DailyPartitionsDefinition, asset\n\n"
            "daily = DailyPartitionsDefinition(start_date='2024-01-01')\n\n\n"
            "@asset(partitions_def=daily)\n"
            "def orders(context: AssetExecutionContext) -> str:\n"
            "    return context.partition_key\n",
            title="a daily-partitioned asset reading its key",
        ),
        flagged(
            "import dagster as dg\n\n\n"
            "@dg.asset(partitions_def=dg.StaticPartitionsDefinition(['eu', 'us']))\n"
            "def sales() -> int:\n    return 1\n",
            title="`import dagster as dg`",
        ),
        clean(
            "from zenml import pipeline, step\n\n\n@step\ndef orders(partition_key: str) -> str:\n"
            "    return partition_key\n\n\n@pipeline\ndef daily(partition_key: str = '2024-01-01'):\n"
            "    orders(partition_key)\n",
            title="the key as an explicit parameter",
        ),
        clean(
            "class DailyPartitionsDefinition:\n    pass\n\n\npartitions = DailyPartitionsDefinition()\n",
            title="a local class with the same name",
        ),
    ),
)

DZ302 = Rule(
    code="DZ302",
    report_section="partitions",
    missing_feature=MissingFeature(
        "Partition-aware runs",
        (
            "pipelines parameterized by a partition key that ZenML tracks, with per-partition run status "
            "and re-runs of single partitions."
        ),
    ),
    symbol="dagster-partition-mapping",
    severity=HIGH,
    mapping=ABSENT,
    title="Partition mappings have no ZenML equivalent",
    target="none: rebuild the dependency between slices by hand",
    hint="Compute the upstream keys this mapping selected and load their artifacts explicitly; have a person "
    "review the cross-slice dependency.",
    docs=("ART",),
    message="{subject}: ZenML cannot map partitions between steps",
    what_it_does="Reports partition mappings (`TimeWindowPartitionMapping`, `IdentityPartitionMapping`, "
    "`AllPartitionMapping`, `LastPartitionMapping`, `StaticPartitionMapping`, multi-dimension mappings, "
    "subclasses of `PartitionMapping`) and `partition_mapping=` arguments.",
    why="A mapping tells Dagster which upstream slices each downstream slice reads; ZenML passes one artifact "
    "per step call and has no notion of slices.",
    fix_safety="No fix.",
    names=described(*PARTITION_MAPPINGS, "*PartitionMapping"),
    keywords={"partition_mapping": None},
    examples=(
        flagged(
            "from dagster import AssetIn, DailyPartitionsDefinition, TimeWindowPartitionMapping, asset\n\n"
            "daily = DailyPartitionsDefinition(start_date='2024-01-01')\n\n\n"
            "@asset(partitions_def=daily, ins={'orders': AssetIn(partition_mapping="
            "TimeWindowPartitionMapping(start_offset=-1))})\n"
            "def rolling(orders: int) -> int:\n    return orders\n",
        ),
        clean(
            "from dagster import AssetIn, asset\n\n\n@asset(ins={'orders': AssetIn()})\n"
            "def report(orders: int) -> int:\n    return orders\n"
        ),
    ),
)

DZ303 = Rule(
    code="DZ303",
    report_section="partitions",
    missing_feature=MissingFeature(
        "Backfills",
        (
            "launching one run per partition key over a range from the CLI or dashboard, with progress "
            "and retries per partition."
        ),
    ),
    symbol="dagster-backfill",
    severity=HIGH,
    mapping=ABSENT,
    title="Backfills have no ZenML equivalent",
    target="an external backfill driver that loops over keys and runs the pipeline once per key or range",
    hint="Write a small driver that loops over the partition keys and calls the pipeline once per key or "
    "range (with ZenML Pro, it may trigger a pipeline snapshot instead).",
    docs=("SCHED", "PRO"),
    message="{subject}: ZenML has no backfills; drive one run per key from outside",
    what_it_does="Reports `BackfillPolicy`, `backfill_policy=`, schedules built from partitioned jobs "
    "(`build_schedule_from_partitioned_job`), `RunRequest(partition_key=...)` issued in a loop, and the "
    "partition-range tags of a backfill run (`ASSET_PARTITION_RANGE_START_TAG` / `_END_TAG`).",
    why="Dagster launches and tracks runs over ranges of partitions; ZenML runs a pipeline once per call "
    "and keeps no record of which slices exist or are missing.",
    fix_safety="No fix.",
    names=described(
        "BackfillPolicy",
        "build_schedule_from_partitioned_job",
        "ASSET_PARTITION_RANGE_START_TAG",
        "ASSET_PARTITION_RANGE_END_TAG",
    ),
    keywords={"backfill_policy": None},
    detectors=(_partition_request_in_loop,),
    examples=(
        flagged(
            "from dagster import BackfillPolicy, DailyPartitionsDefinition, asset\n\n\n"
            "@asset(partitions_def=DailyPartitionsDefinition(start_date='2024-01-01'),\n"
            "       backfill_policy=BackfillPolicy.single_run())\n"
            "def events() -> int:\n    return 1\n",
        ),
        flagged(
            "from dagster import DailyPartitionsDefinition, asset, build_schedule_from_partitioned_job, "
            "define_asset_job\n\n\n"
            "@asset(partitions_def=DailyPartitionsDefinition(start_date='2024-01-01'))\n"
            "def events() -> int:\n    return 1\n\n\n"
            "events_job = define_asset_job('events_job', selection=[events])\n"
            "events_schedule = build_schedule_from_partitioned_job(events_job)\n",
            title="a schedule built from a partitioned job",
        ),
        flagged(
            "from dagster import RunRequest, sensor\n\n\n@sensor(job_name='load')\n"
            "def catch_up(context):\n    for day in ['2024-01-01', '2024-01-02']:\n"
            "        yield RunRequest(run_key=day, partition_key=day)\n",
            title="partitioned run requests in a loop",
        ),
        clean(
            "from dagster import RunRequest, sensor\n\n\n@sensor(job_name='load')\n"
            "def once(context):\n    return RunRequest(run_key='x')\n"
        ),
    ),
)

DZ311 = Rule(
    code="DZ311",
    report_section="partitions",
    missing_feature=MissingFeature(
        "Partition-aware runs",
        (
            "pipelines parameterized by a partition key that ZenML tracks, with per-partition run status "
            "and re-runs of single partitions."
        ),
    ),
    symbol="dagster-dynamic-partitions",
    severity=HIGH,
    mapping=ABSENT,
    title="Dynamic partitions have no ZenML equivalent",
    target="an external registry of keys (a table, a queue) that feeds pipeline parameters",
    hint="Keep the list of keys outside ZenML and launch one run per new key with the key as a parameter.",
    docs=("PRO", "DEPLOY"),
    message="{subject}: ZenML has no dynamic partitions; keep the keys in an external registry",
    what_it_does="Reports `DynamicPartitionsDefinition`, `AddDynamicPartitionsRequest`, "
    "`DeleteDynamicPartitionsRequest`, `dynamic_partitions_requests=`, adding or reading dynamic "
    "partitions through an instance (`context.instance.add_dynamic_partitions(...)`, "
    "`dynamic_partitions_store=`), and methods called on a dynamic partitions definition imported from "
    "another module of the project.",
    why="Dynamic partitions are a set of keys stored in the Dagster instance and changed at run time; "
    "ZenML stores nothing like it.",
    fix_safety="No fix.",
    names=described(
        "DynamicPartitionsDefinition",
        "AddDynamicPartitionsRequest",
        "DeleteDynamicPartitionsRequest",
        "dynamic_partitioned_config",
    ),
    keywords={"dynamic_partitions_requests": None},
    methods={name: None for name in DYNAMIC_PARTITION_METHODS},
    detectors=(_dynamic_partitions_reads,),
    context_attrs=tuple(f"instance.{name}" for name in DYNAMIC_PARTITION_METHODS[:4]),
    examples=(
        flagged(
            "from dagster import DynamicPartitionsDefinition, asset\n\n"
            "files = DynamicPartitionsDefinition(name='files')\n\n\n"
            "@asset(partitions_def=files)\ndef parsed() -> int:\n    return 1\n",
        ),
        flagged(
            "from dagster import SensorEvaluationContext, sensor\n\n\n@sensor(job_name='load')\n"
            "def new_files(context: SensorEvaluationContext):\n"
            "    context.instance.add_dynamic_partitions('files', ['a.csv'])\n",
            title="adding keys through the instance",
        ),
        clean("from dagster import StaticPartitionsDefinition\n\nregions = StaticPartitionsDefinition(['eu'])\n"),
    ),
)

RULES = (DZ301, DZ302, DZ303, DZ311)
