"""``dagster-zenml-lint migrate``: layout, markers (golden), generated code quality, CLI contract.

These tests only generate code (fast); ``test_migrate_run.py`` runs generated projects
under ZenML. Set ``UPDATE_GOLDEN=1`` to rewrite ``tests/migrate_sources/*.golden`` after a
deliberate change, and review the diff.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_zenml_lint.cli import main
from dagster_zenml_lint.findings import Severity
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.requires_python import lowest_supported
from dagster_zenml_lint.scaffold import generate_project, write_project
from dagster_zenml_lint.scaffold.python_version import required_python

SOURCES = Path(__file__).parent / "migrate_sources"
FIXTURES = ("ops_jobs", "assets_pure", "flagged")
MARKER = re.compile(r"#\s*(TODO\(migration\)|Migration note):")


def markers_outline(files: dict[str, str]) -> str:
    """Every generated path, and under it the first line of each marker comment (the golden view)."""
    lines: list[str] = []
    for path in sorted(files):
        lines.append(f"== {path}")
        lines.extend(f"   {line.strip()}" for line in files[path].splitlines() if MARKER.search(line))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def projects():
    """The generated files of every fixture, generated once."""
    return {name: generate_project([SOURCES / name]) for name in FIXTURES}


@pytest.mark.parametrize("name", FIXTURES)
def test_layout_and_markers_match_the_golden_file(projects, name):
    outline = markers_outline(projects[name].files)
    golden = SOURCES / f"{name}.golden"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(outline, encoding="utf-8")
    assert outline == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", FIXTURES)
def test_layout_follows_the_migration_guide(projects, name):
    files = projects[name].files
    for required in (
        "run.py",
        "README.md",
        "MIGRATION_REPORT.md",
        "pyproject.toml",
        "configs/dev.yaml",
        "configs/prod.yaml",
        "pipelines/__init__.py",
        "steps/__init__.py",
        "materializers/__init__.py",
    ):
        assert required in files, required
    steps = [p for p in files if p.startswith("steps/") and p != "steps/__init__.py"]
    io_managers = projects[name].io_managers
    skeletons = {f"steps/{n}.py" for io in io_managers if io.data_access for n in io.step_names}
    assert set(steps) == {f"steps/{s.name}.py" for s in projects[name].steps} | skeletons
    for path in steps:  # one step per file
        assert files[path].count("@step") == 1, path
    pyproject = files["pyproject.toml"]
    assert '"zenml[local]>=0.94.1"' in pyproject
    # the sources lie inside this repository: its pyproject.toml's requires-python, capped at this interpreter
    assert f'requires-python = ">={required_python(SOURCES)}"' in pyproject
    assert "import argparse" in files["run.py"] and "click" not in files["run.py"]


def test_every_high_finding_of_the_source_has_a_todo_marker(projects):
    project = projects["flagged"]
    text = "\n".join(project.files.values())
    high_codes = {f.code for _, f in project.findings if rules_by_code()[f.code].severity == Severity.HIGH}
    assert high_codes == {"DZ301", "DZ304", "DZ305", "DZ309"}
    for code in high_codes:
        assert re.search(rf"# TODO\(migration\): {code} ", text), code


def test_partitions_become_a_pipeline_parameter_and_a_run_flag(projects):
    files = projects["flagged"].files
    assert "def daily_job(partition_key: str) -> None:" in files["pipelines/daily_job.py"]
    assert "daily_events(partition_key=partition_key)" in files["pipelines/daily_job.py"]
    assert "def daily_events(partition_key: str)" in files["steps/daily_events.py"]
    assert "context" not in files["steps/daily_events.py"].split("@step", 1)[1]
    assert '"--partition-key"' in files["run.py"]
    assert '"--pipeline"' not in files["run.py"]  # one pipeline: run by default


def test_data_access_step_skeletons_are_never_cached(projects):
    """Issue 18 item 1: ZenML would skip an unchanged step, so the external read/write would stop."""
    files = projects["flagged"].files
    for path in ("steps/save_to_warehouse.py", "steps/load_from_warehouse.py"):
        text = files[path]
        assert "@step(enable_cache=False)\n" in text
        assert "# Migration note: enable_cache=False" in text
        compile(text, path, "exec")


def test_source_and_resource_steps_are_uncached_and_pure_steps_keep_the_cache(tmp_path):
    """Issue 18 item 1: a step that loads from outside or uses a resource gets enable_cache=False."""
    (tmp_path / "assets.py").write_text(
        "from dagster import ConfigurableResource, Definitions, asset\n\n\n"
        "class Warehouse(ConfigurableResource):\n    url: str = 'x'\n\n\n"
        "@asset(code_version='v2')\ndef raw() -> int:\n    return 1\n\n\n"
        "@asset\ndef doubled(raw: int) -> int:\n    return raw * 2\n\n\n"
        "@asset\ndef stored(doubled: int, warehouse: Warehouse) -> int:\n    return doubled\n\n\n"
        "defs = Definitions(assets=[raw, doubled, stored], resources={'warehouse': Warehouse()})\n"
    )
    files = generate_project([tmp_path]).files
    raw, doubled, stored = (files[f"steps/{name}.py"] for name in ("raw", "doubled", "stored"))
    assert "@step(enable_cache=False)\ndef raw(" in raw
    assert "# Migration note: enable_cache=False: it has no inputs" in raw
    assert "code_version= is not used: this step is never cached" in raw and "CachePolicy" not in raw
    assert "Dagster-only arguments not carried over: code_version" not in raw
    assert "@step(enable_cache=False)\ndef stored(" in stored and "resource(s) warehouse" in stored
    assert "@step\ndef doubled(" in doubled and "enable_cache" not in doubled
    for path, text in (("raw.py", raw), ("stored.py", stored)):
        compile(text, path, "exec")


def test_io_managers_split_into_materializer_skeleton_and_data_access_todo(projects):
    files = projects["flagged"].files
    assert "materializers/json_file_io_manager.py" in files  # serialization only
    assert "class JsonFileMaterializer(BaseMaterializer)" in files["materializers/json_file_io_manager.py"]
    assert not any("warehouse" in p for p in files if p.startswith("materializers/"))  # data access: no materializer
    assert "def save_to_warehouse(data: Any, name: str) -> None:" in files["steps/save_to_warehouse.py"]
    assert 'conn.execute(f"SELECT value FROM {table}")' in files["steps/load_from_warehouse.py"]  # for reference
    assert "DZ309" in files["steps/daily_events.py"] and "WarehouseIOManager" in files["steps/daily_events.py"]
    assert "JsonFileIOManager" in files["steps/daily_summary.py"]


def test_schedules_are_commented_cron_and_sensors_todos_in_run_py(projects):
    files = projects["flagged"].files
    assert '#   cron_expression: "0 6 * * *"' in files["configs/prod.yaml"]
    assert "Europe/Berlin" in files["configs/prod.yaml"]
    assert "# TODO(migration): DZ304 dagster-sensor" in files["run.py"]
    assert "late_file_sensor" in files["run.py"]
    assert '"daily_job": "0 6 * * *",' in files["run.py"]  # opt-in: python run.py --schedule
    assert 'options["schedule"] = Schedule(cron_expression=SCHEDULES[name])' in files["run.py"]


def test_several_pipelines_need_the_pipeline_flag_and_config_values_come_from_yaml(projects):
    files = projects["ops_jobs"].files
    assert '"--pipeline", choices=[*PIPELINES, "all"], required=True' in files["run.py"]
    # the job's RunConfig(ops={"scaled_total": ScaleConfig(factor=5)}) wins over the class default (3)
    assert "factor: 5" in files["configs/dev.yaml"] and "factor: 5" in files["configs/prod.yaml"]
    assert "retry=StepRetryConfig(max_retries=2, delay=1, backoff=1)" in files["steps/squares.py"]
    code = "\n".join(t for p, t in files.items() if p.endswith(".py"))
    assert not re.search(r"^\s*(from|import) dagster", code, re.MULTILINE)  # the generated code needs no Dagster


def test_multi_asset_outputs_keep_the_asset_names(projects):
    files = projects["assets_pure"].files
    assert 'tuple[Annotated[Any, "eu_orders"], Annotated[Any, "us_orders"]]' in files["steps/split_regions.py"]
    pipeline = next(t for p, t in files.items() if p.startswith("pipelines/") and p != "pipelines/__init__.py")
    assert "after=order_totals_artifact" in pipeline  # deps= became ordering only
    order = [pipeline.index(f"{name}(") for name in ("raw_orders", "order_totals", "split_regions", "revenue_report")]
    assert order == sorted(order)  # topological order


def test_output_is_deterministic():
    first = generate_project([SOURCES / "flagged"]).files
    second = generate_project([SOURCES / "flagged"]).files
    assert first == second


@pytest.mark.parametrize("name", FIXTURES)
def test_generated_code_passes_ruff(projects, name, tmp_path):
    write_project(projects[name], tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_generated_modules_import_cleanly(projects, tmp_path):
    write_project(projects["flagged"], tmp_path)
    modules = sorted(p.removesuffix(".py").replace("/", ".") for p in projects["flagged"].files if p.endswith(".py"))
    code = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    env = {**os.environ, "ZENML_CONFIG_PATH": str(tmp_path / ".zenconfig"), "ZENML_ANALYTICS_OPT_IN": "false"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]


# ----------------------------------------------------------------------------- CLI contract
def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_cli_writes_the_project_and_never_touches_the_sources(tmp_path, capsys):
    before = _tree_digest(SOURCES / "ops_jobs")
    out = tmp_path / "out"
    assert main(["migrate", str(SOURCES / "ops_jobs"), "--out", str(out), "--python", "3.11"]) == 0
    assert _tree_digest(SOURCES / "ops_jobs") == before
    assert (out / "pipelines" / "numbers_job.py").is_file()
    assert 'requires-python = ">=3.11"' in (out / "pyproject.toml").read_text()
    assert "2 pipeline(s)" in capsys.readouterr().out


def test_cli_refuses_a_non_empty_directory_without_force(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert main(["migrate", str(SOURCES / "ops_jobs"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and "--force" in err
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert main(["migrate", str(SOURCES / "ops_jobs"), "--out", str(out), "--force"]) == 0
    assert (out / "keep.txt").read_text() == "mine"
    assert (out / "run.py").is_file()


def test_cli_usage_errors_exit_2(tmp_path, capsys):
    assert main(["migrate", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["migrate", str(SOURCES / "ops_jobs"), "--out", str(tmp_path / "o"), "--python", "three"]) == 2
    assert "--python" in capsys.readouterr().err
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "x.py").write_text("print('no dagster here')\n")
    assert main(["migrate", str(plain), "--out", str(tmp_path / "o2")]) == 2
    assert "nothing to migrate" in capsys.readouterr().err
    assert main(["migrate", str(SOURCES / "ops_jobs"), "--out", str(SOURCES / "ops_jobs" / "generated")]) == 2
    assert not (SOURCES / "ops_jobs" / "generated").exists()


# ----------------------------------------------------------------------------- other projects in the repository
OTHER_PROJECTS = sorted(
    p
    for p in [*(Path(__file__).parent / "projects").glob("*"), *(Path(__file__).parent.parent / "examples").glob("*")]
    if p.is_dir() and any(p.rglob("*.py"))
)


@pytest.mark.parametrize("source", OTHER_PROJECTS, ids=lambda p: p.name)
def test_other_projects_migrate_to_ruff_clean_code_with_every_high_pattern_marked(source, tmp_path):
    project = generate_project([source])
    write_project(project, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = "\n".join(project.files.values())
    for _, finding in project.findings:
        if rules_by_code()[finding.code].severity == Severity.HIGH:
            assert f"# TODO(migration): {finding.code} " in text, finding
    for path, code in project.files.items():
        if path.endswith(".py"):
            compile(code, path, "exec")


def test_aliased_ops_become_step_invocation_ids_and_modifiers_get_a_todo(tmp_path):
    (tmp_path / "jobs.py").write_text(
        "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n"
        "@op\ndef add(x: int) -> int:\n    return x + 1\n\n\n"
        '@job\ndef aliased():\n    add.alias("add_twice")(add(one()))\n    add.configured({}, name="c")(one())\n'
    )
    files = generate_project([tmp_path]).files
    pipeline = files["pipelines/aliased.py"]
    assert 'add(add(one()), id="add_twice")' in pipeline
    assert "# TODO(migration): `add.configured(...)` has no ZenML invocation form" in pipeline


def test_ops_with_the_same_name_in_two_modules_get_distinct_steps(tmp_path):
    for module, value in (("a", 1), ("b", 2)):
        (tmp_path / f"{module}.py").write_text(
            f"from dagster import job, op\n\n\n@op\ndef extract() -> int:\n    return {value}\n\n\n"
            f"@job\ndef job_{module}():\n    extract()\n"
        )
    project = generate_project([tmp_path])
    assert "return 1" in project.files["steps/extract.py"]
    assert "def extract_b() -> int:" in project.files["steps/extract_b.py"]
    assert "from steps.extract_b import extract_b as extract" in project.files["pipelines/job_b.py"]
    assert "from steps.extract import extract" in project.files["pipelines/job_a.py"]
    assert [p.members for p in project.pipelines] == [["extract"], ["extract_b"]]


def test_dagster_output_wrappers_become_plain_values(tmp_path):
    (tmp_path / "assets.py").write_text(
        "from dagster import AssetOut, Output, asset, multi_asset\n\n\n"
        "@asset\ndef counted() -> Output[int]:\n    return Output(1, metadata={'rows': 1})\n\n\n"
        "@multi_asset(outs={'a': AssetOut(), 'b': AssetOut()})\ndef pair(counted: int):\n"
        "    yield Output(counted * 3, output_name='b')\n    yield Output(counted * 2, output_name='a')\n"
    )
    files = generate_project([tmp_path]).files
    assert 'def counted() -> Annotated[int, "counted"]:' in files["steps/counted.py"]
    assert "return 1\n" in files["steps/counted.py"] and "dropped: metadata" in files["steps/counted.py"]
    pair = files["steps/pair.py"]
    assert "b_value = counted * 3" in pair and "a_value = counted * 2" in pair
    assert pair.rstrip().endswith("return a_value, b_value")  # in the declared order of the outputs
    assert not re.search(r"^\s*(from|import) dagster", files["steps/counted.py"], re.MULTILINE)


def test_imports_under_type_checking_and_import_fallbacks_are_kept(tmp_path):
    (tmp_path / "assets.py").write_text(
        "from typing import TYPE_CHECKING\n\nfrom dagster import asset\n\n"
        "if TYPE_CHECKING:\n    from collections import OrderedDict\n\n"
        "try:\n    import orjson as json_lib\nexcept ImportError:\n    import json as json_lib\n\n\n"
        "@asset\ndef encoded() -> str:\n    return str(json_lib)\n\n\n"
        "@asset\ndef ordered(encoded: str) -> OrderedDict:\n    return OrderedDict(encoded=encoded)\n"
    )
    files = generate_project([tmp_path]).files
    assert (
        "try:\n    import orjson as json_lib\nexcept ImportError:\n    import json as json_lib"
        in files["steps/encoded.py"]
    )
    assert "from collections import OrderedDict" in files["steps/ordered.py"]


def test_source_modules_imported_whole_are_copied_to_helpers(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "utils.py").write_text("FACTOR = 3\n\n\ndef scale(x: int) -> int:\n    return x * FACTOR\n")
    (package / "assets.py").write_text(
        "from dagster import asset\n\nimport pkg.utils as u\n\n\n@asset\ndef scaled() -> int:\n    return u.scale(2)\n"
    )
    files = generate_project([package]).files
    assert "from helpers import utils as u" in files["steps/scaled.py"]
    assert "def scale(x: int) -> int:" in files["helpers/utils.py"] and "FACTOR = 3" in files["helpers/utils.py"]


def test_report_names_the_pipeline_modules_that_were_generated(projects):
    for project in projects.values():
        report = project.files["MIGRATION_REPORT.md"]
        mentioned = set(re.findall(r"pipelines/(\w+)\.py", report))
        generated = {
            p.removeprefix("pipelines/").removesuffix(".py") for p in project.files if p.startswith("pipelines/")
        }
        assert mentioned and mentioned <= generated - {"__init__"}


def test_definitions_built_by_factories_get_a_todo_instead_of_a_step(tmp_path):
    (tmp_path / "assets.py").write_text(
        "from dagster import asset\n\n\ndef make(name: str):\n    @asset(name=name)\n    def _asset() -> str:\n"
        "        return name\n    return _asset\n\n\n@asset\ndef base() -> int:\n    return 1\n\n\n"
        "generated = [make(n) for n in ('a', 'b')]\n"
    )
    project = generate_project([tmp_path])
    assert [s.name for s in project.steps] == ["base"]
    assert "# TODO(migration): the @asset '_asset' (assets.py:5) is built inside a function" in project.files["run.py"]


# ----------------------------------------------------------------------------- issue 15 item 8: requires-python
_OPS = "from dagster import job, op\n\n\n@op\ndef a():\n    return 1\n\n\n@job\ndef j():\n    a()\n"


def _migrated_requires_python(tmp_path: Path, pyproject: str | None) -> str:
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "pkg" / "defs.py").write_text(_OPS)
    if pyproject is not None:
        (src / "pyproject.toml").write_text(pyproject)
    out = tmp_path / "out"
    assert main(["migrate", str(src / "pkg"), "--out", str(out)]) == 0
    found = re.search(r'^requires-python = ">=(\d+\.\d+)"$', (out / "pyproject.toml").read_text(), re.M)
    assert found is not None
    return found.group(1)


def test_requires_python_follows_the_source_project(tmp_path):
    assert _migrated_requires_python(tmp_path, '[project]\nname = "x"\nrequires-python = ">=3.10,<3.14"\n') == "3.10"


def test_requires_python_never_exceeds_the_running_interpreter_and_migrate_says_so(tmp_path, capsys):
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert _migrated_requires_python(tmp_path, '[project]\nname = "x"\nrequires-python = ">=3.99"\n') == running
    warning = capsys.readouterr().err
    assert warning == (
        f"warning: the sources require Python >=3.99, and this is Python {running}: the generated pyproject.toml "
        f"says requires-python >={running}, which their code may not run on; run migrate under the Python the "
        "sources require, or pass --python X.Y\n"
    )


def test_sources_a_running_python_may_run_give_no_warning(tmp_path, capsys):
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    spec = f">={running}" if sys.version_info[1] else ">=3.0"
    assert _migrated_requires_python(tmp_path, f'[project]\nname = "x"\nrequires-python = "{spec}"\n') == running
    assert capsys.readouterr().err == ""


def test_requires_python_without_a_source_pyproject_is_the_running_interpreter(tmp_path):
    if any((parent / "pyproject.toml").is_file() for parent in tmp_path.parents):
        pytest.skip("a pyproject.toml above the temporary directory")
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert _migrated_requires_python(tmp_path, None) == running
    assert _migrated_requires_python(tmp_path / "poetry", '[tool.poetry.dependencies]\npython = "^3.9"\n') == "3.9"


@pytest.mark.parametrize(
    ("spec", "lowest"),
    [
        (">=3.9", (3, 9)),
        (">3.9", (3, 9)),
        (">=3.10,<3.13", (3, 10)),
        ("~=3.10", (3, 10)),
        ("==3.11.*", (3, 11)),
        ("<3.10,>=3.8", (3, 8)),
        ("^3.9", (3, 9)),
        (">=3.13", None),
        ("<3.0", None),
        (">=3.9 || >=4", None),
    ],
)
def test_lowest_supported_python(spec, lowest):
    assert lowest_supported(spec, (3, 12)) == lowest


@pytest.mark.parametrize(
    "content",
    [b"[project]\nrequires-python = '>=3.9'\n\xff\n", b"[project\n", b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n"],
    ids=["not-utf8", "invalid", "nested-too-deeply"],
)
def test_an_unreadable_source_pyproject_means_the_running_python(tmp_path, content):
    # the generated project's Python reads the source's pyproject.toml through config.read_toml (public),
    # which turns every way of being unreadable into one ConfigError line
    from dagster_zenml_lint.config import ConfigError, read_toml

    (tmp_path / "pyproject.toml").write_bytes(content)
    with pytest.raises(ConfigError) as raised:
        read_toml(tmp_path / "pyproject.toml")
    assert "\n" not in str(raised.value) and "pyproject.toml" in str(raised.value)
    assert required_python(tmp_path, (3, 12)) == "3.12"
    (tmp_path / "pyproject.toml").write_text("[project]\nrequires-python = '>=3.10'\n")
    assert read_toml(tmp_path / "pyproject.toml") == {"project": {"requires-python": ">=3.10"}}
    assert required_python(tmp_path, (3, 12)) == "3.10"


# ----------------------------------------------------------------------------- issue 15 item 7: multi-partitions
_MULTI = (
    "from dagster import AssetExecutionContext, DailyPartitionsDefinition, MultiPartitionsDefinition\n"
    "from dagster import StaticPartitionsDefinition, asset\n\n"
    "parts = MultiPartitionsDefinition(\n"
    '    {"date": DailyPartitionsDefinition(start_date="2024-01-01"), "city": StaticPartitionsDefinition(["a"])}\n'
    ")\n\n\n"
    "@asset(partitions_def=parts)\n"
    "def label(context: AssetExecutionContext) -> str:\n"
    "    if True:\n"
    "        key = str(context.partition_key)\n"
    '    return key + context.partition_key.keys_by_dimension["city"]\n'
)


def test_a_multi_partition_key_use_that_cannot_be_rewritten_gets_a_marker_on_its_line(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "defs.py").write_text(_MULTI)
    out = tmp_path / "out"
    write_project(generate_project([src]), out)
    step = (out / "steps" / "label.py").read_text()
    lines = step.splitlines()
    at = lines.index("        key = str(context.partition_key)")
    assert lines[at - 2].startswith("        # TODO(migration): DZ301 dagster-partitions -- a MultiPartitionKey")
    assert lines[at - 1] == "        #   the dimension parameters (date_key, city_key) here."
    assert "    return key + city_key" in lines
    assert "def label(date_key: str, city_key: str)" in step
    compile(step, "label.py", "exec")
