#!/usr/bin/env bash
# The project's one test command: the README and .ci/run both call this.
# Usage: [PYTHON=path/to/python] bash scripts/test.sh [pytest arguments...]
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

"$PYTHON" -m pytest -q "$@"
status=$?
if [ "$status" -eq 5 ]; then
    # pytest exit 5 = no tests were collected: a broken test run, never a pass
    echo "scripts/test.sh: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
