"""``dagster-zenml-lint check`` with the fix flags: what is written, printed and returned."""

from __future__ import annotations

import json
import os
import stat

from dagster_zenml_lint.cli import main

SOURCE = "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n@job\ndef my_job():\n    one()\n"
FIXED = (
    "from zenml import pipeline, step\n\n\n@step\ndef one() -> int:\n    return 1\n\n\n"
    "@pipeline\ndef my_job():\n    one()\n"
)
LOGGING = (
    "from dagster import asset\n\n\n@asset\ndef orders(context) -> int:\n    context.log.info('x')\n    return 1\n"
)


def _write(tmp_path, name, data: bytes, mode: int = 0o644):
    path = tmp_path / name
    path.write_bytes(data)
    os.chmod(path, mode)
    return path


def test_fix_rewrites_the_file_and_keeps_its_mode(tmp_path, capsys):
    path = _write(tmp_path, "jobs.py", SOURCE.encode(), 0o755)
    assert main(["check", "--fix", str(path)]) == 0
    assert path.read_text() == FIXED
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o755
    out = capsys.readouterr().out
    assert "Fixed 2 findings in 1 file." in out


def test_fix_keeps_bom_crlf_and_a_latin1_cookie(tmp_path):
    crlf = _write(tmp_path, "crlf.py", b"\xef\xbb\xbf" + SOURCE.replace("\n", "\r\n").encode())
    latin = _write(tmp_path, "latin.py", b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + SOURCE.encode() + b"# na\xefve\n")
    main(["check", "--fix", str(tmp_path)])
    assert crlf.read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode()
    assert latin.read_bytes() == b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + FIXED.encode() + b"# na\xefve\n"


def test_diff_prints_and_changes_nothing(tmp_path, capsys):
    path = _write(tmp_path, "jobs.py", SOURCE.encode())
    assert main(["check", "--diff", str(path)]) == 1
    captured = capsys.readouterr()
    assert path.read_text() == SOURCE
    assert "-from dagster import job, op\n+from zenml import pipeline, step\n" in captured.out
    assert "+@pipeline\n" in captured.out
    assert "Would fix 2 findings" in captured.err
    path.write_text(FIXED)
    assert main(["check", "--diff", str(path)]) == 0
    assert capsys.readouterr().out == ""


def test_fix_only_reports_nothing_else(tmp_path, capsys):
    path = _write(
        tmp_path,
        "both.py",
        (SOURCE + LOGGING.replace("from dagster import asset\n", ""))
        .replace("from dagster import job, op", "from dagster import asset, job, op")
        .encode(),
    )
    assert main(["check", "--fix-only", str(path)]) == 0
    out = capsys.readouterr().out
    assert "DZ201" not in out and "Fixed" in out
    assert "@pipeline" in path.read_text() and "@asset" in path.read_text()


def test_exit_non_zero_on_fix(tmp_path):
    path = _write(tmp_path, "jobs.py", SOURCE.encode())
    assert main(["check", "--fix", "--exit-non-zero-on-fix", str(path)]) == 1
    assert main(["check", "--fix", "--exit-non-zero-on-fix", str(path)]) == 0


def test_show_fixes_lists_each_applied_fix(tmp_path, capsys):
    path = _write(tmp_path, "jobs.py", SOURCE.encode())
    main(["check", "--fix", "--show-fixes", str(path)])
    out = capsys.readouterr().out
    # the op and the job share one fix: listed once, at the first finding's position
    assert f"{path}:4:2: DZ101,DZ102 Convert @op 'one' and @job 'my_job' to ZenML" in out
    assert f"{path}:9:2:" not in out


def test_unsafe_fixes_only_on_request(tmp_path, capsys):
    path = _write(tmp_path, "assets.py", LOGGING.encode())
    main(["check", "--fix", str(path)])
    assert path.read_text() == LOGGING
    out = capsys.readouterr().out
    assert "DZ106 [LOW] [*]" not in out
    main(["check", "--unsafe-fixes", str(path)])
    assert "DZ106 [LOW] [*]" in capsys.readouterr().out
    main(["check", "--fix", "--unsafe-fixes", str(path)])
    text = path.read_text()
    assert "logger.info('x')" in text and "def orders() -> int:" in text


def test_text_output_marks_fixable_findings_and_statistics_count_them(tmp_path, capsys):
    path = _write(tmp_path, "jobs.py", SOURCE.encode())
    main(["check", "--show-fixes", str(path)])
    out = capsys.readouterr().out
    assert "DZ101 [INFO] [*]" in out and "DZ104 [INFO] from" in out
    assert "[*] 2 fixable with `--fix`." in out
    (tmp_path / "pyproject.toml").write_text("[tool.dagster-zenml-lint]\nshow-fixes = true\n")
    main(["check", str(path)])
    assert capsys.readouterr().out == out  # the setting does what the flag does
    main(["check", "--statistics", str(path)])
    out = capsys.readouterr().out
    assert "dagster-op (1 fixable)" in out and "[*] 2 fixable" in out


def test_without_a_fix_flag_fixes_are_not_worked_out_and_the_summary_says_so(tmp_path, capsys):
    path = _write(tmp_path, "jobs.py", SOURCE.encode())
    main(["check", str(path)])
    out = capsys.readouterr().out
    assert "[*]" not in out
    assert out.splitlines()[-1] == (
        "Found 3 findings in 1 file (1 file checked). `--show-fixes` marks the findings `--fix` can fix."
    )
    main(["check", "--output-format", "json", str(path)])
    records = json.loads(capsys.readouterr().out)
    fixes = {r["code"]: r["fix"] and r["fix"]["applicability"] for r in records}
    assert fixes == {"DZ101": "safe", "DZ102": "safe", "DZ104": None}  # machine formats carry the fixes


