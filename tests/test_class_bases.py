"""Findings that depend on another file: IO managers deriving from the project's own base class
(DZ205, DZ309) and dynamic partitions imported from a sibling module (DZ311).

The fixtures under ``tests/fixtures/crossfile`` carry ``# [symbol]`` annotations; the CLI, flake8
and pylint must each report exactly them (one engine, the same answers from the other files).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixture_annotations import expected_findings

from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.registry import all_rules, rules_by_code, rules_by_symbol

PROJECT = Path(__file__).parent / "fixtures" / "crossfile"
FILES = sorted(PROJECT.rglob("*.py"))
Found = dict[str, set[tuple[str, int]]]


def _expected() -> Found:
    return {str(p.relative_to(PROJECT)): expected_findings(p) for p in FILES}


def _grouped(rows: list[tuple[str, str, int]]) -> Found:
    found: Found = {str(p.relative_to(PROJECT)): set() for p in FILES}
    by_code = rules_by_code()
    for path, code, line in rows:
        found[str(Path(path).resolve().relative_to(PROJECT.resolve()))].add((by_code[code].symbol, line))
    return found


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=PROJECT, check=False)


def test_engine_matches_annotations():
    for path in FILES:
        actual = {(rules_by_code()[f.code].symbol, f.line) for f in check_source(path.read_text(), str(path))}
        assert actual == expected_findings(path), path.name


def test_cli_matches_annotations(tmp_path):
    # the cache goes under tmp_path, not into the repository's fixture project
    proc = _run("dagster_zenml_lint", "check", "--output-format", "json", "-j", "1", "--cache-dir", str(tmp_path), ".")
    assert proc.returncode in (0, 1), proc.stderr
    rows = [(str(PROJECT / r["path"]), r["code"], r["line"]) for r in json.loads(proc.stdout)]
    assert _grouped(rows) == _expected()


def test_flake8_matches_annotations():
    proc = _run("flake8", "--isolated", "--select", "DZ", "--format=%(path)s\t%(row)d\t%(code)s", ".")
    assert proc.returncode in (0, 1), proc.stderr
    rows = []
    for line in proc.stdout.splitlines():
        path, row, code = line.split("\t")
        rows.append((str(PROJECT / path), code, int(row)))
    assert _grouped(rows) == _expected()


def test_pylint_matches_annotations():
    symbols = ",".join(rule.symbol for rule in all_rules())
    proc = _run(
        "pylint",
        "--load-plugins",
        "dagster_zenml_lint",
        "--disable=all",
        f"--enable={symbols}",
        "--output-format=json",
        "--score=n",
        "--persistent=n",
        *(str(p) for p in FILES),
    )
    assert proc.returncode != 32, proc.stderr
    by_symbol = rules_by_symbol()
    rows = [(str(PROJECT / m["path"]), by_symbol[m["symbol"]].code, m["line"]) for m in json.loads(proc.stdout or "[]")]
    assert _grouped(rows) == _expected()


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


SUBCLASS = "from base import Base\n\n\nclass Child(Base):\n    def handle_output(self, context, obj):\n        pass\n"


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("import dagster as dg\n\n\nclass Base(dg.IOManager):\n    pass\n", [(4, "DZ205")]),
        ("from dagster import UPathIOManager as U\n\n\nclass Base(U):\n    pass\n", [(4, "DZ205")]),
        ("import dagster as dg\n\n\nclass Base(dg.ConfigurableResource):\n    pass\n", []),
        ("class Base:\n    pass\n", []),
        ("class IOManager:\n    pass\n\n\nclass Base(IOManager):\n    pass\n", []),
        ("from other import Base\n", []),  # the chain ends in a module that does not exist
        ("from base import Base\n\n\nclass Base(Base):\n    pass\n", []),  # a cycle ends
    ],
    ids=["dagster-base", "aliased", "a-resource", "plain", "own-IOManager", "missing", "cycle"],
)
def test_imported_base_is_an_io_manager_only_through_dagster(tmp_path, base, expected, lint):
    _write(tmp_path, {"base.py": base, "child.py": "import dagster\n" + SUBCLASS})
    assert lint(tmp_path / "child.py").positions() == [(line + 1, code) for line, code in expected]


def test_chain_through_a_package_init_and_a_second_module(tmp_path, lint):
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "from .middle import Middle\n",
            "pkg/middle.py": "from .root import Root\n\n\nclass Middle(Root):\n    pass\n",
            "pkg/root.py": "import dagster as dg\n\n\nclass Root(dg.ConfigurableIOManager):\n    pass\n",
            "app/managers.py": "import dagster\nfrom pkg import Middle\n\n\nclass Leaf(Middle):\n    pass\n",
        },
    )
    assert lint(tmp_path / "app" / "managers.py").positions() == [(5, "DZ205")]


def test_text_without_a_file_asks_nothing(tmp_path):
    assert check_source("import dagster\nfrom base import Base\n\n\nclass C(Base):\n    pass\n", "<stdin>") == []


def test_an_edited_base_module_is_read_again(tmp_path, lint):
    _write(tmp_path, {"base.py": "class Base:\n    pass\n", "child.py": "import dagster\n" + SUBCLASS})
    assert lint(tmp_path / "child.py").positions() == []
    (tmp_path / "base.py").write_text("import dagster as dg\n\n\nclass Base(dg.IOManager):\n    pass\n")
    import os

    os.utime(tmp_path / "base.py", (1, 1))  # a different version, whatever the clock's resolution
    assert lint(tmp_path / "child.py").positions() == [(5, "DZ205")]


def test_dynamic_partitions_only_when_the_imported_name_is_one(tmp_path, lint):
    _write(
        tmp_path,
        {
            "parts.py": "import dagster as dg\n\norgs = dg.DynamicPartitionsDefinition(name='o')\n"
            "days = dg.DailyPartitionsDefinition(start_date='2024-01-01')\n",
            "use.py": "import dagster\nfrom parts import days, orgs\n\n"
            "a = orgs.get_partition_keys()\nb = days.get_partition_keys()\n",
        },
    )
    assert lint(tmp_path / "use.py").positions() == [(4, "DZ311")]


def test_an_unsearchable_directory_finds_nothing(tmp_path, lint):
    import os

    if os.geteuid() == 0:
        pytest.skip("root can read any directory")
    _write(tmp_path, {"locked/base.py": "import dagster as dg\n\n\nclass Base(dg.IOManager):\n    pass\n"})
    _write(tmp_path, {"child.py": "import dagster\nfrom locked.base import Base\n\n\nclass C(Base):\n    pass\n"})
    (tmp_path / "locked").chmod(0)
    try:
        assert lint(tmp_path / "child.py").positions() == []
    finally:
        (tmp_path / "locked").chmod(0o755)


def test_a_module_name_the_system_refuses_finds_nothing(tmp_path):
    from dagster_zenml_lint.class_bases import module_file

    assert module_file(str(tmp_path / "child.py"), "a\0b", 0) is None


def test_a_path_relative_to_the_project_root_is_found_from_that_root(tmp_path, monkeypatch):
    # report and migrate lint files under names relative to the sources' root, from any directory
    from dagster_zenml_lint.engine import check_source_with_context

    monkeypatch.chdir(tmp_path)
    relative = "shop/io/delta.py"
    text = (PROJECT / relative).read_text()
    findings, _ = check_source_with_context(text, relative, root=str(PROJECT))
    assert {(f.line, f.code) for f in findings if f.code in ("DZ205", "DZ309")} == {
        (line, rules_by_symbol()[symbol].code)
        for symbol, line in expected_findings(PROJECT / relative)
        if symbol in ("dagster-io-manager", "dagster-io-manager-logic")
    }


def test_an_oversized_base_module_is_not_read(tmp_path, monkeypatch, lint):
    import dagster_zenml_lint.source as source

    base = "import dagster as dg\n\n\nclass Base(dg.IOManager):\n    pass\n"
    _write(tmp_path, {"base.py": base + "#" * 200 + "\n", "child.py": "import dagster\n" + SUBCLASS})
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 100)  # the base module is over the limit
    assert lint(tmp_path / "child.py").positions() == []


# --- one lookup of an imported module's file, shared with the fixers' ProjectIndex ---------------
IMPORT_LAYOUT = {
    "pkg/__init__.py": "import dagster as dg\n\n\nclass Base(dg.ConfigurableIOManager):\n    pass\n",
    "pkg/ops.py": "x = 1\n",
    "pkg/tools/__init__.py": "",
    "pkg/jobs.py": "",
    "pkg.py": "class Base:\n    pass\n",  # a module beside the package of the same name: the package wins
}


@pytest.mark.parametrize(
    ("module", "level", "name", "expected"),
    [
        ("", 1, "ops", "pkg/ops.py"),  # from . import ops: the submodule
        ("", 1, "tools", "pkg/tools/__init__.py"),
        ("", 1, "Base", "pkg/__init__.py"),  # no such module: an attribute of the package
        ("ops", 1, "x", "pkg/ops.py"),
        ("pkg", 0, "ops", "pkg/ops.py"),
        ("pkg", 0, "Base", "pkg/__init__.py"),
        ("", 2, "pkg", "pkg/__init__.py"),  # from .. import pkg, above a directory without __init__.py
        ("missing", 1, "x", None),
        ("", 0, "x", None),
    ],
)
def test_both_callers_resolve_an_import_to_the_same_file(tmp_path, module, level, name, expected):
    from dagster_zenml_lint.class_bases import module_file
    from dagster_zenml_lint.fixers.crossfile import ProjectIndex

    _write(tmp_path, IMPORT_LAYOUT)
    importer = str(tmp_path / "pkg" / "jobs.py")
    want = str(tmp_path / expected) if expected else None
    assert module_file(importer, module, level, name) == want
    assert ProjectIndex().module_file(importer, module, level, name) == want


def test_a_base_imported_from_the_own_package_is_found_in_its_init(tmp_path, lint):
    # regression: `from . import Base` looked for a `pkg.py` beside the package first
    _write(tmp_path, IMPORT_LAYOUT)
    (tmp_path / "pkg" / "jobs.py").write_text("import dagster\nfrom . import Base\n\n\nclass Child(Base):\n    pass\n")
    assert lint(tmp_path / "pkg" / "jobs.py").positions() == [(5, "DZ205")]
