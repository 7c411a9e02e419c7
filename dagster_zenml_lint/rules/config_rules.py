"""DZ105: Dagster run configuration (``Config`` classes, ``config_schema=``, ``context.op_config``)."""

from __future__ import annotations

from dagster_zenml_lint.analysis.facts import FileContext, Reference
from dagster_zenml_lint.registry import Rule, ScaffoldHandling, clean, flagged, lazy_fixer
from dagster_zenml_lint.rules._calls import describe, described
from dagster_zenml_lint.rules._common import DIRECT, LOW

# The legacy (schema-based) config system: reported where a schema is built outside a
# ``config_schema=`` argument (inside one, the keyword itself is the finding).
LEGACY_CONFIG_TYPES = (
    "Field",
    "Shape",
    "Permissive",
    "Selector",
    "Array",
    "Noneable",
    "Map",
    "Enum",
    "EnumValue",
    "ScalarUnion",
    "StringSource",
    "IntSource",
    "BoolSource",
    "ConfigSchema",
)
CONFIG_KEYWORDS = ("config_schema", "config")


def _legacy_config_type(ctx: FileContext, ref: Reference) -> str | None:
    """A legacy config type, unless it sits inside a schema argument or another config type."""
    if ref.keyword in CONFIG_KEYWORDS:
        return None
    if (ref.keyword_of or "").rsplit(".", 1)[-1] in LEGACY_CONFIG_TYPES:
        return None
    return describe(ctx, ref, "(legacy config schema)")


DZ105 = Rule(
    code="DZ105",
    scaffold=ScaffoldHandling(
        note="the Dagster Config class is a pydantic model; its values come from configs/*.yaml."
    ),
    symbol="dagster-config",
    severity=LOW,
    mapping=DIRECT,
    title="Dagster config becomes typed step/pipeline parameters",
    target="typed `@step` / `@pipeline` parameters (or one pydantic model parameter); values in "
    "`configs/*.yaml` applied with `with_options(config_path=...)`",
    hint="Expose each config field as a typed step or pipeline parameter (or keep one pydantic model parameter) "
    "and move the values into `configs/dev.yaml` / `configs/prod.yaml`.",
    docs=("YAML",),
    message="{subject}: becomes typed step/pipeline parameters",
    what_it_does="Reports classes deriving from `Config` / `PermissiveConfig`, `config_schema=` arguments, legacy "
    "schema types (`Field`, `Shape`, `Permissive`, ... built outside a `config_schema=`), `configured(...)`, "
    "`ConfigMapping`, and reads of `context.op_config` / `context.resource_config`.",
    why="ZenML has no separate config object: a step's configuration is its typed parameters, filled from the "
    "pipeline call or from a YAML file.",
    fix_safety="Unsafe: turning a `Config` class into parameters changes the function signature, its call sites "
    "and where the values live.",
    names={
        **described("Config", "PermissiveConfig", "ConfigMapping", "configured"),
        **{f"dagster.{name}": _legacy_config_type for name in LEGACY_CONFIG_TYPES},
    },
    keywords={"config_schema": None},
    context_attrs=("op_config", "resource_config", "solid_config"),
    fixer=lazy_fixer("dagster_zenml_lint.fixers.config_models:fix_config_class"),
    examples=(
        flagged(
            "import dagster as dg\n\n\nclass ScaleConfig(dg.Config):\n    factor: int = 2\n",
            fixed="import pydantic\n\n\n"
            "# Migration note: ScaleConfig was Dagster run config; step parameter values now come from "
            "configs/*.yaml\n"
            "class ScaleConfig(pydantic.BaseModel):\n    factor: int = 2\n",
            unsafe=True,
            title="unsafe fix: a pydantic model with a migration note",
        ),
        flagged(
            "import dagster as dg\n\n\nclass ScaleConfig(dg.Config):\n    factor: int = 2\n\n\n@dg.op\n"
            "def scale(config: ScaleConfig) -> int:\n    return config.factor\n",
        ),
        flagged(
            "from dagster import Field, op\n\n\n@op(config_schema={'factor': Field(int, default_value=2)})\n"
            "def scale(context) -> int:\n    return context.op_config['factor']\n",
            title="legacy `config_schema=` read through `context.op_config`",
        ),
        clean(
            "from zenml import step\n\n\n@step\ndef scale(factor: int = 2) -> int:\n    return factor\n",
        ),
        clean(
            "from pydantic import BaseModel\n\n\nclass Config(BaseModel):\n    factor: int = 2\n\n\n"
            "class ScaleConfig(Config):\n    pass\n",
            title="trap: the user's own class called Config",
        ),
    ),
)

RULES = (DZ105,)
