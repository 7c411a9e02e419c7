"""Turn one op, asset or multi-asset into the code of a ZenML step.

The function is taken from the text after the direct fixes (so a fixed ``@op`` already
reads ``@step(...)``). What is still Dagster is translated here: the decorator (assets
never get an automatic fix), the return annotation (asset names become output artifact
names, ``Annotated[T, "name"]``), and the context parameter (``context.log`` becomes a
module logger, ``context.partition_key`` a ``partition_key`` parameter, anything else
``get_step_context()`` with a TODO). Every finding inside the function that is not a
direct mapping becomes a marker comment at the top of the body.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import cast

from dagster_zenml_lint.analysis.facts import FileContext, FunctionInfo
from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.registry import rules_by_code, scaffold_resolved_codes
from dagster_zenml_lint.rules._calls import argument
from dagster_zenml_lint.rules.caching import DZ240
from dagster_zenml_lint.rules.graphs import DZ211
from dagster_zenml_lint.rules.integrations import DZ225
from dagster_zenml_lint.rules.io_logic import DZ309
from dagster_zenml_lint.rules.io_managers import DZ205
from dagster_zenml_lint.scaffold import markers
from dagster_zenml_lint.scaffold.code import (
    LINE_WIDTH,
    CopiedCode,
    ImportedName,
    Replacement,
    indentation,
    mentions,
    raise_lines,
    walk_nodes,
)
from dagster_zenml_lint.scaffold.names import docstring_text, py_literal, python_name
from dagster_zenml_lint.scaffold.sources import SourceModule
from dagster_zenml_lint.scaffold.step_spec import IOManagerSpec, StepSpec
from dagster_zenml_lint.semantic import child_nodes
from dagster_zenml_lint.source import first_line, python_lines

STEP_DECORATORS = frozenset({"dagster.op", "dagster.asset", "dagster.multi_asset", "dagster.asset_check"})
# Decorator arguments the generator carries over or expresses elsewhere (pipeline wiring,
# output names, markers of their own rules).
HANDLED_ARGUMENTS = frozenset(
    {
        "name",
        "out",
        "outs",
        "ins",
        "deps",
        "key_prefix",
        "key",
        "retry_policy",
        "partitions_def",
        "io_manager_key",
        "required_resource_keys",
        "config_schema",
        "specs",
        "can_subset",
        "backfill_policy",
        "automation_condition",
        "auto_materialize_policy",
        "freshness_policy",
        "check_specs",
        "tags",
        "op_tags",
        "pool",
        "asset",
        "blocking",
    }
)
DESCRIPTIVE_ARGUMENTS = frozenset(
    {
        "description",
        "group_name",
        "compute_kind",
        "kinds",
        "owners",
        "metadata",
        "code_version",
        "output_required",
        "dagster_type",
        "non_argument_deps",
        "config",
        "resource_defs",
    }
)
PARTITION_PARAMS = ("partition_key",)
OUTPUT = "dagster.Output"
DYNAMIC_OUT = "dagster.DynamicOut"
DYNAMIC_OUTPUT = "dagster.DynamicOutput"
MATERIALIZE_RESULT = "dagster.MaterializeResult"  # an asset that stores no value: the step returns None

ZENML_STEP = ImportedName("zenml", "step", "step")
ANNOTATED = ImportedName("typing", "Annotated", "Annotated")
ANY = ImportedName("typing", "Any", "Any")
ARTIFACT_CONFIG = ImportedName("zenml", "ArtifactConfig", "ArtifactConfig")
CACHE_POLICY = ImportedName("zenml.config", "CachePolicy", "CachePolicy")
LOGGING = ImportedName("logging", None, "logging")
GET_STEP_CONTEXT = ImportedName("zenml", "get_step_context", "get_step_context")
STEP_RETRY = ImportedName("zenml.config", "StepRetryConfig", "StepRetryConfig")


@dataclass
class StepCode:
    """The translated function of one step and what it needs around it."""

    spec: StepSpec
    text: str  # the function, decorators included
    imports: set[ImportedName] = field(default_factory=set)  # imports the translation itself adds
    needs_logger: bool = False
    parameters: list[str] = field(default_factory=list)  # extra parameters the pipeline must pass
    dynamic: bool = False  # a DynamicOut op whose DynamicOutput items became one returned list


def node_end(node: ast.expr | ast.stmt) -> tuple[int, int]:
    """Where a parsed node ends (``ast.parse`` always sets both; typeshed types them optional)."""
    return cast(int, node.end_lineno), cast(int, node.end_col_offset)


def _fixed_function(module: SourceModule, name: str) -> tuple[FileContext, FunctionInfo]:
    """The function in the text after the direct fixes, else (a fix moved it) in the original text."""
    for ctx in (module.fixed_context, module.context):
        if ctx is None:
            continue
        for info in ctx.functions:
            if info.node.name == name and info.parent_class is None and info.node in ctx.tree.body:
                return ctx, info
    raise LookupError(f"function {name!r} not found at module level of {module.relpath}")


def _step_decorator_ids(info: FunctionInfo) -> set[int]:
    """The ids of the nodes that name the function's Dagster step decorators (``op``, ``asset``, ...)."""
    return {id(d.node) for d in info.decorators if d.canonical in STEP_DECORATORS}


def _retry(ctx: FileContext, node: ast.expr | None) -> str | None:
    """``retry=StepRetryConfig(...)`` for a ``RetryPolicy`` whose arguments map exactly (ints, no backoff)."""
    if not isinstance(node, ast.Call) or node.args:
        return None
    values = {k.arg: k.value for k in node.keywords}
    if set(values) - {"max_retries", "delay"}:
        return None
    if not all(isinstance(v, ast.Constant) and type(v.value) is int for v in values.values()):
        return None
    parts = [f"max_retries={ctx.segment(values['max_retries']) if 'max_retries' in values else '1'}"]
    if "delay" in values:
        parts.append(f"delay={ctx.segment(values['delay'])}, backoff=1")
    return f"StepRetryConfig({', '.join(parts)})"


