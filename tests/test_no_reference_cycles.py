"""An analysed file is freed when its last user lets go, not left to the cyclic garbage collector.

``report`` and ``migrate`` keep findings and facts of thousands of files; when each file's
analysis (its tree, facts and the fixers' per-file index) formed a reference cycle, every one
of them waited for the collector, which then spent a tenth of ``report``'s time scanning them.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.runner import lint_text_with_context

# Every fixer that keeps per-file work on the context's index: DZ106's module logger (an
# import plan), the op/job conversion, retry policies, imports orphaned by the fixes.
SOURCE = """\
from dagster import Definitions, RetryPolicy, job, op


@op(retry_policy=RetryPolicy(max_retries=2))
def load(context) -> int:
    context.log.info("loading")
    return 1


@op
def double(context, value: int) -> int:
    context.log.warning("doubling %s", value)
    return value * 2


@job
def numbers():
    double(load())


defs = Definitions(jobs=[numbers])
"""


@pytest.fixture
def no_collector() -> Iterator[None]:
    """Only reference counting frees objects while the test runs."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.parametrize("with_fixes", [False, True], ids=["findings", "with-fixes"])
def test_the_analysis_of_a_file_is_freed_without_the_collector(no_collector: None, with_fixes: bool) -> None:
    findings, ctx = lint_text_with_context(SOURCE, "pipeline.py", Config(), with_fixes=with_fixes)
    assert ctx is not None and any(f.code == "DZ106" for f in findings)
    if with_fixes:
        assert any(f.code == "DZ106" and f.fix is not None for f in findings)  # the fixers ran
    context = weakref.ref(ctx)
    tree = weakref.ref(ctx.tree)
    del findings, ctx
    assert context() is None and tree() is None
