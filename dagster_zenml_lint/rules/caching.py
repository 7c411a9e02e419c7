"""DZ240: ``code_version=`` on assets and ops meets ZenML's step cache, which is on by default.

Dagster re-runs every asset it is asked to materialize; ``code_version`` only tells it
whether a materialization is stale. ZenML skips a step whose cache key (the step's code,
parameters and inputs) is unchanged, so the version a team bumped by hand decides
nothing after the migration unless it becomes part of the step's cache policy.
"""

from __future__ import annotations

from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._common import APPROXIMATE, LOW

DZ240 = Rule(
    code="DZ240",
    symbol="dagster-code-version",
    severity=LOW,
    mapping=APPROXIMATE,
    title="code_version= becomes ZenML's step cache policy",
    target="ZenML step caching, on by default and keyed on the step's code, parameters and inputs: drop "
    "`code_version=` when the code is the version, keep a hand-kept version in the key with "
    "`@step(cache_policy=CachePolicy(include_step_code=False, cache_func=...))`, and set "
    "`@step(enable_cache=False)` on steps that read external data or write outside the artifact store",
    hint="Decide per step: a step with side effects or external inputs must run every time "
    "(`enable_cache=False`); for the others ZenML's code hash replaces the hand-bumped version. `migrate` "
    "keeps the version of an `@asset`/`@op`: a generated `<step>_code_version()` returns it as the cache policy's "
    "`cache_func`.",
    docs=("CACHE", "STEPS"),
    message="{subject}: ZenML caches the step on its code and inputs (on by default); "
    "map code_version to a cache policy or enable_cache=False",
    what_it_does="Reports `code_version=` given to `@asset`, `@multi_asset`, `AssetOut`, `AssetSpec`, `@op` "
    "and every other Dagster call that takes it.",
    why="In Dagster, `code_version` marks materializations stale and every requested run re-executes the "
    "asset. In ZenML caching is on by default: a step whose code, parameters and inputs did not change is "
    "skipped and its previous outputs are reused, so a loader, a writer or any step with side effects "
    "silently stops running on the second day. The hand-kept version has no meaning there unless it is "
    "made part of the cache key (`CachePolicy(cache_func=...)`).",
    fix_safety="No fix: whether a step may be cached depends on what it does outside its inputs and outputs.",
    keywords={"code_version": None},
    examples=(
        flagged(
            "import dagster as dg\n\n\n@dg.asset(code_version='2')\ndef orders() -> list[int]:\n    return [1, 2]\n",
        ),
        flagged(
            "from dagster import AssetOut, multi_asset\n\n\n"
            "@multi_asset(outs={'a': AssetOut(code_version='1'), 'b': AssetOut()})\n"
            "def split():\n    return 1, 2\n",
            title="a versioned output of a multi-asset",
        ),
        flagged(
            "from dagster import op\n\n\n@op(code_version='v3')\ndef load() -> int:\n    return 1\n",
            title="an op",
        ),
        clean(
            "from zenml import step\nfrom zenml.config import CachePolicy\n\n\n"
            "def orders_version() -> str:\n    return '2'\n\n\n"
            "@step(cache_policy=CachePolicy(include_step_code=False, cache_func=orders_version))\n"
            "def orders() -> list[int]:\n    return [1, 2]\n",
            title="the migrated step keeps the hand-kept version in its cache key",
        ),
        clean(
            "def asset(**kwargs):\n    return lambda fn: fn\n\n\n"
            "@asset(code_version='2')\ndef orders() -> list[int]:\n    return [1, 2]\n",
            title="a local function named asset",
        ),
    ),
)

RULES = (DZ240,)
