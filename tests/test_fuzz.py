"""Fuzzing (a bounded, reproducible sample; ``benchmarks/fuzz_long.py`` is the long run).

For mutated fixtures and rule examples, random Dagster-flavoured programs and (when
``hypothesmith`` is installed) random programs from Python's grammar:

* the engine never raises, and its findings are well formed: either exactly one DZ000
  (the file could not be analysed) or only other codes at real positions;
* every front-end returns the same findings: the engine given flake8's tree, the flake8
  checker, the pylint plugin's engine run on an astroid module, the CLI/LSP path
  (``lint_text``), and the CLI itself in a subprocess over a directory of mutants;
* where a fix applies, the fixed text parses, compiles (when the input did), reads no
  name the input left unbound, keeps no trace of a parameter it removed, and fixing it
  again changes nothing.

``derandomize=True`` makes every run of the suite try the same examples.
"""

from __future__ import annotations

import ast
import builtins
import json
import subprocess
import symtable
import sys
import warnings
from typing import NamedTuple

import pytest
from fuzz_strategies import SEEDS, dagster_programs, fixable_programs, mutated_sources
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.engine import check_source
from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.fixers.apply import fix_text
from dagster_zenml_lint.flake8_plugin import DagsterZenmlChecker
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.runner import lint_text

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
sources = st.one_of(mutated_sources(), dagster_programs())


