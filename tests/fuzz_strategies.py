"""Hypothesis strategies for fuzzing: mutated real sources and random Dagster-flavoured Python.

Shared by ``tests/test_fuzz.py`` (a bounded sample in the normal suite) and
``benchmarks/fuzz_long.py`` (the long run). Mutations are the edits a person makes
half-way through typing: delete, duplicate or swap lines, swap tokens, cut the file
short, drop a span, insert a stray piece of syntax, re-indent a line. The random
programs come from a small grammar over Dagster names, plain names and the shapes the
engine cares about (decorators, calls with keywords, base classes, context parameters,
imports with aliases, star imports, shadowing, nested scopes).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import strategies as st

from dagster_zenml_lint.registry import all_rules

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
TOKEN = re.compile(r"\w+|[^\w\s]")


def seed_sources() -> list[str]:
    """The texts that mutations start from: the functional fixtures and every rule example."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES_DIR.glob("*.py"))]
    for rule in all_rules():
        for example in rule.examples:
            texts.append(example.code)
            if example.fixed:
                texts.append(example.fixed)
    return [text for text in texts if text.strip()]


STRAY = (
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    ".",
    "@",
    "=",
    "\\",
    "'",
    '"',
    '"""',
    "#",
    "\n",
    "\t",
    "    ",
    "\r",
    "\r\n",
    "\x0c",
    "\x00",
    "lambda",
    "yield",
    "async ",
    "await ",
    "dagster",
    "dg.",
    "@asset",
    "from dagster import *\n",
    "import dagster as dg\n",
    "é",
    "\u2028",
    "\ufeff",
    "# noqa\n",
    "# noqa: DZ101\n",
    "if True:\n",
    "else:\n",
    "def f(context):\n",
    "class C(dg.Config):\n",
)


