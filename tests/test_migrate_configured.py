"""An op with its config bound in a job body (``op.configured({...}, name=...)``) becomes the step with
its config parameter bound (``step.with_options(parameters=...)``), called with the Dagster op's name as
its id; it runs under real ZenML with Dagster's values (``verify``). A config that is not a literal keeps
the TODO."""

from __future__ import annotations

import ast
import textwrap

from dagster_zenml_lint.commands.verify import verify
from dagster_zenml_lint.scaffold import generate_project, write_project

CONFIGURED_JOB = """\
from dagster import Config, configured, job, op


class ScaleConfig(Config):
    factor: int = 1
    label: str = "x"


@op
def one() -> int:
    return 1


@op
def scale(config: ScaleConfig, x: int) -> int:
    return x * config.factor + len(config.label)


@job
def scaled():
    triple = scale.configured({"factor": 3}, name="triple")
    double = configured(scale, name="double")({"factor": 2, "label": "two"})
    triple(triple(double(scale.configured({"factor": 5}, name="quintuple")(one()))))
"""


def _pipeline_calls(text: str) -> list[str]:
    """Each step call of the pipeline module, unparsed (what ZenML runs), in source order."""
    tree = ast.parse(text)
    (function,) = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    return [ast.unparse(stmt) for stmt in function.body]


def test_configured_ops_with_a_literal_config_run_under_zenml_with_dagsters_values(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "jobs.py").write_text(CONFIGURED_JOB, encoding="utf-8")
    project = generate_project([source])
    pipeline = project.files["pipelines/scaled.py"]
    assert "TODO(migration)" not in pipeline and "configured" not in pipeline
    assert _pipeline_calls(pipeline) == [
        "triple = scale.with_options(parameters={'config': {'factor': 3}})",
        "double = scale.with_options(parameters={'config': {'factor': 2, 'label': 'two'}})",
        "triple(triple(double(scale.with_options(parameters={'config': {'factor': 5}})(one(), id='quintuple'), "
        "id='double'), id='triple'), id='triple_2')",
    ]
    # the step runs although the body never calls it by its own name
    assert [p.members for p in project.pipelines] == [["one", "scale"]]
    out = tmp_path / "out"
    write_project(project, out)
    rows = verify(source, out)
    assert [(r.subject, r.status) for r in rows] == [
        ("op scaled.double", "match"),
        ("op scaled.one", "match"),
        ("op scaled.quintuple", "match"),
        ("op scaled.triple", "match"),
        ("op scaled.triple_2", "match"),
    ]


def test_a_configured_op_whose_config_is_not_a_literal_keeps_the_todo(tmp_path):
    (tmp_path / "jobs.py").write_text(
        textwrap.dedent(
            """
            from dagster import Config, ConfigurableResource, job, op

            FACTOR = {"factor": 3}


            class ScaleConfig(Config):
                factor: int = 1


            class Store(ConfigurableResource):
                url: str = "memory://"


            @op
            def one() -> int:
                return 1


            @op
            def scale(config: ScaleConfig, x: int) -> int:
                return x * config.factor


            @op
            def save(config: ScaleConfig, store: Store, x: int) -> int:
                return x * config.factor


            @job
            def scaled():
                triple = scale.configured(FACTOR, name="triple")
                save.configured({"factor": 2}, name="saved")(triple(one()))
            """
        ),
        encoding="utf-8",
    )
    pipeline = generate_project([tmp_path]).files["pipelines/scaled.py"]
    # a variable, and a step that also takes a resource (its value comes from the configuration file,
    # keyed by the invocation id): both left as written, each with the TODO
    assert 'triple = scale.configured(FACTOR, name="triple")' in pipeline
    assert 'save.configured({"factor": 2}, name="saved")(triple(one()))' in pipeline
    assert not any("with_options" in call for call in _pipeline_calls(pipeline))
    assert pipeline.count("# TODO(migration): `scale.configured(...)` has no ZenML invocation form") == 1
    assert pipeline.count("# TODO(migration): `save.configured(...)` has no ZenML invocation form") == 1
