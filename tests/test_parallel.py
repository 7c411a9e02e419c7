"""``check --jobs``: the process pool gives the same results, in the same order, as one process."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_process import run_check

from dagster_zenml_lint import parallel
from dagster_zenml_lint.config import Config, ConfigError, from_mapping
from dagster_zenml_lint.discovery import discover

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def summary(results):
    """What a renderer sees of the results: paths, findings and errors, in order."""
    return [(r.path, r.findings, r.error) for r in results]


def test_pool_and_single_process_agree_in_order():
    files = list(discover([FIXTURES], Config()))
    assert len(files) > 5
    serial = parallel.lint_files(files, Config(), jobs=1, with_fixes=True)
    pooled = parallel.lint_files(files, Config(), jobs=2, with_fixes=True, threshold=0)
    assert summary(pooled) == summary(serial)
    assert any(r.findings for r in pooled)


def test_pool_results_with_findings_keep_their_source_for_renderers_and_fixes():
    files = list(discover([FIXTURES], Config()))
    for result in parallel.lint_files(files, Config(), jobs=2, threshold=0):
        if result.findings and result.error is None:
            assert result.source is not None and result.lines


def test_below_the_threshold_no_pool_is_started(monkeypatch):
    def no_pool():
        raise AssertionError("a pool was started for a handful of files")

    monkeypatch.setattr(parallel, "_pool_context", no_pool)
    files = list(discover([FIXTURES], Config()))[:3]
    assert len(parallel.lint_files(files, Config(), jobs=4)) == 3


def test_jobs_zero_means_every_available_core():
    assert parallel.resolve_jobs(0) == parallel.available_cores() >= 1
    assert parallel.resolve_jobs(1) == 1
    assert parallel.resolve_jobs(3) == min(3, parallel.available_cores())


def test_jobs_from_the_configuration():
    assert from_mapping({"jobs": 2}).jobs == 2
    with pytest.raises(ConfigError, match="jobs"):
        from_mapping({"jobs": -1})
    with pytest.raises(ConfigError, match="jobs"):
        from_mapping({"jobs": "many"})


@pytest.mark.parametrize("value", ["-1", "two"])
def test_bad_jobs_flag_is_a_usage_error(tmp_path, value):
    proc = run_check(tmp_path, "--jobs", value, ".")
    assert proc.returncode == 2
    assert "--jobs" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_output_is_the_same_for_any_number_of_jobs(tmp_path):
    for index in range(parallel.PARALLEL_THRESHOLD + 20):
        source = FIXTURES.glob("*.py")
        text = sorted(source)[index % 5].read_text(encoding="utf-8")
        (tmp_path / f"module_{index:03}.py").write_text(text, encoding="utf-8")
    outputs = set()
    for jobs in ("1", "2", "3"):
        proc = run_check(tmp_path, "--jobs", jobs, ".", timeout=300)
        assert proc.returncode == 1, proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_bytes_already_read_are_analysed_not_the_file_on_disk(tmp_path, jobs):
    """The cache hands over the bytes it hashed: the result is theirs even if the file changed since."""
    from dagster_zenml_lint.discovery import DiscoveredFile, FileKind

    files = []
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text("x = 1\n", encoding="utf-8")  # on disk: nothing to report
        files.append(DiscoveredFile(tmp_path / name, FileKind.PYTHON))
    read = b"import dagster as dg\n\n\n@dg.op\ndef one():\n    return 1\n"
    results = parallel.lint_files(files, Config(), jobs=jobs, threshold=0, contents=[read, None])
    assert "DZ101" in [f.code for f in results[0].findings]
    assert results[0].source is not None and "dg.op" in results[0].source.text
    assert results[1].findings == ()
