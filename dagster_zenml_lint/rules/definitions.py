"""DZ212: ``Definitions`` / ``@repository``, the composition root, becomes plain modules plus a ``run.py``."""

from __future__ import annotations

from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import APPROXIMATE, LOW

DEFINITIONS_OBJECTS = (
    "Definitions",
    "definitions",
    "repository",
    "RepositoryDefinition",
    "create_repository_using_definitions_args",
    "with_resources",
    "load_definitions_from_module",
    "load_definitions_from_modules",
    "load_definitions_from_current_module",
    "load_definitions_from_package_module",
    "load_definitions_from_package_name",
    "load_assets_from_modules",
    "load_assets_from_package_module",
    "load_assets_from_current_module",
    "load_assets_from_package_name",
    "find_modules_in_package",
)

DZ212 = Rule(
    code="DZ212",
    symbol="dagster-definitions",
    severity=LOW,
    mapping=APPROXIMATE,
    title="`Definitions` becomes pipelines in modules, a `run.py` entry point and a stack",
    target="pipelines in `pipelines/`, one step per file in `steps/`, a `run.py` entry point, configs in "
    "`configs/`, infrastructure in the ZenML stack",
    hint="Rebuild the composition root as plain modules: pipelines under `pipelines/`, a `run.py` that calls "
    "them, and the resources and executor moved into the stack.",
    docs=("STEPS",),
    message="{subject}: becomes pipeline modules plus a run.py entry point",
    what_it_does="Reports `Definitions(...)` (and `Definitions.merge`), the `@definitions` decorator, legacy "
    "`@repository` / `RepositoryDefinition`, `with_resources`, the `load_definitions_from_*` loaders and the "
    "`load_assets_from_*` "
    "loaders (which collect assets, each reported where it is defined). "
    "Its keywords are reported by their own rules (`resources=` DZ206, `executor=` DZ213, ...).",
    why="ZenML has no registry object: a pipeline is found by importing it, and infrastructure comes from the "
    "active stack.",
    fix_safety="No fix: the project layout must be rebuilt.",
    names=described(*DEFINITIONS_OBJECTS),
    examples=(
        flagged(
            "from dagster import Definitions, asset\n\n\n@asset\ndef orders() -> list[int]:\n    return [1]\n\n\n"
            "defs = Definitions(assets=[orders])\n",
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.op\ndef one() -> int:\n    return 1\n\n\n@dg.job\ndef my_job():\n"
            "    one()\n\n\n@dg.repository\ndef my_repo():\n    return [my_job]\n",
            title="a legacy repository",
        ),
        flagged(
            "from dagster import Definitions, load_assets_from_modules\n\nfrom . import orders\n\n"
            "defs = Definitions(assets=load_assets_from_modules([orders]))\n",
            title="assets collected from modules",
        ),
        clean(
            "from zenml import pipeline, step\n\n\n@step\ndef one() -> int:\n    return 1\n\n\n@pipeline\n"
            "def my_pipeline():\n    one()\n\n\nif __name__ == '__main__':\n    my_pipeline()\n",
        ),
        clean(
            "class Definitions:\n    def __init__(self, **parts):\n        self.parts = parts\n\n\n"
            "defs = Definitions(assets=[])\n",
            title="trap: the user's own class called Definitions",
        ),
    ),
)

RULES = (DZ212,)
