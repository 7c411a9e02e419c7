"""Hostile input through the real command line: every case ends in findings or DZ000, never a traceback.

Each case runs ``python -m dagster_zenml_lint check`` in a subprocess (as users and
pre-commit do), so an exception escaping anywhere, including interpreter shutdown,
would show. ``docs/robustness.md`` lists the same inputs and their outcomes. The
``timeout`` of the subprocess only turns a hang into a failure; nothing here is timed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import DiscoveredFile, FileKind
from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.runner import lint_file

HANG_GUARD_SECONDS = 300
OPS = "import dagster as dg\n\n\n@dg.op\ndef one():\n    return 1\n"


def run_check(*args: str | Path, cwd: Path) -> tuple[int, list[dict], str]:
    """Run ``check --output-format json`` in a subprocess; return (exit code, records, stderr)."""
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--output-format", "json", *map(str, args)],
        capture_output=True,
        cwd=cwd,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )
    stdout = proc.stdout.decode("utf-8", "replace")
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stdout + stderr, stderr
    records = json.loads(stdout) if proc.returncode in (0, 1) else []
    return proc.returncode, records, stderr


def only_dz000(records: list[dict]) -> str:
    """The message of the single record, which must be a DZ000."""
    assert [r["code"] for r in records] == ["DZ000"], records
    return records[0]["message"]


# --- what cannot be parsed ----------------------------------------------------------------
def test_syntax_error(tmp_path):
    (tmp_path / "broken.py").write_text("import dagster\n\ndef f(:\n    pass\n")
    code, records, _ = run_check("broken.py", cwd=tmp_path)
    assert code == 1
    assert "syntax error" in only_dz000(records)
    assert records[0]["line"] == 3


@pytest.mark.parametrize("where", ["head", "after the sniffed block"])
def test_null_bytes(tmp_path, where):
    padding = b"" if where == "head" else b"#" * 10_000 + b"\n"
    (tmp_path / "nul.py").write_bytes(b"import dagster\n" + padding + b"x = '\x00'\n")
    code, records, _ = run_check("nul.py", cwd=tmp_path)
    assert code == 1
    assert "NUL" in only_dz000(records)


def test_non_utf8_without_cookie(tmp_path):
    (tmp_path / "latin.py").write_bytes("import dagster\nname = 'café'\n".encode("latin-1"))
    code, records, _ = run_check("latin.py", cwd=tmp_path)
    assert code == 1
    assert "cannot decode as utf-8 (invalid byte at line 2)" in only_dz000(records)


def test_non_utf8_with_cookie_is_analysed(tmp_path):
    text = "# -*- coding: latin-1 -*-\nimport dagster as dg\nname = 'café'\nstep = dg.op\n"
    (tmp_path / "latin.py").write_bytes(text.encode("latin-1"))
    code, records, _ = run_check("latin.py", "--select", "DZ101", cwd=tmp_path)
    assert code == 1
    assert [(r["code"], r["line"]) for r in records] == [("DZ101", 4)]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"# -*- coding: klingon -*-\nimport dagster\n", "unknown encoding"),
        (b"\xef\xbb\xbf# coding: latin-1\nimport dagster\n", "bad encoding declaration"),
        (b"# coding: utf-16\nimport dagster\n", "not ASCII-compatible"),
    ],
    ids=["unknown cookie", "BOM contradicting cookie", "cookie not ASCII compatible"],
)
def test_bad_encoding_declarations(tmp_path, data, reason):
    (tmp_path / "cookie.py").write_bytes(data)
    code, records, _ = run_check("cookie.py", cwd=tmp_path)
    assert code == 1
    assert reason in only_dz000(records)


def test_binary_file_named_py(tmp_path):
    (tmp_path / "blob.py").write_bytes(bytes(range(256)) * 64 + b"import dagster\n")
    code, records, _ = run_check("blob.py", cwd=tmp_path)
    assert code == 1
    assert "binary" in only_dz000(records)


def test_binary_file_named_py_that_never_names_dagster_is_not_ours(tmp_path):
    (tmp_path / "blob.py").write_bytes(bytes(range(256)) * 64)
    code, records, _ = run_check("blob.py", cwd=tmp_path)
    assert (code, records) == (0, [])


# --- size and depth -----------------------------------------------------------------------
def test_fifty_thousand_lines(tmp_path):
    plain = "".join(f"def helper_{i}(x):\n    y = x + {i}\n    return y * 2\n\n\n" for i in range(9_990))
    ops = "".join(f"@dg.op\ndef op_{i}():\n    return {i}\n\n\n" for i in range(10))
    text = "import dagster as dg\n\n\n" + plain + ops
    assert text.count("\n") >= 50_000
    (tmp_path / "big.py").write_text(text)
    code, records, _ = run_check("big.py", "--select", "DZ101", cwd=tmp_path)
    assert code == 1
    assert len(records) == 10
    assert records[0]["line"] == 3 + 5 * 9_990 + 1


def test_one_very_long_line(tmp_path):
    (tmp_path / "wide.py").write_text("import dagster as dg\nxs = [" + "1, " * 300_000 + "]\nstep = dg.op\n")
    code, records, _ = run_check("wide.py", "--select", "DZ101", cwd=tmp_path)
    assert code == 1
    assert [(r["code"], r["line"]) for r in records] == [("DZ101", 3)]


DEEP = {
    # the parser itself gives up (RecursionError during ast construction)
    "binary operators, 20,000 deep": "x = " + "+".join(["asset"] * 20_000),
    "attribute chain, 50,000 deep": "x = asset" + ".b" * 50_000,
    "calls, 50,000 deep": "x = asset" + "()" * 50_000,
    # the parser gives up with MemoryError
    "unary minus, 50,000 deep": "x = " + "-" * 50_000 + "1",
    "lambdas, 5,000 deep": "x = " + "lambda: " * 5_000 + "1",
    # the parser accepts these, the walk cannot follow them (it follows 900 ``+``: one frame a level)
    "binary operators, 2,000 deep": "x = " + "+".join(["asset"] * 2_000),
    "calls, 900 deep": "x = asset" + "()" * 900,
}


@pytest.mark.parametrize("body", list(DEEP.values()), ids=list(DEEP))
def test_deeply_nested_expressions(tmp_path, body):
    (tmp_path / "deep.py").write_text("from dagster import asset\n" + body + "\n")
    code, records, _ = run_check("deep.py", cwd=tmp_path)
    assert code == 1
    assert "nested too deeply" in only_dz000(records)


def test_too_many_parentheses(tmp_path):
    (tmp_path / "parens.py").write_text("import dagster\nx = " + "(" * 300 + "1" + ")" * 300 + "\n")
    code, records, _ = run_check("parens.py", cwd=tmp_path)
    assert code == 1
    assert "too many nested parentheses" in only_dz000(records)


@pytest.mark.parametrize("body", list(DEEP.values())[-2:], ids=list(DEEP)[-2:])
def test_deep_nesting_through_the_engine_with_a_tree(body):
    """flake8 hands over its own tree: the walk must not raise on what the parser accepted."""
    import ast

    text = "from dagster import asset\n" + body + "\n"
    findings = check_source(text, "deep.py", tree=ast.parse(text))
    assert [f.code for f in findings] == ["DZ000"]


# --- the file system ---------------------------------------------------------------------------
def test_path_that_does_not_exist(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "nope.py", "missing_dir"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        "dagster-zenml-lint: error: no such file or directory: nope.py, missing_dir"
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loops_in_the_walk(tmp_path):
    package = tmp_path / "pkg"
    (package / "inner").mkdir(parents=True)
    (package / "ops.py").write_text(OPS)
    (package / "inner" / "back").symlink_to(package, target_is_directory=True)  # pkg/inner/back -> pkg
    (package / "self").symlink_to(".", target_is_directory=True)  # pkg/self -> pkg
    (package / "a").symlink_to("b")  # a -> b -> a: a loop of file links
    (package / "b").symlink_to("a")
    (package / "dangling.py").symlink_to("nowhere.py")
    code, records, _ = run_check("pkg", "--select", "DZ101", cwd=tmp_path)
    assert code == 1
    assert [(Path(r["path"]).name, r["code"]) for r in records] == [("ops.py", "DZ101")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.py")  # a reader would wait forever for a writer
    (tmp_path / "ops.py").write_text(OPS)
    code, records, _ = run_check(".", "--select", "DZ000,DZ101", cwd=tmp_path)
    assert code == 1
    assert sorted((r["path"], r["code"]) for r in records) == [("ops.py", "DZ101"), ("pipe.py", "DZ000")]
    assert "not a regular file" in records[[r["path"] for r in records].index("pipe.py")]["message"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_unreadable_file_without_permission(tmp_path):
    locked = tmp_path / "locked.py"
    locked.write_text(OPS)
    locked.chmod(0)
    try:
        code, records, _ = run_check("locked.py", cwd=tmp_path)
    finally:
        locked.chmod(0o644)
    assert code == 1
    assert "permission denied" in only_dz000(records)


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_file_that_even_root_cannot_read():
    """``/proc/self/mem`` is a regular file whose read fails with EIO, for root too."""
    code, records, _ = run_check("/proc/self/mem", cwd=Path.cwd())
    assert code == 1
    assert "cannot read the file" in only_dz000(records)


def test_permission_denied_is_a_finding(tmp_path, monkeypatch):
    """The permission path as root cannot take in a subprocess: simulate the refusal in-process."""
    path = tmp_path / "locked.py"
    path.write_text(OPS)
    real_open = os.open

    def refuse(target, *args, **kwargs):
        if Path(target) == path:
            raise PermissionError(13, "Permission denied", str(target))
        return real_open(target, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = lint_file(DiscoveredFile(path, FileKind.PYTHON), Config())
    assert result.error is not None and "permission denied" in result.error
    assert [f.code for f in result.findings] == ["DZ000"]


def test_directory_named_like_a_module_is_walked(tmp_path):
    (tmp_path / "pkg.py").mkdir()
    (tmp_path / "pkg.py" / "ops.py").write_text(OPS)
    code, records, _ = run_check("pkg.py", "--select", "DZ101", cwd=tmp_path)
    assert code == 1
    assert [(Path(r["path"]).name, r["code"]) for r in records] == [("ops.py", "DZ101")]


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
def test_file_name_that_is_not_utf8(tmp_path):
    os.close(os.open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.py"), os.O_CREAT | os.O_WRONLY))
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.py"), "w", encoding="utf-8") as handle:
        handle.write(OPS)
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--select", "DZ101", "."],
        capture_output=True,
        cwd=tmp_path,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )
    assert b"Traceback" not in proc.stderr
    assert proc.returncode == 1
    assert b"DZ101" in proc.stdout


# --- odd but valid text -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"import dagster as dg\rstep = dg.op\r", 2),  # old Mac line endings
        (b"import dagster as dg\r\nstep = dg.op", 2),  # CRLF, no final newline
        (b"\xef\xbb\xbfimport dagster as dg\nstep = dg.op\n", 2),  # UTF-8 BOM
        (b"import dagster as dg\n\x0c\nstep = dg.op\n", 3),  # form feed
        (b"import dagster as dg\nif True:\n\tstep = dg.op\n", 3),  # tab indentation
    ],
    ids=["CR", "CRLF without final newline", "BOM", "form feed", "tabs"],
)
def test_odd_but_valid_text_is_analysed(tmp_path, data, line):
    (tmp_path / "odd.py").write_bytes(data)
    code, records, _ = run_check("odd.py", "--select", "DZ101", cwd=tmp_path)
    assert code == 1
    assert [(r["code"], r["line"]) for r in records] == [("DZ101", line)]


@pytest.mark.parametrize("data", [b"", b"\n\n", b"# just a comment\n", b"   ", b"\xef\xbb\xbf"])
def test_empty_files(tmp_path, data):
    (tmp_path / "empty.py").write_bytes(data)
    code, records, _ = run_check("empty.py", cwd=tmp_path)
    assert (code, records) == (0, [])


def test_many_bad_files_in_parallel_keep_their_order(tmp_path):
    """The pool path (above the threshold) reports the same, in the same order, as one process."""
    for index in range(150):
        kind = index % 3
        content = [OPS.encode(), b"import dagster\n\x00", b"import dagster\ndef (\n"][kind]
        (tmp_path / f"m{index:03}.py").write_bytes(content)
    one = run_check(".", "--jobs", "1", cwd=tmp_path)
    many = run_check(".", "--jobs", "2", cwd=tmp_path)
    assert one[0] == many[0] == 1
    assert one[1] == many[1]
    assert sum(r["code"] == "DZ000" for r in one[1]) == 100


def test_a_diff_keeps_a_line_with_a_form_feed_whole(tmp_path):
    # regression: --diff split lines at form feeds (str.splitlines), printing "\ No newline at end
    # of file" inside the file and a line that does not exist
    path = tmp_path / "a.py"
    path.write_text(
        "from dagster import op\nx = 1  # page\x0cbreak\n\n\n@op\ndef a():\n    return 1\n", encoding="utf-8"
    )
    run = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--diff", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "No newline at end of file" not in run.stdout
    assert " x = 1  # page\x0cbreak\n" in run.stdout
    assert "\nbreak\n" not in run.stdout and "\n break\n" not in run.stdout


FORM_FEED_SOURCE = "from dagster import op\nx = 1  # page\x0cbreak\n\n\n@op{noqa}\ndef a():\n    return 1\n"


def test_add_noqa_after_a_form_feed_lands_on_the_finding_line(tmp_path):
    # regression: the directive went one line up (str.splitlines counted the form feed as a line end)
    path = tmp_path / "a.py"
    path.write_text(FORM_FEED_SOURCE.format(noqa=""), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--add-noqa", "--select", "DZ101", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert path.read_text(encoding="utf-8") == FORM_FEED_SOURCE.format(noqa="  # noqa: DZ101")


def test_an_unused_noqa_code_after_a_form_feed_is_removed_where_it_is(tmp_path):
    # regression: the DZ001 fix cut at offsets one line off, leaving `@step1` behind
    from dagster_zenml_lint.fixers.apply import fix_text

    text = FORM_FEED_SOURCE.format(noqa="  # noqa: DZ101, DZ301")
    assert fix_text(text, str(tmp_path / "a.py")).text == FORM_FEED_SOURCE.format(noqa="  # noqa: DZ101")
