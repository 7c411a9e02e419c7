"""Where the flake8 and pylint plugins' cost goes, measured inside one run of the host tool.

Comparing two separate runs (with and without the plugin) on a machine shared with other
work gives noisy ratios: a burst of load elsewhere moves either run by more than the
plugin costs. This script instead runs flake8 or pylint once, with the plugin, in this
process and adds up the CPU time (``time.process_time``) spent

* importing the plugin (for pylint: loading it and registering the checkers);
* in the plugin's per-file hooks (flake8: ``DagsterZenmlChecker.run``; pylint: the
  checkers' ``visit_module``);
* (flake8 only) in flake8's own noqa map of a file whose every reported error is a DZ
  finding: flake8 tokenizes a file again the first time anything is reported in it, so
  that work exists only because the plugin reported something there.

and prints each part against the rest of the run (the run without the plugin)::

    python benchmarks/plugin_share.py flake8 CORPUS
    python benchmarks/plugin_share.py pylint CORPUS

Both parts come from the same process on the same files, so load elsewhere scales them
alike. What the sum leaves out is the host's handling of the reported messages
(formatting, ``--select`` and noqa decisions: tens of milliseconds for 2,000 findings).

Garbage collections that happen to start inside a hook are not the plugin's: the collector
then walks the host's objects (pylint's astroid trees: 3.5 s of collections in a 200-file
run, with or without the plugin: 3.48 s / 14 full collections with it, 3.49 s / 14 without).
Counting one full collection that falls in a hook would move the pylint share by 3%, at
random, so the time of collections is taken out of the hooks and shown apart as "not
counted". Use the ``PYTHONPATH``
of the checkout under test; compile its bytecode first (``python -m compileall``) as an
installed package has it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

clock = time.process_time


class Collections:
    """The CPU time of the garbage collector so far (``gc.callbacks``)."""

    seconds = 0.0
    _started = 0.0

    @classmethod
    def callback(cls, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            cls._started = clock()
        else:
            cls.seconds += clock() - cls._started


gc.callbacks.append(Collections.callback)


def hook_time(start: float, collections_at_start: float, spent: Spent | None) -> float:
    """CPU seconds since ``start`` without the collections in between (those go to ``spent`` apart)."""
    collected = Collections.seconds - collections_at_start
    if spent is not None:
        spent.not_counted += collected
    return clock() - start - collected


class Spent:
    """CPU seconds by part."""

    def __init__(self) -> None:
        self.parts: dict[str, float] = {}
        self.not_counted = 0.0  # garbage collections that started inside the plugin's hooks

    def add(self, part: str, seconds: float) -> None:
        self.parts[part] = self.parts.get(part, 0.0) + seconds

    def report(self, tool: str, total: float) -> str:
        ours = sum(self.parts.values())
        rest = total - ours
        rows = ", ".join(
            f"{part} {seconds:.3f} s ({seconds / rest * 100:+.1f}%)" for part, seconds in self.parts.items()
        )
        rows += f"; not counted: garbage collections during the hooks {self.not_counted:.3f} s"
        return (
            f"{tool}: {total:.2f} s CPU in all; without the plugin's share {rest:.2f} s; "
            f"the plugin {ours:.3f} s = {ours / rest * 100:+.1f}% ({rows})"
        )


def timed_generator(function: Callable[..., Iterator[Any]], spent: Spent, part: str) -> Callable[..., Iterator[Any]]:
    """``function`` (a generator function) with the CPU time of producing its items added to ``part``."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        start, collections = clock(), Collections.seconds
        items = list(function(*args, **kwargs))
        spent.add(part, hook_time(start, collections, spent))
        yield from items

    return wrapper


def timed(function: Callable[..., Any], spent: Spent, part: str) -> Callable[..., Any]:
    """``function`` with its CPU time added to ``part``."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start, collections = clock(), Collections.seconds
        try:
            return function(*args, **kwargs)
        finally:
            spent.add(part, hook_time(start, collections, spent))

    return wrapper


def run_flake8(arguments: list[str], spent: Spent) -> None:
    """flake8 with the plugin; the noqa map of a file that only the plugin reported in is the plugin's."""
    from flake8 import checker, processor
    from flake8.main.cli import main

    start, collections = clock(), Collections.seconds
    from dagster_zenml_lint import flake8_plugin

    spent.add("import", hook_time(start, collections, spent))
    flake8_plugin.DagsterZenmlChecker.run = timed_generator(  # type: ignore[method-assign]
        flake8_plugin.DagsterZenmlChecker.run, spent, "per file"
    )

    mapping = processor.FileProcessor.__dict__["_noqa_line_mapping"]
    build = mapping.func
    map_seconds: dict[int, float] = {}

    def timed_mapping(self: Any) -> dict[int, str]:
        start, collections = clock(), Collections.seconds
        try:
            return build(self)
        finally:
            map_seconds[id(self)] = hook_time(start, collections, None)

    replacement = functools.cached_property(timed_mapping)
    replacement.__set_name__(processor.FileProcessor, "_noqa_line_mapping")
    processor.FileProcessor._noqa_line_mapping = replacement  # type: ignore[assignment]

    run_checks = checker.FileChecker.run_checks

    def run_checks_and_charge(self: Any) -> Any:
        result = run_checks(self)
        codes = {row[0] for row in self.results}
        if codes and all(code.startswith("DZ") for code in codes) and self.processor is not None:
            spent.add("flake8's noqa map of DZ-only files", map_seconds.get(id(self.processor), 0.0))
        return result

    checker.FileChecker.run_checks = run_checks_and_charge  # type: ignore[method-assign]
    with contextlib.suppress(SystemExit):
        main(["--jobs", "1", *arguments])


def run_pylint(arguments: list[str], spent: Spent) -> None:
    """pylint with the plugin loaded through ``--load-plugins``."""
    import pylint.checkers  # noqa: F401  (pylint's own import, not the plugin's)
    from pylint.lint import Run

    start, collections = clock(), Collections.seconds
    from dagster_zenml_lint import pylint_plugin

    spent.add("import", hook_time(start, collections, spent))
    pylint_plugin.register = timed(pylint_plugin.register, spent, "register")
    pylint_plugin.DagsterChecker.visit_module = timed(  # type: ignore[method-assign]
        pylint_plugin.DagsterChecker.visit_module, spent, "per file"
    )
    with contextlib.suppress(SystemExit):
        Run(["--jobs", "1", "--persistent", "n", "--score", "n", "--load-plugins", "dagster_zenml_lint", *arguments])


def main() -> int:
    if len(sys.argv) < 3 or sys.argv[1] not in ("flake8", "pylint"):
        print("usage: plugin_share.py flake8|pylint [TOOL OPTIONS] PATH...", file=sys.stderr)
        return 2
    tool, arguments = sys.argv[1], sys.argv[2:]
    spent = Spent()
    start = clock()
    # the tools' reports are not what is measured
    with open(os.devnull, "w", encoding="utf-8") as devnull, contextlib.redirect_stdout(devnull):
        (run_flake8 if tool == "flake8" else run_pylint)(arguments, spent)
    print(spent.report(tool, clock() - start))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
