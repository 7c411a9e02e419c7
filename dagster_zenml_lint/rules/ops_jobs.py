"""DZ101 `@op` and DZ102 `@job`: the direct mappings to `@step` and `@pipeline`."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from dagster_zenml_lint.registry import Rule, ScaffoldHandling, clean, flagged, lazy_fixer
from dagster_zenml_lint.rules._common import DIRECT, INFO

if TYPE_CHECKING:
    from dagster_zenml_lint.analysis.facts import FileContext, Reference

LONGEST_SHOWN_CALL = 60  # a longer call form is shown as ``op(...)``


def _call_form_subject(ctx: FileContext, ref: Reference) -> str:
    """A call form's subject names the call as written and what it is assigned to (decorators: the default).

    ``load = op(name="x")(_load)`` is reported as ``op(name="x")(_load) assigned to 'load'``.
    """
    if ref.role != "call" or ref.call is None:
        return ""
    outermost: ast.AST = ref.call
    parent = ctx.parent(outermost)
    while isinstance(parent, ast.Call) and parent.func is outermost:  # op(...)(fn)
        outermost, parent = parent, ctx.parent(parent)
    written = " ".join(ctx.segment(outermost).split())
    shown = written if len(written) <= LONGEST_SHOWN_CALL else f"{ctx.segment(ref.node)}(...)"
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return f"{shown} assigned to '{parent.targets[0].id}'"
    return shown


DZ101 = Rule(
    code="DZ101",
    scaffold=ScaffoldHandling(resolved=True),
    symbol="dagster-op",
    severity=INFO,
    mapping=DIRECT,
    title="`@op` maps to `@step`",
    target="`@step` (`from zenml import step`)",
    hint="Rename the decorator to `@step`; op arguments (retry, out, config) follow their own rules.",
    docs=("STEPS",),
    message="{subject}: becomes a ZenML @step",
    what_it_does="Reports Dagster ops: `@op`, `@op(...)` and `op(fn)`.",
    why="A Dagster op is a unit of compute, exactly what a ZenML step is.",
    fix_safety=(
        "Safe when the op takes no Dagster context and its decorator arguments all map. A call form "
        "assigned to a name at module level (`load = op(_load)`, `op(...)(_load)`) gets the same rewrite "
        "(`step(_load)`); other call forms keep a blocker naming the call."
    ),
    names={"dagster.op": _call_form_subject},
    fixer=lazy_fixer("dagster_zenml_lint.fixers.components:fix_op"),
    examples=(
        flagged(
            "from dagster import Out, op\n\n\n@op(name='double', out=Out(int))\ndef twice(x: int):\n    return 2 * x\n",
            fixed="from zenml import step\n\n\n@step(name='double')\ndef twice(x: int) -> int:\n    return 2 * x\n",
            title="`out=Out(T)` becomes the return annotation",
        ),
        flagged(
            "from dagster import op\n\n\ndef _twice(x: int) -> int:\n    return 2 * x\n\n\n"
            "twice = op(name='double')(_twice)\n",
            fixed="from zenml import step\n\n\ndef _twice(x: int) -> int:\n    return 2 * x\n\n\n"
            "twice = step(name='double')(_twice)\n",
            title="`op(...)(fn)`, the decorator applied by hand, becomes `step(...)(fn)`",
        ),
        flagged("from dagster import op\n\n\n@op\ndef add_one(x: int) -> int:\n    return x + 1\n"),
        flagged("import dagster as dg\n\n\n@dg.op(name='double')\ndef twice(x: int) -> int:\n    return 2 * x\n"),
        clean("from zenml import step\n\n\n@step\ndef add_one(x: int) -> int:\n    return x + 1\n"),
        clean("from operator import add\n\n\ndef op(fn):\n    return fn\n\n\n@op\ndef f():\n    return add(1, 2)\n"),
    ),
)

DZ102 = Rule(
    code="DZ102",
    scaffold=ScaffoldHandling(resolved=True),
    symbol="dagster-job",
    severity=INFO,
    mapping=DIRECT,
    title="`@job` maps to `@pipeline`",
    target="`@pipeline` (`from zenml import pipeline`)",
    hint="Rename the decorator to `@pipeline` when the body only wires ops; job arguments follow their own rules.",
    docs=("STEPS",),
    message="{subject}: becomes a ZenML @pipeline",
    what_it_does="Reports Dagster jobs: `@job`, `@job(...)` and `job(fn)`.",
    why="A job that wires ops is what a ZenML pipeline that calls steps is.",
    fix_safety=(
        "Safe when the job has no arguments beyond `name=` and its body only calls ops; "
        "`my_job = job(_wire)` becomes `pipeline(_wire)` on the same terms."
    ),
    names={"dagster.job": _call_form_subject},
    fixer=lazy_fixer("dagster_zenml_lint.fixers.components:fix_job"),
    examples=(
        flagged(
            "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n@job\ndef my_job():\n"
            "    one()\n\n\nif __name__ == '__main__':\n    my_job.execute_in_process()\n",
            fixed="from zenml import pipeline, step\n\n\n@step\ndef one() -> int:\n    return 1\n\n\n"
            "@pipeline\ndef my_job():\n    one()\n\n\nif __name__ == '__main__':\n    my_job()\n",
            title="the job, its ops and `execute_in_process()` convert together",
        ),
        flagged(
            "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n"
            "@job\ndef my_job():\n    one()\n"
        ),
        flagged(
            "from dagster import job, op\n\n\ndef _one() -> int:\n    return 1\n\n\none = op(_one)\n\n\n"
            "def _wire():\n    one()\n\n\nmy_job = job(_wire)\n",
            fixed="from zenml import pipeline, step\n\n\ndef _one() -> int:\n    return 1\n\n\none = step(_one)\n\n\n"
            "def _wire():\n    one()\n\n\nmy_job = pipeline(_wire)\n",
            title="`job(fn)` and `op(fn)` convert together like their decorators",
        ),
        clean("from zenml import pipeline\n\n\n@pipeline\ndef my_pipeline():\n    pass\n"),
    ),
)

RULES = (DZ101, DZ102)
