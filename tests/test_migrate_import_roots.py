"""migrate: each code location's imports are resolved from its own roots (several ``workspaces`` packages).

A course repository holds one ``workspaces`` package per week (``week_a/workspaces``,
``week_b/workspaces``), each run with its week as the working directory, so both import
``from workspaces.types import Stock`` and mean different classes. The generated code must
take each week's ``Stock`` into ``helpers/`` and import it from there: a copied
``from workspaces.types import Stock`` cannot be imported in the generated project.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from zenml_env import import_generated

from dagster_zenml_lint.scaffold import generate_project, write_project
from dagster_zenml_lint.scaffold.sources import import_roots, package_root

TYPES = {
    "week_a": """\
        from dataclasses import dataclass


        @dataclass
        class Stock:
            price: float
        """,
    "week_b": """\
        from dataclasses import dataclass


        @dataclass
        class Stock:
            close: float
            volume: int = 0
        """,
}

JOBS = """\
    from dagster import Definitions, job, op

    from workspaces.types import Stock


    @op
    def get_stock() -> Stock:
        return Stock({value})


    @op
    def show(stock: Stock) -> str:
        return repr(stock)


    @job
    def {week}_job():
        show(get_stock())


    defs = Definitions(jobs=[{week}_job])
    """


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def _course(root: Path) -> Path:
    for week, value in (("week_a", "1.5"), ("week_b", "2.5")):
        package = root / week / "workspaces"
        _write(package / "__init__.py", "")
        _write(package / "types.py", TYPES[week])
        _write(package / "project" / "__init__.py", "")
        _write(package / "project" / "jobs.py", JOBS.format(value=value, week=week))
    return root


def test_the_package_root_is_the_directory_above_the_topmost_package(tmp_path):
    root = _course(tmp_path / "course")
    assert package_root("week_a/workspaces/project/jobs.py", root) == "week_a"
    assert package_root("week_a/workspaces/types.py", root) == "week_a"
    (root / "loose").mkdir()
    assert package_root("loose/script.py", root) == "loose"  # no package: its own directory
    assert package_root("top.py", root) == ""
    assert import_roots("week_a/workspaces/project/jobs.py", root, "week_a/workspaces/project") == (
        "week_a",
        "week_a/workspaces/project",
        "",
    )


def test_each_week_imports_its_own_workspaces_types_from_helpers(tmp_path):
    files = generate_project([_course(tmp_path / "course")]).files
    assert not [p for p, text in files.items() if "from workspaces" in text or "import workspaces" in text]
    steps = {p: text for p, text in files.items() if p.startswith("steps/get_stock")}
    assert len(steps) == 2
    imports = sorted(line for text in steps.values() for line in text.splitlines() if "import Stock" in line)
    assert imports == [
        "from helpers.week_a_workspaces_types import Stock",
        "from helpers.week_b_workspaces_types import Stock",
    ]
    assert "    price: float\n" in files["helpers/week_a_workspaces_types.py"]
    assert "    close: float\n" in files["helpers/week_b_workspaces_types.py"]


def test_every_generated_step_and_pipeline_module_imports_under_zenml(tmp_path):
    out = tmp_path / "out"
    write_project(generate_project([_course(tmp_path / "course")]), out)
    modules = sorted(
        f"{p.parent.name}.{p.stem}"
        for folder in ("steps", "pipelines")
        for p in (out / folder).glob("*.py")
        if p.name != "__init__.py"
    )
    assert len(modules) == 6  # two weeks: two steps and one pipeline each
    done = import_generated(out, modules, tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr[-2000:]


# A uv workspace: every member package is installed, so one imports another by its name, from
# anywhere in the repository (``packages/silver`` imports ``core_lib`` of ``packages/core``).
WORKSPACE = {
    "pyproject.toml": """\
        [tool.uv.workspace]
        members = ["packages/core", "packages/silver"]
        """,
    "packages/core/pyproject.toml": """\
        [project]
        name = "core-lib"
        version = "0.1.0"
        """,
    "packages/core/src/core_lib/__init__.py": "",
    "packages/core/src/core_lib/units.py": """\
        def to_celsius(fahrenheit: float) -> float:
            return (fahrenheit - 32) * 5 / 9
        """,
    "packages/silver/pyproject.toml": """\
        [project]
        name = "silver"
        version = "0.1.0"
        dependencies = ["core-lib"]
        """,
    "packages/silver/src/silver/__init__.py": "",
    "packages/silver/src/silver/assets.py": """\
        from dagster import Definitions, asset

        from core_lib.units import to_celsius


        @asset
        def temperatures() -> list[float]:
            return [to_celsius(f) for f in (32.0, 212.0)]


        defs = Definitions(assets=[temperatures])
        """,
}


def _tree(root: Path, files: dict[str, str]) -> Path:
    """``files`` (path -> text, dedented) written under ``root``, which is returned."""
    for relative, text in files.items():
        _write(root / relative, text)
    return root


def _assert_imports_under_zenml(root: Path, module: str, tmp_path: Path) -> None:
    """The project migrated from ``root`` imports ``module`` in a fresh interpreter with both engines."""
    out = tmp_path / "out"
    write_project(generate_project([root]), out)
    done = import_generated(out, [module], tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr[-2000:]


def test_a_workspace_member_imports_another_members_module_from_helpers(tmp_path):
    files = generate_project([_tree(tmp_path / "repo", WORKSPACE)]).files
    step = files["steps/temperatures.py"]
    assert "from helpers.packages_core_src_core_lib_units import to_celsius" in step
    assert "core_lib" not in step.replace("packages_core_src_core_lib_units", "")  # no import of the member itself
    assert "def to_celsius" in files["helpers/packages_core_src_core_lib_units.py"]
    assert "core_lib" not in files["pyproject.toml"]  # not a dependency to install: its code was copied


def test_a_workspaces_generated_step_imports_under_zenml(tmp_path):
    _assert_imports_under_zenml(_tree(tmp_path / "repo", WORKSPACE), "steps.temperatures", tmp_path)


# A workspace file that runs the code from ``src`` (Dagster puts the working directory on
# ``sys.path``): ``src/repositories/jobs.py`` imports ``ops.text``, though ``src/ops`` is no package.
WORKING_DIRECTORY = {
    "workspace.yaml": """\
        load_from:
          - python_file:
              relative_path: src/repositories/jobs.py
              working_directory: src
        """,
    "src/ops/text.py": """\
        def shout(value: str) -> str:
            return value.upper()
        """,
    "src/repositories/jobs.py": """\
        from dagster import job, op

        from ops.text import shout


        @op
        def greet() -> str:
            return shout("hello")


        @job
        def greeting():
            greet()
        """,
}


def test_a_workspace_working_directory_is_an_import_root(tmp_path):
    root = _tree(tmp_path / "repo", WORKING_DIRECTORY)
    step = generate_project([root]).files["steps/greet.py"]
    assert "from helpers.src_ops_text import shout" in step
    assert "from ops" not in step
    _assert_imports_under_zenml(root, "steps.greet", tmp_path)


# ``dagster code-server start -f ./definitions.py`` run from ``user_code`` (a Dockerfile's WORKDIR): the
# directory of the ``Definitions`` entry point is on ``sys.path``, so ``user_code/ops/report.py`` imports
# ``utils.dates`` of ``user_code/utils``, though the repository root and ``user_code`` are packages too.
ENTRY_DIRECTORY = {
    "__init__.py": "",
    "user_code/__init__.py": "",
    "user_code/utils/__init__.py": "",
    "user_code/utils/dates.py": """\
        def month_start(day: str) -> str:
            return day[:8] + "01"
        """,
    "user_code/ops/__init__.py": "",
    "user_code/ops/report.py": """\
        from dagster import op

        from utils.dates import month_start


        @op
        def first_day() -> str:
            return month_start("2024-05-17")
        """,
    "user_code/definitions.py": """\
        from dagster import Definitions, job

        from ops.report import first_day


        @job
        def monthly():
            first_day()


        defs = Definitions(jobs=[monthly])
        """,
}


def test_the_directory_of_a_definitions_entry_point_is_an_import_root(tmp_path):
    root = _tree(tmp_path / "repo", ENTRY_DIRECTORY)
    step = generate_project([root]).files["steps/first_day.py"]
    assert "from helpers.user_code_utils_dates import month_start" in step
    assert "from utils" not in step
    _assert_imports_under_zenml(root, "steps.first_day", tmp_path)


# A package that re-exports its modules with ``from x import *`` (``ops/fs/__init__.py`` holding
# ``from ops.fs.remove import *``): the name comes from the module the star import names.
STAR = {
    "lib/__init__.py": "from lib.text import *\nfrom lib.numbers import *\n",
    "lib/text.py": """\
        __all__ = ["shout"]


        def shout(value: str) -> str:
            return value.upper()


        def whisper(value: str) -> str:
            return value.lower()
        """,
    "lib/numbers.py": """\
        def double(value: int) -> int:
            return value * 2
        """,
    "jobs.py": """\
        from dagster import job, op

        from lib import double, shout


        @op
        def greet() -> str:
            return shout("hello") * double(1)


        @job
        def greeting():
            greet()
        """,
}


def test_a_name_a_package_re_exports_with_a_star_import_is_taken_from_its_module(tmp_path):
    root = _tree(tmp_path / "repo", STAR)
    files = generate_project([root]).files
    step = files["steps/greet.py"]
    assert "from lib" not in step  # not an import of the source package: its code was copied
    assert "def shout" in step + "".join(t for p, t in files.items() if p.startswith("helpers/"))
    assert "def double" in step + "".join(t for p, t in files.items() if p.startswith("helpers/"))
    _assert_imports_under_zenml(root, "steps.greet", tmp_path)


def test_a_star_import_binds_only_what_all_lists(tmp_path):
    files = {
        path: text.replace("double, shout", "shout, whisper").replace("double(1)", "len(whisper('A'))")
        for path, text in STAR.items()
    }
    step = generate_project([_tree(tmp_path / "repo", files)]).files["steps/greet.py"]
    assert "from helpers.lib_text import shout" in step
    # ``__all__`` of lib/text.py leaves whisper out: lib does not bind it, and the import stays as written
    assert "from lib import whisper" in step and "def whisper" not in step
