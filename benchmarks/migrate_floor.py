"""What ``migrate`` must do beyond ``report``'s work on the fixed files alone: a floor under its cost.

    python benchmarks/migrate_floor.py DIR [--runs N]

``migrate`` writes ``MIGRATION_REPORT.md`` from its own analysis, so it costs at least what
``report --no-cache`` costs. Beyond that, each Dagster file its direct fixes changed must be
parsed and compiled (the guard: a fix never hands back code that does not compile; it compiles
the top-level statements the fixes changed, ``fixers.apply._Unchanged``) and
analysed again (the code it copies is the fixed code). This script reads DIR as ``migrate``
does (``scaffold.sources.load_sources``), then times those three steps alone on the fixed
texts (the fastest of ``--runs`` runs each, CPU time, cyclic garbage collector off, as the
command runs). Add the CPU time of ``report --no-cache`` on DIR and compare the sum with
the cold ``check``: no generation, no file written, and no fix worked out is in it.
"""

from __future__ import annotations

import argparse
import ast
import gc
import time
from pathlib import Path

from dagster_zenml_lint.analysis.walk import analyze
from dagster_zenml_lint.fixers.apply import _compiler_error, _Unchanged
from dagster_zenml_lint.scaffold.sources import load_sources


def at_least_one(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def main() -> None:
    """Time the guard and the analysis of every fixed text of DIR and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="the Dagster project")
    parser.add_argument("--runs", type=at_least_one, default=3, help="runs of each step (the fastest is kept)")
    args = parser.parse_args()
    gc.disable()
    _, modules, _ = load_sources([args.path])
    fixed = [(m.relpath, m.fixed_text) for m in modules if m.context is not None and m.fixed_text != m.text]
    originals = [
        _Unchanged(m.context.text, m.context.tree) for m in modules if m.context is not None and m.fixed_text != m.text
    ]
    fastest: dict[str, float] = {}
    for _ in range(args.runs):
        start = time.process_time()
        trees = [ast.parse(text) for _, text in fixed]
        parsed = time.process_time()
        for (_, text), tree, original in zip(fixed, trees, originals, strict=True):
            _compiler_error(original.changed(text, tree) or tree)  # as the guard does
        compiled = time.process_time()
        for (relpath, text), tree in zip(fixed, trees, strict=True):
            analyze(relpath, text, tree)
        analysed = time.process_time()
        for name, seconds in (
            ("parse", parsed - start),
            ("compile", compiled - parsed),
            ("analyse", analysed - compiled),
        ):
            fastest[name] = min(fastest.get(name, seconds), seconds)
    print(f"{len(fixed)} Dagster files changed by the direct fixes, of {len(modules)} Python files")
    for name, seconds in fastest.items():
        print(f"  {name:<8} {seconds:6.3f} s CPU")
    print(f"  {'together':<8} {sum(fastest.values()):6.3f} s CPU (beyond report --no-cache)")


if __name__ == "__main__":
    main()