def test_add_markers_is_idempotent(tmp_path, capsys):
    source = (
        "from dagster import DailyPartitionsDefinition, asset\n\n\n"
        "@asset(partitions_def=DailyPartitionsDefinition(start_date='2024-01-01'))\n"
        "def orders() -> int:\n    return 1\n"
    )
    path = _write(tmp_path, "assets.py", source.encode())
    main(["check", "--add-markers", str(path)])
    once = path.read_text()
    assert "# TODO(migration): DZ301 dagster-partitions \u2014 " in once
    assert "# Migration note: DZ201 dagster-asset \u2014 " in once
    assert once.endswith(source.split("\n\n\n", 1)[1])
    main(["check", "--add-markers", str(path)])
    assert path.read_text() == once


def test_json_output_stays_valid_with_fix(tmp_path, capsys):
    path = _write(tmp_path, "jobs.py", SOURCE.encode())
    main(["check", "--fix", "--output-format", "json", str(path)])
    captured = capsys.readouterr()
    json.loads(captured.out)
    assert "Fixed 2 findings" in captured.err


def test_a_job_calling_ops_from_another_module_is_converted_with_them(tmp_path, capsys):
    ops = _write(tmp_path, "ops.py", b"from dagster import op\n\n\n@op\ndef load() -> int:\n    return 4\n")
    jobs = _write(
        tmp_path, "jobs.py", b"from dagster import job\n\nfrom ops import load\n\n\n@job\ndef my_job():\n    load()\n"
    )
    blocked = _write(
        tmp_path,
        "cfg_ops.py",
        b"from dagster import op\n\n\n@op(config_schema={'n': int})\ndef cfg(context) -> int:\n"
        b"    return context.op_config['n']\n",
    )
    blocked_job = _write(
        tmp_path,
        "cfg_jobs.py",
        b"from dagster import job\n\nfrom cfg_ops import cfg\n\n\n@job\ndef other():\n    cfg()\n",
    )
    main(["check", "--fix", str(tmp_path)])
    expected_jobs = "from zenml import pipeline\n\nfrom ops import load\n\n\n@pipeline\ndef my_job():\n    load()\n"
    assert jobs.read_text() == expected_jobs
    assert ops.read_text() == "from zenml import step\n\n\n@step\ndef load() -> int:\n    return 4\n"
    assert "@job" in blocked_job.read_text() and "@op" in blocked.read_text()
    out = capsys.readouterr().out
    assert "cfg_jobs.py:6:2: DZ102" in out


def test_an_op_is_not_converted_when_a_sibling_job_that_imports_it_stays_dagster(tmp_path, capsys):
    ops_source = b"from dagster import op\n\n\n@op\ndef load() -> int:\n    return 4\n"
    ops = _write(tmp_path, "ops.py", ops_source)
    _write(
        tmp_path,
        "jobs.py",
        b"from dagster import job\n\nfrom ops import load\n\n\n@job(resource_defs={})\ndef my_job():\n    load()\n",
    )
    main(["check", "--fix", str(tmp_path)])
    assert ops.read_bytes() == ops_source
    main(["check", "--fix", "--unsafe-fixes", str(ops)])  # the job would call a step: not even unsafe
    assert ops.read_bytes() == ops_source
    capsys.readouterr()
    main(["check", "--unsafe-fixes", "--show-fixes", str(ops)])
    out = capsys.readouterr().out
    assert "ops.py:4:2: DZ101 [INFO] @op 'load'" in out and "[*]" not in out


def test_show_fixes_in_the_configuration_must_be_a_boolean(tmp_path, capsys):
    path = _write(tmp_path, "jobs.py", SOURCE.encode())
    (tmp_path / "pyproject.toml").write_text('[tool.dagster-zenml-lint]\nshow-fixes = "yes"\n')
    assert main(["check", str(path)]) == 2
    assert "show-fixes: expected true or false" in capsys.readouterr().err


def _parsed_check(*flags: str):
    from dagster_zenml_lint.cli import build_parser

    parser, _ = build_parser(only="check")
    return parser.parse_args(["check", *flags, "."])


def test_the_fix_flags_are_read_by_their_real_names():
    """``fix_options`` reads the parser's destinations by name; a renamed flag would read as off."""
    from dagster_zenml_lint.commands.check import fixes_files
    from dagster_zenml_lint.commands.options import FixOptions, fix_options

    assert fix_options(_parsed_check()) == FixOptions()
    assert not fixes_files(_parsed_check("--unsafe-fixes", "--show-fixes"))  # these only show fixes
    expected = {
        "--fix": FixOptions(fix=True),
        "--fix-only": FixOptions(fix=True, only=True),
        "--diff": FixOptions(diff=True),
        "--add-markers": FixOptions(markers=True),
    }
    for flag, options in expected.items():
        assert fix_options(_parsed_check(flag)) == options, flag
        assert fixes_files(_parsed_check(flag)), flag
    assert fix_options(_parsed_check("--fix", "--unsafe-fixes")) == FixOptions(fix=True, unsafe=True)
