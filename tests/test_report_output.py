"""``report -o FILE`` on bad targets: one line and exit 2, the old report intact, never over Python source.

Every case runs the real command line in a subprocess. Before the change ``-o src/defs.py``
overwrote a source file, a missing or read-only directory and ``/dev/full`` gave
tracebacks, and a file name that is not UTF-8 truncated the old report to 0 bytes and
then crashed.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ASSET = "from dagster import asset\n\n\n@asset\ndef {name}():\n    return 1\n"
OLD_REPORT = b"# the old report\n"


def run_report(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``python -m dagster_zenml_lint report ARGS`` in ``cwd`` (output as bytes)."""
    return subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "report", *args],
        cwd=cwd,
        capture_output=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """``src/defs.py`` with one asset, and an old report ``old.md`` beside it."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "defs.py").write_text(ASSET.format(name="orders"), encoding="utf-8")
    (tmp_path / "old.md").write_bytes(OLD_REPORT)
    return tmp_path


def assert_usage_error(proc: subprocess.CompletedProcess[bytes], *parts: str) -> None:
    """Exit code 2 and one line on stderr holding every part (no traceback)."""
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    for part in parts:
        assert part in lines[0], lines[0]


def no_temporary_files(directory: Path) -> bool:
    """Whether the write left nothing of its own behind (its temporaries start with ``.``)."""
    return not [p for p in directory.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


@pytest.mark.parametrize("target", ["src/defs.py", "src/new_module.py", "stubs.pyi", "link.md"])
def test_a_report_is_never_written_over_python_source(project, target):
    (project / "link.md").symlink_to(project / "src" / "defs.py")
    before = (project / "src" / "defs.py").read_bytes()
    proc = run_report(project, "src", "-o", target)
    assert_usage_error(proc, f"-o {target}", "Python source")
    assert (project / "src" / "defs.py").read_bytes() == before
    assert not (project / "src" / "new_module.py").exists()
    assert not (project / "stubs.pyi").exists()


@pytest.mark.parametrize("target", ["defs.yaml", "src/defs/component.yaml"])
def test_a_report_is_never_written_over_a_component_file(project, target):
    (project / "src" / "defs").mkdir()
    (project / target).write_text("type: dagster.Whatever\n", encoding="utf-8")
    proc = run_report(project, "src", "-o", target)
    assert_usage_error(proc, f"-o {target}", "Dagster component file")
    assert (project / target).read_text(encoding="utf-8") == "type: dagster.Whatever\n"


def test_a_report_is_never_written_over_the_configuration(project):
    settings = b"[tool.dagster-zenml-lint]\nselect = ['DZ2']\n"
    (project / "pyproject.toml").write_bytes(settings)
    (project / "settings.toml").write_bytes(settings)
    assert_usage_error(run_report(project, "src", "-o", "pyproject.toml"), "over the configuration file")
    (project / "other").mkdir()  # any pyproject.toml, in force or not, existing or not
    assert_usage_error(run_report(project, "src", "-o", "other/pyproject.toml"), "over a pyproject.toml")
    assert not (project / "other" / "pyproject.toml").exists()
    proc = run_report(project, "src", "--config", "settings.toml", "-o", "settings.toml")
    assert_usage_error(proc, "over the configuration file")
    assert (project / "pyproject.toml").read_bytes() == settings == (project / "settings.toml").read_bytes()


def test_missing_directory_is_one_line(project):
    proc = run_report(project, "src", "-o", "missing/dir/r.md")
    assert_usage_error(proc, "-o missing/dir/r.md", "no such directory")
    assert not (project / "missing").exists()


def test_directory_target_is_one_line(project):
    assert_usage_error(run_report(project, "src", "-o", "src"), "is a directory")


def test_full_disk_is_one_line(project):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    assert_usage_error(run_report(project, "src", "-o", "/dev/full"), "-o /dev/full", "No space left on device")


def test_directory_even_root_cannot_write_is_one_line(project):
    """``/proc`` refuses new files to everybody (a chmod'ed directory would not stop root, who runs the CI)."""
    if not os.path.isdir("/proc/self"):
        pytest.skip("no /proc here")
    assert_usage_error(run_report(project, "src", "-o", "/proc/dzl-report.md"), "cannot write the report")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write into a read-only directory")
def test_read_only_directory_keeps_the_old_report(project):
    (project / "out").mkdir()
    (project / "out" / "r.md").write_bytes(OLD_REPORT)
    (project / "out").chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        proc = run_report(project, "src", "-o", "out/r.md")
    finally:
        (project / "out").chmod(stat.S_IRWXU)
    assert_usage_error(proc, "Permission denied")
    assert (project / "out" / "r.md").read_bytes() == OLD_REPORT


def test_non_utf8_file_name_is_reported_and_the_report_replaced_whole(project):
    bad_name = os.path.join(os.fsencode(project / "src"), b"caf\xe9.py")
    with open(bad_name, "w", encoding="utf-8") as handle:
        handle.write(ASSET.format(name="invoices"))
    for fmt, name in (("markdown", "old.md"), ("json", "old.json")):
        (project / name).write_bytes(OLD_REPORT)
        proc = run_report(project, "src", "--format", fmt, "-o", name)
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
        written = (project / name).read_bytes().decode("utf-8")  # valid UTF-8 throughout
        assert "caf\ufffd.py" in written and "invoices" in written
        if fmt == "json":
            json.loads(written)
    stdout = run_report(project, "src")  # standard output too, whatever the locale's error handler
    assert stdout.returncode == 0
    assert "caf\ufffd.py" in stdout.stdout.decode("utf-8")
    assert no_temporary_files(project)


def test_rewriting_keeps_mode_and_link_and_leaves_no_temporary(project):
    (project / "old.md").chmod(0o640)
    (project / "alias.md").symlink_to("old.md")
    proc = run_report(project, "src", "-o", "alias.md")
    assert proc.returncode == 0, proc.stderr
    assert (project / "alias.md").is_symlink()
    assert b"orders" in (project / "old.md").read_bytes()
    assert stat.S_IMODE((project / "old.md").stat().st_mode) == 0o640
    assert no_temporary_files(project)


def test_existing_device_is_written_through(project):
    """``-o /dev/stdout`` (a terminal or a pipe, not a regular file) is written, not replaced."""
    proc = run_report(project, "src", "-o", "/dev/stdout")
    assert proc.returncode == 0, proc.stderr
    assert b"orders" in proc.stdout


def _limit_file_size() -> None:
    """In the child: files may not grow past 1 KiB (EFBIG instead of the SIGXFSZ kill)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_a_write_failing_half_way_keeps_the_old_report(project):
    """A disk that fills up mid-write (here: a 1 KiB file size limit, which binds root too)."""
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "report", "src", "-o", "old.md"],
        cwd=project,
        capture_output=True,
        timeout=300,
        check=False,
        preexec_fn=_limit_file_size,
    )
    assert_usage_error(proc, "-o old.md", "cannot write the report")
    assert (project / "old.md").read_bytes() == OLD_REPORT
    assert no_temporary_files(project)
