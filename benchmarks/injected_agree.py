"""Where the project model and migrate disagree on which parameters of an asset Dagster fills itself.

One classification answers "is this parameter config, a resource or the context, not an upstream
asset?": ``ProjectModel.injection`` (the report's asset edges read it, and
``scaffold/step_spec.resource_use``, which parameters a generated step receives as inputs). This
lists every asset parameter on which the model and the generated step still differ (0 expected;
``tests/test_injection.py`` asserts it on the fixture projects).

    python benchmarks/injected_agree.py tests/migrate_projects/* /tmp/repos/*
"""

from __future__ import annotations

import argparse
from typing import Any

from dagster_zenml_lint.project.facts import INPUT, AssetFact
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
            by_model = {p.name for p in fact.params if p.name not in ins and model.injection(p) != INPUT} - context
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
