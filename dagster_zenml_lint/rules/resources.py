"""DZ206 resources (definition and injection) and DZ207 ``EnvVar``."""

from __future__ import annotations

import ast

from dagster_zenml_lint.analysis.facts import FileContext, KeywordUse, Reference
from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import APPROXIMATE, LOW, MEDIUM

RESOURCE_OBJECTS = (
    "ConfigurableResource",
    "ConfigurableResourceFactory",
    "ConfigurableLegacyResourceAdapter",
    "resource",
    "ResourceDefinition",
    "ResourceParam",
    "ResourceDependency",
    "make_values_resource",
    "build_resources",
    "with_resources",
    "IAttachDifferentObjectToOpContext",
)
# ``resources=`` of these calls is configuration for resources, not resource injection (DZ217).
RESOURCE_CONFIG_CALLS = ("dagster.RunConfig",)


def _context_type(ctx: FileContext, ref: Reference) -> None:
    """``InitResourceContext``: part of the resource already reported; never DZ399."""
    return None


def _is_empty(node: ast.expr) -> bool:
    """An empty literal (``{}``, ``dict()``, ``[]``, ``None``): nothing is injected."""
    if isinstance(node, ast.Dict):
        return not node.keys
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return not node.elts
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args and not node.keywords
    return isinstance(node, ast.Constant) and node.value is None


def _resources_keyword(ctx: FileContext, use: KeywordUse) -> str | None:
    """``resources={...}`` given to ``Definitions``, ``materialize``, context builders, ``execute_in_process``."""
    if use.callee is not None and use.callee.canonical in RESOURCE_CONFIG_CALLS:
        return None
    if _is_empty(use.keyword.value):
        return None  # ``resources={}`` injects nothing: there is nothing to migrate
    return ""


DZ206 = Rule(
    code="DZ206",
    symbol="dagster-resource",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Resources become stack components, secrets, service connectors or helpers built in the step",
    target="stack components, ZenML secrets, service connectors, or a client built inside the step; "
    "`ConfigurableResource.setup_for_execution` / `teardown_after_execution` / `yield_for_execution`, "
    "`ConfigurableResourceFactory.create_resource` (steps get what it returns) and a `@resource` function "
    "(what it returns, or code before and after its `yield`) become `@pipeline(on_init=..., "
    "on_init_kwargs=..., on_cleanup=...)` (the values the resource was built with as `on_init_kwargs`; "
    "`on_cleanup` takes no arguments), and steps read what `on_init` returns from "
    "`get_step_context().pipeline_state`",
    hint="Unpack the resource: credentials go to ZenML secrets, cloud auth to service connectors, shared "
    "infrastructure to stack components, and the step builds its client explicitly.",
    docs=("CONN", "BP"),
    message="{subject}: becomes a stack component, secret, connector or a client built in the step",
    what_it_does="Reports classes deriving from `ConfigurableResource` / `ConfigurableResourceFactory`, "
    "`@resource`, `ResourceDefinition`, `ResourceParam[...]`, `ResourceDependency`, `make_values_resource`, "
    "`build_resources`, `with_resources`, the `resource_defs=`, `required_resource_keys=` and `resources=` "
    "arguments (`Definitions(resources=...)`, `materialize(..., resources=...)`), and `context.resources`.",
    why="ZenML injects no resources into steps: infrastructure lives in the stack, credentials in secrets or "
    "service connectors, and anything else is constructed by the step itself.",
    fix_safety="No fix: where each field of a resource belongs is a decision.",
    names={**described(*RESOURCE_OBJECTS), "dagster.InitResourceContext": _context_type},
    keywords={"resource_defs": None, "required_resource_keys": None, "resources": _resources_keyword},
    context_attrs=("resources",),
    examples=(
        flagged(
            "import dagster as dg\n\n\nclass WarehouseResource(dg.ConfigurableResource):\n    dsn: str\n\n"
            "    def query(self, sql: str) -> list[tuple]:\n        return []\n\n\n@dg.asset\n"
            "def orders(warehouse: WarehouseResource) -> list[tuple]:\n    return warehouse.query('select 1')\n\n\n"
            "defs = dg.Definitions(assets=[orders], resources={'warehouse': WarehouseResource(dsn='duckdb://')})\n",
        ),
        flagged(
            "from dagster import op, resource\n\n\n@resource\ndef api_client(init_context):\n    return object()\n\n\n"
            "@op(required_resource_keys={'api'})\ndef call_api(context) -> str:\n"
            "    return str(context.resources.api)\n",
            title="legacy `@resource` and injection through `context.resources`",
        ),
        clean(
            "from zenml import step\n\n\nclass WarehouseClient:\n    def __init__(self, dsn: str):\n"
            "        self.dsn = dsn\n\n\n@step\ndef orders(dsn: str) -> str:\n"
            "    return WarehouseClient(dsn).dsn\n",
        ),
        clean(
            "def resource(fn):\n    return fn\n\n\n@resource\ndef api_client():\n    return object()\n",
            title="trap: a local decorator called resource",
        ),
        clean(
            "from dagster import Definitions, asset\n\n\n@asset\ndef orders() -> int:\n    return 1\n\n\n"
            "defs = Definitions(assets=[orders], resources={})\n",
            title="an empty `resources={}` injects nothing",
        ),
    ),
)

DZ207 = Rule(
    code="DZ207",
    symbol="dagster-env-var",
    severity=LOW,
    mapping=APPROXIMATE,
    title="`EnvVar` becomes a ZenML secret or an environment setting",
    target="ZenML secrets (`{{secret.key}}` references) or environment variables in the pipeline's settings / "
    "YAML `environment:`",
    hint="Put credentials into ZenML secrets and plain settings into config or environment variables of the run.",
    docs=("BP",),
    message="{subject}: becomes a ZenML secret or an environment setting",
    what_it_does='Reports `EnvVar("NAME")`, `EnvVar.int(...)` and every other use of `EnvVar`.',
    why="`EnvVar` defers reading the variable to Dagster's launch time; ZenML reads secrets from its secret "
    "store and environment from the run's settings.",
    fix_safety="No fix: whether a value is a secret is a decision.",
    names=described("EnvVar"),
    examples=(
        flagged(
            "import dagster as dg\n\n\nclass Api(dg.ConfigurableResource):\n    token: str\n    port: int\n\n\n"
            "api = Api(token=dg.EnvVar('API_TOKEN'), port=dg.EnvVar.int('API_PORT'))\n",
        ),
        clean("import os\n\ntoken = os.environ.get('API_TOKEN', '')\n"),
        clean(
            "class EnvVar(str):\n    pass\n\n\ntoken = EnvVar('API_TOKEN')\n", title="trap: a user class called EnvVar"
        ),
    ),
)

RULES = (DZ206, DZ207)
