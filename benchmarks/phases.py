"""The cold ``check`` cut into phases, to count each one's instructions under callgrind.

``python benchmarks/phases.py PHASE DIR`` runs the phases of ``check --jobs 1 --no-cache``
up to and including PHASE over the files under DIR, in one process, as ``check`` runs
them; the instructions of a phase are those of its run minus those of the run before it::

    for phase in interpreter imports rules discover read parse names walk match check; do
        valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
            python benchmarks/phases.py $phase DIR 2>&1 | grep Collected
    done

``check`` is the whole command (``main``), so its run minus ``match`` is what is left:
suppressions, results and output. Use the ``PYTHONPATH`` of the checkout to measure, with
its bytecode compiled (as an installed package has it).
"""

from __future__ import annotations

import sys

PHASES = ("interpreter", "imports", "rules", "discover", "read", "parse", "names", "walk", "match", "check")


def run(phase: str, directory: str) -> None:
    """The phases of a cold ``check`` up to ``phase``, over the files under ``directory``."""
    upto = PHASES.index(phase)
    if upto < PHASES.index("imports"):
        return
    if phase == "check":
        from dagster_zenml_lint.cli import main

        main(["check", "--jobs", "1", "--no-cache", directory])
        return
    import ast
    import gc

    from dagster_zenml_lint import cli

    gc.set_threshold(cli.GC_THRESHOLD, 50, 100)  # as main() does before it imports the command
    import dagster_zenml_lint.commands.check  # noqa: F401  # what the command imports before it lints
    from dagster_zenml_lint.analysis.walk import analyze
    from dagster_zenml_lint.config import Config
    from dagster_zenml_lint.discovery import discover
    from dagster_zenml_lint.engine import check_source
    from dagster_zenml_lint.registry import all_rules, build_index
    from dagster_zenml_lint.runner import worth_reading
    from dagster_zenml_lint.semantic import SemanticModel
    from dagster_zenml_lint.source import decode_source, read_bytes

    if upto < PHASES.index("rules"):
        return
    all_rules()
    build_index()
    if upto < PHASES.index("discover"):
        return
    config = Config()
    files = list(discover([directory], config))
    if upto < PHASES.index("read"):
        return
    texts = []
    for file in files:
        data = read_bytes(file.location)
        if worth_reading(data):
            texts.append((file.location, decode_source(data, file.location).text))
    if upto < PHASES.index("parse"):
        return
    for path, text in texts:
        tree = ast.parse(text, filename=path)
        if phase == "names":
            SemanticModel(tree, statements_only=True)
        elif phase == "walk":
            analyze(path, text, tree)
        elif phase == "match":
            check_source(text, path, tree=tree, config=config)


def main(argv: list[str]) -> int:
    """``phases.py PHASE DIR``."""
    if len(argv) != 2 or argv[0] not in PHASES:
        print(f"usage: phases.py {{{','.join(PHASES)}}} DIR", file=sys.stderr)
        return 2
    run(argv[0], argv[1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
