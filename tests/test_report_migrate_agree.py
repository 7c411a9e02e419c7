"""``report`` and ``migrate`` describe the same project: the same pipelines, the same members.

The report's boundary plan names each pipeline's module (``pipelines/<name>.py``) and its
steps; ``migrate`` writes those modules. Run on every fixture project, the example and the
migrate sources and the migrate projects, the two must list the same pipeline modules,
each op-job pipeline must call the steps of exactly the ops the report puts in it (its
members and the ops it reuses, by ``OpKey``), and each asset pipeline the steps of exactly
the functions the model says define its asset keys (a multi-asset is one step, a
graph-backed asset its ops and a terminal step) and the checks of those keys.
"""

from __future__ import annotations

import ast
import json
import shutil
import textwrap
from pathlib import Path

import pytest

from dagster_zenml_lint.commands.report import render_report
from dagster_zenml_lint.project import build_project, plan_code_locations, plan_pipeline_boundaries
from dagster_zenml_lint.scaffold import generate_project
from dagster_zenml_lint.scaffold.plan import plan_pipelines

TESTS = Path(__file__).parent
ROOT = TESTS.parent
SOURCES = sorted(
    [p for p in (TESTS / "projects").iterdir() if p.is_dir()]
    + [p for p in (TESTS / "migrate_sources").iterdir() if p.is_dir()]
    + [p for p in (TESTS / "migrate_projects").iterdir() if p.is_dir()]
    + [p for p in (TESTS / "component_projects").iterdir() if p.is_dir()]  # defs.yaml components (DZ313)
    + [ROOT / "examples" / "shop_analytics"]
)


def _report_modules(path: Path) -> set[str]:
    record = json.loads(render_report([str(path)], "json"))
    located = record.get("locations", [record])  # several code locations: one record each
    return {pipeline["module"] for location in located for pipeline in location["pipelines"]}


def _migrate_modules(path: Path) -> set[str]:
    files = generate_project([path]).files
    return {name for name in files if name.startswith("pipelines/") and name != "pipelines/__init__.py"}


def _called_steps(pipeline_module: str) -> set[str]:
    """The steps (by the name ``steps`` exports) that the generated pipeline module calls (or maps over items)."""
    tree = ast.parse(pipeline_module)
    steps = {  # local name -> step name (``from steps.load_second import load_second as load``)
        alias.asname or alias.name: alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "steps"
        for alias in node.names
    }
    called = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("map", "product"):
            func = func.value  # ``step.map(items)``: the step runs once per item (a dynamic pipeline)
        elif isinstance(func, ast.Call) and isinstance(func.func, ast.Attribute) and func.func.attr == "with_options":
            func = func.func.value  # ``step.with_options(parameters=...)(x)``: a configured op
        if isinstance(func, ast.Name) and func.id in steps:
            called.add(steps[func.id])
    return called


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_migration_report_is_the_report_of_the_same_sources(path):
    assert generate_project([path]).files["MIGRATION_REPORT.md"] == render_report([str(path)])


def test_call_form_findings_in_migration_report_carry_the_lines_of_the_source(tmp_path):
    # migrate analyses ``totals = asset(_totals)`` written as ``@asset(name='_totals')`` on ``def totals``
    # (generation reads that text); the report it writes once gave the ``def`` line of that text
    (tmp_path / "defs.py").write_text(
        textwrap.dedent(
            """
            from dagster import asset


            def _totals() -> int:
                return 1


            def helper() -> int:
                return 2


            totals = asset(_totals)
            """
        )
    )
    written = generate_project([tmp_path]).files["MIGRATION_REPORT.md"]
    assert "`defs.py:13` " in written and "defs.py:5" not in written
    assert written == render_report([str(tmp_path)])


