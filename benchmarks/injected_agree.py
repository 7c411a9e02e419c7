"""Where the project model and migrate disagree on which parameters of an asset Dagster fills itself.

Two derivations answer "is this parameter config or a resource, not an upstream asset?":
``ProjectModel._is_injected`` (the report's asset edges) and ``scaffold/inventory.resource_use``
(which parameters a generated step receives as inputs). Until one of them is gone (issue 14:
inventory.py into the model), this lists every asset parameter on which they differ.

    python benchmarks/injected_agree.py tests/migrate_projects/* /tmp/repos/*
"""

from __future__ import annotations

import argparse
from typing import Any

from dagster_zenml_lint.project.facts import AssetFact
from dagster_zenml_lint.scaffold import generate
from dagster_zenml_lint.scaffold import plan as plan_module
from dagster_zenml_lint.scaffold.generate import ScaffoldError


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="+", help="Dagster projects, each migrated on its own")
    args = parser.parse_args()
    found: list[tuple[str, str, list[str], list[str]]] = []
    build_step = plan_module._step

    def compare(model: Any, path: str, ctx: Any, info: Any, fact: Any, checked: Any) -> Any:
        spec = build_step(model, path, ctx, info, fact, checked)
        if isinstance(fact, AssetFact):
            ins = dict(fact.ins)
            context = {info.context.name if info.context is not None else "context", "context"}
            by_model = {p.name for p in fact.params if p.name not in ins and model._is_injected(p)} - context
            arguments = info.node.args
            names = [a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]]
            by_migrate = {n for n in names if n not in spec.inputs and n not in ins} - context
            if by_model != by_migrate:
                found.append((path, info.node.name, sorted(by_model - by_migrate), sorted(by_migrate - by_model)))
        return spec

    plan_module._step = compare  # type: ignore[assignment]
    for root in args.roots:
        try:
            generate.generate_project([root])
        except ScaffoldError as exc:
            print(f"{root}: skipped ({exc})")
    for path, asset, model_only, migrate_only in found:
        print(f"{path}: {asset}: injected for the model only {model_only}, for migrate only {migrate_only}")
    print(f"{len(found)} asset(s) on which the two disagree")


if __name__ == "__main__":
    main()
