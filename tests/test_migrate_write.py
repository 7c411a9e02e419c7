"""What ``migrate`` puts on disk: the bytes of each generated text, whatever the names in it.

A source file whose name is not valid UTF-8 reaches the generator as surrogate escapes
(``os.fsdecode``), and its name is quoted in ``MIGRATION_REPORT.md``. Before the change the
writer encoded strictly and the run ended in a ``UnicodeEncodeError`` traceback, after the
whole analysis; ``report`` writes such a name with U+FFFD, and ``MIGRATION_REPORT.md`` is
``report``'s Markdown byte for byte. The dry run's sizes are the sizes a real run writes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_zenml_lint.output import utf8_bytes
from dagster_zenml_lint.scaffold.write import write_files

ASSET = "from dagster import asset\n\n\n@asset\ndef {name}():\n    return 1\n"
SIZE_ROW = re.compile(r"^\s+(\d+)\s+(\S.*)$")


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``python -m dagster_zenml_lint ARGS`` in ``cwd`` (output as bytes)."""
    return subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", *args], cwd=cwd, capture_output=True, timeout=300, check=False
    )


@pytest.fixture
def undecodable(tmp_path: Path) -> Path:
    """``src/`` with one asset in ``defs.py`` and one in a file named ``caf\\xe9.py`` (Latin-1, not UTF-8)."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "defs.py").write_text(ASSET.format(name="orders"), encoding="utf-8")
    with open(os.path.join(os.fsencode(tmp_path / "src"), b"caf\xe9.py"), "w", encoding="utf-8") as handle:
        handle.write(ASSET.format(name="invoices"))
    return tmp_path


def test_a_source_named_in_no_utf8_is_migrated_and_reported_as_report_reports_it(undecodable: Path):
    migrated = run_cli(undecodable, "migrate", "src", "--out", "out")
    assert migrated.returncode == 0, migrated.stderr.decode("utf-8", "replace")
    assert migrated.stderr == b""
    written = (undecodable / "out" / "MIGRATION_REPORT.md").read_bytes()
    assert "caf\ufffd.py" in written.decode("utf-8")  # valid UTF-8 throughout
    reported = run_cli(undecodable, "report", "src")
    assert reported.returncode == 0
    assert written == reported.stdout


def test_the_dry_run_sizes_are_the_sizes_written(undecodable: Path):
    dry = run_cli(undecodable, "migrate", "src", "--out", "out", "--dry-run")
    assert dry.returncode == 0, dry.stderr.decode("utf-8", "replace")
    sizes = {
        match.group(2): int(match.group(1))
        for line in dry.stdout.decode("utf-8", "surrogateescape").splitlines()
        if (match := SIZE_ROW.match(line)) and not line.lstrip().startswith("pipelines/")
    }
    assert "MIGRATION_REPORT.md" in sizes and "run.py" in sizes
    run_cli(undecodable, "migrate", "src", "--out", "out")
    on_disk = {str(p.relative_to(undecodable / "out")): p.stat().st_size for p in (undecodable / "out").rglob("*.*")}
    assert sizes == on_disk


def test_each_file_holds_its_text_as_utf8_and_nothing_else(tmp_path: Path):
    files = {
        "run.py": "print('h\u00e9')\n",
        "steps/a.py": "# \u2603 snow\r\nx = 1\n",  # line endings as given, none translated
        "steps/empty.py": "",
        "README.md": "x" * 200_000,  # more than one write's worth on some systems
        "MIGRATION_REPORT.md": "`caf\udce9.py` and a pair \ud83d\ude00\n",
    }
    write_files(files, tmp_path / "out")
    for name, text in files.items():
        assert (tmp_path / "out" / name).read_bytes() == utf8_bytes(text)
    replaced = "`caf\ufffd.py` and a pair \ufffd\ufffd\n"  # each lone surrogate, as report writes it
    assert (tmp_path / "out" / "MIGRATION_REPORT.md").read_bytes() == replaced.encode()
    assert (tmp_path / "out" / "steps" / "a.py").read_bytes() == "# \u2603 snow\r\nx = 1\n".encode()


def test_writing_into_an_existing_file_name_of_the_staging_directory_is_refused(tmp_path: Path, monkeypatch):
    """Each file is created, never opened over something there (``O_EXCL``, as ``open(..., "x")`` did)."""
    from dagster_zenml_lint.scaffold import write

    made = []
    real = write._make_parents

    def with_a_squatter(root: Path, targets: list[tuple[str, ...]]) -> None:
        real(root, targets)
        (root / "run.py").write_text("squatter\n")
        made.append(root)

    monkeypatch.setattr(write, "_make_parents", with_a_squatter)
    with pytest.raises(write.WriteError, match="nothing was written"):
        write_files({"run.py": "x = 1\n"}, tmp_path / "out")
    assert made and not (tmp_path / "out").exists()