def test_migration_report_lists_the_defs_yaml_components_report_lists(tmp_path):
    shutil.copytree(TESTS / "component_projects" / "lakehouse", tmp_path / "lakehouse")
    written = generate_project([tmp_path / "lakehouse"]).files["MIGRATION_REPORT.md"]
    assert "`lakehouse/defs/ingest/defs.yaml:1` | DZ313 |" in written
    assert "(5 file(s) analysed)" in written  # the YAML file counts, as in ``report``


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_report_names_the_pipeline_modules_migrate_writes(path):
    assert _report_modules(path) == _migrate_modules(path)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_an_op_job_pipeline_calls_the_steps_of_the_ops_the_report_lists(path):
    model = build_project([path])
    plan = plan_pipeline_boundaries(model)
    project = generate_project([path])
    for pipeline in (p for p in plan.pipelines if p.kind == "op"):
        assert len(pipeline.ops) == len(pipeline.members) + len(pipeline.reuses)
        steps = _steps_of(project, {(model.ops[op][1], model.ops[op][0].function) for op in pipeline.ops})
        assert _called_steps(project.files[pipeline.module]) == steps, pipeline.module


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_an_asset_pipeline_calls_the_steps_of_the_asset_keys_the_report_lists(path):
    # the report's asset keys -> the functions the model says define them -> the steps made from
    # those functions: what migrate's pipeline module calls, and nothing else
    model = build_project([path])
    plan = plan_pipeline_boundaries(model)
    project = generate_project([path])
    graph_terminals = {key: name for name, graph in project.graph_assets.items() for key in graph.keys}
    compared = 0
    for pipeline in (p for p in plan.pipelines if p.kind == "asset"):
        functions: set[tuple[str, str]] = set()
        expected: set[str] = set()
        for key in pipeline.members:
            asset = model.assets[key]
            if key in graph_terminals:  # a graph-backed asset: its ops, then the step that hands over the keys
                expected.add(graph_terminals[key])
                functions.update(
                    (model.ops[op][1], model.ops[op][0].function) for op in model.ops_of_graph_asset(asset.definition)
                )
            else:
                functions.add((asset.path, asset.definition.function))
        expected |= _steps_of(project, functions)
        checks = {s.name for s in project.steps if s.kind == "check" and s.checked in pipeline.members}
        if not expected:  # assets no generated step builds (an integration's): a placeholder module
            assert _called_steps(project.files[pipeline.module]) == set(), pipeline.module
            continue
        assert _called_steps(project.files[pipeline.module]) == expected | checks, pipeline.module
        compared += 1
    assert compared or not any(p.kind == "asset" for p in plan.pipelines)


def _steps_of(project, functions: set[tuple[str, str]]) -> set[str]:
    """The names of the steps migrate made from these (path, function) definitions."""
    return {s.name for s in project.steps if (s.module, s.function_name) in functions}


def test_a_pipeline_named_like_its_last_step_has_one_name_in_report_and_migrate(tmp_path):
    (tmp_path / "defs.py").write_text(
        textwrap.dedent(
            """
            import dagster as dg

            @dg.asset
            def raw():
                return 1

            @dg.asset
            def summary(raw):
                return raw + 1

            summary_job = dg.define_asset_job("summary", selection=[raw, summary])
            defs = dg.Definitions(assets=[raw, summary], jobs=[summary_job])
            """
        )
    )
    assert _report_modules(tmp_path) == _migrate_modules(tmp_path) == {"pipelines/summary_pipeline.py"}


def _two_modules_defining_job_j(root: Path) -> None:
    """``first.py`` and ``second.py`` each define an op, ``@job j`` calling it and a schedule starting it."""
    for module, hour in (("first", 1), ("second", 2)):
        (root / f"{module}.py").write_text(
            textwrap.dedent(
                f"""
                from dagster import ScheduleDefinition, job, op

                @op
                def make_{module}():
                    return {hour}

                @job
                def j():
                    make_{module}()

                {module}_schedule = ScheduleDefinition(job=j, cron_schedule="0 {hour} * * *")
                by_name_{module} = ScheduleDefinition(job_name="j", cron_schedule="30 {hour} * * *")
                """
            )
        )


def test_two_modules_with_the_same_job_name_get_two_pipelines_in_report_and_migrate(tmp_path):
    _two_modules_defining_job_j(tmp_path)
    files = generate_project([tmp_path]).files
    migrated = _migrate_modules(tmp_path)
    assert migrated == {"pipelines/j_first.py", "pipelines/j_second.py"}
    assert _report_modules(tmp_path) == migrated
    # each pipeline has its own job's body, not the other module's
    assert _called_steps(files["pipelines/j_first.py"]) == {"make_first"}
    assert _called_steps(files["pipelines/j_second.py"]) == {"make_second"}


