"""The future ZenML steps as the generator plans them (:class:`StepSpec`, held by :class:`Steps`), built from
the project model by :func:`~dagster_zenml_lint.scaffold.plan.step_specs`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dagster_zenml_lint.analysis.facts import FunctionInfo
from dagster_zenml_lint.scaffold.names import NameSet, python_name


@dataclass
class StepSpec:
    """A future ZenML step: one op, asset or multi-asset function."""

    name: str  # the step's name in ZenML: the function name, made unique across modules
    kind: str  # op | asset | multi_asset | check
    module: str  # the source path, relative to the migrated root
    line: int
    function: FunctionInfo
    outputs: list[str] = field(default_factory=list)  # artifact names (asset keys / op out names)
    inputs: dict[str, str] = field(default_factory=dict)  # parameter -> upstream asset key
    order_after: list[str] = field(default_factory=list)  # deps= asset keys (ordering only)
    injected: dict[str, str] = field(default_factory=dict)  # parameter -> Config or resource class Dagster filled
    resource_uses: dict[str, str] = field(default_factory=dict)  # context.resources.<key> -> resource class
    resources: tuple[str, ...] = ()  # parameters and context.resources keys that hold Dagster resources
    # resource key -> class, for resources with a lifecycle: set up by the pipeline's on_init hook and read
    # from the pipeline state, so neither a step parameter (``injected``) nor configured in the YAML;
    # "" for a ``@resource`` function (Inventory.resource_functions)
    lifecycle: dict[str, str] = field(default_factory=dict)
    # resource key -> the type of what the step reads from the pipeline state, where it is not the class in
    # ``lifecycle``: what a factory's create_resource or a @resource function made ("" when not known)
    state_types: dict[str, str] = field(default_factory=dict)
    partitioned: bool = False
    time_window: bool = False
    io_manager_key: str | None = None
    checked: str | None = None  # for an asset check: the asset key it checks
    blocking: bool = False

    @property
    def function_name(self) -> str:
        """The name of the Dagster function in the source."""
        return self.function.node.name


class Steps(list[StepSpec]):
    """Every step of the generated project (``Project.steps``), in source order, graph-backed assets'
    terminal steps last."""

    def step(self, name: str) -> StepSpec | None:
        """The step named ``name``, if any."""
        return next((s for s in self if s.name == name), None)

    def asset_producers(self) -> dict[str, tuple[StepSpec, str]]:
        """Asset key -> (step producing it, output name)."""
        return {out: (s, out) for s in self if s.kind in ("asset", "multi_asset") for out in s.outputs}

    def checks_of(self, step_names: list[str]) -> list[StepSpec]:
        """Asset checks whose asset is produced by one of the given steps."""
        producers = self.asset_producers()
        return [
            s
            for s in self
            if s.kind == "check" and s.checked in producers and producers[s.checked][0].name in step_names
        ]


def unique_step_names(steps: list[StepSpec]) -> None:
    """Every step gets a safe, unique name: its function's name when that is free, else ``<name>_<module>``.

    Two modules may both define ``extract``: later ones (by path) become ``extract_<module>``
    (``src/ops.v2.py`` -> ``extract_src_ops_v2``); names that are not safe identifiers are
    made safe by :func:`~dagster_zenml_lint.scaffold.names.python_name`.
    """
    taken = NameSet()
    for step in steps:
        name = python_name(step.name, taken, suffix="_step")
        if name != python_name(step.name, (), suffix="_step"):  # the plain name is taken: say where it is from
            stem = Path(step.module).with_suffix("").as_posix()
            name = python_name(f"{step.name}_{stem}", taken, suffix="_step")
        step.name = name
        taken.add(name)
