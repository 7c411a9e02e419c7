"""What the rules and the report say about today's ZenML (issue 18): Pro-only features, caching.

DZ304 and the report must not send an open-source ZenML user to
``Client().trigger_pipeline(...)`` (it runs a snapshot, a ZenML Pro feature) without saying
so and naming the open-source path; DZ240's target must name ZenML API that exists.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from cli_process import run_check
from report_support import PROJECTS

from dagster_zenml_lint.commands.report import render_report
from dagster_zenml_lint.registry import all_rules, get_rule

SENSOR = textwrap.dedent(
    """\
    from dagster import RunRequest, sensor


    @sensor(job_name="ingest")
    def new_file(context):
        return RunRequest(run_key="x")
    """
)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;])\s+", " ".join(text.split())) if s]


def test_dz304_message_names_the_open_source_path_and_the_pro_features(tmp_path):
    (tmp_path / "sensors.py").write_text(SENSOR, encoding="utf-8")
    done = run_check(tmp_path, "--select", "DZ304", "sensors.py")
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stdout.splitlines() if " DZ304 " in line]
    assert lines
    for line in lines:
        assert "run.py" in line and "pipeline deployment" in line and "need ZenML Pro" in line


def test_dz304_target_and_hint_never_offer_trigger_pipeline_as_open_source():
    rule = get_rule("DZ304")
    for text in (rule.target, rule.hint, rule.why):
        for sentence in _sentences(text):
            if "trigger_pipeline" in sentence:
                assert "Pro" in sentence, sentence
    assert "run.py" in rule.target and "deployment" in rule.target
    assert "https://docs.zenml.io/pro/core-concepts/triggers" in rule.docs_links
    assert "https://docs.zenml.io/concepts/deployment" in rule.docs_links


def test_no_rule_offers_a_pro_only_feature_without_saying_so():
    """Running snapshots (``trigger_pipeline``) and triggers are ZenML Pro: every sentence naming them says so."""
    for rule in all_rules():
        for text in (rule.target, rule.hint, rule.why, rule.message, rule.what_it_does, rule.fix_safety):
            for sentence in _sentences(text):
                if "trigger_pipeline" in sentence or "snapshot" in sentence.lower():
                    assert "Pro" in sentence, (rule.code, sentence)


def test_report_sensor_paragraph_says_which_trigger_paths_need_zenml_pro():
    markdown = render_report([str(PROJECTS / "sensor_hub")])
    paragraph = next(p for p in markdown.split("\n\n") if p.startswith("**Sensors have no 1:1 equivalent.**"))
    assert "`run.py`" in paragraph and "pipeline deployment" in paragraph and "OSS" in paragraph
    for sentence in _sentences(paragraph):
        if "trigger_pipeline" in sentence or "triggers" in sentence.lower().split("(")[0]:
            assert "Pro" in sentence, sentence


def test_dz240_target_names_cache_settings_that_zenml_accepts(tmp_path):
    """The clean example of DZ240 (the migrated step) builds under the installed ZenML."""
    example = next(e for e in get_rule("DZ240").examples if not e.flagged and "zenml" in e.code)
    assert "cache_policy=CachePolicy(" in get_rule("DZ240").target
    module = tmp_path / "migrated.py"
    module.write_text(
        example.code + "\n\npolicy = orders.configuration.cache_policy\n"
        "assert policy.include_step_code is False and policy.cache_func is not None, policy\n"
        "print(orders.configuration.enable_cache)\n",
        encoding="utf-8",
    )
    env = {**os.environ, "ZENML_CONFIG_PATH": str(tmp_path / "zenml-config"), "ZENML_ANALYTICS_OPT_IN": "false"}
    done = subprocess.run(
        [sys.executable, str(module)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "None"  # caching stays ZenML's default: on


def test_dz240_reports_code_version_on_assets_outputs_and_ops(tmp_path):
    source = Path(tmp_path / "versions.py")
    source.write_text(
        "import dagster as dg\n\n\n@dg.asset(code_version='1')\ndef a() -> int:\n    return 1\n\n\n"
        "@dg.asset\ndef b() -> int:\n    return 1\n\n\n@dg.op(code_version='2')\ndef c() -> int:\n    return 1\n",
        encoding="utf-8",
    )
    done = run_check(tmp_path, "--select", "DZ240", "versions.py")
    assert [line.split(":")[1] for line in done.stdout.splitlines() if " DZ240 " in line] == ["4", "14"]


CACHED_FLOW = textwrap.dedent(
    """\
    import json

    from zenml import pipeline, step
    from zenml.client import Client
    from zenml.config import CachePolicy

    VERSION = "1"


    def orders_version() -> str:
        return VERSION


    @step(cache_policy=CachePolicy(include_step_code=False, cache_func=orders_version))
    def versioned() -> int:
        return 1


    @step
    def default() -> int:
        return 2


    @step(enable_cache=False)
    def writer() -> int:
        return 3


    @pipeline
    def flow() -> None:
        versioned()
        default()
        writer()


    if __name__ == "__main__":
        statuses = []
        for VERSION in ("1", "1", "2"):  # the hand-kept version: unchanged, then bumped
            flow()
            run = Client().get_pipeline("flow").last_run
            statuses.append({name: s.status.value for name, s in sorted(run.steps.items())})
        print(json.dumps(statuses))
    """
)


def test_dz240_mapping_behaves_as_stated_under_real_zenml(tmp_path):
    """Caching is on by default; the cache policy keyed on a hand-kept version re-runs only when it changes;
    enable_cache=False runs every time (what DZ240's target and why say)."""
    (tmp_path / "flow.py").write_text(CACHED_FLOW, encoding="utf-8")
    env = {
        **os.environ,
        "ZENML_CONFIG_PATH": str(tmp_path / "zenml-config"),
        "ZENML_ANALYTICS_OPT_IN": "false",
        "ZENML_LOGGING_VERBOSITY": "ERROR",
        "ZENML_ENABLE_RICH_TRACEBACK": "false",
        "AUTO_OPEN_DASHBOARD": "false",
    }
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [sys.executable, "flow.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    first, second, bumped = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(first.values()) == {"completed"}
    assert second == {"default": "cached", "versioned": "cached", "writer": "completed"}
    assert bumped == {"default": "cached", "versioned": "completed", "writer": "completed"}


# Issue 18 items 2-4: the texts name ZenML decorator parameters; each must exist in the installed ZenML.
_DECORATOR_OPEN = re.compile(r"@(step|pipeline)\(")


def _decorator_keywords(text: str) -> set[tuple[str, str]]:
    """(decorator, keyword) for each keyword written directly inside a ``@step(...)``/``@pipeline(...)``."""
    found = set()
    for opening in _DECORATOR_OPEN.finditer(text):
        depth, top_level = 1, []
        for char in text[opening.end() :]:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                break
            top_level.append(char if depth == 1 else " ")
        found |= {(opening.group(1), keyword) for keyword in re.findall(r"([a-z_]+)=", "".join(top_level))}
    return found


def test_every_step_and_pipeline_keyword_a_rule_names_exists_in_the_installed_zenml():
    import inspect

    import zenml

    parameters = {
        "step": set(inspect.signature(zenml.step).parameters),
        "pipeline": set(inspect.signature(zenml.pipeline).parameters),
    }
    named = {
        (rule.code, decorator, keyword)
        for rule in all_rules()
        for text in (rule.target, rule.hint, rule.why, rule.message)
        for decorator, keyword in _decorator_keywords(text)
    }
    assert {
        ("DZ206", "pipeline", "on_init"),
        ("DZ211", "pipeline", "dynamic"),
        ("DZ216", "step", "on_failure"),
    } <= named
    unknown = sorted(entry for entry in named if entry[2] not in parameters[entry[1]])
    assert unknown == []


def test_dz206_sends_resource_setup_and_teardown_to_pipeline_init_and_cleanup_hooks():
    from zenml.steps.step_context import StepContext

    target = get_rule("DZ206").target
    assert "setup_for_execution" in target and "teardown_after_execution" in target and "`yield`" in target
    assert "@pipeline(on_init=..., on_init_kwargs=..., on_cleanup=...)" in " ".join(target.split())
    assert "yield_for_execution" in target and "`on_cleanup` takes no arguments" in target
    assert isinstance(getattr(StepContext, "pipeline_state", None), property)
    import zenml

    assert {"on_init", "on_init_kwargs", "on_cleanup"} <= set(inspect.signature(zenml.pipeline).parameters)


def test_dz216_and_the_failure_sensor_say_where_a_pipeline_hook_fires():
    dz216 = " ".join(get_rule("DZ216").target.split())
    assert "@step(on_success=..., on_failure=...)" in dz216
    assert "static pipeline" in dz216 and "after each step" in dz216
    assert "dynamic=True" in dz216 and "once for the run" in dz216
    sensor_hint = " ".join(get_rule("DZ304").hint.split())
    assert "@run_failure_sensor" in sensor_hint and "@pipeline(on_failure=...)" in sensor_hint


def test_dz211_states_the_dynamic_pipeline_caveats_and_zenml_checks_the_orchestrator():
    from zenml.orchestrators.base_orchestrator import BaseOrchestrator

    why = " ".join(get_rule("DZ211").why.split())
    assert "@pipeline(dynamic=True)" in why
    assert "orchestrator" in why and "once for the run" in why
    assert isinstance(BaseOrchestrator.supports_dynamic_pipelines, property)


# Issue 18 items 1 and 3: the report's "Caching and Failures" paragraph, checked under the real ZenML.
TWO_BRANCHES = textwrap.dedent(
    """\
    import json
    import sys
    from pathlib import Path

    from zenml import pipeline, step
    from zenml.client import Client
    from zenml.enums import ExecutionMode

    READS = Path(sys.argv[1])


    @step(enable_cache=False)
    def read_external() -> int:
        with READS.open("a") as log:
            log.write("read\\n")
        return 1


    @step
    def broken(value: int) -> int:
        raise RuntimeError("branch fails")


    @step
    def independent() -> int:
        return 2


    @pipeline(execution_mode=ExecutionMode.CONTINUE_ON_FAILURE)
    def nightly() -> None:
        broken(read_external())
        independent()


    for _ in range(2):
        try:
            nightly()
        except RuntimeError:
            pass
    for run in reversed(Client().get_pipeline("nightly").runs):
        print(json.dumps(sorted([name, str(step.status)] for name, step in run.steps.items())))
    """
)


def test_report_says_how_zenml_caches_and_what_a_failed_step_stops():
    markdown = render_report([str(PROJECTS / "sensor_hub")])
    section = markdown.split("## Caching and Failures", 1)[1].split("\n## ", 1)[0]
    paragraph = " ".join(section.split())
    assert "@step(enable_cache=False)" in paragraph and "code_version=" in paragraph and "DZ240" in paragraph
    assert "ExecutionMode.CONTINUE_ON_FAILURE" in paragraph and "do not depend on a failed step" in paragraph


def test_an_uncached_step_reruns_and_an_independent_branch_completes_under_real_zenml(tmp_path):
    """What the report says, run twice under the installed ZenML (local orchestrator, fresh config)."""
    from zenml_env import zenml_env

    script = tmp_path / "two_branches.py"
    script.write_text(TWO_BRANCHES, encoding="utf-8")
    reads = tmp_path / "reads.log"
    done = subprocess.run(
        [sys.executable, str(script), str(reads)],
        env=zenml_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    first, second = (json.loads(line) for line in done.stdout.splitlines()[-2:])
    assert first == [["broken", "failed"], ["independent", "completed"], ["read_external", "completed"]]
    assert second == [["broken", "failed"], ["independent", "cached"], ["read_external", "completed"]]
    assert reads.read_text(encoding="utf-8").splitlines() == ["read", "read"]


# Issue 18 item 5: one asset graph in several pipelines shares one ZenML Model.
SHARED_MODEL = textwrap.dedent(
    """\
    import json
    from typing import Annotated

    from zenml import ArtifactConfig, Model, get_step_context, pipeline, step
    from zenml.client import Client


    @step
    def orders() -> Annotated[int, ArtifactConfig(name="orders", tags=["owner:team-sales", "kind:sql"])]:
        return 41


    @step
    def revenue() -> int:
        return get_step_context().model.get_artifact("orders").load() + 1


    @pipeline(model=Model(name="sales_graph"))
    def ingest() -> None:
        orders()


    @pipeline(model=Model(name="sales_graph", version="latest"))
    def report() -> None:
        revenue()


    ingest()
    report()
    revenue_run = Client().get_pipeline("report").last_run.steps["revenue"]
    tags = sorted(tag.name for tag in Client().get_artifact_version("orders").tags)
    print(json.dumps([revenue_run.outputs["output"][0].load(), tags]))
    """
)


def test_report_attaches_the_pipelines_of_one_asset_graph_to_one_model():
    markdown = render_report([str(PROJECTS / "asset_shop")])
    paragraph = " ".join(markdown.split())
    assert "@pipeline(model=Model(name=...))" in paragraph
    assert 'get_pipeline_context().model.get_artifact("<asset>")` in the pipeline, as `migrate` writes' in paragraph
    assert "ArtifactConfig(name=..., tags=[...])" in paragraph


def test_a_downstream_pipeline_loads_an_asset_through_the_shared_model_under_real_zenml(tmp_path):
    from zenml_env import zenml_env

    script = tmp_path / "shared_model.py"
    script.write_text(SHARED_MODEL, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)],
        env=zenml_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == [42, ["kind:sql", "owner:team-sales"]]