def parses(text: str) -> ast.Module | None:
    """The tree of ``text``, or None when Python cannot parse it."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def assert_well_formed(findings: list[Finding], text: str) -> None:
    """One DZ000 alone, or real findings at positions inside the text."""
    codes = [f.code for f in findings]
    if "DZ000" in codes:
        assert codes == ["DZ000"], codes
        return
    known = rules_by_code()
    line_count = max(1, len(text.splitlines()))
    for finding in findings:
        assert finding.code in known
        assert 1 <= finding.line <= line_count + 1, (finding, line_count)
        assert finding.col >= 0
        assert finding.message and "{subject}" not in finding.message


def positions(findings) -> list[tuple[int, str]]:
    """(line, code) pairs, sorted."""
    return sorted((f.line, f.code) for f in findings)


def check_every_front_end(text: str) -> None:
    """The engine and the in-process front-ends on one text."""
    findings = check_source(text, "fuzz.py")
    assert_well_formed(findings, text)
    with_fixes = check_source(text, "fuzz.py", with_fixes=True)
    assert positions(with_fixes) == positions(findings)
    lint_text(text, "fuzz.py", Config(), with_fixes=True)  # the CLI's and the language server's path
    tree = parses(text)
    if tree is None:
        assert "dagster" not in text or [f.code for f in findings] == ["DZ000"]
        return
    # flake8 parses the file itself and hands the tree over
    assert positions(check_source(text, "fuzz.py", tree=tree)) == positions(findings)
    lines = text.splitlines(keepends=True)
    reported = list(DagsterZenmlChecker(tree, "fuzz.py", lines).run())
    assert sorted((line, message.split()[0]) for line, _col, message, _type in reported) == positions(findings)


@BOUNDED
@given(sources)
def test_engine_and_front_ends_never_raise_and_agree(text):
    check_every_front_end(text)


@settings(BOUNDED, max_examples=15)
@given(sources)
def test_pylint_plugin_sees_what_the_engine_sees(text):
    astroid = pytest.importorskip("astroid")
    from dagster_zenml_lint.pylint_plugin import _run_engine

    if parses(text) is None:
        return
    try:
        module = astroid.parse(text)
    except (astroid.AstroidSyntaxError, RecursionError):
        return  # pylint reports its own syntax error and never calls the plugin
    assert positions(_run_engine(module, Config())) == positions(check_source(text, "fuzz.py"))


MODULE_NAMES = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__", "__path__", "__builtins__"}


def compiles(text: str) -> bool:
    """Whether Python compiles the text (the symbol table's checks included, not only the grammar)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "fuzz.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


class Bindings(NamedTuple):
    """What a module's symbol tables say about its names."""

    unbound: frozenset[str]  # global names read somewhere and bound nowhere (NameError when run)
    functions: dict[tuple[str, ...], tuple[frozenset[str], frozenset[str]]]  # path -> (parameters, every name)


def bindings(text: str) -> Bindings:
    """The names a module reads without binding them, and each function's parameters and names."""
    top = symtable.symtable(text, "fuzz.py", "exec")
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    unbound: set[str] = set()
    functions: dict[tuple[str, ...], tuple[frozenset[str], frozenset[str]]] = {}
    seen: dict[tuple[str, ...], int] = {}

    def visit(table: symtable.SymbolTable, path: tuple[str, ...]) -> None:
        for symbol in table.get_symbols():
            name = symbol.get_name()
            global_read = symbol.is_referenced() and (symbol.is_global() or table.get_type() == "module")
            if global_read and name not in bound and name not in MODULE_NAMES:
                unbound.add(name)
        if table.get_type() == "function":
            params = frozenset(table.get_parameters())  # type: ignore[attr-defined]
            functions[path] = (params, frozenset(table.get_identifiers()))
        for child in table.get_children():
            key = (*path, child.get_name())
            seen[key] = seen.get(key, 0) + 1
            visit(child, (*key, str(seen[key])))

    visit(top, ())
    return Bindings(frozenset(unbound), functions)


def assert_names_stay_bound(original: str, fixed: str) -> None:
    """The fixed text compiles; it reads no global the original did not leave unbound; a parameter
    the fix removed is no longer named anywhere in its function (no ``del``, store or nonlocal left)."""
    if not compiles(original):
        return  # the applier then only asks the fixed text to parse
    assert compiles(fixed), fixed
    if "import *" in original:
        return  # the symbol table cannot see what a star import binds
    before, after = bindings(original), bindings(fixed)
    assert after.unbound <= before.unbound, (sorted(after.unbound - before.unbound), fixed)
    for path, (params, _names) in before.functions.items():
        if path not in after.functions:
            continue
        kept, names = after.functions[path]
        for removed in params - kept:
            assert removed not in names, (path, removed, fixed)


@settings(BOUNDED, max_examples=20)
@given(sources, st.booleans())
def test_fixes_parse_and_are_idempotent(text, unsafe):
    result = fix_text(text, "fuzz.py", unsafe=unsafe)
    if not result.changed:
        return
    assert parses(result.text) is not None, result.text
    assert_names_stay_bound(text, result.text)
    again = fix_text(result.text, "fuzz.py", unsafe=unsafe)
    assert again.text == result.text


@settings(BOUNDED, max_examples=60)
@given(fixable_programs(), st.booleans())
def test_fixed_programs_compile_and_keep_their_names_bound(text, unsafe):
    """Programs of ops, jobs, loggers and retry policies: every fixed text compiles, keeps its names
    bound and is stable."""
    result = fix_text(text, "fuzz.py", unsafe=unsafe)
    assert parses(result.text) is not None, result.text
    assert_names_stay_bound(text, result.text)
    assert fix_text(result.text, "fuzz.py", unsafe=unsafe).text == result.text


def test_the_fixable_programs_give_the_fixes_work():
    """Most generated programs are changed by the fixes (else the test above would prove nothing)."""
    outcomes: list[tuple[bool, bool]] = []

    @settings(BOUNDED, max_examples=30)
    @given(fixable_programs())
    def collect(text):
        outcomes.append((fix_text(text, "fuzz.py", unsafe=True).changed, compiles(text)))

    collect()
    assert sum(changed for changed, _ in outcomes) >= len(outcomes) // 2
    assert sum(compiled for _, compiled in outcomes) >= len(outcomes) // 2


@pytest.mark.parametrize(
    "text",
    [
        "from dagster import op\n\n\n@op\ndef a(context):\n    del context\n    return 1\n",
        "from dagster import op\n\n\n@op\ndef b(context, x):\n    def inner():\n        nonlocal context\n"
        "        context = None\n\n    inner()\n    return x\n",
    ],
)
def test_the_binding_check_catches_the_issue_cases(text):
    """The check above fails on what the fix produced before (issue 11 item 2): it can fail."""
    broken = text.replace("(context):", "():").replace("(context, x):", "(x):").replace("@op", "@step")
    with pytest.raises(AssertionError):
        assert_names_stay_bound(text, broken)


def test_hypothesmith_programs():
    hypothesmith = pytest.importorskip("hypothesmith")

    @settings(BOUNDED, max_examples=5)
    @given(hypothesmith.from_grammar())
    def run(program):
        # a Dagster import up front gets the program past the engine's cheap pre-filter
        check_every_front_end("from dagster import *\nimport dagster as dg\n" + program)

    run()


def test_cli_over_a_directory_of_mutants(tmp_path):
    """The real command line over mutants: findings or DZ000 per file, never a traceback."""
    texts: list[str] = []

    @settings(BOUNDED, max_examples=30)
    @given(sources)
    def collect(text):
        texts.append(text)

    collect()
    for index, text in enumerate(texts):
        (tmp_path / f"mutant_{index:03}.py").write_bytes(text.encode("utf-8", "surrogatepass"))
    proc = subprocess.run(
        [sys.executable, "-m", "dagster_zenml_lint", "check", "--output-format", "json", "--jobs", "1", "."],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    records = json.loads(proc.stdout)
    by_file: dict[str, list[str]] = {}
    for record in records:
        by_file.setdefault(record["path"], []).append(record["code"])
    for codes in by_file.values():
        assert "DZ000" not in codes or codes == ["DZ000"], codes
    # the mutants are mostly Dagster code: a run that found nothing would mean a broken front-end
    assert len(by_file) >= len(texts) // 4


def test_seeds_are_loaded():
    """The mutation seeds include the functional fixtures and the rule examples."""
    assert len(SEEDS) > 20
    assert any("dagster" in seed for seed in SEEDS)


@settings(BOUNDED, max_examples=40)
@given(sources, st.lists(st.sampled_from(["DZ101", "DZ102", "DZ3", "E501", "F401"]), max_size=3))
def test_noqa_shortcut_agrees_with_the_tokenizer(text, listed):
    """``filter_suppressed`` skips tokenizing when no noqa can apply; the outcome must not change."""
    from dagster_zenml_lint.suppression import filter_suppressed, parse_noqa

    lines = text.splitlines(keepends=True)
    if lines:  # put a noqa comment on the first line, listing some codes (or none: a bare noqa)
        comment = f"  # noqa: {', '.join(listed)}" if listed else "  # noqa"
        lines[0] = lines[0].rstrip("\r\n") + comment + "\n"
    text = "".join(lines)
    findings = [f for f in check_source(text, "fuzz.py") if f.code != "DZ000"]
    expected = [f for f in findings if not parse_noqa(text).suppresses(f)]
    assert filter_suppressed(findings, text) == expected
