"""Whole Dagster projects, migrated and run on both engines: every output value is the same.

Each project under ``tests/migrate_projects/<name>/`` is what a team writes (resources and
IO managers, partitions, two jobs sharing assets, graphs in jobs, graph-backed assets,
multi-assets, asset checks, schedules, a sensor) with small local input data in ``data/``. A test copies it,
migrates it, sets what the README asks a person to set (a secret's value), and runs
``verify``: real Dagster materializes / executes the definitions, real ZenML (``zenml[local]``,
a throw-away store) runs every generated pipeline with ``run.py --pipeline all`` in one
process, and each asset, asset check and op output is compared value by value. The run.py
checks (placeholders, upstream artifacts) are exercised on the same generated projects.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from zenml_env import run_verify, zenml_env

from dagster_zenml_lint.commands.verify import Row, compare, verify
from dagster_zenml_lint.scaffold import generate_project, write_project

PROJECTS = Path(__file__).parent / "migrate_projects"
PARTITION_KEY = "2024-01-05"
TIMEOUT = 300

# project -> (partition key, (YAML placeholder line, the value a person sets), the outputs compared)
CASES = {
    "small_etl": (
        None,
        ('token: "TODO(migration)"', 'token: "xoxb-test"'),
        {"asset raw_signups", "asset clean_signups", "asset signup_summary"},
    ),
    "shop_daily": (
        PARTITION_KEY,
        None,
        {"asset customers", "asset customer_countries", "asset daily_orders", "asset daily_revenue"},
    ),
    "pricing_graphs": (
        None,
        None,
        {
            "op band_job.describe",
            "op band_job.read_prices",
            "op band_job.split_by_price.high",
            "op band_job.split_by_price.low",
            "op band_job.taxed.add_tax",
            "op cheapest_job.cheapest",
            "op cheapest_job.read_prices",
            "op cheapest_job.taxed.add_tax",
        },
    ),
    "sales_multi": (
        None,
        None,
        {
            "asset sales",
            "asset north_sales",
            "asset south_sales",
            "asset north_revenue",
            "asset south_revenue",
            "asset revenue_report",
            "asset published_report",
            "check north_revenue_positive",
            "check south_revenue_below_cap",
        },
    ),
    "inventory_ops": (
        None,
        None,
        {
            "op stock_report_job.bulk_items",
            "op stock_report_job.load_stock",
            "op stock_report_job.stock_report",
            "op stock_report_job.to_reorder",
            "op units_job.load_stock",
            "op units_job.total_units",
        },
    ),
    "catalog_shared": (
        None,
        None,
        # categories = asset(category_names): the decorator applied by hand keys the asset by the function
        {"asset products", "asset category_names", "asset price_index", "asset fruit_prices"},
    ),
    "regional_fan_out": (  # DynamicOut, a chained .map() and .collect(), in a job and a graph: dynamic pipelines
        None,
        None,
        {
            "op regional_totals_job.region_batches",
            "op regional_totals_job.without_refunds",
            "op regional_totals_job.batch_total",
            "op regional_totals_job.grand_total",
            "op regional_totals_job.largest",
            "op largest_region_job.largest_region.region_batches",
            "op largest_region_job.largest_region.batch_total",
            "op largest_region_job.largest_region.largest",
        },
    ),
    "ledger_lifecycle": (
        None,
        None,
        {
            "asset orders",
            "asset order_count",
            "asset booked",
            "asset priced",
            "op audit_job.opening_entry",
            "op audit_job.labelled_total",
        },
    ),
    "orders_graphs": (
        None,
        None,
        {
            "asset raw_orders",
            "asset large_orders",
            "asset revenue_by_region",
            "asset orders_total",
            "asset all_orders_total",
            "asset north_orders",
            "asset south_orders",
            "asset order_count",
            "asset order_revenue",
            "asset order_report",
            "op audit_job.large_count.count_orders",
            "op audit_job.large_count.large_only.add_totals",
            "op audit_job.large_count.large_only.keep_large",
            "op audit_job.read_orders",
        },
    ),
}


def _migrated(name: str, work: Path) -> tuple[Path, Path]:
    """A copy of the project's sources (with its data) and the ZenML project migrated from it."""
    source = work / "src"
    shutil.copytree(PROJECTS / name, source, ignore=shutil.ignore_patterns("__pycache__"))
    out = work / "out"
    write_project(generate_project([source]), out)
    return source, out


