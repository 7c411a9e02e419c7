#!/usr/bin/env bash
# The project's one test command: the README and .ci/run both call this.
# Usage: [PYTHON=path/to/python] [TEST_WORKERS=N] bash scripts/test.sh [pytest arguments...]
#
# With pytest-xdist installed (the `test` extra) the suite runs in one worker per usable
# CPU (TEST_WORKERS overrides; 1 = serial), `--dist loadgroup` so tests marked with the
# same `xdist_group` share a worker (once pytest-xdist can: 3.8 under pytest 9 spreads them
# like `--dist load`). Arguments that choose the workers or plugins yourself
# (`-n`, `--numprocesses`, `--dist`, `-p no:xdist`) win: then none are added, and
# `-p no:xdist` or `-n 0` is the plain serial run.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

# Whether the arguments already say how to distribute (or not to).
chooses_workers() {
    local previous=""
    for argument in "$@"; do
        case "$argument" in
            -n* | --numprocesses | --numprocesses=* | --dist | --dist=* | -pno:xdist)
                return 0
                ;;
        esac
        if [ "$previous" = "-p" ] && [ "$argument" = "no:xdist" ]; then
            return 0
        fi
        previous="$argument"
    done
    return 1
}

parallel=()
if ! chooses_workers "$@" && "$PYTHON" -c "import xdist" 2>/dev/null; then
    workers="${TEST_WORKERS:-$("$PYTHON" -c "import os; print(len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count() or 1)")}"
    case "$workers" in
        '' | *[!0-9]*)
            echo "scripts/test.sh: TEST_WORKERS must be a number of workers, not '$workers'" >&2
            exit 2
            ;;
    esac
    if [ "$workers" -gt 1 ]; then
        parallel=(-n "$workers" --dist loadgroup)
    fi
fi

"$PYTHON" -m pytest -q ${parallel[@]+"${parallel[@]}"} "$@"
status=$?
if [ "$status" -eq 5 ]; then
    # pytest exit 5 = no tests were collected: a broken test run, never a pass
    echo "scripts/test.sh: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
