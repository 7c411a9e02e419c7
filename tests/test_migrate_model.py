"""``migrate`` attaches the pipelines of one split asset graph to one ZenML Model (issue 18 item 5).

``tests/test_migrate_projects.py`` runs ``shop_daily`` and ``catalog_shared`` on both engines
(every value matches, and ``run.py`` names the pipeline to run first); these tests check the
generated code, and that ``run.py`` loads an upstream asset through the shared model under
real ZenML even when another run wrote an artifact of the same name later.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from zenml_env import zenml_env

from dagster_zenml_lint.scaffold import generate_project, write_project

PROJECTS = Path(__file__).parent / "migrate_projects"


def test_split_asset_graph_pipelines_share_one_model_and_load_upstream_assets_through_it():
    project = generate_project([PROJECTS / "shop_daily"])
    customers = project.files["pipelines/customers_job.py"]
    revenue = project.files["pipelines/revenue_job.py"]
    assert '@pipeline(model=Model(name="shop_daily"))\ndef customers_job() -> None:' in customers
    assert '@pipeline(model=Model(name="shop_daily", version="latest"))\ndef revenue_job(' in revenue
    assert '    customers_artifact = get_pipeline_context().model.get_artifact("customers")\n' in revenue
    assert "get_artifact_version" not in revenue and "Client" not in revenue
    run_py = project.files["run.py"]
    assert 'LATEST_MODEL = {\n    "revenue_job": ("shop_daily", "customers_job"),\n}' in run_py
    assert [(p.name, p.model) for p in project.pipelines] == [
        ("customers_job", ("shop_daily", "customers_job")),
        ("revenue_job", ("shop_daily", "customers_job")),
    ]


def test_pipelines_that_share_no_asset_get_no_model(tmp_path):
    (tmp_path / "assets.py").write_text(
        "from dagster import Definitions, asset, define_asset_job\n\n\n"
        "@asset\ndef a() -> int:\n    return 1\n\n\n@asset\ndef b() -> int:\n    return 2\n\n\n"
        "defs = Definitions(assets=[a, b], jobs=[define_asset_job('ja', selection=['a']), "
        "define_asset_job('jb', selection=['b'])])\n",
        encoding="utf-8",
    )
    project = generate_project([tmp_path])
    assert all(p.model is None for p in project.pipelines)
    assert not any("Model(" in text for path, text in project.files.items() if path.startswith("pipelines/"))
    assert "LATEST_MODEL" not in project.files["run.py"]


def test_asset_owners_kinds_and_tags_become_artifact_tags():
    text = generate_project([PROJECTS / "catalog_shared"]).files["steps/products.py"]
    assert (
        'Annotated[list, ArtifactConfig(name="products", tags=["owner:team:catalog", "kind:csv", "tier:bronze", '
        '"pii"])]'
    ) in text
    assert "from zenml import ArtifactConfig, step" in text
    assert "not carried over" not in text


def test_a_computed_owners_value_is_noted_not_guessed(tmp_path):
    (tmp_path / "assets.py").write_text(
        "from dagster import asset\n\nTEAM = 'team:x'\n\n\n@asset(owners=[TEAM], kinds={'s3'})\ndef a() -> int:\n"
        "    return 1\n",
        encoding="utf-8",
    )
    text = generate_project([tmp_path]).files["steps/a.py"]
    assert 'ArtifactConfig(name="a", tags=["kind:s3"])' in text
    assert "owners= is not a literal" in text


LATER_WRITER = """\
from typing import Annotated

from zenml import pipeline, step


@step
def customers() -> Annotated[list, "customers"]:
    return [{"id": 999, "country": "XX"}]


@pipeline
def unrelated() -> None:
    customers()


