"""``report --format json`` writes its record with its own encoder: the text of ``json.dumps(indent=2)``.

Compared with the standard library on values built to trip an encoder (escapes, non-ASCII,
nesting, empty containers, tuples, subclasses, booleans next to integers) and on the
report of a real fixture project; values it does not write itself (floats, keys that are
not strings) go to ``json.dumps`` whole.
"""

from __future__ import annotations

import enum
import json
from pathlib import Path

import pytest

from dagster_zenml_lint.commands.report import render_report
from dagster_zenml_lint.report.json_report import dumps

FIXTURES = Path(__file__).parent / "migrate_projects"


class Kind(str, enum.Enum):
    ASSET = "asset"


class Level(enum.IntEnum):
    HIGH = 3


def reference(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        "",
        None,
        0,
        -12,
        10**30,
        True,
        {"a": [], "b": {}, "c": [[]], "d": [{}], "e": [[[1, [2, []]]]]},
        {'quote"back\\slash': "tab\tnew\nline\rbell\x07 nul\x00 del\x7f", "é": "naïve – “quotes” 日本 🙂"},
        {"lone surrogate": "\ud800", "line sep": "\u2028\u2029"},
        ("tuple", ("nested",), []),
        [True, False, None, 1, "1", Kind.ASSET, Level.HIGH],
        {"kind": Kind.ASSET, "level": Level.HIGH, "list": [Level.HIGH, {"x": (1, 2)}]},
        {"fix": None, "findings": [{"code": "DZ101", "line": 3, "fix": {"applicability": "safe"}}] * 3},
    ],
)
def test_dumps_writes_what_json_dumps_writes(value: object):
    assert dumps(value) == reference(value)


@pytest.mark.parametrize(
    "value", [{"ratio": 0.5}, [float("nan"), float("inf"), -0.0, 1e300], {1: "int key"}, {"a": {None: 1, True: 2}}]
)
def test_what_dumps_does_not_write_itself_is_json_dumps_text(value: object):
    assert dumps(value) == reference(value)


def test_dumps_refuses_what_json_refuses():
    with pytest.raises(TypeError):
        dumps({"path": Path("x")})


@pytest.mark.parametrize("project", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_a_json_report_is_json_dumps_text_of_its_own_record(project: str):
    text = render_report([str(FIXTURES / project)], "json")
    assert text == reference(json.loads(text)) + "\n"
