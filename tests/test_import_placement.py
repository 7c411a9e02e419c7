"""New imports go where isort puts them (issue 16 item 6): ``ruff check --select I`` stays clean.

``import logging`` joins the standard-library section, ``from zenml import step`` and
``import pydantic`` the third-party one, each at its sorted place; a Dagster import
that goes away takes the blank line of its section along. Checked with the real ruff
(isort rules, default settings) on the fixed text of every rule example and functional
fixture whose input is already sorted, and on hand-written layouts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fuzz_strategies import FIXTURES_DIR

from dagster_zenml_lint.fixers.apply import fix_text
from dagster_zenml_lint.registry import all_rules

pytest.importorskip("ruff")


def unsorted(directory: Path) -> set[str]:
    """Names of the files in ``directory`` that ruff's isort rule (I001) reports."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I", "--output-format", "json", "."],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    return {Path(item["filename"]).name for item in json.loads(result.stdout or "[]")}


def fixed_pairs() -> list[tuple[str, str, str]]:
    """(name, input, fixed text) for every example and fixture that a fix changes."""
    pairs = []
    for rule in all_rules():
        for index, example in enumerate(rule.examples):
            for unsafe in (False, True):
                fixed = fix_text(example.code, "m.py", unsafe=unsafe).text
                if example.flagged and fixed != example.code:
                    pairs.append((f"{rule.code.lower()}_{index}_{int(unsafe)}", example.code, fixed))
    for path in sorted(FIXTURES_DIR.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for unsafe in (False, True):
            fixed = fix_text(text, str(path), unsafe=unsafe).text
            if fixed != text:
                pairs.append((f"{path.stem}_{int(unsafe)}", text, fixed))
    return pairs


def test_fixed_examples_and_fixtures_stay_sorted(tmp_path):
    pairs = fixed_pairs()
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    for name, text, fixed in pairs:
        (before / f"{name}.py").write_text(text, encoding="utf-8")
        (after / f"{name}.py").write_text(fixed, encoding="utf-8")
    sorted_inputs = {f"{name}.py" for name, _text, _fixed in pairs} - unsorted(before)
    assert len(sorted_inputs) > 30  # most examples are isort-clean: the test covers them
    assert unsorted(after) & sorted_inputs == set()


OP = "\n\n@op\ndef a():\n    return 1\n"
LOGGER = "\n\nlog = get_dagster_logger()\n"
CASES = [
    # (input, fixed text with --fix)
    ("from dagster import op\n" + OP, "from zenml import step\n\n\n@step\ndef a():\n    return 1\n"),
    (
        "import os\n\nfrom dagster import op\n" + OP,
        "import os\n\nfrom zenml import step\n\n\n@step\ndef a():\n    return 1\n",
    ),
    (
        "import os\n\nfrom dagster import op\nfrom pandas import DataFrame\n\nfrom . import helpers\n" + OP,
        "import os\n\nfrom pandas import DataFrame\nfrom zenml import step\n\nfrom . import helpers\n\n\n"
        "@step\ndef a():\n    return 1\n",
    ),
    (
        "from dagster import op\n\nfrom . import helpers\n" + OP,
        "from zenml import step\n\nfrom . import helpers\n\n\n@step\ndef a():\n    return 1\n",
    ),
    (
        "from dagster import get_dagster_logger" + LOGGER,
        'import logging\n\nlog = logging.getLogger("dagster.builtin")\n',
    ),
    (
        "import os\nimport sys\n\nfrom dagster import get_dagster_logger" + LOGGER,
        'import logging\nimport os\nimport sys\n\nlog = logging.getLogger("dagster.builtin")\n',
    ),
    (
        "import sys\n\nfrom dagster import get_dagster_logger\nfrom pandas import DataFrame" + LOGGER,
        'import logging\nimport sys\n\nfrom pandas import DataFrame\n\nlog = logging.getLogger("dagster.builtin")\n',
    ),
    (
        "from dagster import get_dagster_logger\nfrom pandas import DataFrame" + LOGGER,
        'import logging\n\nfrom pandas import DataFrame\n\nlog = logging.getLogger("dagster.builtin")\n',
    ),
    (
        '"""Docs."""\n\nfrom __future__ import annotations\n\nfrom dagster import get_dagster_logger' + LOGGER,
        '"""Docs."""\n\nfrom __future__ import annotations\n\nimport logging\n\n'
        'log = logging.getLogger("dagster.builtin")\n',
    ),
    (
        "from dagster import job, op\nfrom zenml import pipeline\n" + OP,
        "from zenml import pipeline, step\n\n\n@step\ndef a():\n    return 1\n",
    ),
    (
        "from dagster import job, op\nfrom zenml import when\n" + OP,
        "from zenml import step, when\n\n\n@step\ndef a():\n    return 1\n",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_new_imports_join_their_section_in_order(tmp_path, text, expected):
    (tmp_path / "given.py").write_text(text)
    assert unsorted(tmp_path) == set(), "the input must be isort-clean for the test to mean anything"
    fixed = fix_text(text, "m.py").text
    assert fixed == expected
    (tmp_path / "given.py").write_text(fixed)
    assert unsorted(tmp_path) == set()


def test_a_module_logger_goes_after_the_block_and_logging_into_the_standard_library():
    text = (
        "import os\n\nimport dagster as dg\n\n\n@dg.op\ndef load(context) -> int:\n"
        "    context.log.info(os.sep)\n    return 0\n"
    )
    fixed = fix_text(text, "m.py", unsafe=True).text
    assert fixed.startswith(
        "import logging\nimport os\n\nfrom zenml import step\n\nlogger = logging.getLogger(__name__)\n"
    )
