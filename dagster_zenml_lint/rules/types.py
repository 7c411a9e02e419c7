"""DZ220 Dagster types, DZ221 optional outputs, DZ228 plain input/output specs.

``In`` / ``Out`` / ``Output`` belong to exactly one of these (or to DZ226 for ``Nothing``):
a ``dagster_type=`` or a Dagster type is DZ220, ``is_required=False`` or a conditional
``yield Output(...)`` is DZ221, ``Output(..., metadata=)`` is DZ215, the rest is DZ228.
"""

from __future__ import annotations

import ast

from dagster_zenml_lint.analysis.facts import FileContext, KeywordUse, Reference
from dagster_zenml_lint.registry import Rule, ScaffoldHandling, clean, flagged, lazy_fixer
from dagster_zenml_lint.rules._calls import (
    BRANCH_NODES,
    ancestors,
    argument,
    callee_is,
    dagster_name_of,
    describe,
    described,
    function_name_at,
    has_keyword,
    inside,
    is_false,
    referenced_call,
)
from dagster_zenml_lint.rules._common import APPROXIMATE, LOW, MEDIUM

DAGSTER_TYPE_OBJECTS = (
    "DagsterType",
    "PythonObjectDagsterType",
    "usable_as_dagster_type",
    "make_python_type_usable_as_dagster_type",
    "dagster_type_loader",
    "DagsterTypeLoader",
    "DagsterTypeLoaderContext",
    "TypeCheck",
    "TypeCheckContext",
    "check_dagster_type",
    "DagsterTypeCheckDidNotPass",
    "DagsterTypeCheckError",
)
# Dagster's own spellings of builtin types; inside a config schema they are config types (DZ105).
BUILTIN_TYPES = ("Int", "String", "Bool", "Float", "Any", "List", "Dict", "Optional", "Set", "Tuple")
CONFIG_CALLS = ("Field", "Shape", "Permissive", "Array", "Noneable", "Map", "Selector", "ScalarUnion")
TYPE_FACTORIES = (
    "dagster.DagsterType",
    "dagster.PythonObjectDagsterType",
    "dagster.make_python_type_usable_as_dagster_type",
)
IO_SPECS = ("dagster.In", "dagster.Out", "dagster.DynamicOut")  # GraphIn/GraphOut are DZ204


def _in_config_schema(ref: Reference) -> bool:
    return ref.keyword in ("config_schema", "config") or (ref.keyword_of or "").rsplit(".", 1)[-1] in CONFIG_CALLS


def _spec_type(call: ast.Call | None) -> ast.expr | None:
    """The ``dagster_type`` of an ``In(...)`` / ``Out(...)`` call (first positional or keyword)."""
    return argument(call, "dagster_type", 0)


def _is_dagster_type(ctx: FileContext, node: ast.expr | None) -> bool:
    """True when a type expression is a Dagster type object (not a plain Python type)."""
    if node is None:
        return False
    name = dagster_name_of(ctx, node)
    if name is not None:
        return name != "dagster.Nothing"
    if isinstance(node, ast.Name):
        binding = ctx.model.lookup(node.id, ctx.model.module_scope, (node.lineno, node.col_offset))
        if binding is not None and isinstance(binding.node, ast.Name):
            parent = ctx.parent(binding.node)
            value = getattr(parent, "value", None)
            return value is not None and dagster_name_of(ctx, value) in TYPE_FACTORIES
        if binding is not None and isinstance(binding.node, ast.ClassDef):
            return any(
                dagster_name_of(ctx, deco) == "dagster.usable_as_dagster_type" for deco in binding.node.decorator_list
            )
    return False


def _is_nothing(ctx: FileContext, node: ast.expr | None) -> bool:
    return node is not None and dagster_name_of(ctx, node) == "dagster.Nothing"


def _builtin_type(ctx: FileContext, ref: Reference) -> str | None:
    if _in_config_schema(ref):
        return None
    return describe(ctx, ref, "is a Dagster type")


def _dagster_type_keyword(ctx: FileContext, use: KeywordUse) -> str | None:
    if _is_nothing(ctx, use.keyword.value):
        return None  # DZ226
    return ""


def _positional_dagster_type(ctx: FileContext, ref: Reference) -> str | None:
    """``In(MyDagsterType)`` / ``Out(DataFrameType)``: a Dagster type passed positionally."""
    call = referenced_call(ctx, ref)
    if call is None or not call.args or has_keyword(call, "dagster_type"):
        return None
    if not _is_dagster_type(ctx, call.args[0]):
        return None
    return f"{ref.short}({ctx.segment(call.args[0])}) uses a Dagster type"