unrelated()
"""


def test_the_downstream_pipeline_reads_the_models_version_not_the_latest_artifact_of_that_name(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(PROJECTS / "shop_daily", source, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "out"
    write_project(generate_project([source]), out)
    env = zenml_env(tmp_path)

    def run(script: str, *arguments: str) -> subprocess.CompletedProcess[str]:
        # in the source directory, as verify runs it: the steps read data/ relative to it
        return subprocess.run(
            [sys.executable, str(out / script), *arguments],
            cwd=source,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    config = ("--config", str(out / "configs" / "dev.yaml"))
    done = run("run.py", "--pipeline", "customers_job", *config)
    assert done.returncode == 0, done.stderr[-2000:]
    (out / "later_writer.py").write_text(LATER_WRITER, encoding="utf-8")  # a newer 'customers' outside the model
    done = run("later_writer.py")
    assert done.returncode == 0, done.stderr[-2000:]
    done = run("run.py", "--pipeline", "revenue_job", "--partition-key", "2024-01-05", *config)
    assert done.returncode == 0, done.stderr[-2000:]
    (out / "read.py").write_text(
        "from zenml.client import Client\n\n"
        "run = Client().get_pipeline('revenue_job').last_run\n"
        "print(run.steps['daily_revenue'].inputs['customers'][0].load())\n",
        encoding="utf-8",
    )
    done = run("read.py")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "999" not in done.stdout.splitlines()[-1]


def test_the_model_keyword_joins_the_resource_hooks_of_a_pipeline_decorator():
    import ast

    from dagster_zenml_lint.scaffold.lifecycle import pipeline_decorator

    model = 'model=Model(name="shop", version="latest")'
    short = pipeline_decorator({"db": {"url": '"x"'}}, model=model)
    long = pipeline_decorator({"db": {f"field_{i}": '"' + "v" * 20 + '"' for i in range(6)}}, dynamic=True, model=model)
    for text in (short, long):
        call = ast.parse(text + "\ndef f():\n    pass\n").body[0].decorator_list[0]  # type: ignore[attr-defined]
        assert [k.arg for k in call.keywords][-4:] == ["model", "on_init", "on_init_kwargs", "on_cleanup"]
    assert long.startswith("@pipeline(\n    dynamic=True,\n    model=Model(")


DEPS_ONLY = """\
from dagster import Definitions, asset, define_asset_job


@asset
def a() -> int:
    return 1


@asset(deps=[a])
def b() -> int:
    return 2


defs = Definitions(
    assets=[a, b], jobs=[define_asset_job("ja", selection=["a"]), define_asset_job("jb", selection=["b"])]
)
"""


def test_a_pipeline_on_the_latest_model_version_run_first_names_the_pipeline_that_creates_it(tmp_path):
    source = tmp_path / "graph"
    source.mkdir()
    (source / "assets.py").write_text(DEPS_ONLY, encoding="utf-8")  # jb only runs after ja (deps=), loads nothing
    out = tmp_path / "out"
    write_project(generate_project([source]), out)
    env = zenml_env(tmp_path)

    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "run.py", *arguments], cwd=out, env=env, capture_output=True, text=True, timeout=300
        )

    done = run("--pipeline", "jb")
    assert (done.returncode, done.stderr.strip()) == (
        1,
        "jb attaches to the latest version of the ZenML model 'graph', which has none yet: "
        "run `python run.py --pipeline ja` first (or --pipeline all)",
    )
    done = run("--pipeline", "all")
    assert done.returncode == 0, done.stderr[-2000:]


MULTI_TAGGED = """\
from dagster import AssetOut, AssetSpec, multi_asset


@multi_asset(outs={"north": AssetOut(owners=["team:north"], tags={"region": "n"}), "south": AssetOut()})
def split() -> tuple[int, int]:
    return 1, 2


@multi_asset(specs=[AssetSpec("east", kinds={"parquet"}), AssetSpec("west", owners=["a@b.com"])])
def east_west():
    return 3, 4
"""

READ_TAGS = """\
import json

from zenml.client import Client

names = ("north", "south", "east", "west")
print(json.dumps({n: sorted(t.name for t in Client().get_artifact_version(n).tags) for n in names}))
"""


def test_asset_out_and_asset_spec_tags_reach_the_artifacts_under_real_zenml(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "assets.py").write_text(MULTI_TAGGED, encoding="utf-8")
    project = generate_project([source])
    split = project.files["steps/split.py"]
    assert (
        'tuple[Annotated[int, ArtifactConfig(name="north", tags=["owner:team:north", "region:n"])], '
        'Annotated[int, "south"]]'
    ) in split
    assert 'ArtifactConfig(name="east", tags=["kind:parquet"])' in project.files["steps/east_west.py"]
    out = tmp_path / "out"
    write_project(project, out)
    (out / "read_tags.py").write_text(READ_TAGS, encoding="utf-8")
    env = zenml_env(tmp_path)
    for script in (["run.py", "--pipeline", "all"], ["read_tags.py"]):
        done = subprocess.run(
            [sys.executable, *script], cwd=out, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "north": ["owner:team:north", "region:n"],
        "south": [],
        "east": ["kind:parquet"],
        "west": ["owner:a@b.com"],
    }
