"""Dagster's tables (context types, decorators) and canonical names of Dagster objects."""

from __future__ import annotations

from functools import cache, lru_cache

from dagster_zenml_lint.registry import build_index

CONTEXT_TYPES = {
    "AssetExecutionContext": "execution",
    "OpExecutionContext": "execution",
    "AssetCheckExecutionContext": "execution",
    "SensorEvaluationContext": "sensor",
    "MultiAssetSensorEvaluationContext": "sensor",
    "RunStatusSensorContext": "sensor",
    "RunFailureSensorContext": "sensor",
    "ScheduleEvaluationContext": "schedule",
    "HookContext": "hook",
    "InputContext": "io",
    "OutputContext": "io",
    "InitResourceContext": "resource",
}
EXECUTION_DECORATORS = {
    "op",
    "asset",
    "multi_asset",
    "graph_asset",
    "graph_multi_asset",
    "asset_check",
    "multi_asset_check",
    "observable_source_asset",
    "multi_observable_source_asset",
    "dbt_assets",
    "sling_assets",
    "dlt_assets",
}
OTHER_DECORATORS = {
    "sensor": "sensor",
    "asset_sensor": "sensor",
    "multi_asset_sensor": "sensor",
    "run_status_sensor": "sensor",
    "run_failure_sensor": "sensor",
    "schedule": "schedule",
    "success_hook": "hook",
    "failure_hook": "hook",
    "io_manager": "resource",
    "resource": "resource",
    "freshness_policy_sensor": "sensor",
}
IO_MANAGER_METHODS = {"load_input": "io", "handle_output": "io"}


@cache
def known_names() -> frozenset[str]:
    """Canonical names some rule claims (used to canonicalize dotted paths)."""
    return frozenset(build_index().names)


@cache  # a pure function of the name; a file asks for the same few names again and again
@lru_cache(maxsize=4096)  # a file asks for the same few names again and again (every reference asks)
def canonicalize(qualname: str) -> tuple[str, tuple[str, ...]]:
    """Split ``dagster._core.definitions.DailyPartitionsDefinition`` into the public
    object ``dagster.DailyPartitionsDefinition`` and trailing attributes.

    Internal modules (``_core``) and lower-case module segments are skipped; the first
    segment that names a known object, or starts with a capital, or is the last one,
    is the object.
    """
    known = known_names()
    if qualname in known:
        return qualname, ()
    parts = qualname.split(".")
    top = parts[0]
    for i in range(1, len(parts)):
        joined = ".".join(parts[: i + 1])
        if joined in known:
            return joined, tuple(parts[i + 1 :])
        candidate = f"{top}.{parts[i]}"
        if candidate in known and not _is_module_segment(parts, i):
            return candidate, tuple(parts[i + 1 :])
    for i in range(1, len(parts)):
        segment = parts[i]
        if segment.startswith("_"):
            continue
        if segment[:1].isupper() or i == len(parts) - 1:
            return f"{top}.{segment}", tuple(parts[i + 1 :])
    return top, ()


def _is_module_segment(parts: list[str], i: int) -> bool:
    """True when ``parts[i]`` is a module on the path, not an object, although an object has its name.

    ``dagster._core.executor.multiprocess.MultiprocessExecutor``: ``executor`` (a module
    below an internal one) is not ``dagster.executor``; neither is ``io_manager`` in
    ``dagster._core.storage.io_manager.IOManager`` (a lower-case segment followed by a class).
    """
    if i == len(parts) - 1 or parts[i][:1].isupper():
        return False
    return any(p.startswith("_") for p in parts[1:i]) or parts[i + 1][:1].isupper()
