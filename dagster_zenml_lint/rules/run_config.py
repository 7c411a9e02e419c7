"""DZ217: run config (``RunConfig``, ``run_config=`` dicts, job ``config=``) becomes YAML config."""

from __future__ import annotations

from dagster_zenml_lint.analysis.facts import FileContext, KeywordUse
from dagster_zenml_lint.registry import Rule, ScaffoldHandling, clean, flagged
from dagster_zenml_lint.rules._calls import callee_is, described
from dagster_zenml_lint.rules._common import APPROXIMATE, LOW


def _job_config(ctx: FileContext, use: KeywordUse) -> str | None:
    """``config=`` on a job (run config for the whole job), not on other objects."""
    if callee_is(use, "dagster.job", "dagster.define_asset_job", "dagster.RunRequest"):
        return ""
    if use.callee is None and use.callee_name.endswith(".to_job"):
        return ""
    return None


DZ217 = Rule(
    code="DZ217",
    scaffold=ScaffoldHandling(
        note=(
            "the job's run config values are in configs/*.yaml under `steps.<step>.parameters`; ZenML's "
            "YAML override rules differ from Dagster's."
        )
    ),
    symbol="dagster-run-config",
    severity=LOW,
    mapping=APPROXIMATE,
    title="Run config becomes ZenML YAML config",
    target="`configs/dev.yaml` / `configs/prod.yaml` applied with `with_options(config_path=...)`, or pipeline "
    "arguments",
    hint="Translate the run config into pipeline arguments and per-environment YAML (`parameters:`, "
    "`steps.<name>.parameters`), and document the different override rules.",
    docs=("YAML",),
    message="{subject}: move these values to ZenML YAML config or pipeline arguments",
    what_it_does="Reports `RunConfig(...)`, `run_config=` arguments, `config=` on jobs, config mappings and "
    "the `config_from_files` / `config_from_yaml_strings` loaders.",
    why="ZenML configures runs with YAML files and pipeline parameters; Dagster's nested run-config "
    "dictionaries (`ops`, `resources`, `execution`) have no counterpart.",
    fix_safety="No fix.",
    names=described(
        "RunConfig",
        "config_mapping",
        "config_from_files",
        "config_from_yaml_strings",
        "config_from_pkg_resources",
        "validate_run_config",
    ),
    keywords={"run_config": None, "config": _job_config},
    examples=(
        flagged(
            "from dagster import Config, RunConfig, job, op\n\n\nclass LoadConfig(Config):\n    limit: int = 10\n\n\n"
            "@op\ndef load(config: LoadConfig) -> int:\n    return config.limit\n\n\n"
            "@job(config=RunConfig(ops={'load': LoadConfig(limit=5)}))\ndef nightly():\n    load()\n",
        ),
        clean(
            "from dagster import job, op\n\n\n@op\ndef load() -> int:\n    return 1\n\n\n"
            "@job\ndef nightly():\n    load()\n"
        ),
    ),
)

RULES = (DZ217,)
