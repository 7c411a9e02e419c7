"""DZ106's fixer walks a function's body for other bindings of its context only when the body spells the name elsewhere.

Dropping the context parameter is safe only when nothing but its reads names it (no
assignment, ``del``, ``nonlocal``, ``except ... as``, import, loop or walrus target).
Every such binding spells the name, so a body whose only spellings of it are the reads
needs no walk. Whether or not the walk is skipped, the fix is the same: checked with the
walk forced, on bodies that bind the name every way the walk looks for.
"""

from __future__ import annotations

import pytest

from dagster_zenml_lint.config import Config
from dagster_zenml_lint.fixers import log_calls
from dagster_zenml_lint.fixers.crossfile import check_with_fixes

HEAD = (
    "from dagster import AssetExecutionContext, asset\n\n\n"
    "def register(value):\n    return lambda f: f\n\n\n"
    "@asset\ndef table(context: AssetExecutionContext) -> int:\n"
)
BODIES = {
    "reads only": '    context.log.info("built")\n    return 2\n',
    "docstring": '    """Uses the context."""\n    context.log.info("built")\n    return 2\n',
    "longer name": '    my_context = 1\n    context.log.info("built")\n    return my_context\n',
    "assigned": '    context.log.info("built")\n    context = 1\n    return context\n',
    "deleted": '    context.log.info("built")\n    del context\n    return 2\n',
    "nonlocal": (
        '    context.log.info("built")\n\n    def inner():\n        nonlocal context\n        context = 2\n\n'
        "    inner()\n    return 2\n"
    ),
    "except": '    context.log.info("built")\n    try:\n        pass\n    except Exception as context:\n        pass\n'
    "    return 2\n",
    "import": '    import json as context\n    context.log.info("built")\n    return 2\n',
    "loop": '    context.log.info("built")\n    for context in []:\n        pass\n    return 2\n',
    "walrus in the first decorator": (
        "    @register(context := 1)\n    def inner():\n        return 1\n\n"
        '    context.log.info("built")\n    return 2\n'
    ),
}
CONFIG = Config(select=("DZ106",))


def dz106(text: str) -> list[tuple[str | None, tuple, str | None]]:
    """Each DZ106 finding's fix (description and edits) or blocker."""
    findings, _ = check_with_fixes(text, "m.py", config=CONFIG)
    return [
        (f.fix.description if f.fix else None, tuple(f.fix.edits) if f.fix else (), f.fix_blocker)
        for f in findings
        if f.code == "DZ106"
    ]


@pytest.fixture
def walked(monkeypatch):
    """The names whose bindings the fixer looked for by walking a body (the real walk runs)."""
    seen: list[str] = []
    real = log_calls._other_occurrence

    def counting(function, name, reads):
        seen.append(name)
        return real(function, name, reads)

    monkeypatch.setattr(log_calls, "_other_occurrence", counting)
    return seen


@pytest.mark.parametrize("body", sorted(BODIES))
def test_the_fix_is_the_one_the_walk_gives(body, monkeypatch):
    text = HEAD + BODIES[body]
    skipped = dz106(text)
    monkeypatch.setattr(log_calls, "_spelled_elsewhere", lambda ctx, param: True)
    assert skipped == dz106(text)


def test_a_body_that_only_reads_the_context_is_not_walked(walked):
    (outcome,) = dz106(HEAD + BODIES["reads only"])
    assert walked == []
    assert outcome[0] is not None and "drop the unused 'context' parameter" in outcome[0]


@pytest.mark.parametrize("body", ["assigned", "deleted", "loop", "docstring"])
def test_a_body_that_spells_the_name_elsewhere_is_walked(body, walked):
    dz106(HEAD + BODIES[body])
    assert walked == ["context"]
