"""DZ313: Dagster components (``dagster.components``, ``defs.yaml``) have no ZenML equivalent.

``defs.yaml`` files themselves are read by :mod:`dagster_zenml_lint.components_yaml`.
"""

from __future__ import annotations

from dagster_zenml_lint.registry import MissingFeature, Rule, clean, flagged
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import ABSENT, HIGH

COMPONENT_OBJECTS = (
    "Component",
    "Resolvable",
    "ComponentLoadContext",
    "ComponentTree",
    "ComponentTypeSpec",
    "ComponentFormConfig",
    "DefinitionsComponent",
    "DefsFolderComponent",
    "FunctionComponent",
    "PythonScriptComponent",
    "UvRunComponent",
    "SqlComponent",
    "TemplatedSqlComponent",
    "StateBackedComponent",
    "ResolutionContext",
    "Resolver",
    "ResolvedAssetSpec",
    "ResolvedAssetCheckSpec",
    "Model",
    "Scaffolder",
    "ScaffoldRequest",
    "scaffold_with",
    "scaffold_component",
    "component_instance",
    "component_defs",
    "build_component_defs",
    "build_defs_for_component",
    "get_all_components_defs_within_project",
    "get_component_defs_within_project",
    "load_from_defs_folder",
    "load_defs",
    "template_var",
    "DefsStateConfig",
    "DefsStateConfigArgs",
    "ResolvedDefsStateConfig",
    "AssetAttributesModel",
    "UPathDefsStateStorage",
)

DZ313 = Rule(
    code="DZ313",
    missing_feature=MissingFeature(
        "Declarative pipeline components", "pipelines and steps generated from YAML component definitions."
    ),
    symbol="dagster-components",
    severity=HIGH,
    mapping=ABSENT,
    title="Dagster components have no ZenML equivalent",
    target="explicit steps and pipelines in code for each component instance",
    hint="Write each component instance out as explicit steps and pipelines in Python; ZenML has no "
    "declarative component system.",
    docs=("STEPS",),
    message="{subject}: ZenML has no components; write explicit steps and pipelines",
    what_it_does="Reports `dagster.components` objects (`Component`, `Resolvable`, `ComponentLoadContext`, the "
    "built-in components, scaffolding), `load_from_defs_folder`, `load_defs`, the `*Component` classes of "
    "integration packages, and (through the CLI and the report) each component instance in a `defs.yaml`.",
    why="Components build Dagster definitions from YAML and templates at load time; ZenML pipelines are "
    "plain Python code with nothing that generates them.",
    fix_safety="No fix.",
    names={
        **described(*COMPONENT_OBJECTS),
        **described("dagster*.*Component", "dagster_components.*", "dagster_dg*.*"),
    },
    examples=(
        flagged(
            "import dagster as dg\n\n\nclass Greeting(dg.Component, dg.Resolvable):\n    name: str\n\n"
            "    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:\n"
            "        return dg.Definitions()\n",
        ),
        flagged(
            "from pathlib import Path\n\nimport dagster as dg\n\n"
            "defs = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)\n",
            title="loading a defs folder",
        ),
        clean(
            "class Component:\n    pass\n\n\nclass Greeting(Component):\n    pass\n",
            title="a local class named Component",
        ),
    ),
)

RULES = (DZ313,)
