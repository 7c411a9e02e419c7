"""The ``raise NotImplementedError(...)`` stops ``migrate`` writes stay within the generated
project's line length (120, its ``[tool.ruff]``) when they name a long step or pipeline (a
generated name may take 100 characters) or IO-manager class (a name from the user's source, of
any length), in the layout ruff format keeps.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

from dagster_zenml_lint.scaffold import generate_project, write_project
from dagster_zenml_lint.scaffold.code import LINE_WIDTH, raise_lines

LONG = "load_every_region_of_the_warehouse_into_the_nightly_snapshot_for_the_finance_team_dashboards"

PIPES = f"""
import dagster as dg


@dg.asset
def {LONG}(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient) -> None:
    pipes.run(command=["python", "load.py"], context=context)


defs = dg.Definitions(assets=[{LONG}], resources={{"pipes": dg.PipesSubprocessClient()}})
"""

UNCLEAR_GRAPH = f"""
from dagster import AssetOut, graph_multi_asset, op


@op
def fetch() -> list:
    return [3, 1, 2]


@op
def split(rows: list) -> tuple:
    return rows[:1], rows[1:]


@graph_multi_asset(outs={{"{LONG}": AssetOut(), "zz": AssetOut()}})
def unclear():
    outputs = split(fetch())
    return outputs
"""


def _migrated(tmp_path: Path, source: str) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "assets.py").write_text(textwrap.dedent(source), encoding="utf-8")
    out = tmp_path / "out"
    write_project(generate_project([tmp_path / "src"]), out)
    return out


def _stop(module: str) -> str:
    """The message of the ``raise NotImplementedError`` in a generated module."""
    (message,) = [
        node.exc.args[0].value
        for node in ast.walk(ast.parse(module))
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.args[0], ast.Constant)
    ]
    return message


def _assert_within_the_line_length_as_ruff_formats_it(out: Path, relpath: str) -> None:
    """Every line of the module fits, and ruff format keeps the stop as written (the stop alone, in a
    function of its own: the rest of the module is not what this test is about)."""
    text = (out / relpath).read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if len(line) > LINE_WIDTH] == []
    (stop,) = [node for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Raise)]
    lines = text.splitlines()[stop.lineno - 1 : stop.end_lineno]
    (out / "stop_alone.py").write_text("def stop() -> None:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "stop_alone.py"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_pipes_stop_of_a_long_step_name_stays_within_the_line_length(tmp_path):
    out = _migrated(tmp_path, PIPES)
    relpath = f"steps/{LONG}.py"
    _assert_within_the_line_length_as_ruff_formats_it(out, relpath)
    module = (out / relpath).read_text(encoding="utf-8")
    assert _stop(module) == f"port {LONG}: launch the process its Dagster Pipes client ran (DZ225)"


def test_the_stop_of_a_pipeline_without_steps_stays_within_the_line_length(tmp_path):
    out = _migrated(tmp_path, UNCLEAR_GRAPH)
    (relpath,) = [p.relative_to(out).as_posix() for p in (out / "pipelines").glob("*.py") if p.name != "__init__.py"]
    _assert_within_the_line_length_as_ruff_formats_it(out, relpath)
    assert _stop((out / relpath).read_text(encoding="utf-8")).endswith(" has no steps yet")


def test_a_short_stop_is_one_line():
    assert raise_lines("NotImplementedError", ("port load: ", "launch it"), "    ") == [
        'raise NotImplementedError("port load: launch it")'
    ]


def test_a_tab_indented_long_stop_continues_with_a_tab():
    lines = raise_lines("NotImplementedError", (f"port {LONG}: ", "launch the process (DZ225)"), "\t")
    assert lines == ["raise NotImplementedError(", f'\t"port {LONG}: "', '\t"launch the process (DZ225)"', ")"]


LONG_CLASS = "WarehouseOfEveryRegionIntoTheNightlySnapshotForTheFinanceTeamDashboardsAndTheQuarterlyAuditIOManager"

DATA_ACCESS_IO_MANAGER = f"""
import sqlite3

from dagster import Definitions, InputContext, IOManager, OutputContext, asset


class {LONG_CLASS}(IOManager):
    def handle_output(self, context: OutputContext, obj) -> None:
        with sqlite3.connect("w.db") as db:
            db.execute("INSERT INTO outputs VALUES (?, ?)", (context.name, repr(obj)))

    def load_input(self, context: InputContext):
        with sqlite3.connect("w.db") as db:
            return db.execute("SELECT value FROM outputs WHERE name = ?", (context.name,)).fetchone()


@asset(io_manager_key="warehouse")
def numbers() -> list:
    return [1, 2, 3]


defs = Definitions(assets=[numbers], resources={{"warehouse": {LONG_CLASS}()}})
"""


def test_the_io_manager_skeletons_of_a_long_class_name_stay_within_the_line_length(tmp_path):
    # the class name (100 characters) comes from the user's source: the stop, the step's ``def``
    # line (a 100-character step name) and both docstrings named it on one line each
    out = _migrated(tmp_path, DATA_ACCESS_IO_MANAGER)
    skeletons = {
        path.relative_to(out).as_posix(): path.read_text(encoding="utf-8")
        for path in (out / "steps").glob("*.py")
        if path.name.startswith(("save_to_", "load_from_"))
    }
    assert len(skeletons) == 2
    for relpath, module in skeletons.items():
        _assert_within_the_line_length_as_ruff_formats_it(out, relpath)
        compile(module, relpath, "exec")
        method = "handle_output" if "/save_to_" in relpath else "load_input"
        assert _stop(module) == f"port {LONG_CLASS}.{method}"
        (function,) = [node for node in ast.parse(module).body if isinstance(node, ast.FunctionDef)]
        assert ast.get_docstring(function, clean=True).split() == [  # type: ignore[union-attr]
            *(
                "Write `data` (the output called `name`)"
                if method == "handle_output"
                else "Read the data called `name`"
            ).split(),
            "where",
            f"`{LONG_CLASS}.{method}`",
            "did.",
        ]
    (out / "stop_alone.py").unlink()
    for command in (["format", "--check"], ["check"]):  # the whole generated project, as ruff keeps it
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--no-cache", "."], cwd=out, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_message_piece_longer_than_a_line_is_cut_into_literals_that_fit():
    name = "Io" * 150  # an identifier has no length bound
    lines = raise_lines("NotImplementedError", (f"port {name}.", "load_input"), "    ")
    assert max(len("    " + line) for line in lines) <= LINE_WIDTH
    (stop,) = ast.parse("def stop():\n" + "\n".join("    " + line for line in lines)).body[0].body  # type: ignore[attr-defined]
    assert stop.exc.args[0].value == f"port {name}.load_input"
