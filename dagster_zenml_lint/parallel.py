"""Lint many files on several cores, with results in the order the files were given.

The per-file engine is pure, so files are simply mapped over a process pool. Starting
the pool costs tens of milliseconds, so below :data:`PARALLEL_THRESHOLD` files (measured:
see ``docs/performance.md``) the files are linted in this process. Results come back in
input order, so the output is the same whatever ``jobs`` is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import DiscoveredFile
from dagster_zenml_lint.runner import FileResult, lint_file

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

# Below this many files one process is faster than starting a pool (benchmarks/run.py).
PARALLEL_THRESHOLD = 100
# Chunks per worker: large enough to amortise the inter-process traffic, small enough
# that a few large files do not leave the other workers idle at the end.
CHUNKS_PER_WORKER = 8


def available_cores() -> int:
    """Cores this process may run on (respects CPU affinity, e.g. in containers)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13: affinity, and PYTHON_CPU_COUNT
        return max(1, os.process_cpu_count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def resolve_jobs(requested: int) -> int:
    """The number of worker processes for a ``--jobs`` value: 0 = every available core, never more than that.

    More processes than cores only add start-up time and memory (``--jobs 400`` would
    start 400 interpreters), so a larger request is capped at :func:`available_cores`.
    """
    cores = available_cores()
    return cores if requested <= 0 else min(requested, cores)


def _pool_context() -> BaseContext:
    """``fork`` where it is safe and cheap (Linux: workers inherit the loaded rules), else ``spawn``."""
    import multiprocessing  # imported here: a serial run (pre-commit on a few files) never pays for it

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _lint_for_pool(
    file: DiscoveredFile,
    data: bytes | None,
    config: Config,
    with_fixes: bool,
    settle: bool,
    record_dependencies: bool = False,
) -> FileResult:
    """Lint one file in a worker; the source text only travels back when a finding needs it."""
    result = lint_file(
        file, config, with_fixes=with_fixes, settle=settle, record_dependencies=record_dependencies, data=data
    )
    if not result.findings and result.source is not None:
        return replace(result, source=None)
    return result


def lint_files(
    files: Sequence[DiscoveredFile],
    config: Config,
    *,
    with_fixes: bool = False,
    settle: bool = True,
    jobs: int | None = None,
    threshold: int = PARALLEL_THRESHOLD,
    record_dependencies: bool = False,
    contents: Sequence[bytes | None] | None = None,
) -> list[FileResult]:
    """Lint ``files`` (in this order) with up to ``jobs`` processes (default: ``config.jobs``, 0 = all cores).

    ``contents``: the files' bytes where the caller has read them already (None: read here).
    """
    datas: Sequence[bytes | None] = [None] * len(files) if contents is None else contents
    workers = min(resolve_jobs(config.jobs if jobs is None else jobs), len(files))
    if workers <= 1 or len(files) < threshold:
        return [
            lint_file(
                file, config, with_fixes=with_fixes, settle=settle, record_dependencies=record_dependencies, data=data
            )
            for file, data in zip(files, datas, strict=True)
        ]
    from concurrent.futures import ProcessPoolExecutor

    chunksize = max(1, len(files) // (workers * CHUNKS_PER_WORKER))
    work = partial(
        _lint_for_pool, config=config, with_fixes=with_fixes, settle=settle, record_dependencies=record_dependencies
    )
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        try:
            return list(pool.map(work, files, datas, chunksize=chunksize))
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
