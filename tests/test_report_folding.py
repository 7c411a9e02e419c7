"""Pipeline boundaries an experienced migrator draws where automation chains runs together (issue 13),
and a plan that never silently changes when something is unresolved (issue 17)."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

from report_support import PROJECTS

from dagster_zenml_lint.project import build_project, plan_pipeline_boundaries
from dagster_zenml_lint.report.json_report import report_record
from dagster_zenml_lint.report.markdown import render_markdown


def plan_for(path: Path):
    project = build_project([path])
    return project, plan_pipeline_boundaries(project)


def write_project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip())
    return root


def grouping(plan) -> dict[str, tuple[str, ...]]:
    return {p.name: p.members for p in plan.pipelines}


# ---------------------------------------------------------------------------- issue 13 on catalog_chain
def test_a_migrator_draws_two_pipelines_for_the_chained_project():
    _, plan = plan_for(PROJECTS / "catalog_chain")
    assert grouping(plan) == {
        # the hourly catalog refresh: the cron-automated catalog, then its eager alerts, then the storefront sync
        "catalog_refresh_hourly": ("vendor_catalog", "price_alerts", "storefront_sync"),
        # the file ingest: source, parse, then the archive a run-status sensor started after it
        "ingest_vendor_file_job": ("raw_vendor_file", "parsed_vendor_file", "archive_landing_file"),
    }
    assert plan.unresolved_jobs == ()


def test_an_eager_asset_runs_in_the_pipeline_of_its_loose_upstream():
    _, plan = plan_for(PROJECTS / "catalog_chain")
    catalog = plan.pipeline_of("price_alerts")
    assert catalog is plan.pipeline_of("vendor_catalog")
    assert "eager automation condition of price_alerts" in catalog.folded
    # the eager condition is folded, not a trigger of its own: the cron condition starts the pipeline
    assert catalog.trigger == 'declarative automation `dg.AutomationCondition.on_cron("0 * * * *")`'


def test_an_asset_sensor_job_folds_into_the_pipeline_of_the_watched_asset():
    _, plan = plan_for(PROJECTS / "catalog_chain")
    catalog = plan.pipeline_of("storefront_sync")
    assert catalog.name == "catalog_refresh_hourly"
    assert catalog.members[-1] == "storefront_sync"  # final step
    assert "asset sensor 'publish_on_catalog' (watches vendor_catalog) -> job 'publish_job'" in catalog.folded
    assert "asset sensor 'publish_on_catalog'" in catalog.reason
    assert "separate pipeline started by a success hook" in catalog.reason  # the alternative is listed
    assert not any(p.source == "asset job 'publish_job'" for p in plan.pipelines)


def test_a_run_status_sensor_job_folds_into_the_pipeline_of_the_watched_job():
    _, plan = plan_for(PROJECTS / "catalog_chain")
    ingest = plan.pipeline_of("archive_landing_file")
    assert ingest.name == "ingest_vendor_file_job"
    assert ingest.members[-1] == "archive_landing_file"
    assert ingest.trigger == "sensor 'vendor_file_sensor' (keeps a cursor)"
    assert any(f.startswith("run-status sensor 'archive_after_ingest'") for f in ingest.folded)
    assert "run-status sensor 'archive_after_ingest' starts it when job ingest_vendor_file_job succeeds" in (
        ingest.reason
    )


def test_report_explains_the_folds_and_json_names_them():
    project, plan = plan_for(PROJECTS / "catalog_chain")
    text = render_markdown(project, plan)
    assert "Folded into the pipeline of their upstream" in text
    assert "`catalog_refresh_hourly`: asset sensor 'publish_on_catalog'" in text
    record = json.loads(json.dumps(report_record(project, plan)))
    folded = {p["name"]: p["folded"] for p in record["pipelines"]}
    assert folded["catalog_refresh_hourly"] == [
        "asset sensor 'publish_on_catalog' (watches vendor_catalog) -> job 'publish_job'",
        "eager automation condition of price_alerts",
    ]
    assert folded["ingest_vendor_file_job"] == [
        "run-status sensor 'archive_after_ingest' (starts it when job ingest_vendor_file_job succeeds) -> job "
        "'archive_vendor_file_job'"
    ]


SENSOR_CASES = {
    "pkg/__init__.py": "",
    "pkg/assets.py": """
        import dagster as dg


        @dg.asset
        def extract_orders() -> int:
            return 1


        @dg.asset
        def notify_team() -> None:
            return None


        @dg.asset
        def weekly_digest() -> None:
            return None
        """,
    "pkg/jobs.py": """
        import dagster as dg

        orders_job = dg.define_asset_job("orders_job", selection=["extract_orders"])
        notify_job = dg.define_asset_job("notify_job", selection=["notify_team"])
        digest_job = dg.define_asset_job("digest_job", selection=["weekly_digest"])

        digest_schedule = dg.ScheduleDefinition(job=digest_job, cron_schedule="0 6 * * 1")


        @dg.run_status_sensor(
            run_status=dg.DagsterRunStatus.FAILURE, monitored_jobs=[orders_job], request_job=notify_job
        )
        def notify_on_failure(context):
            return dg.RunRequest()


        @dg.run_status_sensor(
            run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[orders_job], request_job=digest_job
        )
        def digest_after_orders(context):
            return dg.RunRequest()
        """,
}


def test_failure_handlers_and_jobs_with_their_own_schedule_are_not_folded(tmp_path):
    _, plan = plan_for(write_project(tmp_path, SENSOR_CASES))
    # a failure sensor is a failure hook, not a final step; a job with its own schedule keeps its pipeline
    assert grouping(plan) == {
        "digest_job": ("weekly_digest",),
        "notify_job": ("notify_team",),
        "orders_job": ("extract_orders",),
    }
    assert all(p.folded == () for p in plan.pipelines)


# ---------------------------------------------------------------------------- observable sources, graph assets
def test_observable_source_is_the_source_loading_step_of_its_reader():
    project, plan = plan_for(PROJECTS / "graph_sources")
    pricing = plan.pipeline_of("supplier_snapshot")
    assert pricing.sources == ("supplier_feed",)
    assert pricing.steps[0] == "supplier_feed"
    assert "supplier_feed" not in pricing.external_inputs
    assert "observable source(s) supplier_feed loaded by its first step" in pricing.reason
    assert "`supplier_feed` (observable source)" in render_markdown(project, plan)


def test_graph_backed_assets_list_their_ops_in_graph_order():
    project, plan = plan_for(PROJECTS / "graph_sources")
    pricing = plan.pipeline_of("cleaned_prices")
    assert dict(pricing.graph_ops) == {
        "cleaned_prices": ("clean_prices", "normalize_prices"),
        "weight_scores": ("load_weights", "score_weights"),  # AssetsDefinition.from_graph
    }
    steps = pricing.steps
    assert steps.index("clean_prices") < steps.index("normalize_prices") < steps.index("price_report")
    assert steps.index("load_weights") < steps.index("score_weights") < steps.index("price_report")
    assert "cleaned_prices" not in steps  # the asset is the last op's output, not a step of its own
    assert "`clean_prices`, `normalize_prices` (output `cleaned_prices`)" in render_markdown(project, plan)
    assert plan.unassigned_ops == ()


def test_json_members_include_graph_ops_and_observable_sources():
    project, plan = plan_for(PROJECTS / "graph_sources")
    (record,) = report_record(project, plan)["pipelines"]
    assert record["members"] == [
        "supplier_feed",
        "raw_prices",
        "clean_prices",
        "normalize_prices",
        "supplier_snapshot",
        "load_weights",
        "score_weights",
        "price_report",
    ]
    assert record["sources"] == ["supplier_feed"]
    assert record["graph_ops"]["cleaned_prices"] == ["clean_prices", "normalize_prices"]
    assert set(record["assets"]) == {
        "raw_prices",
        "cleaned_prices",
        "supplier_snapshot",
        "weight_scores",
        "price_report",
    }


# ---------------------------------------------------------------------------- names
NAMING = {
    "pkg/__init__.py": "",
    "pkg/assets.py": """
        import dagster as dg


        @dg.asset(group_name="catalog", automation_condition=dg.AutomationCondition.on_cron("0 * * * *"))
        def hourly_prices() -> int:
            return 1


        @dg.asset(group_name="catalog", automation_condition=dg.AutomationCondition.on_cron("0 3 * * *"))
        def nightly_catalog() -> int:
            return 1


        @dg.asset(group_name="catalog")
        def catalog_notes() -> int:
            return 1


        @dg.asset(group_name="catalog", partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
        def catalog_history() -> int:
            return 1


        @dg.asset(group_name="class")
        def class_labels() -> int:
            return 1
        """,
}


def test_names_are_unique_readable_identifiers_without_numbered_suffixes(tmp_path):
    _, plan = plan_for(write_project(tmp_path, NAMING))
    names = [p.name for p in plan.pipelines]
    assert sorted(names) == [
        "catalog",
        "catalog_daily",
        "catalog_refresh_daily",
        "catalog_refresh_hourly",
        "class_pipeline",
    ]
    assert all(n.isidentifier() and not re.search(r"_\d+$", n) for n in names)


# ---------------------------------------------------------------------------- issue 17: unresolved selections
SELECTIONS = {
    "pkg/__init__.py": "",
    "pkg/assets.py": """
        import dagster as dg


        @dg.asset
        def only_a() -> int:
            return 1


        @dg.asset
        def only_b(only_a: int) -> int:
            return only_a


        @dg.asset
        def only_c() -> int:
            return 1
        """,
    "pkg/jobs.py": """
        import dagster as dg

        from pkg.helpers import make_selection

        only_c = dg.AssetSelection.assets("only_c")
        ab_job = dg.define_asset_job("ab_job", selection=dg.AssetSelection.all() - only_c)
        c_job = dg.define_asset_job("c_job", selection=dg.AssetSelection.assets("only_c", dg.AssetKey("only_a")))
        mystery_job = dg.define_asset_job("mystery_job", selection=dg.AssetSelection.all() - make_selection())
        nightly = dg.ScheduleDefinition(job=mystery_job, cron_schedule="0 3 * * *")
        """,
}


def test_string_keys_in_asset_selections_resolve(tmp_path):
    project, _ = plan_for(write_project(tmp_path, SELECTIONS))
    assert project.job_named("ab_job").assets == ("only_a", "only_b")  # not the asset it excludes
    assert project.job_named("ab_job").selection_complete
    assert project.job_named("c_job").assets == ("only_a", "only_c")


def test_an_unresolved_part_makes_the_whole_selection_unresolved_and_the_job_keeps_its_row(tmp_path):
    project, plan = plan_for(write_project(tmp_path, SELECTIONS))
    job = project.job_named("mystery_job")
    assert (job.assets, job.selection_complete) == ((), False)  # never "all minus nothing"
    (unresolved,) = plan.unresolved_jobs
    assert unresolved.name == "mystery_job"
    assert unresolved.trigger == "schedule 'nightly' (cron `0 3 * * *`)"
    assert not any(p.name == "mystery_job" for p in plan.pipelines)
    text = render_markdown(project, plan)
    row = next(line for line in text.splitlines() if line.startswith("| asset job 'mystery_job'"))
    assert "**unresolved**" in row and "schedule 'nightly'" in row
    assert report_record(project, plan)["unresolved_jobs"][0]["trigger"] == "schedule 'nightly' (cron `0 3 * * *`)"


def test_assets_an_unresolved_job_may_run_do_not_claim_to_run_on_demand(tmp_path):
    files = dict(SELECTIONS)
    files["pkg/jobs.py"] = """
        import dagster as dg

        from pkg.helpers import make_selection

        mystery_job = dg.define_asset_job("mystery_job", selection=make_selection())
        """
    _, plan = plan_for(write_project(tmp_path, files))
    loose = plan.pipeline_of("only_a")
    assert loose.trigger == "unknown: asset job 'mystery_job' (selection unresolved) may run them"


# ---------------------------------------------------------------------------- issue 17: resources
RESOURCES = {
    "proj/__init__.py": "",
    "proj/base.py": """
        import dagster as dg


        class BaseWarehouse(dg.ConfigurableResource):
            dsn: str = ""
        """,
    "proj/warehouse.py": """
        from proj.base import BaseWarehouse


        class Warehouse(BaseWarehouse):
            schema_name: str = "main"
        """,
    "proj/assets.py": """
        import dagster as dg

        from proj.warehouse import Warehouse


        @dg.asset
        def orders(warehouse: Warehouse) -> int:
            return 1
        """,
}


def test_a_resource_class_defined_in_another_file_is_not_an_input_from_outside(tmp_path):
    project, plan = plan_for(write_project(tmp_path, RESOURCES))
    assert project.assets["orders"].upstream == ()
    assert project.external_upstreams == {}
    assert plan.pipeline_of("orders").external_inputs == ()
    assert not project.unresolved


# ---------------------------------------------------------------------------- report sections (issues 13, 15)
def test_features_zenml_lacks_drafts_one_request_per_missing_concept():
    project, plan = plan_for(PROJECTS / "catalog_chain")
    text = render_markdown(project, plan)
    features = text.split("## Features ZenML lacks for this project", 1)[1]
    assert "https://zenml.io/slack" in features
    assert features.count("### ") == 2  # sensors and declarative automation; the split absorbs the selections
    assert "`vendor_catalog` (`chain/catalog.py:4`)" in features
    assert "price_alerts" not in features  # its eager condition is folded: the pipeline's step order
    assert "### Event triggers with cursors" in features
    # the folded run-status sensor is handled by the plan; the other two still need the feature
    assert "in 2 place(s) (DZ304: `vendor_file_sensor` (`chain/sensors.py:6`)" in features
    assert "archive_after_ingest" not in features
    assert "### Data-aware automation" in features


def test_no_features_section_with_fewer_than_two_kinds_of_high_findings():
    project, plan = plan_for(PROJECTS / "ops_etl")
    assert "## Features ZenML lacks" not in render_markdown(project, plan)


def test_next_steps_point_to_zenml_docs_and_migrate_not_to_skills():
    project, plan = plan_for(PROJECTS / "catalog_chain")
    steps = render_markdown(project, plan).split("## Recommended Next Steps", 1)[1]
    assert "zenml-quick-wins" not in steps and "mcp add" not in steps and "skill" not in steps
    assert "dagster-zenml-lint migrate --out DIR" in steps
    assert "https://docs.zenml.io/concepts/steps_and_pipelines/scheduling" in steps


def test_schedule_time_zone_is_extra_work(tmp_path):
    write_project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/defs.py": """
                import dagster as dg


                @dg.asset
                def ledger() -> int:
                    return 1


                ledger_job = dg.define_asset_job("ledger_job", selection=[ledger])
                ledger_schedule = dg.ScheduleDefinition(
                    job=ledger_job, cron_schedule="0 6 * * *", execution_timezone="Europe/Berlin"
                )
                """,
        },
    )
    project, plan = plan_for(tmp_path)
    row = next(line for line in render_markdown(project, plan).splitlines() if "`ledger_schedule`" in line)
    assert "`execution_timezone='Europe/Berlin'`: ZenML's `Schedule` has no time zone" in row


# ---------------------------------------------------------------------------- issue 17: code locations
LESSON = {
    "defs/__init__.py": "",
    "defs/assets.py": """
        import dagster as dg


        @dg.asset
        def trips() -> int:
            return 1


        @dg.asset
        def trips_by_week(trips: int) -> int:
            return trips
        """,
    "defs/jobs.py": """
        import dagster as dg

        by_week = dg.AssetSelection.assets("trips_by_week")
        trip_update_job = dg.define_asset_job("trip_update_job", selection=dg.AssetSelection.all() - by_week)
        """,
    "defs/resources.py": """
        import dagster as dg


        @dg.definitions
        def resources():
            return dg.Definitions(resources={})
        """,
    "definitions.py": """
        import dagster as dg


        @dg.definitions
        def defs():
            return dg.load_from_defs_folder(project_root=__file__)
        """,
    "__init__.py": "",
}


def course_repository(root: Path) -> Path:
    files = {"course/__init__.py": ""}
    for lesson in ("lesson_2", "lesson_3"):
        files.update({f"course/{lesson}/{name}": text for name, text in LESSON.items()})
    return write_project(root, files)


def test_one_plan_per_code_location_each_from_its_own_definitions(tmp_path):
    from dagster_zenml_lint.commands.report import render_report

    project = build_project([course_repository(tmp_path)])
    locations = project.code_location_models()
    assert [location for location, _ in locations] == ["course/lesson_2", "course/lesson_3"]
    for location, model in locations:
        assert not model.unresolved  # no "also defined at" between lessons
        plan = plan_pipeline_boundaries(model)
        assert grouping(plan) == {"trip_update_job": ("trips",), "trips_by_week_pipeline": ("trips_by_week",)}
        assert {p.location.path.split("/")[1] for p in plan.pipelines} == {location.split("/")[1]}
    record = json.loads(render_report([str(tmp_path)], "json"))
    assert [entry["location"] for entry in record["locations"]] == ["course/lesson_2", "course/lesson_3"]
    text = render_report([str(tmp_path)], "markdown")
    assert text.startswith(f"# Migration Report: Dagster `{tmp_path.name}` -> ZenML\n")
    assert text.count("## Migration Report: Dagster") == 2
    assert text.count("### Pipeline Boundary Decisions") == 2


def test_a_definitions_the_entry_point_imports_is_not_a_location_of_its_own(tmp_path):
    write_project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/definitions.py": """
                import dagster as dg

                from pkg.extra.definitions import extra_defs
                from pkg.assets import orders

                defs = dg.Definitions.merge(dg.Definitions(assets=[orders]), extra_defs)
                """,
            "pkg/assets.py": """
                import dagster as dg


                @dg.asset
                def orders() -> int:
                    return 1
                """,
            "pkg/extra/__init__.py": "",
            "pkg/extra/definitions.py": """
                import dagster as dg


                @dg.asset
                def refunds(orders: int) -> int:
                    return orders


                extra_defs = dg.Definitions(assets=[refunds])
                """,
        },
    )
    project = build_project([tmp_path])
    assert len(project.code_location_models()) == 1
    assert project.assets["refunds"].upstream == ("orders",)


def test_definitions_built_inside_a_function_is_not_a_code_location(tmp_path):
    write_project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/definitions.py": """
                import dagster as dg


                @dg.asset
                def orders() -> int:
                    return 1


                defs = dg.Definitions(assets=[orders])
                """,
            "pkg/lib/__init__.py": "",
            "pkg/lib/component.py": """
                import dagster as dg


                class SyncComponent(dg.Component):
                    def build_defs(self, context):
                        return dg.Definitions(assets=[])
                """,
        },
    )
    assert [location for location, _ in build_project([tmp_path]).code_location_models()] == [""]


# ---------------------------------------------------------------------------- issue 17: factory-built assets
FACTORY = {
    "factory_pkg/__init__.py": """
        import dagster as dg

        from factory_pkg.assets import dynamic, raw_customers, raw_orders, regional, summary

        defs = dg.Definitions(assets=[raw_orders, raw_customers, *regional, dynamic, summary])
        """,
    "factory_pkg/assets.py": """
        import os

        import dagster as dg

        REGIONS = ["eu", "us"]


        def build_ingest(table: str, group: str = "ingest"):
            @dg.asset(name=f"raw_{table}", group_name=group)
            def _ingest() -> int:
                return 1

            return _ingest


        def build_regional(region):
            @dg.asset(key_prefix=[region], deps=[f"raw_{'orders'}"])
            def sales() -> int:
                return 1

            return sales


        raw_orders = build_ingest("orders")
        raw_customers = build_ingest(table="customers", group="crm")
        regional = [build_regional(r) for r in REGIONS]
        dynamic = build_ingest(os.environ.get("DYNAMIC_TABLE", "events"))


        @dg.asset
        def summary(raw_orders: int) -> int:
            return raw_orders
        """,
}


def test_factory_built_assets_are_named_from_literal_arguments_else_unresolved(tmp_path):
    from report_support import dagster_view

    write_project(tmp_path, FACTORY)
    project, plan = plan_for(tmp_path)
    view = dagster_view(tmp_path, "factory_pkg")
    # every key the factory calls with literal arguments build is found, with its dependencies
    assert set(view["assets"]) - set(project.assets) == {"raw_events"}
    assert {k: sorted(a.upstream) for k, a in project.assets.items()} == {
        k: v for k, v in view["assets"].items() if k != "raw_events"
    }
    assert project.assets["raw_customers"].group == "crm"
    (unresolved,) = project.unresolved
    assert unresolved.subject == "factory-built asset '_ingest' of 'build_ingest'"
    assert "DYNAMIC_TABLE" in unresolved.reason and unresolved.location.line == 27
    assert "_ingest" not in {m for p in plan.pipelines for m in p.members}
    assert {"sales", "us_sales"} <= {p.name for p in plan.pipelines}  # the whole key, never a number


def test_translation_tables_have_one_row_per_rule_with_count_and_first_locations(tmp_path):
    body = "import dagster as dg\n" + "".join(
        f"\n\n@dg.asset\ndef table_{i}() -> int:\n    return {i}\n" for i in range(7)
    )
    write_project(tmp_path, {"pkg/__init__.py": "", "pkg/assets.py": body})
    project, plan = plan_for(tmp_path)
    text = render_markdown(project, plan)
    approximate = text.split("## Approximate Translations", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in approximate.splitlines() if line.startswith("| `")]
    (row,) = [r for r in rows if " DZ201 " in r]
    cells = [c.strip() for c in row.strip("|").split(" | ")]
    assert cells[0].count("`pkg/assets.py:") == 5 and cells[0].endswith("and 2 more (all in `--format json`)")
    assert cells[2] == "7"
    record = report_record(project, plan)
    assert sum(1 for f in record["findings"] if f["code"] == "DZ201") == 7  # the full list stays in the JSON


TEAM = """
    import dagster as dg


    @dg.asset
    def orders() -> int:
        return 1


    orders_job = dg.define_asset_job("orders_job", selection=[orders])


    @dg.repository
    def repo():
        return [orders, orders_job]
    """


def test_a_workspace_file_names_the_code_locations(tmp_path):
    write_project(
        tmp_path,
        {
            "workspace.yaml": """
                load_from:
                  - python_file:
                      relative_path: team_a/repo.py
                      location_name: team_a
                  - python_file: team_b/repo.py
                """,
            "team_a/repo.py": TEAM,
            "team_b/repo.py": TEAM,
        },
    )
    project = build_project([tmp_path])
    locations = project.code_location_models()
    assert [location for location, _ in locations] == ["team_a", "team_b"]
    assert all(
        not model.unresolved and [j.name for j in model.jobs.values()] == ["orders_job"] for _, model in locations
    )
    (tmp_path / "workspace.yaml").write_text("load_from: [oops")  # unreadable: names nothing, no traceback
    assert len(build_project([tmp_path]).code_location_models()) == 1


def test_findings_of_a_folded_sensor_without_cursor_are_handled_by_the_plan():
    project, plan = plan_for(PROJECTS / "catalog_chain")
    absorbed = {(path, line) for path, line, code in plan.absorbed if code == "DZ304"}
    # archive_after_ingest only chained two runs: the ingest pipeline now runs the archive as its last step
    assert absorbed == {("chain/sensors.py", line) for line in (13, 14, 19)}
    # publish_on_catalog reads its cursor and vendor_file_sensor starts the chain: both still need a redesign
    text = render_markdown(project, plan)
    row = next(line for line in text.splitlines() if "`archive_after_ingest`" in line and "| DZ304 |" in line)
    assert "(covered by the proposed pipeline split / parameters)" in row


def test_factory_keys_written_as_asset_keys_and_a_loop_reported_once(tmp_path):
    write_project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/assets.py": """
                import os

                import dagster as dg

                TABLES = ["users", "orgs"]


                def build_copy(table, schema="raw"):
                    @dg.asset(key=dg.AssetKey([schema, table]))
                    def _copy() -> None:
                        return None

                    return _copy


                copies = [build_copy(t) for t in TABLES]
                env_copies = [build_copy(t, schema=os.environ["SCHEMA"]) for t in TABLES]
                """,
        },
    )
    project, _ = plan_for(tmp_path)
    assert set(project.assets) == {"raw/users", "raw/orgs"}
    assert [u.location.line for u in project.unresolved] == [17]  # two loop values, one entry


def test_integration_assets_built_in_a_loop_are_one_step_per_call(tmp_path):
    write_project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/sling.py": """
                from dagster_sling import sling_assets

                REPLICATIONS = ["crm.yaml", "billing.yaml"]


                def build_replication(config_path: str):
                    @sling_assets(replication_config=config_path)
                    def _replicate(context, sling):
                        yield from sling.replicate(context=context)

                    return _replicate


                def build_named(name: str, config_path: str):
                    @sling_assets(name=name, replication_config=config_path)
                    def _named(context, sling):
                        yield from sling.replicate(context=context)

                    return _named


                replications = [build_replication(path) for path in REPLICATIONS]
                events = build_named("events_sync", "events.yaml")
                """,
        },
    )
    project, _ = plan_for(tmp_path)
    assert set(project.assets) == {"build_replication_crm_yaml", "build_replication_billing_yaml", "events_sync"}
    assert "_replicate" not in project.assets and "_named" not in project.assets
    assert all(not a.definition.keys_known for a in project.assets.values())
    subjects = {u.subject for u in project.unresolved}
    assert "@sling_assets 'events_sync'" in subjects  # its keys still come from the replication file


def test_factories_called_from_another_module_are_named_from_the_call(tmp_path):
    write_project(
        tmp_path,
        {
            "xpkg/__init__.py": """
                import dagster as dg

                from xpkg.assets import env_orders, ledgers, raw_orders, summary
                from xpkg.factories import seed

                defs = dg.Definitions(assets=[raw_orders, *ledgers, env_orders, summary, seed])
                """,
            "xpkg/factories.py": """
                import dagster as dg


                def build_ingest(table: str, group: str = "ingest", upstream: str = "seed"):
                    @dg.asset(name=f"raw_{table}", group_name=group, deps=[upstream])
                    def _ingest() -> int:
                        return 1

                    return _ingest


                @dg.asset
                def seed() -> int:
                    return 0
                """,
            "xpkg/assets.py": """
                import os

                import dagster as dg

                from xpkg import factories
                from xpkg.factories import build_ingest, seed

                LEDGERS = ("gl", "ap")

                raw_orders = build_ingest("orders", group="sales")
                ledgers = [factories.build_ingest(f"ledger_{name}") for name in LEDGERS]
                env_orders = build_ingest(os.environ.get("TABLE", "env"))


                @dg.asset
                def summary(raw_orders: int) -> int:
                    return raw_orders
                """,
        },
    )
    from report_support import dagster_view

    project, _ = plan_for(tmp_path)
    view = dagster_view(tmp_path, "xpkg")
    assert set(view["assets"]) - set(project.assets) == {"raw_env"}
    assert {k: sorted(a.upstream) for k, a in project.assets.items()} == {
        k: v for k, v in view["assets"].items() if k != "raw_env"
    }
    assert project.assets["raw_orders"].group == "sales"
    assert str(project.assets["raw_ledger_gl"].location) == "xpkg/assets.py:11"
    (unresolved,) = project.unresolved
    assert unresolved.location.line == 12 and "TABLE" in unresolved.reason


def test_string_keys_and_key_prefixes_select_what_dagster_selects(tmp_path):
    from report_support import dagster_view

    write_project(
        tmp_path,
        {
            "selpkg/__init__.py": """
                import dagster as dg

                from selpkg import assets, jobs

                defs = dg.Definitions(
                    assets=dg.load_assets_from_modules([assets]),
                    jobs=[jobs.by_name, jobs.by_prefix, jobs.by_nested_prefix, jobs.rest, jobs.mixed, jobs.eager_pair],
                )
                """,
            "selpkg/assets.py": """
                import dagster as dg


                @dg.asset(key_prefix=["raw"])
                def events() -> int:
                    return 1


                @dg.asset(key_prefix=["raw", "crm"])
                def contacts() -> int:
                    return 1


                @dg.asset
                def report(events: int) -> int:
                    return events


                @dg.asset(auto_materialize_policy=dg.AutoMaterializePolicy.eager())
                def report_alerts(report: int) -> int:
                    return report
                """,
            "selpkg/jobs.py": """
                import dagster as dg

                by_name = dg.define_asset_job("by_name", selection=dg.AssetSelection.assets("report"))
                by_prefix = dg.define_asset_job("by_prefix", selection=dg.AssetSelection.key_prefixes("raw"))
                by_nested_prefix = dg.define_asset_job(
                    "by_nested_prefix", selection=dg.AssetSelection.key_prefixes(["raw", "crm"])
                )
                rest = dg.define_asset_job(
                    "rest", selection=dg.AssetSelection.all() - dg.AssetSelection.assets("report", "report_alerts")
                )
                mixed = dg.define_asset_job(
                    "mixed", selection=dg.AssetSelection.assets(dg.AssetKey(["raw", "events"]), "report")
                )
                eager_pair = dg.define_asset_job("eager_pair", selection=dg.AssetSelection.assets("report"))
                """,
        },
    )
    project, plan = plan_for(tmp_path)
    view = dagster_view(tmp_path, "selpkg")
    assert {job.name: list(job.assets) for job in project.jobs.values()} == {
        name: job["assets"] for name, job in view["jobs"].items()
    }
    assert all(job.selection_complete for job in project.jobs.values())
    # AutoMaterializePolicy.eager() folds like AutomationCondition.eager()
    assert plan.pipeline_of("report_alerts") is plan.pipeline_of("report")


def test_a_factory_in_nested_loops_over_long_lists_is_unresolved_not_spelled_out(tmp_path):
    names = repr([f"t{i}" for i in range(30)])
    write_project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/assets.py": f"""
                import dagster as dg

                NAMES = {names}


                def build(a, b):
                    @dg.asset(name=f"{{a}}_{{b}}")
                    def _made() -> int:
                        return 1

                    return _made


                grid = [build(a, b) for a in NAMES for b in NAMES]
                """,
        },
    )
    project, _ = plan_for(tmp_path)
    assert project.assets == {}
    assert [u.subject for u in project.unresolved] == ["factory-built asset '_made' of 'build'"]


def test_lessons_with_only_a_defs_folder_are_projects_of_their_own(tmp_path):
    asset = """
        import dagster as dg


        @dg.asset
        def trips() -> int:
            return 1


        trips_job = dg.define_asset_job("trips_job", selection=[trips])
        """
    write_project(
        tmp_path,
        {
            "essentials/__init__.py": "",
            "essentials/definitions.py": """
                import dagster as dg


                @dg.definitions
                def defs():
                    return dg.load_from_defs_folder(project_root=__file__)
                """,
            "essentials/defs/assets.py": asset,
            "essentials/completed/lesson_3/defs/assets.py": asset,
            "essentials/completed/lesson_4/defs/assets.py": asset,
        },
    )
    locations = build_project([tmp_path]).code_location_models()
    assert [location for location, _ in locations] == [
        "essentials",
        "essentials/completed/lesson_3",
        "essentials/completed/lesson_4",
    ]
    assert all(
        not model.unresolved and [j.name for j in model.jobs.values()] == ["trips_job"] for _, model in locations
    )


def test_a_code_location_resolves_resources_and_factories_of_a_shared_module(tmp_path):
    lesson = """
        import dagster as dg

        from shared.lib import Warehouse, build_table


        @dg.asset
        def trips(warehouse: Warehouse) -> int:
            return 1


        trip_table = build_table("trips")
        """
    write_project(
        tmp_path,
        {
            "shared/__init__.py": "",
            "shared/lib.py": """
                import dagster as dg


                class Warehouse(dg.ConfigurableResource):
                    dsn: str = ""


                def build_table(name: str):
                    @dg.asset(name=f"{name}_table")
                    def _table() -> int:
                        return 1

                    return _table
                """,
            "lesson_1/definitions.py": "import dagster as dg\n\ndefs = dg.Definitions()\n",
            "lesson_1/defs/assets.py": lesson,
            "lesson_2/definitions.py": "import dagster as dg\n\ndefs = dg.Definitions()\n",
            "lesson_2/defs/assets.py": lesson,
        },
    )
    models = dict(build_project([tmp_path]).code_location_models())
    for location in ("lesson_1", "lesson_2"):
        model = models[location]
        assert model.assets["trips"].upstream == () and model.external_upstreams == {}
        assert set(model.assets) == {"trips", "trips_table"}
        assert not model.unresolved
