"""Run state does not travel on the argparse namespace; ``report`` does not fake ``check``'s flags.

What a run computes (whether fixes were worked out, the project index that settled them,
each file's fix, the files a diff could not show, whether any rule is on) is passed as
values (``fixers.files.FixRun``, arguments of ``output_options`` and ``exit_code``),
not stored on ``args`` and read back with ``getattr``. The package is read with :mod:`ast`.
"""

from __future__ import annotations

import ast
from pathlib import Path

from dagster_zenml_lint.cli import build_parser

PACKAGE = Path(__file__).resolve().parents[1] / "dagster_zenml_lint"
# Flags the command normalises (``--stdin-filename`` alone means ``-``; the output format's default
# comes from the configuration): still the user's arguments, not state of the run.
NORMALISED = {"paths", "output_format"}
STATE = {"with_fixes", "project_index", "file_fixes", "not_analysed", "no_rules"}


def stores_on_args(tree: ast.AST) -> list[tuple[int, str]]:
    """``args.<name> = ...`` and ``setattr(args, ...)`` of anything but a normalised flag."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == "args"
            and node.attr not in NORMALISED
        ):
            found.append((node.lineno, node.attr))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            found.append((node.lineno, "setattr"))
    return found


def reads_of_state(tree: ast.AST) -> list[tuple[int, str]]:
    """``getattr(args, "<state>", ...)`` and ``args.<state>``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and name.value in STATE:
                found.append((node.lineno, name.value))
        is_args = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "args"
        if is_args and node.attr in STATE:
            found.append((node.lineno, node.attr))
    return found


def test_no_module_keeps_run_state_on_the_namespace():
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for tree in [ast.parse(path.read_bytes())]
        for line, what in stores_on_args(tree) + reads_of_state(tree)
    ]
    assert not found, "run state on the argparse namespace:\n" + "\n".join(found)


def test_the_checks_see_a_store_and_a_read():
    tree = ast.parse("args.with_fixes = True\nx = getattr(args, 'file_fixes', [])\nargs.paths = ['-']\n")
    assert stores_on_args(tree) == [(1, "with_fixes")]
    assert reads_of_state(tree) == [(1, "with_fixes"), (2, "file_fixes")]


def test_report_has_no_check_flags_of_its_own():
    parser, _commands = build_parser()
    args = parser.parse_args(["report", "src"])
    assert not {"select", "ignore", "min_severity", "exclude", "extend_exclude"} & set(vars(args))