def _out_type(ctx: FileContext, node: ast.expr | None) -> str:
    if isinstance(node, ast.Call):
        arg = node.args[0] if node.args else argument(node, "dagster_type")
        if arg is not None and not (isinstance(arg, ast.Constant) and arg.value is None):
            return ctx.segment(arg)
    return "Any"


def _tuple_elements(ctx: FileContext, annotation: ast.expr | None, count: int) -> list[str] | None:
    if not isinstance(annotation, ast.Subscript):
        return None
    base = annotation.value
    if not (isinstance(base, ast.Name) and base.id in ("tuple", "Tuple")):
        return None
    elements = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
    if len(elements) != count:
        return None
    return [ctx.segment(e) for e in elements]


class _Translation:
    """The state of translating one function (decorator, signature, body edits, markers)."""

    def __init__(
        self, spec: StepSpec, module: SourceModule, findings: list[Finding], io_manager: IOManagerSpec | None
    ) -> None:
        self.spec = spec
        self.io_manager = io_manager
        self.module = module
        self.ctx, self.info = _fixed_function(module, spec.function_name)
        self.node = self.info.node
        # every node of the function, in ast.walk's order: the body's questions read this one walk
        self.nodes = tuple(walk_nodes(self.node))
        self.findings = findings
        self.dimensions: tuple[tuple[str, str], ...] = ()  # multi-partition dimension -> its key parameter
        self.imports: set[ImportedName] = set()
        self.notes: list[str] = []
        self.todos: list[list[str]] = []
        self.extra_params: list[str] = []
        self.needs_logger = False
        self.needs_step_context = False
        self.dynamic = False  # the DynamicOutput items are collected into a list the step returns
        self.cache_function: str | None = None  # returns the Dagster code_version for the cache policy
        self.code_version = False  # the decorator had code_version= (the notes say what became of it)

    # -- decorator ------------------------------------------------------------------
    def decorators(self) -> list[str]:
        """The decorator lines: Dagster ones become ``@step(...)``, the others stay as written."""
        rendered: list[str] = []
        dagster = _step_decorator_ids(self.info)
        originals = self._originals_of_fixed_decorators()
        for index, deco in enumerate(self.node.decorator_list):
            target = deco.func if isinstance(deco, ast.Call) else deco
            if id(target) in dagster or id(deco) in dagster:
                rendered.append(self.step_decorator(deco if isinstance(deco, ast.Call) else None, self.ctx))
            elif index in originals and self.module.context is not None:
                # a direct fix already wrote ``@step(...)``: translate the Dagster decorator it
                # replaced, so the step gets what an unfixed op gets (enable_cache=False, notes)
                original = originals[index]
                call = original if isinstance(original, ast.Call) else None
                rendered.append(self.step_decorator(call, self.module.context))
            else:
                rendered.append("@" + self.ctx.segment(deco))
        return rendered

    def _originals_of_fixed_decorators(self) -> dict[int, ast.expr]:
        """Index -> the original Dagster step decorator at that place, where a direct fix replaced it.

        The fixes rewrite a decorator in place and never add or drop one, so the fixed
        function's decorator at the same index is the rewritten one.
        """
        original = self.spec.function
        if self.ctx is self.module.context or len(original.node.decorator_list) != len(self.node.decorator_list):
            return {}
        dagster = _step_decorator_ids(original)
        fixed_dagster = _step_decorator_ids(self.info)
        found: dict[int, ast.expr] = {}
        pairs = zip(original.node.decorator_list, self.node.decorator_list, strict=True)  # same length: checked
        for index, (before, after) in enumerate(pairs):
            before_target = before.func if isinstance(before, ast.Call) else before
            after_target = after.func if isinstance(after, ast.Call) else after
            if (id(before) in dagster or id(before_target) in dagster) and not (
                id(after) in fixed_dagster or id(after_target) in fixed_dagster
            ):
                found[index] = before
        return found

    def step_decorator(self, call: ast.Call | None, ctx: FileContext) -> str:
        """``@step`` with the arguments that map (``name=``, ``retry=``); notes for the rest.

        ``ctx`` is the text ``call`` was parsed from (the original one when a fix rewrote it).
        """
        self.imports.add(ZENML_STEP)
        arguments: list[str] = []
        if call is not None:
            name = argument(call, "name")
            if (
                self.spec.kind == "op"
                and isinstance(name, ast.Constant)
                and isinstance(name.value, str)
                and name.value != self.node.name
            ):
                arguments.append(f"name={py_literal(name.value)}")
            retry_node = argument(call, "retry_policy")
            if retry_node is not None:
                retry = _retry(ctx, retry_node)
                if retry is not None:
                    self.imports.add(STEP_RETRY)
                    arguments.append(f"retry={retry}")
                else:
                    self.notes.append(
                        "the RetryPolicy could not be mapped exactly (float delay, backoff or jitter); "
                        "configure StepRetryConfig(max_retries=..., delay=..., backoff=...) by hand."
                    )
            dropped = sorted(
                k.arg
                for k in call.keywords
                if k.arg and k.arg not in HANDLED_ARGUMENTS and k.arg in DESCRIPTIVE_ARGUMENTS
            )
            unknown = sorted(
                k.arg
                for k in call.keywords
                if k.arg and k.arg not in HANDLED_ARGUMENTS and k.arg not in DESCRIPTIVE_ARGUMENTS
            )
            code_version = argument(call, "code_version")
            if code_version is not None:
                self.code_version = True
                dropped = [k for k in dropped if k != "code_version"]
                arguments.extend(self.cache_policy(code_version, ctx))
            if self.spec.kind == "asset":  # the output's ArtifactConfig(tags=...) carries them
                dropped = [k for k in dropped if k not in ("owners", "kinds")]
            if dropped:
                self.notes.append(f"Dagster-only arguments not carried over: {', '.join(dropped)}.")
            if unknown:
                self.notes.append(f"decorator arguments without a ZenML counterpart: {', '.join(unknown)}.")
        uncached = self.uncached_reason()
        if uncached is not None:
            arguments = [a for a in arguments if not a.startswith("cache_policy=")]  # it never caches
            if self.cache_function is not None:
                self.cache_function = None
                self.imports.discard(CACHE_POLICY)
                self.notes = [n for n in self.notes if not n.startswith("cache_policy=")]
                self.notes.append(
                    "the Dagster code_version= is not used: this step is never cached (see enable_cache=False) (DZ240)."
                )
            arguments.append("enable_cache=False")
            self.notes.insert(
                0,
                f"enable_cache=False: {uncached}; Dagster ran it on every run, ZenML would skip it "
                "when its code and inputs are unchanged.",
            )
        return f"@step({', '.join(arguments)})" if arguments else "@step"

    def cache_policy(self, code_version: ast.expr, ctx: FileContext) -> list[str]:
        """``cache_policy=CachePolicy(include_step_code=False, cache_func=<step>_code_version)`` for ``code_version=``.

        Dagster's ``code_version`` says when an asset's logic changed; ZenML's default cache key
        holds the step's code instead. The generated function returns the Dagster version, so
        ZenML reuses a cached result while the version and the inputs are unchanged (an edit of
        the body alone does not re-run it) and re-runs the step once the version is bumped.
        """
        taken = {n.id for n in ast.walk(self.ctx.tree) if isinstance(n, ast.Name)}
        taken |= {n.name for n in ast.walk(self.ctx.tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        name = python_name(f"{self.spec.name}_code_version", taken | {self.spec.name})
        if isinstance(code_version, ast.Constant) and isinstance(code_version.value, str):
            value = py_literal(code_version.value)
        else:
            value = f"str({ctx.segment(code_version)})"  # cache_func must return a string
        summary = docstring_text(f"The Dagster code_version of `{self.spec.name}`: ZenML's cache key for the step.")
        self.cache_function = f'def {name}() -> str:\n    """{summary}"""\n    return {value}\n'
        self.imports.add(CACHE_POLICY)
        self.notes.append(
            f"cache_policy=: ZenML reuses the cached result while the Dagster code_version "
            f"({ctx.segment(code_version)}, returned by {name}) and the inputs are unchanged, even after "
            f"the code changes; bump the version in {name} when the logic changes (DZ240)."
        )
        return [f"cache_policy=CachePolicy(include_step_code=False, cache_func={name})"]

    def uncached_reason(self) -> str | None:
        """Why ZenML must not cache this step (it reads or writes outside the artifact store), or None."""
        if self.spec.kind == "check":
            return None
        unused = set(self.spec.pipes) - set(self._pipes_used())  # gone from the step (pipes_lines)
        resources = [r for r in self.spec.resources if r not in unused]
        if resources:
            return f"it uses the resource(s) {', '.join(resources)}, which reach outside the artifact store"
        if self.io_manager is not None and self.io_manager.data_access:
            return f"its IO manager {self.io_manager.name} read and wrote external data"
        args = self.node.args
        context = self.info.context.name if self.info.context is not None else None
        inputs = [
            a.arg
            for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]
            if a.arg != context
            and a.arg not in self.spec.injected
            and a.arg not in self.spec.lifecycle
            and a.arg not in self.spec.pipes
        ]
        if not inputs and args.vararg is None and (args.kwarg is None or self.unfilled_kwargs()):
            return "it has no inputs, so it loads its data from outside"
        return None

    # -- signature ------------------------------------------------------------------
    def returns(self) -> str | None:
        """The return annotation: the op's, or ``Annotated[T, "<asset>"]`` per output for assets."""
        node = self.node
        annotation = node.returns
        deco = next((d for d in self.info.decorators if d.canonical in STEP_DECORATORS), None)
        call = deco.call if deco is not None else None
        if self.spec.kind == "op":
            if deco is None:
                return self.ctx.segment(annotation) if annotation is not None else None
            out = argument(call, "out")
            if isinstance(out, ast.Dict) and len(out.keys) > 1:
                self.imports.add(ANNOTATED)
                names = [str(k.value) if isinstance(k, ast.Constant) else "output" for k in out.keys]
                types = [_out_type(self.ctx, v) for v in out.values]
                if "Any" in types:
                    self.imports.add(ANY)
                inner = ", ".join(f"Annotated[{t}, {py_literal(n)}]" for t, n in zip(types, names, strict=True))
                return f"tuple[{inner}]"
            if self.dynamic and isinstance(out, ast.Call):
                item_type = _out_type(self.ctx, out)
                return "list" if item_type == "Any" else f"list[{item_type}]"
            if isinstance(out, ast.Call) and annotation is None:
                out_type = _out_type(self.ctx, out)
                if out_type == "Any":
                    self.imports.add(ANY)
                return out_type
            return self.ctx.segment(annotation) if annotation is not None else None
        annotation = self._unwrap_output(annotation)
        self.imports.add(ANNOTATED)
        outputs = self.spec.outputs or [self.spec.name]
        if self.spec.kind == "check":
            return f"Annotated[bool, {py_literal(outputs[0])}]"
        if len(outputs) == 1 and self._materialize_result(annotation):
            return f"Annotated[None, {py_literal(outputs[0])}]"
        if len(outputs) == 1:
            inner = self.ctx.segment(annotation) if annotation is not None else "Any"
            if inner == "Any":
                self.imports.add(ANY)
            tags = self.artifact_tags(
                self._output_declarations(call, 1)[0] if self.spec.kind == "multi_asset" else call
            )
            if tags:
                self.imports.add(ARTIFACT_CONFIG)
                listed = ", ".join(py_literal(t) for t in tags)
                return f"Annotated[{inner}, ArtifactConfig(name={py_literal(outputs[0])}, tags=[{listed}])]"
            return f"Annotated[{inner}, {py_literal(outputs[0])}]"
        types = _tuple_elements(self.ctx, annotation, len(outputs)) or ["Any"] * len(outputs)
        if "Any" in types:
            self.imports.add(ANY)
        declared = self._output_declarations(call, len(outputs))
        parts = []
        for out_type, name, declaration in zip(types, outputs, declared, strict=True):
            tags = self.artifact_tags(declaration)
            if tags:
                self.imports.add(ARTIFACT_CONFIG)
                listed = ", ".join(py_literal(t) for t in tags)
                parts.append(f"Annotated[{out_type}, ArtifactConfig(name={py_literal(name)}, tags=[{listed}])]")
            else:
                parts.append(f"Annotated[{out_type}, {py_literal(name)}]")
        return f"tuple[{', '.join(parts)}]"

    def _output_declarations(self, call: ast.Call | None, count: int) -> list[ast.Call | None]:
        """The ``AssetOut(...)`` / ``AssetSpec(...)`` of each output of a multi-asset, in the step's output order.

        Read in the order the model reads the outputs (``outs=`` then ``specs=``); None for
        every output when the count differs (an output the model left out).
        """
        found: list[ast.Call | None] = []
        outs = argument(call, "outs") if call is not None else None
        if isinstance(outs, ast.Dict):
            found.extend(v if isinstance(v, ast.Call) else None for v in outs.values)
        specs = argument(call, "specs") if call is not None else None
        if isinstance(specs, (ast.List, ast.Tuple)):
            found.extend(s if isinstance(s, ast.Call) else None for s in specs.elts)
        return found if len(found) == count else [None] * count

    def artifact_tags(self, call: ast.Call | None) -> list[str]:
        """``owners=``, ``kinds=`` and ``tags=`` of an ``@asset``, ``AssetOut`` or ``AssetSpec`` as artifact tags
        (``owner:x``, ``kind:x``, ``k:v``).

        Only values written as literals (lists or sets of strings, a dict of strings) are read;
        anything computed is left out and noted.
        """
        if call is None or self.spec.kind == "check":
            return []
        found: list[str] = []
        for keyword, prefix in (("owners", "owner:"), ("kinds", "kind:"), ("tags", "")):
            node = argument(call, keyword)
            if node is None:
                continue
            try:
                value = ast.literal_eval(node)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                value = None
            if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                found.extend(f"{k}:{v}" if v else k for k, v in value.items())
            elif isinstance(value, (list, tuple, set)) and all(isinstance(v, str) for v in value):
                found.extend(f"{prefix}{v}" for v in (sorted(value) if isinstance(value, set) else value))
            else:
                self.notes.append(f"{keyword}= is not a literal; add its values to the output's ArtifactConfig(tags=).")
        return list(dict.fromkeys(found))

    def _unwrap_output(self, annotation: ast.expr | None) -> ast.expr | None:
        """``Output[T]`` -> ``T`` (the step returns the plain value); other annotations unchanged."""
        if isinstance(annotation, ast.Subscript):
            ref = self.ctx.reference_of(annotation.value)
            if ref is not None and ref.canonical == OUTPUT:
                return annotation.slice
        return annotation

    def signature(self) -> str:
        """The ``def`` line: inputs first, then config/resource parameters; no Dagster context."""
        args = self.node.args
        dropped = {self.info.context.name} if self.info.context is not None else set()
        positional = [*args.posonlyargs, *args.args]
        defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        params: list[str] = []
        extra_added = False
        # Dagster passes config and resource parameters by name; upstream inputs are positional
        # in a job body, so those parameters move behind them.
        config = [(a, d) for a, d in zip(positional, defaults, strict=True) if a.arg in self.spec.injected]
        for arg, default in zip(positional, defaults, strict=True):
            if arg.arg in dropped or arg.arg in self.spec.injected or arg.arg in self.spec.lifecycle:
                continue  # a resource with a lifecycle is read from the pipeline state (state_lines)
            if arg.arg in self.spec.pipes:
                continue  # ZenML has no Pipes client to pass (pipes_lines)
            if default is not None and not extra_added:
                params.extend(self.extra_params)
                extra_added = True
            params.append(self._param(arg, default))
        if not extra_added:
            params.extend(self.extra_params)
        for arg, default in config:
            params.append(self._param(arg, default))
        params.extend(f"{key}: {cls}" for key, cls in self.spec.resource_uses.items())
        if args.vararg is not None:
            params.append("*" + self._param(args.vararg, None))
        elif args.kwonlyargs:
            params.append("*")
        for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            if arg.arg not in dropped and arg.arg not in self.spec.lifecycle and arg.arg not in self.spec.pipes:
                params.append(self._param(arg, default))
        if args.kwarg is not None and args.kwarg.arg != self.unfilled_kwargs():
            params.append("**" + self._param(args.kwarg, None))
        returns = self.returns()
        suffix = f" -> {returns}:" if returns else ":"
        keyword = "async def" if isinstance(self.node, ast.AsyncFunctionDef) else "def"
        line = f"{keyword} {self.spec.name}({', '.join(params)}){suffix}"
        if len(line) <= LINE_WIDTH:
            return line
        body = "".join(f"    {p},\n" for p in params)
        return f"{keyword} {self.spec.name}(\n{body}){suffix}"

    def _param(self, arg: ast.arg, default: ast.expr | None) -> str:
        text = arg.arg
        annotation = arg.annotation
        if isinstance(annotation, ast.Subscript) and self.spec.injected.get(arg.arg):
            annotation = annotation.slice  # ``ResourceParam[T]`` of a resource class: typed ``T``, as ZenML builds it
        if annotation is not None:
            text += f": {self.ctx.segment(annotation)}"
            if default is not None:
                text += f" = {self.ctx.segment(default)}"
        elif default is not None:
            text += f"={self.ctx.segment(default)}"
        return text

    # -- body -------------------------------------------------------------------------
    def body(self) -> CopiedCode:
        """The body as written, with context uses, Output wrappers and check results translated."""
        first = self.node.body[0]
        copied = CopiedCode(
            self.ctx.text, first.lineno, self.node.end_lineno or first.lineno, first_col=first.col_offset
        )
        uses = [u for u in self.ctx.context_uses if u.param.function is self.node]
        # the parent of each node, for the context uses to rewrite (a function without any needs none)
        parents = {id(child): node for node in self.nodes for child in child_nodes(node)} if uses else {}
        other: set[str] = set()
        for use in uses:
            chain = use.chain
            parent = parents.get(id(use.node))
            if chain[:1] == ("log",) and isinstance(parent, ast.Attribute):
                self._replace(copied, parent, "logger")
                self.needs_logger = True
            elif (
                chain[:1] == ("resources",)
                and len(chain) >= 2
                and (chain[1] in self.spec.resource_uses or chain[1] in self.spec.lifecycle)
                and isinstance(parent, ast.Attribute)
                and isinstance(grandparent := parents.get(id(parent)), ast.Attribute)
            ):
                self._replace(copied, grandparent, chain[1])  # context.resources.db -> db (a parameter or state)
            elif chain[:1] == ("partition_key",) and self.dimensions and self.spec.partitioned:
                if not self._dimension_keys(copied, use.node, parents):
                    other.add(".".join(chain))
                    self._mark_line(copied, use.node, parents)
            elif chain[:1] == ("partition_key",) and isinstance(parent, ast.Attribute) and self.spec.partitioned:
                self._replace(copied, parent, "partition_key")
                self._want_params(PARTITION_PARAMS)
            elif chain[:1] in (("asset_partition_key_for_output",), ("partition_key",)) and self.spec.partitioned:
                call = parents.get(id(parent)) if parent is not None else None
                if isinstance(call, ast.Call) and call.func is parent:
                    self._replace(copied, call, "partition_key")
                    self._want_params(PARTITION_PARAMS)
                else:
                    other.add(".".join(chain))
            else:
                other.add(".".join(chain) or "<the context object>")
        if other:
            self.needs_step_context = True
            self.imports.add(GET_STEP_CONTEXT)
            name = self.info.context.name if self.info.context else "context"
            self.todos.append(
                markers.wrap(
                    "# TODO(migration):",
                    f"DZ219 dagster-execution-context -- the Dagster context was used for "
                    f"{', '.join(f'{name}.{o}' for o in sorted(other))}; `{name}` is now ZenML's step context "
                    f"(get_step_context()), whose attributes differ: rewrite these uses.",
                )
            )
        if mentions(self.node.body, "__file__"):  # (the decorator is not copied as written)
            self.todos.append(markers.file_todo(self.module.relpath))
        if self.spec.kind == "check":
            self._check_results(copied)
        self._returned_outputs(copied)
        yields = any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in self.nodes)
        if yields and not self._dynamic_yields(copied) and not self._yields(copied):
            self.todos.append(
                markers.wrap(
                    "# TODO(migration):",
                    "the Dagster body yields events (Output / MaterializeResult / AssetCheckResult); a ZenML step "
                    "returns its outputs: collect them and return them in the declared order.",
                )
            )
        return copied

    def _materialize_result(self, annotation: ast.expr | None) -> bool:
        """Whether the asset returns a Dagster ``MaterializeResult`` (metadata only, no stored value)."""
        if annotation is None:
            return False
        ref = self.ctx.reference_of(annotation)
        return ref is not None and ref.canonical == MATERIALIZE_RESULT

    def _returned_outputs(self, copied: CopiedCode) -> None:
        """``return Output(value, metadata=...)`` becomes ``return value``, ``return MaterializeResult(...)``
        ``return None`` (the metadata is noted as dropped)."""
        dropped: set[str] = set()
        result_dropped: set[str] = set()
        for node in self.nodes:
            if not (isinstance(node, ast.Return) and isinstance(node.value, ast.Call)):
                continue
            call = node.value
            ref = self.ctx.reference_of(call.func)
            if ref is not None and ref.canonical == MATERIALIZE_RESULT and self.spec.kind != "check":
                if not self._materialize_result(self.node.returns):
                    continue  # only with the annotation the step's output type changes with it
                result_dropped.update(k.arg for k in call.keywords if k.arg is not None)
                self._replace(copied, call, "None")
                continue
            is_output = ref is not None and ref.canonical == OUTPUT
            value = (call.args[0] if call.args else argument(call, "value")) if is_output else None
            if value is None:
                continue
            dropped.update(k.arg for k in call.keywords if k.arg not in (None, "value"))
            self._replace(copied, call, self.ctx.segment(value))
        if dropped:
            self.notes.append(
                f"the returned Dagster Output is now the plain value; dropped: {', '.join(sorted(dropped))} "
                "(log metadata with zenml.log_metadata)."
            )
        if result_dropped:
            self.notes.append(
                "the returned Dagster MaterializeResult is now `return None` (the asset stored no value); dropped: "
                f"{', '.join(sorted(result_dropped))} (log metadata with zenml.log_metadata)."
            )

    def _output_names(self) -> list[str]:
        """The declared output names, in the order the step returns them."""
        if self.spec.kind != "op":
            return self.spec.outputs
        deco = next((d for d in self.info.decorators if d.canonical in STEP_DECORATORS), None)
        out = argument(deco.call if deco else None, "out")
        if isinstance(out, ast.Dict):
            return [k.value for k in out.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        return ["result"]

    def _yields(self, copied: CopiedCode) -> bool:
        """Rewrite ``yield Output(value, output_name="x")`` statements into a final ``return``.

        Only when every yield is a top-level statement of the body yielding a Dagster
        ``Output`` for a distinct declared output; anything else stays for a person (TODO).
        """
        names = self._output_names()
        outputs = {
            id(ref.call): ref.call
            for ref in self.ctx.references
            if ref.canonical == "dagster.Output" and ref.call is not None and ref.call.func is ref.node
        }
        statements = [
            stmt
            for stmt in self.node.body
            if isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Yield)
            and isinstance(stmt.value.value, ast.Call)
            and id(stmt.value.value) in outputs
        ]
        yields = [n for n in self.nodes if isinstance(n, (ast.Yield, ast.YieldFrom))]
        if not statements or len(yields) != len(statements) or len(statements) != len(names):
            return False
        values: dict[str, str] = {}
        taken = {n.id for n in self.nodes if isinstance(n, ast.Name)}  # the new variables must not clash
        taken |= {a.arg for a in self.nodes if isinstance(a, ast.arg)}
        dropped: set[str] = set()
        for stmt in statements:
            call = stmt.value.value  # type: ignore[attr-defined]
            value = call.args[0] if call.args else argument(call, "value")
            label = argument(call, "output_name") or (call.args[1] if len(call.args) > 1 else None)
            name = label.value if isinstance(label, ast.Constant) else (names[0] if len(names) == 1 else None)
            if value is None or name not in names or name in values:
                return False
            dropped.update(k.arg for k in call.keywords if k.arg not in (None, "value", "output_name"))
            values[name] = python_name(f"{name}_value", taken)
            taken.add(values[name])
            self._replace(copied, stmt, f"{values[name]} = {self.ctx.segment(value)}")
        last = self.node.body[-1]
        indent = indentation(self.ctx.text, last)
        returned = ", ".join(values[n] for n in names)
        copied.replacements.append(
            Replacement(
                node_end(last),
                node_end(last),
                f"\n{indent}return {returned}",
            )
        )
        extra = f"; dropped: {', '.join(sorted(dropped))} (use zenml.log_metadata)" if dropped else ""
        self.notes.append(f"the yielded Dagster Output events became one return of the outputs{extra}.")
        return True

    def _dynamic_out(self) -> bool:
        """Whether the op declares one dynamic output (``@op(out=DynamicOut(...))``)."""
        if self.spec.kind != "op":
            return False
        deco = next((d for d in self.info.decorators if d.canonical in STEP_DECORATORS), None)
        out = argument(deco.call if deco else None, "out")
        if not isinstance(out, ast.Call):
            return False
        ref = self.ctx.reference_of(out.func)
        return ref is not None and ref.canonical == DYNAMIC_OUT

    def _dynamic_yields(self, copied: CopiedCode) -> bool:
        """``yield DynamicOutput(value, mapping_key=k)`` statements become appends to one list the step returns.

        ZenML's dynamic pipeline maps a step over the items of a list output
        (``step.map(items)``), so a ``DynamicOut`` op returns its items in the order it yielded
        them; the mapping keys are dropped (ZenML numbers the mapped steps). Only when every
        yield of the function is such a statement outside nested functions; else a person does it.
        """
        if not self._dynamic_out() or isinstance(self.node, ast.AsyncFunctionDef):
            return False
        outputs = {
            id(ref.call)
            for ref in self.ctx.references
            if ref.canonical == DYNAMIC_OUTPUT and ref.call is not None and ref.call.func is ref.node
        }
        statements: list[ast.Expr] = []
        returns: list[ast.Return] = []
        yields = 0
        for node in _own_nodes(self.node):
            if isinstance(node, (ast.Yield, ast.YieldFrom)):
                yields += 1
            elif isinstance(node, ast.Return):
                returns.append(node)
            elif (
                isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Yield)
                and isinstance(node.value.value, ast.Call)
                and id(node.value.value) in outputs
            ):
                statements.append(node)
        if not statements or yields != len(statements) or any(r.value is not None for r in returns):
            return False
        taken = {n.id for n in self.nodes if isinstance(n, ast.Name)}
        taken |= {a.arg for a in self.nodes if isinstance(a, ast.arg)}
        items = python_name("dynamic_items", taken)
        values: list[tuple[ast.Expr, ast.expr]] = []
        dropped: set[str] = set()
        for stmt in statements:
            call = stmt.value.value  # type: ignore[attr-defined]
            value = call.args[0] if call.args else argument(call, "value")
            if value is None:
                return False
            values.append((stmt, value))
            dropped.update(k.arg for k in call.keywords if k.arg not in (None, "value", "mapping_key"))
        for stmt, value in values:
            self._replace(copied, stmt, f"{items}.append({self.ctx.segment(value)})")
        for node in returns:
            self._replace(copied, node, f"return {items}")
        body = self.node.body
        first = body[1] if _is_docstring(body[0]) and len(body) > 1 else body[0]
        indent = indentation(self.ctx.text, first)
        start = (first.lineno, first.col_offset)
        copied.replacements.append(Replacement(start, start, f"{items} = []\n{indent}"))
        last = body[-1]
        if not isinstance(last, ast.Return):
            end = node_end(last)
            last_indent = indentation(self.ctx.text, last)
            copied.replacements.append(Replacement(end, end, f"\n{last_indent}return {items}"))
        self.dynamic = True
        extra = f"; dropped: {', '.join(sorted(dropped))}" if dropped else ""
        self.notes.append(
            "the yielded DynamicOutput items are returned as one list, in the order they were yielded; the "
            f"dynamic pipeline runs the mapped step once per item (step.map), mapping keys are not kept{extra} (DZ211)."
        )
        return True

    def _check_results(self, copied: CopiedCode) -> None:
        """``AssetCheckResult(passed=E, ...)`` becomes ``E``: the validation step returns whether it passed."""
        results = [
            ref.call
            for ref in self.ctx.references
            if ref.canonical == "dagster.AssetCheckResult"
            and ref.call is not None
            and ref.call.func is ref.node
            and self.node.lineno <= ref.line <= (self.node.end_lineno or ref.line)
        ]
        dropped: set[str] = set()
        for call in results:
            passed = argument(call, "passed") or (call.args[0] if call.args else None)
            if passed is None:
                self.todos.append(
                    markers.wrap(
                        "# TODO(migration):", "an AssetCheckResult without `passed`: return whether the check passed."
                    )
                )
                continue
            dropped.update(k.arg for k in call.keywords if k.arg and k.arg != "passed")
            self._replace(copied, call, self.ctx.segment(passed))
        consequence = (
            "it was blocking in Dagster (a failure stopped downstream assets): raise instead of returning False"
            if self.spec.blocking
            else "nothing fails when it returns False: log or alert on it if that matters"
        )
        extra = f"; dropped: {', '.join(sorted(dropped))}" if dropped else ""
        self.notes.append(
            f"the asset check on '{self.spec.checked}' is a validation step returning whether it passed; "
            f"{consequence}{extra} (DZ210)."
        )

    def _dimension_keys(self, copied: CopiedCode, context: ast.AST, parents: dict[int, ast.AST]) -> bool:
        """Rewrite ``context.partition_key.keys_by_dimension[...]`` to the dimension's key parameter.

        ``keys_by_dimension["date"]`` becomes ``date_key``; ``keys_by_dimension`` itself a dict
        of the parameters. False for any other use of a multi-partition key (left to a marker).
        """
        key = parents.get(id(context))
        by_dimension = parents.get(id(key)) if key is not None else None
        if not (
            isinstance(key, ast.Attribute)
            and isinstance(by_dimension, ast.Attribute)
            and by_dimension.value is key
            and by_dimension.attr == "keys_by_dimension"
        ):
            return False
        params = dict(self.dimensions)
        index = parents.get(id(by_dimension))
        if (
            isinstance(index, ast.Subscript)
            and index.value is by_dimension
            and isinstance(index.ctx, ast.Load)
            and isinstance(index.slice, ast.Constant)
            and index.slice.value in params
        ):
            self._replace(copied, index, params[index.slice.value])
            self._want_params((params[index.slice.value],))
            return True
        mapping = ast.Dict(
            keys=[ast.Constant(d) for d in params], values=[ast.Name(p, ast.Load()) for p in params.values()]
        )
        self._replace(copied, by_dimension, ast.unparse(mapping))
        self._want_params(tuple(params.values()))
        return True

    def _mark_line(self, copied: CopiedCode, node: ast.AST, parents: dict[int, ast.AST]) -> None:
        """A marker above the statement holding a multi-partition key use we cannot rewrite."""
        stmt: ast.AST | None = node
        while stmt is not None and not isinstance(stmt, ast.stmt):
            stmt = parents.get(id(stmt))
        if not isinstance(stmt, ast.stmt) or stmt is self.node:
            return
        line = python_lines(self.ctx.text)[stmt.lineno - 1]
        prefix = line.encode()[: stmt.col_offset].decode()
        if prefix.strip():  # shares its line with other code (``if x: ...``): the body's marker says it
            return
        params = tuple(p for _, p in self.dimensions)
        self._want_params(params)  # the step has the keys, for whoever rewrites this line
        comment = markers.wrap(
            "# TODO(migration):",
            f"DZ301 dagster-partitions -- a MultiPartitionKey is no longer passed: use the dimension "
            f"parameters ({', '.join(params)}) here.",
            indent=prefix,
        )
        start = (stmt.lineno, stmt.col_offset)  # the prefix is already there before the statement
        text = "".join(f"{c[len(prefix) :]}\n{prefix}" for c in comment)
        copied.replacements.append(Replacement(start, start, text))

    def _want_params(self, names: tuple[str, ...]) -> None:
        for name in names:
            param = f"{name}: str"
            if param not in self.extra_params:
                self.extra_params.append(param)

    def state_lines(self) -> list[str]:
        """``db: Database = get_step_context().pipeline_state["db"]`` for each resource with a lifecycle.

        The pipeline's ``on_init`` hook built and set up those resources (hooks/resources.py);
        ZenML hands what it returned to every step of the run as the pipeline state.
        """
        if not self.spec.lifecycle:
            return []
        self.imports.add(GET_STEP_CONTEXT)
        self.notes.append(
            f"the resource(s) {', '.join(self.spec.lifecycle)} had a Dagster lifecycle (set-up/tear-down, a "
            "factory's create_resource, a @resource function): the pipeline's on_init hook builds and sets them "
            "up once per run and on_cleanup tears them down; the step reads the object Dagster gave it from "
            "the pipeline state (DZ206)."
        )
        lines = []
        for key, cls in self.spec.lifecycle.items():  # a parameter; a class, ResourceParam's type or ""
            annotation = self.spec.state_types.get(key, cls)  # a factory or @resource makes a value of any type
            target = f"{key}: {annotation}" if annotation else key
            line = f"{target} = get_step_context().pipeline_state[{py_literal(key)}]"
            assert isinstance(ast.parse(line).body[0], (ast.AnnAssign, ast.Assign))
            lines.append(line)
        return lines

    def unfilled_kwargs(self) -> str | None:
        """The name of the function's ``**kwargs`` when Dagster fills it with nothing, else None.

        Dagster's inputs are the named parameters (and what ``ins=`` declares besides them, which
        is all ``**kwargs`` receives); a ZenML step may not take ``**kwargs`` at all.
        """
        kwarg = self.node.args.kwarg
        if kwarg is None:
            return None
        deco = next((d for d in self.info.decorators if d.canonical in STEP_DECORATORS), None)
        if deco is not None and deco.call is not None and argument(deco.call, "ins") is not None:
            return None
        return kwarg.arg

    def kwargs_lines(self) -> list[str]:
        """``kwargs: dict = {}`` for a body that reads a ``**kwargs`` the step no longer takes, with its note."""
        name = self.unfilled_kwargs()
        if name is None:
            return []
        self.notes.append(
            f"**{name} is gone from the signature: ZenML steps take no variable keyword arguments, and Dagster "
            "passed nothing through it (its inputs are the named parameters)."
        )
        return [f"{name}: dict = {{}}"] if mentions(self.node.body, name) else []

    def pipes_lines(self, indent: str) -> list[str]:
        """A stop for a step whose Dagster function launched an external process through a Pipes client (DZ225),
        for a body indented by ``indent`` (the lines are returned without it).

        Dagster passed the client (``pipes: PipesSubprocessClient``) and streamed the process's logs
        and results back; ZenML has no such client to pass, so the parameter is gone from the step.
        A body that uses it stops at a ``raise`` under a TODO saying what to write instead (the step
        launches the process itself, or runs on a step operator); one that never uses it loses it
        with a note.
        """
        if not self.spec.pipes:
            return []
        clients = ", ".join(f"{param}: {cls}" for param, cls in self.spec.pipes.items())
        used = self._pipes_used()
        if not used:
            self.notes.append(
                f"the Dagster Pipes client parameter(s) {clients} are gone: ZenML has no Pipes client to pass, "
                f"and the body never used them ({DZ225.code})."
            )
            return []
        self.todos.append(
            markers.wrap(
                "# TODO(migration):",
                f"{DZ225.code} {DZ225.symbol} -- this step launched an external process through Dagster Pipes "
                f"({clients}); ZenML has no Pipes client to pass, so the step stops here: launch the process "
                "from the step itself (subprocess, or the Docker, Kubernetes or Databricks client) and return "
                "its results as artifacts, or run the step on a ZenML step operator; then delete the raise below.",
            )
        )
        pieces = (f"port {self.spec.name}: ", f"launch the process its Dagster Pipes client ran ({DZ225.code})")
        return raise_lines("NotImplementedError", pieces, indent)

    def _pipes_used(self) -> list[str]:
        """The Pipes client parameters the body reads (a name read anywhere in it counts)."""
        if not self.spec.pipes:  # nearly every step: no body walk
            return []
        read = {
            n.id
            for stmt in self.node.body
            for n in ast.walk(stmt)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
        }
        return [param for param in self.spec.pipes if param in read]

    def _replace(self, copied: CopiedCode, node: ast.expr | ast.stmt, text: str) -> None:
        copied.replacements.append(Replacement((node.lineno, node.col_offset), node_end(node), text))

    def markers(self) -> list[str]:
        """Marker comments for the findings inside the function and what the translation changed."""
        first = first_line(self.node)
        original = self._original_span()
        lines: list[str] = []
        seen: set[str] = set()
        start, end = original if original else (first, self.node.end_lineno or first)
        if self.code_version:
            seen.add(DZ240.code)  # translated: the notes say what became of the code_version
        if self.dynamic:
            seen.add(DZ211.code)  # translated: the note says what became of the DynamicOutput items
        if self.spec.pipes:
            seen.add(DZ225.code)  # pipes_lines says what became of the Pipes client
        if self.io_manager is not None:
            seen.add(DZ205.code)
            lines.extend(self.io_manager_markers(self.io_manager))
        for finding in self.findings:
            if not start <= finding.line <= end or finding.code in scaffold_resolved_codes() or finding.code in seen:
                continue
            seen.add(finding.code)
            lines.extend(markers.for_finding(finding))
        for todo in self.todos:
            lines.extend(todo)
        for text in self.notes:
            lines.extend(markers.note(text))
        return lines

    def io_manager_markers(self, io: IOManagerSpec) -> list[str]:
        """What happens to the IO manager that stored this step's outputs in Dagster."""
        where = f"{io.name} ({io.module}:{io.line})"
        if io.data_access:
            rule = rules_by_code().get(DZ309.code)
            save, load = io.step_names
            subject = (
                f"the outputs of this step were stored by {where}, which reads and writes external "
                f"data; ZenML now stores them in the artifact store: port the writes to steps/{save}.py "
                f"(and reads to steps/{load}.py) and call them in the pipeline"
            )
            if rule is not None:
                return markers.todo(rule, subject)
            return markers.wrap("# TODO(migration): UNSUPPORTED --", subject)
        return markers.note(
            f"the outputs were written by {where}, which only serialized them; the artifact store persists "
            f"them now (materializers/{markers.snake(io.name)}.py is a skeleton if the format matters). (DZ205)"
        )

    def _original_span(self) -> tuple[int, int] | None:
        """The function's line span in the original text (findings refer to it)."""
        node = self.spec.function.node
        first = first_line(node)
        return first, node.end_lineno or node.lineno


