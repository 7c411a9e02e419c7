"""migrate on shapes found in public Dagster projects (``benchmarks/migrate_real.py``): the generated
modules import under the real dagster and zenml packages, and their steps compute what the assets did.

Each fixture is small and our own; the shape it has is named in its test. The generated project is
written to a temporary directory and imported in a subprocess, as ``run.py`` imports it.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from dagster_zenml_lint.scaffold import generate_project, write_project


def write_sources(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> dedented text) under ``root``; returns ``root``."""
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def migrated(tmp_path: Path, sources: Path) -> Path:
    """The project ``migrate`` writes for ``sources``, in ``tmp_path / "out"``."""
    out = tmp_path / "out"
    write_project(generate_project([sources]), out)
    return out


def run_in_project(out: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with the generated project as working directory and first on the path."""
    env = {
        **os.environ,
        "ZENML_CONFIG_PATH": str(out.parent / ".zenconfig"),
        "ZENML_ANALYTICS_OPT_IN": "false",
        "PYTHONPATH": str(out),
    }
    return subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True, env=env)


def import_every_module(out: Path) -> None:
    """Import every generated ``steps/`` and ``pipelines/`` module; fail with the import error."""
    modules = sorted(
        ".".join(path.relative_to(out).with_suffix("").parts)
        for folder in ("steps", "pipelines")
        for path in (out / folder).glob("*.py")
    )
    code = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    done = run_in_project(out, code)
    assert done.returncode == 0, done.stderr[-3000:]


def imported_modules(path: Path) -> set[str]:
    """The top-level names of the modules a generated file imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def step_value(out: Path, step: str, **kwargs: object) -> object:
    """What the generated step's function returns for ``kwargs`` (JSON values), called as a function."""
    code = (
        "import importlib, json\n"
        f"module = importlib.import_module('steps.{step}')\n"
        f"print(json.dumps(getattr(module, {step!r}).entrypoint(**json.loads({json.dumps(kwargs)!r}))))\n"
    )
    done = run_in_project(out, code)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- re-exports in a package's __init__.py

REEXPORTS = {
    "pipeline/__init__.py": "",
    "pipeline/resources/__init__.py": """\
        from .lamassu import LamassuResource
        from .lamassu import feed_name as name_of_feed
        """,
    "pipeline/resources/lamassu.py": """\
        from dagster import ConfigurableResource

        PREFIX = "feed-"


        class LamassuResource(ConfigurableResource):
            base_url: str = "https://example.org"


        def feed_name(station: str) -> str:
            return PREFIX + station
        """,
    "pipeline/assets.py": """\
        from dagster import asset

        from pipeline.resources import LamassuResource, name_of_feed
        from pipeline.resources import name_of_feed as feed


        @asset
        def stations(lamassu: LamassuResource) -> list[str]:
            return [name_of_feed(s) for s in lamassu.base_url.split(".")]


        @asset
        def vehicles(stations: list[str]) -> list[str]:
            return [feed(s) for s in stations]
        """,
}


def test_names_a_package_re_exports_come_from_the_module_that_defines_them(tmp_path):
    # ipl-dagster-pipeline: `from pipeline.resources import LamassuResource`, where resources/__init__.py
    # holds `from .lamassu import LamassuResource`; the relative import was copied into helpers/, whose
    # import failed with "No module named 'helpers.lamassu'".
    out = migrated(tmp_path, write_sources(tmp_path / "src", REEXPORTS))
    helpers = "".join(path.read_text() for path in (out / "helpers").glob("*.py"))
    assert "from ." not in helpers
    import_every_module(out)
    assert step_value(out, "vehicles", stations=["a", "b"]) == ["feed-a", "feed-b"]


# ---------------------------------------------------------------- an integration package's resource

INTEGRATION_RESOURCE = {
    "defs.py": """\
        from dagster import Definitions, asset
        from dagster_duckdb import DuckDBResource


        @asset
        def numbers(database: DuckDBResource) -> list[int]:
            with database.get_connection() as conn:
                return [row[0] for row in conn.execute("select * from range(4)").fetchall()]


        @asset
        def doubled(numbers: list[int]) -> list[int]:
            return [n * 2 for n in numbers]


        defs = Definitions(assets=[numbers, doubled], resources={"database": DuckDBResource(database=":memory:")})
        """,
}


def test_a_resource_class_of_an_integration_package_the_catalog_does_not_list_is_a_step_parameter_too(tmp_path):
    # dagster-open-platform: `claude: AnthropicResource` (dagster_anthropic) was passed as `claude=None`.
    source = write_sources(
        tmp_path / "src",
        {
            "defs.py": """\
                from dagster import Definitions, asset
                from dagster_anthropic import AnthropicResource


                @asset
                def summary(claude: AnthropicResource) -> str:
                    return claude.model


                defs = Definitions(assets=[summary], resources={"claude": AnthropicResource(model="small")})
                """
        },
    )
    files = generate_project([source]).files
    pipeline = next(text for path, text in files.items() if path.startswith("pipelines/") and "summary" in text)
    assert "claude" not in pipeline
    assert 'claude:\n        model: "small"' in files["configs/dev.yaml"]
    assert "def summary(claude: AnthropicResource)" in files["steps/summary.py"]


# Materializes every asset of the module's ``defs`` with its resources; prints asset key -> value.
DAGSTER_DEFINITIONS_RUNNER = r"""
import json, sys
from dagster import materialize

sys.path.insert(0, sys.argv[1])
from defs import defs

run = materialize(list(defs.assets), resources=defs.resources)
print(json.dumps({"/".join(k.path): run.asset_value(k) for a in defs.assets for k in a.keys}))
"""


def test_a_resource_of_an_integration_package_is_a_step_parameter_with_the_values_it_was_built_with(tmp_path):
    # dagster-open-platform (SnowflakeResource, SlackResource), project-dagster-university (DuckDBResource):
    # `def numbers(database: DuckDBResource)` was read as an upstream asset nothing produces, and the
    # pipeline passed `database=None`, which ZenML rejects before any step runs.
    from test_migrate_run import run_zenml

    source = write_sources(tmp_path / "src", INTEGRATION_RESOURCE)
    out = migrated(tmp_path, source)
    pipeline = (out / "pipelines" / "doubled_pipeline.py").read_text()
    assert "database" not in pipeline
    assert 'database: ":memory:"' in (out / "configs" / "dev.yaml").read_text()
    done = subprocess.run(
        [sys.executable, "-c", DAGSTER_DEFINITIONS_RUNNER, str(source)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    expected = json.loads(done.stdout.strip().splitlines()[-1])
    actual = run_zenml(out, ["doubled_pipeline"], False, tmp_path / "zenml")["doubled_pipeline"]
    assert expected == {"numbers": [0, 1, 2, 3], "doubled": [0, 2, 4, 6]}
    assert actual == {"numbers_step": {"numbers": expected["numbers"]}, "doubled": {"doubled": expected["doubled"]}}


# ---------------------------------------------------------------- a src layout with namespace packages

SRC_LAYOUT = {
    "course/lesson_app/pyproject.toml": """\
        [project]
        name = "lesson-app"
        version = "0.1.0"
        """,
    "course/lesson_app/src/lesson_app/__init__.py": "",
    "course/lesson_app/src/lesson_app/completed/__init__.py": "",
    # defs/ has no __init__.py: a namespace package, as Dagster's `dg` project layout writes it
    "course/lesson_app/src/lesson_app/completed/defs/assets/__init__.py": "",
    "course/lesson_app/src/lesson_app/completed/defs/assets/constants.py": """\
        TAXI_ZONES = "data/zones.csv"


        def path_for(name: str) -> str:
            return "data/" + name
        """,
    "course/lesson_app/src/lesson_app/completed/defs/assets/trips.py": """\
        from dagster import asset

        from lesson_app.completed.defs.assets import constants


        @asset
        def zones_path() -> str:
            return constants.path_for("zones.csv")


        @asset
        def zones_check(zones_path: str) -> bool:
            return zones_path == constants.TAXI_ZONES
        """,
}


def test_a_src_layout_project_imports_its_namespace_packages_from_src(tmp_path):
    # project-dagster-university: each course is a project (pyproject.toml) with src/<package>/.../defs/
    # without an __init__.py; `from dagster_and_dbt.completed.lesson_2.defs.assets import constants` was
    # copied as written, and 127 generated modules failed with "No module named 'dagster_and_dbt'".
    out = migrated(tmp_path, write_sources(tmp_path / "src", SRC_LAYOUT))
    assert not [path for path in out.rglob("*.py") if "lesson_app" in imported_modules(path)]
    import_every_module(out)
    assert step_value(out, "zones_path") == "data/zones.csv"
    assert step_value(out, "zones_check", zones_path="data/zones.csv") is True


# ---------------------------------------------------------------- names a module binds with a star import

STAR_IMPORTED = {
    "etl/__init__.py": "",
    "etl/functions.py": """\
        import json


        def parse_rows(text: str) -> list[int]:
            return json.loads(text)
        """,
    "etl/ops.py": """\
        from dagster import job, op

        from .functions import *

        SETTINGS = json.loads('{"scale": 10}')


        @op
        def rows() -> list[int]:
            return [row * SETTINGS["scale"] for row in parse_rows("[1, 2]")]


        @op
        def total(rows: list[int]) -> int:
            return sum(rows) * SETTINGS["scale"]


        @job
        def rows_job():
            total(rows())
        """,
}


def test_names_a_module_binds_with_a_star_import_of_a_source_module_are_taken_from_that_module(tmp_path):
    # dagster_etl_dwh: an ops module holding `from .tableau_api_functions import *` called that
    # module's functions and read `json` through it; the generated step and helpers named them
    # without importing or copying them (NameError in helpers/ on import, and in the step when run).
    out = migrated(tmp_path, write_sources(tmp_path / "src", STAR_IMPORTED))
    import_every_module(out)
    assert step_value(out, "rows") == [10, 20]
    assert step_value(out, "total", rows=[1, 2]) == 30


# ---------------------------------------------------------------- a module-level ``with ... as``

WITH_BLOCK = {
    "jobs.py": """\
        import io
        import json

        from dagster import job, op

        with io.StringIO('{"user": "etl", "limit": 3}') as handle:
            credentials = json.load(handle)
            LIMIT = credentials["limit"]
        USER = credentials["user"]


        @op
        def user() -> str:
            return USER * LIMIT


        @op
        def limited(user: str) -> str:
            return user[:LIMIT]


        @job
        def users_job():
            limited(user())
        """,
}


def test_a_module_level_with_block_whose_body_reads_its_as_name_is_copied_whole(tmp_path):
    # dagster_etl_dwh: `with open(...) as json_file:` / `dwh_cred = json.load(json_file)` at module
    # level: the assignment was copied into helpers/ without its `with`, so `json_file` was unbound.
    out = migrated(tmp_path, write_sources(tmp_path / "src", WITH_BLOCK))
    helpers = "".join(path.read_text() for path in (out / "helpers").glob("*.py"))
    assert helpers.count("with io.StringIO(") == 1  # once, though it binds several names the steps read
    import_every_module(out)
    assert step_value(out, "user") == "etletletl"
    assert step_value(out, "limited", user="abcdef") == "abc"


# ---------------------------------------------------------------- a resource that depends on another

RESOURCE_DEPENDENCY = {
    "defs.py": """\
        from dagster import ConfigurableResource, Definitions, ResourceDependency, asset


        class PrefixResource(ConfigurableResource):
            prefix: str


        class NamerResource(ConfigurableResource):
            prefixes: ResourceDependency[PrefixResource]

            def name(self, value: str) -> str:
                return self.prefixes.prefix + value


        @asset
        def names(namer: NamerResource) -> list[str]:
            return [namer.name(v) for v in ("a", "b")]


        defs = Definitions(
            assets=[names],
            resources={"namer": NamerResource(prefixes=PrefixResource(prefix="x-"))},
        )
        """,
}


def test_a_resource_dependency_field_becomes_a_field_of_the_nested_model(tmp_path):
    # dagster-dags (luchtmeetnet): `rate_limiter: ResourceDependency[RateLimiterResource]` was copied
    # into a pydantic model, which cannot build a schema for it (PydanticSchemaGenerationError on import).
    out = migrated(tmp_path, write_sources(tmp_path / "src", RESOURCE_DEPENDENCY))
    assert "ResourceDependency" not in "".join(p.read_text() for p in out.rglob("*.py"))
    import_every_module(out)
    code = (
        "import typing\n"
        "from steps.names import names\n"
        "namer = typing.get_type_hints(names.entrypoint)['namer']\n"  # what ZenML validates the YAML value into
        "print(names.entrypoint(namer=namer.model_validate({'prefixes': {'prefix': 'x-'}})))\n"
    )
    done = run_in_project(out, code)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "['x-a', 'x-b']"


# ---------------------------------------------------------------- an op that takes **kwargs

KWARGS = {
    "jobs.py": """\
        from dagster import job, op


        @op
        def numbers() -> list[int]:
            return [1, 2]


        @op
        def report(numbers: list[int], **kwargs) -> str:
            return f"{sum(numbers)} {sorted(kwargs)}"


        @op
        def banner(**options) -> str:
            return "done"


        @job
        def report_job():
            report(numbers())
            banner()
        """,
}


def test_an_ops_kwargs_that_dagster_fills_with_nothing_is_no_step_parameter(tmp_path):
    # o_mobile_operator_dagster: `def report_pdf(context, fig1, ..., **kwargs)`; Dagster passes nothing
    # through **kwargs, ZenML refuses the step ("Variable args or kwargs not allowed") on import.
    out = migrated(tmp_path, write_sources(tmp_path / "src", KWARGS))
    import_every_module(out)
    assert step_value(out, "report", numbers=[1, 2]) == "3 []"
    assert step_value(out, "banner") == "done"
    assert "@step(enable_cache=False)\ndef banner() -> str:" in (out / "steps" / "banner.py").read_text()


# ``file_relative_path(__file__, "queries/daily.sql")`` (dagster-open-platform reads SQL beside its modules):
# copied into steps/ or helpers/, ``__file__`` names the generated module, so the code says what to do.
FILE_RELATIVE = {
    "my-team-pipelines/analytics/__init__.py": "",
    "my-team-pipelines/analytics/queries.py": """\
        from pathlib import Path

        QUERIES = Path(__file__).parent / "sql"


        def query(name: str) -> str:
            return (QUERIES / f"{name}.sql").read_text()
        """,
    "my-team-pipelines/analytics/assets.py": """\
        import os

        from dagster import asset

        from analytics.queries import query


        @asset
        def daily_sql() -> str:
            here = os.path.dirname(os.path.abspath(__file__))
            return query("daily") + here
        """,
}


def test_copied_code_that_reads_file_gets_a_todo_naming_its_source_module(tmp_path):
    project = generate_project([write_sources(tmp_path / "src", FILE_RELATIVE)])
    step = project.files["steps/daily_sql.py"]
    helper = next(text for path, text in project.files.items() if path.startswith("helpers/") and "QUERIES" in text)
    for text, source in ((step, "assets.py"), (helper, "queries.py")):
        todo = next(line for line in text.splitlines() if "reads __file__" in line)
        assert todo.lstrip().startswith("# TODO(migration): this code reads __file__")
        # the source path is written whole on one line, never cut at its hyphens
        assert any(f"my-team-pipelines/analytics/{source}" in line for line in text.splitlines())
    assert step.index("reads __file__") < step.index("here = os.path.dirname")
    assert helper.index("reads __file__") < helper.index("QUERIES = Path(__file__)")
    assert "def query" in helper and "reads __file__" not in helper.split("def query")[1]  # only QUERIES reads it
    out = tmp_path / "out"
    write_project(project, out)
    import_every_module(out)


def test_a_marker_breaks_lines_at_spaces_only():
    from dagster_zenml_lint.scaffold import markers

    path = "dagster-code/sports-code/nhl-team-stats/" * 2 + "assets.py"  # shorter than a line: never cut
    lines = markers.wrap("# TODO(migration):", f"read {path} and {path}-again before the-next-step")
    assert [line for line in lines if path in line] and all(line.startswith("# ") for line in lines)
    words = " ".join(line.removeprefix("# TODO(migration):").lstrip("# ") for line in lines).split()
    assert words == f"read {path} and {path}-again before the-next-step".split()