def _run_py(out: Path, home: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``python run.py ARGS`` in the migrated project, with real ZenML and its own store."""
    return subprocess.run(
        [sys.executable, "run.py", *arguments],
        cwd=out,
        env=zenml_env(home),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_migrated_project_gives_dagsters_values_output_by_output(name, tmp_path, monkeypatch):
    partition_key, setting, expected = CASES[name]
    source, out = _migrated(name, tmp_path)
    monkeypatch.setenv("SLACK_TOKEN", "xoxb-test")  # the EnvVar's value on the Dagster side
    if setting is not None:
        config = out / "configs" / "dev.yaml"
        placeholder, value = setting
        text = config.read_text(encoding="utf-8")
        assert placeholder in text
        config.write_text(text.replace(placeholder, value), encoding="utf-8")
    rows = verify(source, out, partition_key=partition_key)
    assert {r.subject for r in rows} == expected
    assert [r for r in rows if r.status != "match"] == []


@pytest.fixture(scope="module")
def small_etl(tmp_path_factory) -> Path:
    """The resource/IO manager/EnvVar/Config project, migrated, configs as generated."""
    return _migrated("small_etl", tmp_path_factory.mktemp("small_etl"))[1]


def test_a_placeholder_left_in_the_config_stops_run_py_with_one_line_naming_the_key(small_etl, tmp_path):
    done = _run_py(small_etl, tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "configs/dev.yaml: steps.signup_summary.parameters.notifier.token is still the TODO(migration) "
        "placeholder; set its value (see the comment there)"
    )
    assert 'was EnvVar("SLACK_TOKEN")' in (small_etl / "configs/dev.yaml").read_text(encoding="utf-8")


def test_a_value_the_resource_model_rejects_stops_run_py_with_one_line_naming_the_key(small_etl, tmp_path):
    config = tmp_path / "bad.yaml"
    text = (small_etl / "configs/dev.yaml").read_text(encoding="utf-8")
    config.write_text(text.replace('token: "TODO(migration)"', "token: [1, 2]"), encoding="utf-8")
    done = _run_py(small_etl, tmp_path, "--config", str(config))
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == f"{config}: steps.signup_summary.parameters.notifier.token: Input should be a valid string"
    )


def test_a_missing_config_file_stops_run_py_with_one_line(small_etl, tmp_path):
    done = _run_py(small_etl, tmp_path, "--config", "configs/nope.yaml")
    assert (done.returncode, done.stderr.strip()) == (
        1,
        "configs/nope.yaml: cannot read the configuration (No such file or directory)",
    )


def test_a_pipeline_run_before_its_upstream_names_the_pipeline_to_run_first(tmp_path):
    _, out = _migrated("shop_daily", tmp_path)
    run_py = (out / "run.py").read_text(encoding="utf-8")
    assert 'PIPELINES = {\n    "customers_job": customers_job,\n    "revenue_job": revenue_job,\n}' in run_py
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "Run the pipelines in this order (`customers_job` -> `revenue_job`)" in readme
    assert "`python run.py --pipeline all --partition-key VALUE`" in readme
    done = _run_py(out, tmp_path, "--pipeline", "revenue_job", "--partition-key", PARTITION_KEY)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "revenue_job loads the artifact 'customers', which has no version yet: "
        "run `python run.py --pipeline customers_job` first (or --pipeline all)"
    )


def test_an_input_named_like_a_resource_key_stays_an_input(tmp_path):
    # stock: list is the upstream op's output although a resource is called "stock" (it was a step parameter)
    project = generate_project([PROJECTS / "inventory_ops"])
    assert "def to_reorder(stock: list, thresholds: Thresholds) -> list:" in project.files["steps/to_reorder.py"]
    assert '("to_reorder", "stock")' not in project.files["run.py"]
    assert '("to_reorder", "thresholds"): "Thresholds"' in project.files["run.py"]


def test_a_materialize_result_asset_becomes_a_step_returning_none():
    text = generate_project([PROJECTS / "sales_multi"]).files["steps/published_report.py"]
    assert 'def published_report() -> Annotated[None, "published_report"]:' in text
    assert "    return None\n" in text
    assert "dagster" not in text.replace("Dagster", "")


def test_compare_reports_a_differing_value_and_an_output_no_step_produced():
    dagster = {
        "jobs": {"j": {"load": {"result": [1, 2]}, "gone": {"result": 1}}},
        "assets": {"a": 1, "b": {"__uncomparable__": "asset without a stored value"}, "c": 3},
        "checks": {},
    }
    zenml = {"j": {"load": {"output": [1, 3]}}, "p": {"s": {"a": 1, "b": None}}}
    assert compare(dagster, zenml) == [
        Row("op j.gone", "not compared", "no step of that name ran"),
        Row("op j.load", "DIFFER", "dagster [1, 2] != zenml [1, 3]"),
        Row("asset a", "match"),
        Row("asset b", "not compared", "no comparable value (asset without a stored value)"),
        Row("asset c", "not compared", "no ZenML step produced an artifact of that name"),
    ]


def test_compare_matches_a_dynamic_output_with_the_list_its_step_returned_and_mapped_steps_by_index():
    dagster = {
        "jobs": {"j": {"items": {"result": {"__mapped__": [3, 1]}}, "square": {"result": {"__mapped__": [9, 1]}}}},
        "assets": {},
        "checks": {},
    }
    same = {"j": {"items": {"output": [3, 1]}, "square": {"output": {"__mapped__": [9, 1]}}}}
    assert compare(dagster, same) == [Row("op j.items", "match"), Row("op j.square", "match")]
    swapped = {"j": {"items": {"output": [1, 3]}, "square": {"output": {"__mapped__": [1, 9]}}}}
    assert [r.status for r in compare(dagster, swapped)] == ["DIFFER", "DIFFER"]


def test_verify_without_the_engines_exits_2_naming_what_to_install(tmp_path):
    # -S: no site-packages, so neither dagster nor zenml is importable (the linter itself needs neither)
    root = Path(__file__).resolve().parent.parent
    script = f"import sys; sys.path.insert(0, {str(root)!r}); from dagster_zenml_lint.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-S", "-c", script, "verify", str(tmp_path), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "dagster-zenml-lint: error: verify runs both engines and needs dagster and zenml: "
        "pip install dagster 'zenml[local]'"
    )


def test_verify_cli_on_loose_definitions_in_a_module_named_like_the_stdlib(tmp_path):
    # tests/migrate_sources/ops_jobs: one numbers.py (the stdlib has `numbers`), jobs without a Definitions
    source = tmp_path / "src"
    shutil.copytree(Path(__file__).parent / "migrate_sources" / "ops_jobs", source)
    out = tmp_path / "out"
    write_project(generate_project([source]), out)
    done = run_verify(source, out, tmp_path, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "9 match, 0 differ, 0 not compared"
    assert "op offset_job.offset_branch.offset_square  match" in lines


JOBS_NAMED_OFF_PYTHON = """\
from dagster import job, op


@op
def one() -> int:
    return 1


@op
def inc(x: int) -> int:
    return x + 1


def _wire():
    inc(one())


wire = job(_wire)


@job(name="_x")
def other():
    inc(inc(one()))
"""


def test_verify_compares_jobs_whose_names_the_pipelines_do_not_carry(tmp_path):
    # `job(_wire)` became the pipeline `wire` and `@job(name="_x")` the pipeline `x`: verify found no
    # ZenML pipeline `wire`, then compared nothing; run.py's DAGSTER_JOBS (from the plan) maps them back
    source = tmp_path / "src"
    source.mkdir()
    (source / "ops.py").write_text(JOBS_NAMED_OFF_PYTHON, encoding="utf-8")
    project = generate_project([source])
    assert [(p.name, p.job.name if p.job else None) for p in project.pipelines] == [("wire", "_wire"), ("x", "_x")]
    assert 'DAGSTER_JOBS = {\n    "wire": "_wire",\n    "x": "_x",\n}' in project.files["run.py"]
    out = tmp_path / "out"
    write_project(project, out)
    rows = verify(source, out)
    assert [(r.subject, r.status) for r in rows] == [
        ("op _wire.inc", "match"),
        ("op _wire.one", "match"),
        ("op _x.inc", "match"),
        ("op _x.inc_2", "match"),
        ("op _x.one", "match"),
    ]


# What ledger_lifecycle's resources log in one `run.py` (both pipelines): booked_pipeline sets up the store
# (setup_for_execution) and the ledger (yield_for_execution) once for its four steps and tears them down in
# reverse order; audit_job opens its own ledger and the generator @resource audit_stamp, and closes them
# (the factory pricing and the returning @resource batch_label log nothing: there is nothing to tear down).
ONE_RUN = [
    *("store setup", "ledger open", "ledger close", "store teardown"),
    *("ledger open", "audit open", "audit close", "ledger close"),
]
READ_BACK = """
from zenml.client import Client
for name in ("orders", "order_count", "booked"):
    versions = Client().list_artifact_versions(artifact=name, size=10)
    print(name, len(versions), Client().get_artifact_version(name).load())
"""


def test_resource_lifecycles_run_once_per_pipeline_run_and_steps_see_the_set_up_resource(tmp_path):
    _, out = _migrated("ledger_lifecycle", tmp_path)
    shutil.copytree(PROJECTS / "ledger_lifecycle" / "data", out / "data")  # the store's path is relative
    for _ in range(2):
        done = _run_py(out, tmp_path, "--pipeline", "all")
        assert done.returncode == 0, done.stderr
    assert (out / "lifecycle.log").read_text(encoding="utf-8").splitlines() == ONE_RUN * 2
    script = tmp_path / "read_back.py"  # a file: ZenML finds its source root from the main module's path
    script.write_text(READ_BACK, encoding="utf-8")
    read = subprocess.run(
        [sys.executable, str(script)],
        cwd=out,
        env=zenml_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert read.returncode == 0, read.stderr
    # Two versions each: the second run executed the steps again; the values need the set-up resources
    # (the store's orders are read in setup_for_execution, the ledger's session is open only inside its yield).
    assert read.stdout.splitlines() == [
        "orders 2 [{'id': 1, 'amount': 12.5}, {'id': 2, 'amount': 4.0}, {'id': 3, 'amount': 30.25}]",
        "order_count 2 6",
        "booked 2 ['15.62 EUR (open)', '5.00 EUR (open)', '37.81 EUR (open)']",
    ]