def translate(
    spec: StepSpec,
    module: SourceModule,
    findings: list[Finding],
    io_manager: IOManagerSpec | None = None,
    dimensions: tuple[tuple[str, str], ...] = (),
) -> StepCode:
    """Translate one op/asset/multi-asset function into the text of a ZenML step function.

    ``dimensions`` pairs each dimension of a ``MultiPartitionsDefinition`` with the pipeline
    parameter that carries its key (``("date", "date_key")``).
    """
    work = _Translation(spec, module, findings, io_manager)
    work.dimensions = dimensions
    body = work.body()
    decorators = work.decorators()
    header = work.signature()
    body_lines = body.render().rstrip("\n").split("\n")
    first_stmt = work.node.body[0]
    indent = indentation(work.ctx.text, first_stmt)
    insert_at = 0
    if (
        isinstance(first_stmt, ast.Expr)
        and isinstance(first_stmt.value, ast.Constant)
        and isinstance(first_stmt.value.value, str)
    ):
        insert_at = (first_stmt.end_lineno or first_stmt.lineno) - first_stmt.lineno + 1
    state_lines = work.state_lines()  # before the markers: it adds its note
    stop_lines = work.pipes_lines(indent)  # likewise
    kwargs_lines = work.kwargs_lines()  # likewise
    marker_lines = [indent + line for line in work.markers()]
    marker_lines.extend(indent + line for line in stop_lines)  # right under its TODO, before anything runs
    if work.needs_step_context:
        name = work.info.context.name if work.info.context else "context"
        marker_lines.append(f"{indent}{name} = get_step_context()")
    marker_lines.extend(indent + line for line in state_lines)
    marker_lines.extend(indent + line for line in kwargs_lines)
    lines = [*decorators, header, *body_lines[:insert_at], *marker_lines, *body_lines[insert_at:]]
    if work.cache_function is not None:  # defined before the decorator that names it
        lines = [*work.cache_function.rstrip("\n").split("\n"), "", "", *lines]
    if work.needs_logger:
        work.imports.add(LOGGING)
    return StepCode(
        spec,
        "\n".join(lines) + "\n",
        work.imports,
        work.needs_logger,
        [p.split(":")[0] for p in work.extra_params],
        work.dynamic,
    )


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _own_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of a function's body, not those of functions, lambdas or classes nested in it."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return found
