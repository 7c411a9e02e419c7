"""Bounds on what a run reads and starts: worker count, file size, file kinds, directories, links.

Each test holds one promise of ``docs/robustness.md`` and failed before the change it guards.
"""

from __future__ import annotations

import concurrent.futures

from dagster_zenml_lint import parallel
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import DiscoveredFile, FileKind

OPS = "import dagster as dg\n\n\n@dg.op\ndef one():\n    return 1\n"


def test_jobs_above_the_core_count_start_no_more_processes_than_cores(tmp_path, monkeypatch):
    """``--jobs 400`` used to start 400 interpreters; the pool is capped at the usable cores."""
    sizes: list[int] = []

    class RecordingPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers=None, **kwargs):
            sizes.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", RecordingPool)
    files = []
    for index in range(12):
        path = tmp_path / f"m{index}.py"
        path.write_text(OPS, encoding="utf-8")
        files.append(DiscoveredFile(path, FileKind.PYTHON))
    results = parallel.lint_files(files, Config(jobs=400), threshold=0)
    assert [r.path for r in results] == [str(f.path) for f in files]
    cores = parallel.available_cores()
    assert parallel.resolve_jobs(400) == cores
    assert sizes == ([] if cores == 1 else [cores])