def test_two_jobs_of_one_name_are_two_jobs_in_the_model_each_with_its_own_triggers(tmp_path):
    _two_modules_defining_job_j(tmp_path)
    model = build_project([tmp_path])
    assert sorted(str(key) for key in model.jobs) == ["first:j", "second:j"]
    assert not model.unresolved  # neither job shadows the other
    for module in ("first", "second"):
        job = next(j for j in model.jobs.values() if j.module == module)
        assert [str(op) for op in job.ops] == [f"{module}:make_{module}"]
        # by reference and by name (``job_name="j"`` means the job of its own module)
        assert {t.fact.name for t in model.triggers_for_job(job.key)} == {f"{module}_schedule", f"by_name_{module}"}
    record = json.loads(render_report([str(tmp_path)], "json"))
    triggers = {p["module"]: sorted(t["name"] for t in p["triggers"]) for p in record["pipelines"]}
    assert triggers == {
        "pipelines/j_first.py": ["by_name_first", "first_schedule"],
        "pipelines/j_second.py": ["by_name_second", "second_schedule"],
    }


def test_two_modules_with_an_op_of_one_name_are_two_ops_each_a_member_of_its_own_job(tmp_path):
    # once ops were keyed by name: the second job "also ran" the first module's ``load`` in the
    # report, and migrate rewrote its own plan to say otherwise
    for module, value in (("first", 1), ("second", 2)):
        (tmp_path / f"{module}.py").write_text(
            textwrap.dedent(
                f"""
                from dagster import job, op

                @op
                def load():
                    return {value}

                @job
                def {module}_job():
                    load()
                """
            )
        )
    model = build_project([tmp_path])
    assert sorted(str(key) for key in model.ops) == ["first:load", "second:load"]
    plan = plan_pipeline_boundaries(model)
    rows = {p.name: (p.members, p.reuses, p.files) for p in plan.pipelines}
    assert rows == {
        "first_job": (("first:load",), (), ("first.py",)),
        "second_job": (("second:load",), (), ("second.py",)),
    }
    project = generate_project([tmp_path])
    assert [(p.name, p.members, p.reuses) for p in project.planned] == [
        ("first_job", ("first:load",), ()),
        ("second_job", ("second:load",), ()),
    ]  # MIGRATION_REPORT.md shows the report's plan, unchanged
    for pipeline in plan.pipelines:
        steps = _steps_of(project, {(model.ops[op][1], model.ops[op][0].function) for op in pipeline.ops})
        assert len(steps) == 1 and _called_steps(project.files[pipeline.module]) == steps


def test_a_job_name_several_modules_define_is_unresolved_where_it_is_named(tmp_path):
    _two_modules_defining_job_j(tmp_path)
    (tmp_path / "third.py").write_text(
        "from dagster import ScheduleDefinition\n\n"
        'nightly = ScheduleDefinition(job_name="j", cron_schedule="0 0 * * *")\n'
    )
    model = build_project([tmp_path])
    assert [(str(u.location), u.reason) for u in model.unresolved] == [
        ("third.py:3", "targets job 'j', which several modules define")
    ]


