"""Record or compare the output of ``check`` on corpora, to prove a speed change kept every finding.

Run it once before a change to record, and after it to compare::

    python benchmarks/same_findings.py record OUTDIR DIR...
    python benchmarks/same_findings.py compare OUTDIR DIR...

For every directory it stores the JSON output of ``check --jobs 1 --no-cache`` (findings
with their fixes) and the plain text output; ``compare`` exits 1 and names the first
directory whose output differs byte for byte. Use the ``PYTHONPATH`` of the checkout
under test.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

COMMANDS = {
    "json": ["--output-format", "json"],
    "text": [],
}


def outputs(directory: Path) -> dict[str, bytes]:
    """The outputs of ``check`` on ``directory``, by format name."""
    results = {}
    for name, flags in COMMANDS.items():
        command = [sys.executable, "-m", "dagster_zenml_lint", "check", "--jobs", "1", "--no-cache", *flags]
        completed = subprocess.run([*command, str(directory)], capture_output=True, check=False)
        if completed.returncode not in (0, 1):
            raise SystemExit(f"{directory}: exit code {completed.returncode}\n{completed.stderr.decode()[-2000:]}")
        results[name] = completed.stdout
    return results


def stored_name(directory: Path, name: str) -> str:
    """A file name for one directory's output in one format."""
    digest = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:12]
    return f"{directory.name}-{digest}.{name}"


def main(argv: list[str]) -> int:
    """``record`` or ``compare`` the outputs for every directory given."""
    if len(argv) < 3 or argv[0] not in ("record", "compare"):
        print("usage: same_findings.py record|compare OUTDIR DIR...", file=sys.stderr)
        return 2
    mode, store, directories = argv[0], Path(argv[1]), [Path(d) for d in argv[2:]]
    store.mkdir(parents=True, exist_ok=True)
    differ = 0
    for directory in directories:
        for name, produced in outputs(directory).items():
            target = store / stored_name(directory, name)
            if mode == "record":
                target.write_bytes(produced)
                print(f"recorded {directory} ({name}, {len(produced.splitlines())} lines)")
            elif target.read_bytes() != produced:
                differ += 1
                print(f"DIFFERENT: {directory} ({name}); recorded in {target}")
            else:
                print(f"same: {directory} ({name})")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
