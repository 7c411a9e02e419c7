"""DZ223: concurrency limits (``pool=``, ``dagster/concurrency_key`` tags, executor and run queue limits).

DZ230: run priority (the ``dagster/priority`` tag), which orders Dagster's run queue and has no
ZenML counterpart at all.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from dagster_zenml_lint.analysis.facts import FileContext, Match
from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import ancestors, described
from dagster_zenml_lint.rules._common import ABSENT, APPROXIMATE, MEDIUM

# Keys that only Dagster gives a meaning to: reported in any dict of a Dagster module.
DAGSTER_KEYS = (
    "dagster/concurrency_key",
    "dagster/pool",
    "tag_concurrency_limits",
    "max_concurrent_runs",
)
# Generic keys: reported only inside executor config or the arguments of a Dagster call.
EXECUTOR_KEYS = ("max_concurrent",)
ALL_KEYS = (*DAGSTER_KEYS, *EXECUTOR_KEYS)
EXECUTOR_SECTIONS = ("execution", "multiprocess", "config", "executor")


def _dagster_calls(ctx: FileContext) -> set[int]:
    calls = {id(ref.call) for ref in ctx.references if ref.call is not None}
    calls.update(id(use.call) for use in ctx.keywords)
    calls.update(id(method.call) for method in ctx.methods)
    return calls


def _in_executor_context(ctx: FileContext, node: ast.Dict, dagster_calls: set[int]) -> bool:
    for parent in ancestors(ctx, node):
        if id(parent) in dagster_calls:
            return True
        if isinstance(parent, ast.Dict):
            keys = {k.value for k in parent.keys if isinstance(k, ast.Constant)}
            if keys & set(EXECUTOR_SECTIONS):
                return True
    return False


def _concurrency_keys(ctx: FileContext) -> Iterator[Match]:
    """Dict keys that configure Dagster concurrency limits."""
    if not any(key in ctx.text for key in ALL_KEYS) or not ctx.imports_dagster():
        return  # no such key anywhere in the file (the cheaper test, first): nothing to look at
    dagster_calls = _dagster_calls(ctx)
    for node in ctx.dicts:
        for key in node.keys:
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue
            if key.value in DAGSTER_KEYS or (
                key.value in EXECUTOR_KEYS and _in_executor_context(ctx, node, dagster_calls)
            ):
                yield Match("DZ223", key.lineno, key.col_offset, f"{key.value!r} sets a Dagster concurrency limit", key)


PRIORITY_KEY = "dagster/priority"


def _priority_tags(ctx: FileContext) -> Iterator[Match]:
    """``"dagster/priority"`` dict keys (the run-queue priority tag) in a Dagster module."""
    if PRIORITY_KEY not in ctx.text or not ctx.imports_dagster():
        return
    for node in ctx.dicts:
        for key in node.keys:
            if isinstance(key, ast.Constant) and key.value == PRIORITY_KEY:
                yield Match("DZ230", key.lineno, key.col_offset, f"{PRIORITY_KEY!r} sets a run priority", key)


DZ223 = Rule(
    code="DZ223",
    symbol="dagster-concurrency",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Concurrency limits move to the orchestrator",
    target="orchestrator-level concurrency settings; document the limits that are lost",
    hint="If the limit protects an external system, add rate limiting in the step or rely on orchestrator "
    "quotas, and document the limit in the migration report.",
    docs=("ORCH",),
    message="{subject}: ZenML has no concurrency pools; limit at the orchestrator",
    what_it_does="Reports `pool=`, `dagster/concurrency_key` and `dagster/pool` tags, executor "
    "`max_concurrent` and `tag_concurrency_limits` config, and run-queue limits (`QueuedRunCoordinator`, "
    "`max_concurrent_runs`).",
    why="Dagster enforces op/asset pools and run-queue limits in its instance; ZenML leaves parallelism to "
    "the orchestrator.",
    fix_safety="No fix.",
    names=described("QueuedRunCoordinator", "PoolMetadataValue"),
    keywords={"pool": None, "max_concurrent_runs": None, "tag_concurrency_limits": None, "max_concurrent": None},
    detectors=(_concurrency_keys,),
    examples=(
        flagged("from dagster import asset\n\n\n@asset(pool='warehouse')\ndef orders() -> int:\n    return 1\n"),
        flagged(
            "from dagster import op\n\n\n@op(tags={'dagster/concurrency_key': 'db'})\ndef load() -> int:\n"
            "    return 1\n",
            title="a concurrency tag",
        ),
        flagged(
            "from dagster import Definitions, multiprocess_executor\n\n"
            "defs = Definitions(executor=multiprocess_executor.configured({'max_concurrent': 4}))\n",
            title="executor config",
        ),
        clean("from dagster import op\n\n\n@op(tags={'team': 'data'})\ndef load() -> int:\n    return 1\n"),
        clean("settings = {'max_concurrent': 4}\n", title="not a Dagster module"),
    ),
)

DZ230 = Rule(
    code="DZ230",
    symbol="dagster-run-priority",
    severity=MEDIUM,
    mapping=ABSENT,
    title="Run priority has no ZenML equivalent",
    target="none in ZenML: order runs at the orchestrator (queue priority classes) or in the service that "
    "triggers them",
    hint="ZenML has no run queue and no run priority: drop the tag, and if the order matters use the "
    "orchestrator's own priority (a Kubernetes priority class, a queue) or trigger urgent runs first.",
    docs=("ORCH",),
    message="{subject}: ZenML has no run priority; order runs at the orchestrator",
    what_it_does="Reports the `dagster/priority` tag on jobs, assets, schedules and run requests.",
    why="Dagster's run queue launches queued runs by this tag's priority; ZenML submits a run to the "
    "orchestrator when it is started and keeps no queue to order.",
    fix_safety="No fix.",
    detectors=(_priority_tags,),
    examples=(
        flagged(
            "from dagster import job, op\n\n\n@op\ndef load() -> int:\n    return 1\n\n\n"
            "@job(tags={'dagster/priority': '3'})\ndef urgent():\n    load()\n"
        ),
        clean("from dagster import job\n\n\n@job(tags={'team': 'data'})\ndef nightly():\n    pass\n"),
        clean("tags = {'dagster/priority': '3'}\n", title="not a Dagster module"),
    ),
)

RULES = (DZ223, DZ230)