def test_each_pipeline_keeps_the_cron_of_its_own_schedule_when_schedules_share_a_name(tmp_path):
    # two schedules named "nightly", one per module: each pipeline's cron is its own schedule's,
    # as the report's plan says (the generator once looked schedules up again by name)
    for module, hour in (("first", 1), ("second", 2)):
        (tmp_path / f"{module}.py").write_text(
            textwrap.dedent(
                f"""
                from dagster import ScheduleDefinition, job, op

                @op
                def make_{module}():
                    return {hour}

                @job
                def j():
                    make_{module}()

                nightly = ScheduleDefinition(name="nightly", job=j, cron_schedule="0 {hour} * * *")
                """
            )
        )
    record = json.loads(render_report([str(tmp_path)], "json"))
    planned = {p["name"]: [t["detail"] for t in p["triggers"]] for p in record["pipelines"]}
    assert planned == {"j_first": ["cron `0 1 * * *`"], "j_second": ["cron `0 2 * * *`"]}
    run = ast.parse(generate_project([tmp_path]).files["run.py"])
    schedules = next(
        node.value
        for node in run.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "SCHEDULES" for t in node.targets)
    )
    assert ast.literal_eval(schedules) == {"j_first": "0 1 * * *", "j_second": "0 2 * * *"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_an_op_pipeline_names_the_model_job_it_replaces(path):
    # migrate finds the body to copy by this key (no second look-up of jobs by name)
    model = build_project([path])
    for pipeline in plan_pipeline_boundaries(model).pipelines:
        if pipeline.kind == "op":
            assert pipeline.job is not None and model.jobs[pipeline.job].location == pipeline.location
        else:
            assert pipeline.job is None


def test_steps_take_their_keys_and_inputs_from_the_model(tmp_path):
    # once read again from the decorators by scaffold/inventory.py: ``key=`` was ignored (the artifact
    # was named after the function) and ``AssetIn(key_prefix=...)`` was not followed (the input was None
    # with a TODO, although the pipeline builds that asset)
    (tmp_path / "defs.py").write_text(
        textwrap.dedent(
            """
            import dagster as dg

            @dg.asset(key_prefix="raw")
            def customers() -> list:
                return [1, 2]

            @dg.asset(key=["marts", "customer_count"], ins={"customers": dg.AssetIn(key_prefix="raw")})
            def count_customers(customers: list) -> int:
                return len(customers)

            @dg.asset(deps=[count_customers])
            def report() -> None:
                pass

            job = dg.define_asset_job("customer_job", selection=[customers, count_customers, report])
            """
        )
    )
    model = build_project([tmp_path])
    assert sorted(model.assets) == ["marts/customer_count", "raw/customers", "report"]
    project = generate_project([tmp_path])
    steps = {s.name: s for s in project.steps}
    assert steps["customers"].outputs == ["raw/customers"]
    assert steps["count_customers"].outputs == ["marts/customer_count"]
    assert steps["count_customers"].inputs == {"customers": "raw/customers"}
    assert steps["report"].order_after == ["marts/customer_count"]
    assert '"marts/customer_count"' in project.files["steps/count_customers.py"]
    pipeline = project.files["pipelines/customer_job.py"]
    assert "= None" not in pipeline and "is not produced by any migrated asset" not in pipeline
    calls = {
        node.func.id: node
        for node in ast.walk(ast.parse(pipeline))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    (rows,) = calls["count_customers"].keywords
    assert rows.arg == "customers" and isinstance(rows.value, ast.Name)  # the value customers() returned
    assert [k.arg for k in calls["report"].keywords] == ["after"]


def _two_code_locations(root: Path) -> None:
    """``team_a/`` and ``team_b/``, each with its own ``Definitions`` (two code locations): each has an
    asset job ``daily`` on a schedule, ``team_b`` an op job ``j`` and an asset no job selects; ``team_a``
    also defines an op job ``j`` and an asset job whose selection cannot be resolved."""
    (root / "team_a").mkdir()
    (root / "team_b").mkdir()
    (root / "team_a" / "definitions.py").write_text(
        textwrap.dedent(
            """
            import dagster as dg

            @dg.asset
            def orders():
                return [1, 2]

            @dg.asset
            def revenue(orders):
                return sum(orders)

            @dg.op
            def ping():
                return 1

            @dg.job
            def j():
                ping()

            daily = dg.define_asset_job("daily", selection=[orders, revenue])
            hourly = dg.define_asset_job("hourly", selection=dg.AssetSelection.groups(*GROUPS))
            defs = dg.Definitions(
                assets=[orders, revenue],
                jobs=[daily, hourly, j],
                schedules=[dg.ScheduleDefinition(job=daily, cron_schedule="0 1 * * *")],
            )
            """
        )
    )
    (root / "team_b" / "definitions.py").write_text(
        textwrap.dedent(
            """
            import dagster as dg

            @dg.asset
            def customers():
                return ["a"]

            @dg.asset
            def audit():
                return 0

            @dg.op
            def pong():
                return 2

            @dg.job
            def j():
                pong()

            daily = dg.define_asset_job("daily", selection=[customers])
            defs = dg.Definitions(
                assets=[customers, audit],
                jobs=[daily, j],
                schedules=[dg.ScheduleDefinition(job=daily, cron_schedule="0 2 * * *")],
            )
            """
        )
    )


def test_two_code_locations_are_planned_apart_by_report_and_migrate(tmp_path):
    # hooli-data-eng-pipelines: migrate planned the whole repository as one location (MIGRATION_REPORT.md
    # counted "4 asset job(s)", and a loose asset of one location "may be run" by an unresolved asset job
    # of another), while report planned each code location apart, as Dagster deploys them
    _two_code_locations(tmp_path)
    model = build_project([tmp_path])
    assert [location for location, _ in model.code_location_models()] == ["team_a", "team_b"]
    located = plan_code_locations(model)
    rows = {(p.location, plan.name) for p in located for plan in p.plan.pipelines}
    # names are unique across locations: all pipelines land in one generated project
    assert rows == {
        ("team_a", "daily"),
        ("team_a", "j"),
        ("team_b", "daily_team_b"),
        ("team_b", "j_team_b"),
        ("team_b", "audit_pipeline"),
    }
    # each location counts its own jobs (the whole repository has 3 asset jobs and 2 op jobs)
    assert [p.plan.signals[:2] for p in located] == [
        ("2 asset job(s)", "1 op job(s)"),
        ("1 asset job(s)", "1 op job(s)"),
    ]
    audit = next(plan for p in located for plan in p.plan.pipelines if plan.members == ("audit",))
    assert audit.maybe_run_by == ()  # team_a's unresolved ``hourly`` cannot run team_b's assets
    project = generate_project([tmp_path])
    # MIGRATION_REPORT.md is the report, byte for byte
    assert project.files["MIGRATION_REPORT.md"] == render_report([str(tmp_path)])
    assert _migrate_modules(tmp_path) == _report_modules(tmp_path) == {f"pipelines/{n}.py" for _, n in rows}
    assert _called_steps(project.files["pipelines/j.py"]) == {"ping"}
    assert _called_steps(project.files["pipelines/j_team_b.py"]) == {"pong"}
    assert _called_steps(project.files["pipelines/daily_team_b.py"]) == {"customers"}


def test_a_component_file_does_not_hide_the_python_module_of_its_name(tmp_path):
    # hooli-data-eng's defs/dbt/: ``component.yaml`` and ``component.py`` have one dotted name; the YAML
    # file's facts replaced the module's, so the job's op was not found (report: "runs these 0 ops",
    # while migrate, which reads no YAML, had the op)
    folder = tmp_path / "defs" / "dbt"
    folder.mkdir(parents=True)
    (folder / "component.py").write_text(
        textwrap.dedent(
            """
            import dagster as dg

            @dg.op
            def load():
                return 1

            @dg.job
            def load_job():
                load()
            """
        )
    )
    (folder / "component.yaml").write_text("type: my_project.MyComponent\nattributes: {}\n")
    model = build_project([tmp_path])
    assert any(f.path == "defs/dbt/component.yaml" for f in model.facts)
    (job,) = model.jobs.values()
    assert [str(op) for op in job.ops] == ["defs.dbt.component:load"]
    assert plan_pipeline_boundaries(model).unassigned_ops == ()


def test_the_fallback_plan_gives_each_job_the_op_its_own_module_defines(tmp_path):
    # scaffold/plan.plan_pipelines (used when the report's plan has no pipeline) matched a job body's
    # calls to steps by function name: both jobs called the first module's ``load``, and both got the
    # schedules of every job named like theirs
    for module, value in (("first", 1), ("second", 2)):
        (tmp_path / f"{module}.py").write_text(
            textwrap.dedent(
                f"""
                from dagster import ScheduleDefinition, job, op

                @op
                def load():
                    return {value}

                @job
                def j():
                    load()

                {module}_nightly = ScheduleDefinition(job=j, cron_schedule="0 {value} * * *")
                """
            )
        )
    project = generate_project([tmp_path])
    model = project.model
    fallback = plan_pipelines(project.steps, "fallback", model, project.jobs)
    expected = {  # job module -> the steps of the ops the model says the job runs
        f"{job.module}.py": _steps_of(project, {(model.ops[op][1], model.ops[op][0].function) for op in job.ops})
        for job in model.jobs.values()
    }
    assert {p.job.module: set(p.members) for p in fallback if p.job is not None} == expected
    assert expected["first.py"] != expected["second.py"]  # two steps, one per module's ``load``
    assert {p.job.module: [t.name for t in p.triggers] for p in fallback if p.job is not None} == {
        "first.py": ["first_nightly"],
        "second.py": ["second_nightly"],
    }
