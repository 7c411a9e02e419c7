"""DZ213 executors and run launchers, DZ214 infrastructure tags (``dagster-k8s/config``, ...)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from dagster_zenml_lint.analysis.facts import FileContext, KeywordUse, Match, MethodUse
from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import APPROXIMATE, LOW, MEDIUM

EXECUTOR_OBJECTS = (
    "multiprocess_executor",
    "in_process_executor",
    "multi_or_in_process_executor",
    "executor",
    "ExecutorDefinition",
    "Executor",
    "MultiprocessExecutor",
    "InProcessExecutor",
    "StepDelegatingExecutor",
    "dagster_k8s.k8s_job_executor",
    "dagster_k8s.K8sRunLauncher",
    "dagster_docker.docker_executor",
    "dagster_docker.DockerRunLauncher",
    "dagster_celery.celery_executor",
    "dagster_celery_k8s.celery_k8s_job_executor",
    "dagster_celery_k8s.CeleryK8sRunLauncher",
    "dagster_celery_docker.celery_docker_executor",
    "dagster_aws.EcsRunLauncher",
    "dagster_aws.ecs_executor",
    "dagster_dask.dask_executor",
)
# Every other executor or run launcher of an integration package, and all of Celery's packages.
EXECUTOR_PATTERNS = ("dagster_*.*_executor", "dagster_*.*RunLauncher", "dagster_celery*.*")

# Tag keys (or key prefixes) that configure where and how a step runs, not what it is.
INFRA_TAG_PREFIXES = (
    "dagster-k8s/",
    "dagster-celery/",
    "dagster-celery-k8s/",
    "dagster-docker/",
    "ecs/",
    "dagster-aws/",
    "dagster/image",
)
TAG_KEYWORDS = ("tags", "op_tags", "run_tags")


def _module_value(ctx: FileContext, name: ast.Name) -> ast.expr | None:
    """The value last assigned to a module-level name before its use (``K8S = {...}``)."""
    value: ast.expr | None = None
    for stmt in ctx.tree.body:
        if stmt.lineno >= name.lineno:
            break
        assigned: ast.expr | None  # ``X: dict`` (no value) leaves the name unknown
        if isinstance(stmt, ast.Assign):
            targets, assigned = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign):
            targets, assigned = [stmt.target], stmt.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name.id for t in targets):
            value = assigned
    return value


def infra_tag_keys(ctx: FileContext, node: ast.expr | None, depth: int = 0) -> list[str]:
    """Infrastructure tag keys in a tags value: a dict literal, ``{**OTHER, ...}``, ``dict(...)`` or a module name."""
    if node is None or depth > 3:
        return []
    keys: list[str] = []
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:  # {**other}
                keys.extend(infra_tag_keys(ctx, value, depth + 1))
            elif (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and key.value.startswith(INFRA_TAG_PREFIXES)
            ):
                keys.append(key.value)
    elif isinstance(node, ast.Name):
        keys.extend(infra_tag_keys(ctx, _module_value(ctx, node), depth + 1))
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        keys.extend(infra_tag_keys(ctx, node.left, depth + 1) + infra_tag_keys(ctx, node.right, depth + 1))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        for arg in node.args:
            keys.extend(infra_tag_keys(ctx, arg, depth + 1))
    return keys


def _subject(where: str, keys: list[str]) -> str:
    shown = ", ".join(repr(k) for k in dict.fromkeys(keys))
    return f"{where} sets infrastructure tag {shown}"


def _infra_tags(ctx: FileContext, use: KeywordUse) -> str | None:
    keys = infra_tag_keys(ctx, use.keyword.value)
    if not keys:
        return None
    owner = f" '{use.owner}'" if use.owner else ""
    callee = f"@{use.callee.short}" if use.callee is not None and use.callee.role == "decorator" else use.callee_name
    return _subject(f"{callee}{owner} {use.keyword.arg}=", keys)


def _infra_tag_method(ctx: FileContext, use: MethodUse) -> str | None:
    """``my_op.tag({"dagster-k8s/config": ...})`` on an op invocation inside a job."""
    keys = [k for arg in use.call.args for k in infra_tag_keys(ctx, arg)]
    if not keys:
        return None
    return _subject(f"{use.receiver}.tag()", keys)


# The executor chosen in run config: ``{"execution": {"config": {"in_process": {}}}}`` (or the
# older ``{"execution": {"multiprocess": {...}}}``).
EXECUTION_SECTION = "execution"
EXECUTOR_CONFIG_KEYS = frozenset({"config", "in_process", "multiprocess"})


def _dict_keys(node: ast.expr) -> set[str]:
    if not isinstance(node, ast.Dict):
        return set()
    return {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}


def _executor_in_run_config(ctx: FileContext) -> Iterator[Match]:
    """``"execution": {...}`` sections of run config dicts in a Dagster module: the executor chosen per run."""
    if f"{EXECUTION_SECTION!r}" not in ctx.text and f'"{EXECUTION_SECTION}"' not in ctx.text:
        return
    if not ctx.imports_dagster():
        return
    for node in ctx.dicts:
        for key, value in zip(node.keys, node.values, strict=True):
            if not (isinstance(key, ast.Constant) and key.value == EXECUTION_SECTION):
                continue
            keys = _dict_keys(value)
            if keys and keys <= EXECUTOR_CONFIG_KEYS:
                chosen = sorted(_dict_keys(value.values[0]) if keys == {"config"} else keys)  # type: ignore[attr-defined]
                what = f" ({', '.join(chosen)})" if chosen else ""
                yield Match("DZ213", key.lineno, key.col_offset, f"run config chooses the executor{what}", key)


DZ213 = Rule(
    code="DZ213",
    symbol="dagster-executor",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Executors and run launchers become the orchestrator stack component",
    target="the orchestrator stack component (local, local Docker, Kubernetes, ...) and optional step operators; "
    "image contents via `DockerSettings`",
    hint="Pick the orchestrator (and step operator) that gives the isolation and parallelism the executor gave; "
    "executor config does not carry over.",
    docs=("ORCH",),
    message="{subject}: becomes the orchestrator of the ZenML stack",
    what_it_does="Reports the `executor_def=` and `executor=` arguments (jobs, asset jobs, `Definitions`), "
    "`multiprocess_executor`, `in_process_executor`, `@executor`, `ExecutorDefinition`, and the executors and "
    "run launchers of integration packages (`k8s_job_executor`, `K8sRunLauncher`, `docker_executor`, "
    "`DockerRunLauncher`, `celery_executor`, `celery_k8s_job_executor`, `celery_docker_executor`, ...), and the "
    "executor chosen in run config (`{'execution': {'config': {'in_process': {}}}}`).",
    why="In ZenML where and how steps run is a property of the stack (its orchestrator and step operators), not of "
    "the pipeline code.",
    fix_safety="No fix: the stack is configured outside the code.",
    names={**described(*EXECUTOR_OBJECTS), **{pattern: None for pattern in EXECUTOR_PATTERNS}},
    keywords={"executor_def": None, "executor": None},
    detectors=(_executor_in_run_config,),
    examples=(
        flagged(
            "from dagster import in_process_executor, job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n"
            "@job(executor_def=in_process_executor)\ndef my_job():\n    one()\n",
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.asset\ndef orders() -> list[int]:\n    return [1]\n\n\n"
            "defs = dg.Definitions(\n    assets=[orders],\n"
            "    executor=dg.multiprocess_executor.configured({'max_concurrent': 4}),\n)\n",
            title="an executor set on `Definitions`",
        ),
        flagged(
            "from dagster import define_asset_job\n\n"
            "stations = define_asset_job('stations', config={'execution': {'config': {'in_process': {}}}})\n",
            title="the executor chosen in run config",
        ),
        clean(
            "from zenml import pipeline, step\n\n\n@step\ndef one() -> int:\n    return 1\n\n\n@pipeline\n"
            "def my_pipeline():\n    one()\n",
        ),
        clean(
            "from concurrent.futures import ThreadPoolExecutor\n\nexecutor = ThreadPoolExecutor(max_workers=2)\n",
            title="trap: an executor of the standard library",
        ),
    ),
)

DZ214 = Rule(
    code="DZ214",
    symbol="dagster-op-tags",
    severity=LOW,
    mapping=APPROXIMATE,
    title="Infrastructure tags become ZenML resource, Docker or orchestrator settings",
    target="`ResourceSettings(cpu_count=..., gpu_count=..., memory=...)`, `DockerSettings` "
    "(`from zenml.config import ResourceSettings, DockerSettings`) or orchestrator-specific settings",
    hint="Translate resource requests into `ResourceSettings` and pod- or container-level details into "
    "orchestrator or Docker settings on the step.",
    docs=("ORCH",),
    message="{subject}: becomes ZenML ResourceSettings / orchestrator settings",
    what_it_does="Reports `tags=`, `op_tags=` and `run_tags=` arguments, and `.tag({...})` on op invocations, "
    "whose dictionary (a literal, a `{**merge}`, or a module-level constant) holds infrastructure keys such as "
    "`dagster-k8s/config`, `dagster-celery/queue`, `dagster-docker/container_kwargs` or `ecs/cpu`. "
    "Concurrency tags (`dagster/concurrency_key`) are DZ223.",
    why="ZenML describes compute needs with settings objects attached to steps and pipelines, not with tags that "
    "an executor reads.",
    fix_safety="No fix: Kubernetes pod specs and ZenML settings have different shapes.",
    keywords={kw: _infra_tags for kw in TAG_KEYWORDS},
    methods={"tag": _infra_tag_method},
    examples=(
        flagged(
            "from dagster import op\n\n\n"
            "@op(tags={'dagster-k8s/config': {'container_config': {'resources': {'requests': {'cpu': '2'}}}}})\n"
            "def train() -> int:\n    return 1\n",
        ),
        flagged(
            "import dagster as dg\n\n"
            "GPU = {'dagster-k8s/config': {'pod_spec_config': {'node_selector': {'gpu': 'a100'}}}}\n"
            "\n\n@dg.asset(op_tags={**GPU, 'team': 'ml'})\ndef model() -> int:\n    return 1\n",
            title="infrastructure keys merged from a module constant",
        ),
        clean(
            "from dagster import op\n\n\n@op(tags={'team': 'ml', 'tier': 'gold'})\ndef train() -> int:\n    return 1\n",
            title="descriptive tags are not infrastructure",
        ),
        clean(
            "from zenml import step\nfrom zenml.config import ResourceSettings\n\n\n"
            "@step(settings={'resources': ResourceSettings(cpu_count=2)})\ndef train() -> int:\n    return 1\n",
        ),
    ),
)

RULES = (DZ213, DZ214)