def _optional_out(ctx: FileContext, use: KeywordUse) -> str | None:
    if not callee_is(use, "dagster.Out") or not is_false(use.keyword.value):
        return None
    return "Out(is_required=False) declares an output that may not be produced"


def _positional_optional_out(ctx: FileContext, ref: Reference) -> str | None:
    """``Out(T, "description", False)``: ``is_required`` given positionally."""
    call = referenced_call(ctx, ref)
    if call is None or has_keyword(call, "is_required") or not is_false(argument(call, "is_required", 2)):
        return None
    return "Out(..., is_required=False) declares an output that may not be produced"


def _conditional_yield(ctx: FileContext, ref: Reference) -> str | None:
    call = referenced_call(ctx, ref)
    if call is None or not isinstance(ctx.parent(call), ast.Yield):
        return None
    branch = inside(ctx, call, BRANCH_NODES)
    if branch is None:
        return None
    name = argument(call, "output_name", 1)
    label = f"output {ctx.segment(name)} " if name is not None else ""
    function = function_name_at(ctx, call)
    where = f" in '{function}'" if function is not None else ""
    return f"{label}yielded under a condition{where}"


# Methods that look an asset up by its key (``defs.get_assets_def(AssetKey(...))`` in a test):
# the key names an existing asset there, it specifies no input or output.
KEY_LOOKUPS = ("get_assets_def", "get_asset_value", "load_asset_value", "asset_value", "get_asset_graph")


def _asset_key(ctx: FileContext, ref: Reference) -> str | None:
    """``AssetKey`` naming an input or output; not a lookup, a comparison, or ``deps=`` (DZ226)."""
    if ref.keyword == "deps":
        return None  # an ordering-only dependency: DZ226 says ``after=``
    call = referenced_call(ctx, ref)
    parent = ctx.parent(call) if call is not None else None
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) and parent.func.attr in KEY_LOOKUPS:
        return None
    for above in ancestors(ctx, ref.node):
        if isinstance(above, (ast.Assert, ast.Compare)):
            return None  # a key compared with what Dagster built (a test): it specifies nothing
        if isinstance(above, ast.stmt):
            break
    return describe(ctx, ref)


def _plain_spec(ctx: FileContext, ref: Reference) -> str | None:
    """A plain ``In``/``Out``: no Dagster type, no optional flag, not ``Nothing``."""
    call = referenced_call(ctx, ref)
    if call is not None:
        kind = _spec_type(call)
        if has_keyword(call, "dagster_type") or _is_dagster_type(ctx, kind) or _is_nothing(ctx, kind):
            return None
        if ref.canonical == "dagster.Out" and is_false(argument(call, "is_required", 2)):
            return None
    return describe(ctx, ref)


def _plain_output(ctx: FileContext, ref: Reference) -> str | None:
    call = referenced_call(ctx, ref)
    if call is not None and (has_keyword(call, "metadata") or _conditional_yield(ctx, ref) is not None):
        return None
    return describe(ctx, ref)


DZ220 = Rule(
    code="DZ220",
    symbol="dagster-type",
    severity=LOW,
    mapping=APPROXIMATE,
    title="Dagster types become Python type hints",
    target="Python type hints on the step signature, plus a materializer for custom types",
    hint="Replace the Dagster type with a Python type hint and move any runtime type check into validation "
    "code in the step.",
    docs=("ART",),
    message="{subject}: use a Python type hint (and a materializer for custom types)",
    what_it_does="Reports `DagsterType`, `PythonObjectDagsterType`, `@usable_as_dagster_type`, type loaders "
    "and checks, `dagster_type=` arguments, Dagster types passed to `In`/`Out`, and Dagster's own builtin "
    "type names (`dagster.Int`, `dagster.List`, ...) outside config schemas.",
    why="ZenML uses Python type hints to pick a materializer; it runs no Dagster type checks.",
    fix_safety="No fix: a type check that mattered must become explicit validation code.",
    names={
        **described(*DAGSTER_TYPE_OBJECTS),
        **{f"dagster.{n}": _builtin_type for n in BUILTIN_TYPES},
        **{name: _positional_dagster_type for name in IO_SPECS},
    },
    keywords={"dagster_type": _dagster_type_keyword},
    examples=(
        flagged(
            "from dagster import DagsterType, In, op\n\n"
            "EvenInt = DagsterType(name='EvenInt', type_check_fn=lambda _ctx, value: value % 2 == 0)\n\n\n"
            "@op(ins={'n': In(dagster_type=EvenInt)})\ndef half(n):\n    return n // 2\n",
        ),
        clean(
            "from dagster import In, op\n\n\n@op(ins={'n': In(int)})\ndef half(n):\n    return n // 2\n",
            title="a Python type is a plain spec (DZ228)",
        ),
    ),
)

