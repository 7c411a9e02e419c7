"""DZ204 ``@graph`` (and ``.to_job()``) and DZ211 dynamic fan-out (``DynamicOut``, ``.map()``/``.collect()``)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo, Match
from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import APPROXIMATE, MEDIUM

# Bodies that compose ops: there, ``.map()`` / ``.collect()`` can only act on dynamic outputs.
COMPOSITION_DECORATORS = {"job", "graph", "graph_asset", "graph_multi_asset"}
DYNAMIC_METHODS = ("map", "collect")


def _statements(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """Every node of a function body, not descending into nested functions or classes."""
    stack: list[ast.AST] = list(reversed(function.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _composes_ops(function: FunctionInfo) -> bool:
    return bool(function.kinds & COMPOSITION_DECORATORS)


def dynamic_fan_out(ctx: FileContext) -> Iterator[Match]:
    """``.map(...)`` / ``.collect()`` calls inside job and graph bodies."""
    dynamic_calls: bool | None = None  # asked once, at the first job or graph body
    for function in ctx.functions:
        if not _composes_ops(function):
            continue
        if dynamic_calls is None:
            # ``ctx.calls`` holds every call of the file: without a ``.map``/``.collect`` call
            # among them no body can match, and the bodies need no walk.
            dynamic_calls = any(
                type(call.func) is ast.Attribute and call.func.attr in DYNAMIC_METHODS for call in ctx.calls
            )
        if not dynamic_calls:
            return
        for node in _statements(function.node):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in DYNAMIC_METHODS
            ):
                receiver = " ".join(ctx.segment(node.func.value).split())
                if len(receiver) > 40:
                    receiver = receiver[:37] + "..."
                yield Match(
                    "DZ211",
                    node.func.lineno,
                    node.func.col_offset,
                    f"{receiver}.{node.func.attr}(...) in '{function.node.name}' fans out over a dynamic output",
                    node,
                )


def to_job_calls(ctx: FileContext) -> Iterator[Match]:
    """``x.to_job(...)`` on a graph the engine could not trace (imported from the user's package)."""
    if "to_job" not in ctx.text or not ctx.imports_dagster():
        return  # cheap pre-filter: the loop below is the detection
    known = {id(m.node) for m in ctx.methods}
    for node in ctx.calls:
        if isinstance(node.func, ast.Attribute) and node.func.attr == "to_job" and id(node.func) not in known:
            receiver = " ".join(ctx.segment(node.func.value).split())
            yield Match("DZ204", node.func.lineno, node.func.col_offset, f"{receiver}.to_job()", node)


DZ204 = Rule(
    code="DZ204",
    symbol="dagster-graph",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="`@graph` becomes a pipeline or is inlined into one",
    target="a `@pipeline` (when the graph becomes a job) or a plain helper function that calls steps inside a pipeline",
    hint="Turn a graph that becomes a job into the pipeline; inline a graph reused inside other graphs as a plain "
    "helper called from the pipeline.",
    docs=("STEPS",),
    message="{subject}: becomes a pipeline or is inlined into one",
    what_it_does="Reports `@graph`, `GraphDefinition`, `GraphIn`, `GraphOut` and `.to_job(...)` on a graph.",
    why="ZenML pipelines do not nest: there is no graph object between a step and a pipeline.",
    fix_safety="Unsafe at best: a `@graph` turned into a job by `.to_job()` can become a `@pipeline`, but the "
    "job's arguments (resources, config, executor) need their own migration.",
    names=described("graph", "GraphDefinition", "GraphIn", "GraphOut"),
    methods={"to_job": None},
    detectors=(to_job_calls,),
    examples=(
        flagged(
            "from dagster import graph, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n@op\n"
            "def double(x: int) -> int:\n    return 2 * x\n\n\n@graph\ndef compute():\n    double(one())\n\n\n"
            "compute_job = compute.to_job(name='compute_job')\n",
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.op\ndef one() -> int:\n    return 1\n\n\n"
            "@dg.graph(out={'result': dg.GraphOut()})\ndef nested():\n    return {'result': one()}\n",
            title="a graph with declared outputs",
        ),
        clean(
            "from zenml import pipeline, step\n\n\n@step\ndef one() -> int:\n    return 1\n\n\n@pipeline\n"
            "def compute():\n    one()\n",
        ),
        clean(
            "def graph(edges):\n    return {a: b for a, b in edges}\n\n\ng = graph([(1, 2)])\n",
            title="trap: a local function called graph",
        ),
    ),
)

DZ211 = Rule(
    code="DZ211",
    symbol="dagster-dynamic-output",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Dynamic outputs become a dynamic pipeline or a fixed fan-out",
    target="`@pipeline(dynamic=True)` with `some_step.map(...)` (on an orchestrator that supports dynamic "
    "pipelines), or a fixed fan-out",
    hint="Use a dynamic pipeline only on an orchestrator that supports it; otherwise fan out over a fixed number "
    "of steps or process the items inside one step.",
    docs=("DYN",),
    message="{subject}: needs a ZenML dynamic pipeline or a fixed fan-out",
    what_it_does="Reports `DynamicOut`, `DynamicOutput` and `.map(...)` / `.collect()` calls inside job and "
    "graph bodies (they act on dynamic outputs).",
    why="A static ZenML pipeline has a fixed set of steps; fanning out over runtime data needs "
    "`@pipeline(dynamic=True)`, which only some orchestrators support (ZenML refuses to run it on a stack "
    "whose orchestrator does not). In a dynamic pipeline the pipeline function itself runs as orchestration "
    "code, `on_success=`/`on_failure=` run once for the run instead of per step, and the DAG is known only "
    "while it runs.",
    fix_safety="No fix: it needs a stack with dynamic pipelines or a redesign.",
    names=described("DynamicOut", "DynamicOutput", "DynamicOutputDefinition"),
    detectors=(dynamic_fan_out,),
    examples=(
        flagged(
            "from dagster import DynamicOut, DynamicOutput, job, op\n\n\n@op(out=DynamicOut())\ndef files():\n"
            "    for name in ['a', 'b']:\n        yield DynamicOutput(name, mapping_key=name)\n\n\n@op\n"
            "def size(name: str) -> int:\n    return len(name)\n\n\n@op\ndef total(sizes: list[int]) -> int:\n"
            "    return sum(sizes)\n\n\n@job\ndef sizes_job():\n    total(files().map(size).collect())\n",
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.op(out=dg.DynamicOut(int))\ndef numbers():\n"
            "    yield dg.DynamicOutput(1, mapping_key='one')\n",
            title="`dg` alias",
        ),
        clean(
            "from zenml import pipeline, step\n\n\n@step\ndef size(name: str) -> int:\n    return len(name)\n\n\n"
            "@pipeline\ndef sizes():\n    for name in ['a', 'b']:\n        size(name)\n",
        ),
        clean(
            "from dagster import op\n\n\n@op\ndef lengths(names: list[str]) -> list[int]:\n"
            "    return list(map(len, names))\n",
            title="the builtin map inside an op body is not a fan-out",
        ),
    ),
)

RULES = (DZ204, DZ211)
