"""``migrate`` turns a Dagster ``code_version=`` into a ZenML cache policy (issue 18 item 1).

The generated step gets ``cache_policy=CachePolicy(include_step_code=False,
cache_func=<step>_code_version)``: ZenML reuses its cached result while the Dagster version
(and the inputs) are unchanged, even after its body changes, and re-runs it once the
version is bumped. Checked by running the generated project three times under real ZenML.
"""

from __future__ import annotations

import json
import subprocess
import sys

from zenml_env import zenml_env

from dagster_zenml_lint.scaffold import generate_project, write_project

VERSIONED = """\
from dagster import asset

VERSION = 3


@asset
def raw() -> list:
    return [1, 2, 3]


@asset(code_version="v2")
def doubled(raw: list) -> list:
    return [x * 2 for x in raw]


@asset(code_version=VERSION)
def tripled(raw: list) -> list:
    return [x * 3 for x in raw]


@asset(code_version="v1")
def loader() -> int:
    return 1
"""

STATUSES = """\
import json

from zenml.client import Client

runs = Client().get_pipeline("doubled_pipeline").runs
print(json.dumps([{name: step.status.value for name, step in sorted(r.steps.items())} for r in reversed(runs)]))
"""


def test_code_version_becomes_a_cache_policy_returning_the_version(tmp_path):
    (tmp_path / "assets.py").write_text(VERSIONED, encoding="utf-8")
    files = generate_project([tmp_path]).files
    doubled = files["steps/doubled.py"]
    assert 'def doubled_code_version() -> str:\n    """' in doubled and '    return "v2"\n' in doubled
    assert "@step(cache_policy=CachePolicy(include_step_code=False, cache_func=doubled_code_version))" in doubled
    assert "from zenml.config import CachePolicy" in doubled and "DZ240 dagster-code-version" not in doubled
    tripled = files["steps/tripled.py"]
    assert "VERSION = 3\n" in tripled and "    return str(VERSION)\n" in tripled
    loader = files["steps/loader.py"]  # no inputs: never cached, so the version decides nothing
    assert "@step(enable_cache=False)" in loader and "CachePolicy" not in loader
    assert "code_version= is not used: this step is never cached" in loader


def test_the_step_stays_cached_while_its_version_holds_and_reruns_when_it_is_bumped(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "assets.py").write_text(VERSIONED, encoding="utf-8")
    out = tmp_path / "out"
    project = generate_project([source])
    assert [p.name for p in project.pipelines] == ["doubled_pipeline", "loader_pipeline"]
    write_project(project, out)
    env = zenml_env(tmp_path)

    def run(*arguments: str) -> str:
        done = subprocess.run(
            [sys.executable, *arguments], cwd=out, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    step = out / "steps" / "doubled.py"
    run("run.py", "--pipeline", "doubled_pipeline")
    step.write_text(step.read_text().replace("x * 2 for x", "x + x for x"), encoding="utf-8")  # same version
    run("run.py", "--pipeline", "doubled_pipeline")
    step.write_text(step.read_text().replace('return "v2"', 'return "v3"'), encoding="utf-8")  # bumped
    run("run.py", "--pipeline", "doubled_pipeline")
    (out / "statuses.py").write_text(STATUSES, encoding="utf-8")
    first, edited, bumped = json.loads(run("statuses.py").strip().splitlines()[-1])
    assert first["doubled"] == "completed"
    assert (edited["doubled"], edited["tripled"], edited["raw"]) == ("cached", "cached", "completed")
    assert (bumped["doubled"], bumped["tripled"]) == ("completed", "cached")


FIXABLE_OPS = """\
from dagster import RetryPolicy, op


@op(retry_policy=RetryPolicy(max_retries=2, delay=1))
def load() -> list:
    return [1, 2, 3]


@op(name="double_it")
def double(xs: list) -> list:
    return [x * 2 for x in xs]


def _plain() -> int:
    return 4


plain = op(_plain)
"""

FIXABLE_JOB = """\
from dagster import job

from ops import double, load, plain


@job
def wire():
    double(load())
    plain()
"""


def test_an_op_the_direct_fixes_rewrite_first_still_gets_enable_cache_false(tmp_path):
    """Issue 18 item 1 follow-up: ``check --fix`` turns these ops into ``@step`` before migrate
    copies them; the decorated and the call-form op lost ``enable_cache=False`` and its note."""
    (tmp_path / "ops.py").write_text(FIXABLE_OPS, encoding="utf-8")
    (tmp_path / "jobs.py").write_text(FIXABLE_JOB, encoding="utf-8")
    project = generate_project([tmp_path])
    assert "@step(retry=StepRetryConfig(" in project.modules["ops.py"].fixed_text  # the fix path is the one taken
    files = project.files
    load = files["steps/load.py"]
    assert "@step(retry=StepRetryConfig(max_retries=2, delay=1, backoff=1), enable_cache=False)\n" in load
    assert "# Migration note: enable_cache=False: it has no inputs" in load
    plain = files["steps/plain.py"]  # op(_plain): read in decorator form, then fixed
    assert '@step(name="_plain", enable_cache=False)\n' in plain
    assert "# Migration note: enable_cache=False: it has no inputs" in plain
    double = files["steps/double.py"]  # has an input: cached as before
    assert '@step(name="double_it")\n' in double and "enable_cache" not in double
    for name in ("load", "plain", "double"):
        compile(files[f"steps/{name}.py"], f"steps/{name}.py", "exec")