DZ221 = Rule(
    code="DZ221",
    symbol="dagster-optional-output",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Optional outputs have no direct ZenML equivalent",
    target="every ZenML step output is always produced: return `None` or an empty value and branch downstream",
    hint="Always return every output (use `None` or an empty value when there is nothing) and move the "
    "branch downstream, or use a dynamic pipeline that decides what to call.",
    docs=("DYN",),
    message="{subject}: ZenML always produces every step output",
    what_it_does="Reports `Out(is_required=False)` and `yield Output(...)` inside a branch or loop of an op "
    "or asset body.",
    why="In Dagster a missing optional output skips the downstream ops; a ZenML step must return all of its "
    "outputs and every downstream step runs.",
    fix_safety="No fix: the downstream branching has to be redesigned.",
    names={"dagster.Output": _conditional_yield, "dagster.Out": _positional_optional_out},
    keywords={"is_required": _optional_out},
    examples=(
        flagged(
            "from dagster import Out, Output, op\n\n\n"
            "@op(out={'rows': Out(is_required=False)})\ndef maybe_rows(n: int):\n"
            "    if n > 0:\n        yield Output(n, 'rows')\n",
        ),
        clean(
            "from dagster import Out, Output, op\n\n\n@op(out={'rows': Out()})\ndef rows():\n"
            "    yield Output(1, 'rows')\n"
        ),
    ),
)

DZ228 = Rule(
    code="DZ228",
    scaffold=ScaffoldHandling(
        resolved=True,
        note=(
            "asset inputs and outputs are wired by calling the steps in the pipeline; outputs are named "
            'with Annotated[T, "name"].'
        ),
    ),
    symbol="dagster-io-spec",
    severity=LOW,
    mapping=APPROXIMATE,
    title="Input/output specs become step signatures",
    target='step parameters and `Annotated[T, "name"]` outputs wired by calling steps in the pipeline; '
    "across pipelines the shared `Model`'s `get_step_context().model.get_artifact(...)` (or "
    "`Client().get_artifact_version(...)`) or `ExternalArtifact`",
    hint="Move names and types into the step signature, wire inputs by calling steps in the pipeline, and "
    "load artifacts from other pipelines by name.",
    docs=("ART",),
    message="{subject}: becomes a step parameter / named output",
    what_it_does="Reports `AssetIn`, `AssetDep`, `AssetKey`, plain `In(...)` / `Out(...)` and plain "
    "`Output(value)` wrappers (those with a Dagster type, `is_required=False`, `Nothing` or metadata have "
    "their own rules).",
    why="ZenML wires data by passing step outputs to step calls; asset keys and IO specs have no registry to live in.",
    fix_safety="`In(T)`/`Out(T)` given to an `@op` move into its signature with the op's fix (DZ101): safe when "
    "the op converts safely; other specs are rewritten by hand.",
    fixer=lazy_fixer("dagster_zenml_lint.fixers.components:fix_io_spec"),
    names={
        **described("AssetIn", "AssetDep", "ResolvedAssetKey"),
        "dagster.AssetKey": _asset_key,
        **{name: _plain_spec for name in IO_SPECS if name != "dagster.DynamicOut"},
        "dagster.Output": _plain_output,
    },
    examples=(
        flagged(
            "from dagster import AssetIn, asset\n\n\n@asset(ins={'raw': AssetIn(key='raw_orders')})\n"
            "def orders(raw: int) -> int:\n    return raw\n"
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.op(out={'total': dg.Out(int)})\ndef total() -> int:\n    return 1\n",
            "from typing import Annotated\n\nfrom zenml import step\n\n\n"
            '@step\ndef total() -> Annotated[int, "total"]:\n    return 1\n',
            title="a plain Out: the output's name moves into the return annotation",
        ),
        clean(
            "from dagster import In, Nothing, op\n\n\n@op(ins={'after': In(Nothing)})\ndef last():\n    return 1\n",
            title="In(Nothing) is DZ226",
        ),
        clean(
            "from dagster import Out, op\n\n\n@op(out=Out(is_required=False))\ndef maybe():\n    return None\n",
            title="an optional Out is DZ221",
        ),
    ),
)

RULES = (DZ220, DZ221, DZ228)