@st.composite
def _mutate(draw: st.DrawFn, text: str) -> str:
    """One random edit of ``text``."""
    lines = text.splitlines(keepends=True) or [""]
    kind = draw(
        st.sampled_from(
            ("delete_line", "duplicate_line", "swap_lines", "swap_tokens", "truncate", "drop_span", "insert", "indent")
        )
    )
    index = draw(st.integers(0, len(lines) - 1))
    if kind == "delete_line":
        del lines[index]
    elif kind == "duplicate_line":
        lines.insert(index, lines[index])
    elif kind == "swap_lines":
        other = draw(st.integers(0, len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == "indent":
        lines[index] = draw(st.sampled_from(("", " ", "    ", "\t", "        "))) + lines[index].lstrip(" \t")
    else:
        offset = draw(st.integers(0, len(text)))
        if kind == "truncate":
            return text[:offset]
        if kind == "drop_span":
            return text[:offset] + text[offset + draw(st.integers(1, 80)) :]
        if kind == "insert":
            return text[:offset] + draw(st.sampled_from(STRAY)) + text[offset:]
        tokens = list(TOKEN.finditer(text))
        if len(tokens) < 2:
            return text
        first, second = sorted(draw(st.lists(st.integers(0, len(tokens) - 1), min_size=2, max_size=2, unique=True)))
        a, b = tokens[first], tokens[second]
        return text[: a.start()] + b.group() + text[a.end() : b.start()] + a.group() + text[b.end() :]
    return "".join(lines)


@st.composite
def mutated_sources(draw: st.DrawFn, seeds: list[str] | None = None) -> str:
    """A fixture or rule example after one to four random edits."""
    text = draw(st.sampled_from(seeds if seeds is not None else SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        text = draw(_mutate(text))
    return text


# ------------------------------------------------------------------ random programs
DAGSTER_NAMES = (
    "asset",
    "op",
    "job",
    "graph",
    "multi_asset",
    "sensor",
    "schedule",
    "asset_check",
    "resource",
    "io_manager",
    "Definitions",
    "AssetExecutionContext",
    "OpExecutionContext",
    "ConfigurableResource",
    "ConfigurableIOManager",
    "IOManager",
    "Config",
    "RetryPolicy",
    "DailyPartitionsDefinition",
    "StaticPartitionsDefinition",
    "DynamicPartitionsDefinition",
    "AssetIn",
    "AssetOut",
    "AssetKey",
    "In",
    "Out",
    "Output",
    "DynamicOut",
    "RunRequest",
    "SkipReason",
    "ScheduleDefinition",
    "define_asset_job",
    "AssetSelection",
    "EnvVar",
    "MetadataValue",
    "MaterializeResult",
    "AutomationCondition",
    "FreshnessPolicy",
    "BackfillPolicy",
    "TimeWindowPartitionMapping",
    "get_dagster_logger",
    "materialize",
    "build_op_context",
    "load_assets_from_modules",
    "mem_io_manager",
    "in_process_executor",
    "SourceAsset",
    "AssetSpec",
)
PLAIN_NAMES = ("x", "y", "data", "rows", "helper", "result", "context", "ctx", "self", "value", "config", "path")
KEYWORDS = (
    "partitions_def",
    "retry_policy",
    "config_schema",
    "required_resource_keys",
    "io_manager_key",
    "deps",
    "ins",
    "out",
    "group_name",
    "tags",
    "op_tags",
    "backfill_policy",
    "automation_condition",
    "freshness_policy",
    "resource_defs",
    "executor_def",
    "hooks",
    "selection",
    "job",
    "cron_schedule",
    "check_specs",
    "pool",
    "can_subset",
    "metadata",
    "name",
    "key",
)
CONTEXT_ATTRS = (
    "log.info",
    "log.warning",
    "partition_key",
    "partition_key_range",
    "op_config",
    "resources.db",
    "run_id",
    "instance.add_dynamic_partitions",
    "cursor",
    "update_cursor",
    "selected_output_names",
    "asset_key",
    "add_output_metadata",
    "pdb.set_trace",
)

_module_prefix = st.sampled_from(("", "dg.", "dagster.", "d."))
_name = st.one_of(st.sampled_from(DAGSTER_NAMES), st.sampled_from(PLAIN_NAMES))


@st.composite
def _expression(draw: st.DrawFn, depth: int = 0) -> str:
    """A small expression over Dagster and plain names."""
    choice = draw(st.integers(0, 7 if depth < 3 else 2))
    if choice == 0:
        return draw(_module_prefix) + draw(_name)
    if choice == 1:
        return draw(st.sampled_from(('"orders"', "1", "None", "True", "[]", "{}", "0.5", '"0 * * * *"')))
    if choice == 2:
        return f"{draw(st.sampled_from(('context', 'ctx', 'self')))}.{draw(st.sampled_from(CONTEXT_ATTRS))}"
    if choice in (3, 4):
        args = draw(st.lists(_expression(depth + 1), max_size=2))
        kwargs = [f"{k}={draw(_expression(depth + 1))}" for k in draw(st.lists(st.sampled_from(KEYWORDS), max_size=3))]
        return f"{draw(_module_prefix)}{draw(_name)}({', '.join([*args, *kwargs])})"
    if choice == 5:
        return f"[{', '.join(draw(st.lists(_expression(depth + 1), max_size=3)))}]"
    if choice == 6:
        return f"{{{draw(_expression(depth + 1))}: {draw(_expression(depth + 1))}}}"
    return f"lambda {draw(st.sampled_from(PLAIN_NAMES))}: {draw(_expression(depth + 1))}"


@st.composite
def _import(draw: st.DrawFn) -> str:
    """An import statement, sometimes guarded by ``try/except ImportError``."""
    module = draw(st.sampled_from(("dagster", "dagster._core.definitions", "dagster_dbt", "zenml", "os", "pandas")))
    form = draw(st.integers(0, 3))
    if form == 0:
        line = f"import {module}" + draw(st.sampled_from(("", " as dg", " as d")))
    elif form == 1:
        line = f"from {module} import *"
    else:
        names = draw(st.lists(st.sampled_from(DAGSTER_NAMES), min_size=1, max_size=4, unique=True))
        alias = draw(st.sampled_from(("", " as renamed")))
        line = f"from {module} import {', '.join(names)}{alias if len(names) == 1 else ''}"
    if draw(st.booleans()):
        return line
    return f"try:\n    {line}\nexcept ImportError:\n    {draw(st.sampled_from(PLAIN_NAMES))} = None"


def _indent(block: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in block.split("\n"))


@st.composite
def _statement(draw: st.DrawFn, depth: int = 0) -> str:
    """One statement; compound statements hold a few more."""
    choice = draw(st.integers(0, 8 if depth < 2 else 3))
    if choice == 0:
        return draw(_import())
    if choice == 1:
        return f"{draw(st.sampled_from(PLAIN_NAMES + DAGSTER_NAMES))} = {draw(_expression())}"
    if choice == 2:
        return draw(_expression())
    if choice == 3:
        return draw(
            st.sampled_from(
                (
                    "pass",
                    "return 1",
                    "yield Output(1)",
                    "raise RetryRequested()",
                    "del x",
                    "global asset",
                    "return None",
                )
            )
        )
    body = "\n".join(draw(st.lists(_statement(depth + 1), min_size=1, max_size=4)))
    if choice in (4, 5):
        decorators = "".join(
            f"@{d}\n"
            for d in draw(st.lists(st.one_of(_expression(2), _module_prefix.map(lambda p: p + "asset")), max_size=2))
        )
        params = draw(
            st.sampled_from(
                (
                    "",
                    "context",
                    "context: AssetExecutionContext",
                    "ctx, upstream",
                    "self, context",
                    "context: 'OpExecutionContext', x: int = 1",
                    "*args",
                )
            )
        )
        asyncness = draw(st.sampled_from(("", "async ")))
        return (
            f"{decorators}{asyncness}def {draw(st.sampled_from(PLAIN_NAMES + DAGSTER_NAMES))}({params}):\n"
            + _indent(body)
        )
    if choice == 6:
        bases = ", ".join(draw(st.lists(_module_prefix.flatmap(lambda p: _name.map(lambda n: p + n)), max_size=2)))
        return f"class {draw(st.sampled_from(('Thing', 'Store', 'asset', 'Config')))}({bases}):\n" + _indent(body)
    if choice == 7:
        return f"if {draw(_expression())}:\n" + _indent(body)
    return f"with {draw(_expression())} as {draw(st.sampled_from(PLAIN_NAMES))}:\n" + _indent(body)


@st.composite
def dagster_programs(draw: st.DrawFn) -> str:
    """A syntactically valid module of random statements that mentions Dagster."""
    header = draw(_import().filter(lambda line: "dagster" in line))
    statements = draw(st.lists(_statement(), min_size=1, max_size=12))
    return "\n".join([header, *statements]) + "\n"


SEEDS = seed_sources()


# -- programs made of what the fixes rewrite (ops, jobs, loggers, retry policies) ---------------
OP_PARAMETERS = ("", "context", "context, x=1", "context: OpExecutionContext", "\n    context,\n", "x=1")
OP_BODIES = (
    "return 1",
    "context.log.info('loading')",
    "del context",
    "context = None",
    "log = get_dagster_logger('sentry')\nlog.info('y')",
    "def inner():\n    nonlocal context\n    context = None\n\ninner()",
    "helper(context)",
    "for context in range(2):\n    pass",
    "logger.info('module logger')",
    "return x",
)
RETRY_DELAYS = ("1", "2.5", "1e400", "float('inf')", "NAME")


@st.composite
def _op(draw: st.DrawFn, name: str) -> str:
    """An ``@op`` function whose parameters and body touch what the op, log and retry fixes rewrite."""
    arguments = ""
    if draw(st.booleans()):
        arguments = f"(retry_policy=RetryPolicy(max_retries=2, delay={draw(st.sampled_from(RETRY_DELAYS))}))"
    user_decorator = "@wrap\n" if draw(st.integers(0, 4)) == 0 else ""
    params = draw(st.sampled_from(OP_PARAMETERS))
    body = "\n".join(draw(st.lists(st.sampled_from(OP_BODIES), min_size=1, max_size=3)))
    return f"@op{arguments}\n{user_decorator}def {name}({params}):\n{_indent(body)}\n"


@st.composite
def fixable_programs(draw: st.DrawFn) -> str:
    """A module of ops (and maybe a job, direct calls and ``__all__``) that ``--fix`` has work on.

    Some of them do not compile (``nonlocal`` of a name the op does not take); those test
    that the applier then only asks for parsing.
    """
    names = draw(st.lists(st.sampled_from(("a", "b", "c")), min_size=1, max_size=3, unique=True))
    parts = [
        "import functools\nimport os\n\n"
        "from dagster import OpExecutionContext, RetryPolicy, build_op_context, get_dagster_logger, job, op\n",
    ]
    if draw(st.booleans()):
        exported = draw(st.sampled_from((["op"], ["job", "a"], [])))
        parts.append(f"__all__ = {exported!r}\n")
    parts.append(
        "NAME = 3\nlogger = get_dagster_logger()\n\n\ndef helper(value):\n    return value\n\n\n"
        "def wrap(fn):\n    @functools.wraps(fn)\n    def wrapper(*args, **kwargs):\n"
        "        return fn(*args, **kwargs)\n\n    return wrapper\n"
    )
    parts.extend(f"\n\n{draw(_op(name))}" for name in names)
    if draw(st.booleans()):
        parts.append("\n\n@job\ndef pipeline_job():\n" + "".join(f"    {name}()\n" for name in names))
    calls = draw(st.lists(st.sampled_from(("(build_op_context())", "(None, 5)", "(x=2)", "()")), max_size=2))
    if calls:
        parts.append("\n\ndef test_direct():\n" + "".join(f"    {names[0]}{call}\n" for call in calls))
    return "".join(parts) + ("" if draw(st.booleans()) else "\nos.sep\n")
