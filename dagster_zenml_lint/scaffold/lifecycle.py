"""Resources with a lifecycle: ``@pipeline(on_init=..., on_init_kwargs=..., on_cleanup=...)``.

Dagster sets a ``ConfigurableResource`` up before the first step of a run and tears it down
after the last (``setup_for_execution`` / ``teardown_after_execution``, or the context
manager ``yield_for_execution``). ZenML (0.94 and later) runs a pipeline's ``on_init`` hook
once per run, before the first step, with the JSON values of ``on_init_kwargs``; what it
returns is the run's state, which every step reads as ``get_step_context().pipeline_state``;
``on_cleanup`` runs after the last step, also when a step failed. On orchestrators that run
each step in its own process the hooks run around every step instead, as Dagster's
multiprocess executor set resources up per step.

The generated ``hooks/resources.py`` holds the two hooks and the table of resource classes;
each pipeline whose steps use such a resource passes the values its resources were built
with in ``Definitions(resources=...)`` as ``on_init_kwargs``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dagster_zenml_lint.project.facts import FieldValue, Location
from dagster_zenml_lint.scaffold import markers
from dagster_zenml_lint.scaffold.code import LINE_WIDTH, ImportedName, render_imports
from dagster_zenml_lint.scaffold.names import py_literal

HOOKS_MODULE = "hooks.resources"
HOOKS_PATH = "hooks/resources.py"
SET_UP = ImportedName(HOOKS_MODULE, "set_up_resources", "set_up_resources")
TEAR_DOWN = ImportedName(HOOKS_MODULE, "tear_down_resources", "tear_down_resources")
PLACEHOLDER = "TODO(migration)"

HOOKS_DOCSTRING = '''"""Set-up and tear-down of the Dagster resources that had a lifecycle (on_init / on_cleanup).

Dagster set these resources up before a run's first step and tore them down after its last
(setup_for_execution / teardown_after_execution, or yield_for_execution). ZenML runs a
pipeline's on_init hook once per run with the values of its on_init_kwargs, keeps what it
returns as the run's pipeline state (steps read get_step_context().pipeline_state["<key>"]),
and runs on_cleanup after the last step, also when a step failed. The lifecycle methods of
a resource class get no Dagster context (None); a @resource function gets a stand-in with
its resource_config and a log. A factory's create_resource (called with None) makes what steps
get, as in Dagster.
"""'''

HOOKS_BODY = '''

@dataclass(frozen=True)
class ResourceInit:
    """What a @resource function gets for Dagster's InitResourceContext: its config and a logger."""

    resource_config: dict[str, Any]

    @property
    def log(self) -> logging.Logger:
        """Dagster's init_context.log: this module's logger."""
        return logging.getLogger(__name__)


class RunResources(dict[str, Any]):
    """Resource key -> the set-up resource: the run's pipeline state, kept by ZenML until on_cleanup."""

    def __init__(self, resources: dict[str, Any], lifecycles: ExitStack) -> None:
        super().__init__(resources)
        self.lifecycles = lifecycles  # closed by tear_down_resources, the last set up first


@contextmanager
def lifecycle(resource: Any) -> Iterator[Any]:
    """One resource's lifecycle in Dagster's order: yield_for_execution, else set up, create, tear down.

    What steps get is what Dagster gave them: the yielded value, else what a factory's
    create_resource returns, else the resource itself.
    """
    if hasattr(resource, "yield_for_execution"):
        managed = resource.yield_for_execution(None)
        if inspect.isgenerator(managed):  # written without @contextmanager
            managed = contextmanager(lambda: managed)()
        with managed as value:
            yield value
        return
    if hasattr(resource, "setup_for_execution"):
        resource.setup_for_execution(None)
    try:
        yield resource.create_resource(None) if hasattr(resource, "create_resource") else resource
    finally:  # as in Dagster: torn down even when a step failed, not when its own set-up failed
        if hasattr(resource, "teardown_after_execution"):
            resource.teardown_after_execution(None)


def resource_lifecycle(key: str, fields: dict[str, Any]) -> AbstractContextManager[Any]:
    """The lifecycle of the resource bound to ``key``, built from its field values."""
    if key in RESOURCE_FUNCTIONS:
        function = RESOURCE_FUNCTIONS[key]
        init = (ResourceInit(fields),) if inspect.signature(function).parameters else ()  # context is optional
        if inspect.isgeneratorfunction(function):  # code before its yield sets up, after it tears down
            return contextmanager(function)(*init)
        return nullcontext(function(*init))  # what it returns is the resource; nothing to tear down
    return lifecycle(RESOURCE_CLASSES[key].model_validate(fields))


def set_up_resources(**values: dict[str, Any]) -> RunResources:
    """on_init: build each resource from its field values (the pipeline's on_init_kwargs) and set it up."""
    with ExitStack() as stack:  # a failing set-up tears down the resources set up before it
        resources = {key: stack.enter_context(resource_lifecycle(key, fields)) for key, fields in values.items()}
        return RunResources(resources, stack.pop_all())


def tear_down_resources() -> None:
    """on_cleanup: tear the run's resources down (ZenML passes no arguments; the run state is still set)."""
    state = get_or_create_run_context().state
    if isinstance(state, RunResources):
        state.lifecycles.close()
'''

HOOKS_IMPORTS = frozenset(
    {
        ImportedName("inspect", None, "inspect"),
        ImportedName("logging", None, "logging"),
        ImportedName("dataclasses", "dataclass", "dataclass"),
        ImportedName("contextlib", "AbstractContextManager", "AbstractContextManager"),
        ImportedName("collections.abc", "Iterator", "Iterator"),
        ImportedName("contextlib", "ExitStack", "ExitStack"),
        ImportedName("contextlib", "contextmanager", "contextmanager"),
        ImportedName("contextlib", "nullcontext", "nullcontext"),
        ImportedName("typing", "Any", "Any"),
        # ZenML's own on_cleanup runner reads the state through it; get_step_context() exists only in steps
        ImportedName("zenml.steps.step_context", "get_or_create_run_context", "get_or_create_run_context"),
    }
)


@dataclass(frozen=True)
class LifecycleResource:
    """One resource key whose class has a lifecycle, and where the generated code imports the class from."""

    key: str
    class_name: str  # the class, or the @resource function when ``function``
    module: str  # the helpers/ module holding it (``helpers.pkg_resources``)
    function: bool = False


def _table(name: str, resources: list[LifecycleResource]) -> str:
    """``NAME: dict[str, Any] = {"key": Class, ...}`` (one entry a line when it is long)."""
    entries = [f"{py_literal(r.key)}: {r.class_name}" for r in resources]
    line = f"{name}: dict[str, Any] = {{{', '.join(entries)}}}"
    if len(line) > LINE_WIDTH:
        line = f"{name}: dict[str, Any] = {{\n" + "".join(f"    {e},\n" for e in entries) + "}"
    table = ast.parse(line).body[0]
    assert isinstance(table, ast.AnnAssign) and isinstance(table.value, ast.Dict)
    assert [ast.literal_eval(k) for k in table.value.keys if k is not None] == [r.key for r in resources]
    return line


def hooks_module(resources: Iterable[LifecycleResource]) -> str:
    """The text of ``hooks/resources.py``: imports, the tables of resource classes and functions, the hooks."""
    ordered = sorted({r.key: r for r in resources}.values(), key=lambda r: r.key)
    imports = set(HOOKS_IMPORTS) | {ImportedName(r.module, r.class_name, r.class_name) for r in ordered}
    header = [
        HOOKS_DOCSTRING,
        "",
        *render_imports(imports),
        "",
        "# resource key -> the class its values (a pipeline's on_init_kwargs) build",
        _table("RESOURCE_CLASSES", [r for r in ordered if not r.function]),
        "# resource key -> the @resource function that returns or yields it",
        _table("RESOURCE_FUNCTIONS", [r for r in ordered if r.function]),
    ]
    return "\n".join(header) + "\n" + HOOKS_BODY


def is_generator(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A function that yields (in its own body, not a nested function's): a ``@resource`` with a tear-down."""
    pending: list[ast.AST] = list(node.body)
    while pending:
        child = pending.pop()
        if isinstance(child, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            pending.extend(ast.iter_child_nodes(child))
    return False


def nested_resources(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The resource keys a ``@resource`` function reads from its init context (``init_context.resources.db``;
    "" for ``init_context.resources`` used whole), in source order."""
    params = [*node.args.posonlyargs, *node.args.args]
    if not params:
        return []
    context = params[0].arg
    keys: list[str] = []
    parents = {id(child): parent for parent in ast.walk(node) for child in ast.iter_child_nodes(parent)}
    for child in ast.walk(node):
        if (
            isinstance(child, ast.Attribute)
            and child.attr == "resources"
            and isinstance(child.value, ast.Name)
            and child.value.id == context
        ):
            parent = parents.get(id(child))
            keys.append(parent.attr if isinstance(parent, ast.Attribute) and parent.value is child else "")
    return list(dict.fromkeys(keys))


def nested_resources_todo(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The TODO above a copied ``@resource`` function that reads other resources from its init context: the
    hooks' stand-in context has ``resource_config`` and ``log`` only, so that read fails at run time."""
    keys = nested_resources(node)
    if not keys:
        return []
    named = ", ".join(f"'{k}'" for k in keys if k) or "resources"
    return markers.wrap(
        "# TODO(migration):",
        f"this @resource reads other resources from its init context ({named}: Dagster built them first); "
        "the hooks' stand-in context has only resource_config and log, so that read fails when on_init runs: "
        "build what it needs here, or take it as a field of its config (DZ206).",
    )


def literal(value: object) -> str:
    """A Python literal for a value ``ast.literal_eval`` gave, strings double-quoted as ruff formats them."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if value is None or isinstance(value, (str, int, float, bool)):
        return py_literal(value)
    return repr(value)


def field_values(given: Mapping[str, FieldValue]) -> tuple[dict[str, str], list[str]]:
    """A resource's field values as literals, and the fields whose value is not known statically.

    Only the values the resource was built with: the class defaults apply when the hook
    validates the values into the class, as they did in Dagster. A value that is not a
    literal (``EnvVar``, an expression) is the placeholder, named in a TODO.
    """
    values: dict[str, str] = {}
    unknown: list[str] = []
    for name, value in given.items():
        if value.known:
            values[name] = literal(value.value)
        else:
            values[name] = py_literal(PLACEHOLDER)
            unknown.append(name)
    return values, unknown


def pipeline_decorator(
    resources: dict[str, dict[str, str]],
    *,
    dynamic: bool = False,
    depends_on: Sequence[str] = (),
    model: str | None = None,
) -> str:
    """``@pipeline(on_init=..., on_init_kwargs={...}, on_cleanup=...)`` as ruff formats it.

    ``resources`` maps each resource key to its field values, already Python literals;
    ``dynamic`` keeps ``dynamic=True`` of a pipeline that maps over a dynamic output,
    ``depends_on`` its steps whose parameters the configuration file sets, and ``model`` is a
    ``model=Model(...)`` keyword (the model an asset graph's pipelines share).
    """
    leading = [*(["dynamic=True"] if dynamic else []), *([model] if model else [])]
    entries = [
        f"{py_literal(key)}: " + "{" + ", ".join(f"{py_literal(name)}: {value}" for name, value in fields.items()) + "}"
        for key, fields in resources.items()
    ]
    keywords = [
        *leading,
        f"on_init={SET_UP.alias}",
        "on_init_kwargs={" + ", ".join(entries) + "}",
        f"on_cleanup={TEAR_DOWN.alias}",
        *([f"depends_on=[{', '.join(depends_on)}]"] if depends_on else []),
    ]
    one_line = f"@pipeline({', '.join(keywords)})"
    if len(one_line) <= LINE_WIDTH:
        text = one_line
    elif all(len(f"    {k},") <= LINE_WIDTH for k in keywords):
        text = "@pipeline(\n" + "".join(f"    {k},\n" for k in keywords) + ")"
    else:
        inner = "".join(f"        {e},\n" for e in entries)
        keywords[1 + len(leading)] = "on_init_kwargs={\n" + inner + "    }"
        text = "@pipeline(\n" + "".join(f"    {k},\n" for k in keywords) + ")"
    ast.parse(text + "\ndef f(): pass\n")  # a decorator that does not parse must never be written
    return text


def unknown_value_todo(key: str, fields: list[str], indent: str = "") -> list[str]:
    """The TODO above a pipeline whose on_init_kwargs hold a placeholder for a value Dagster computed."""
    return markers.wrap(
        "# TODO(migration):",
        f"the resource '{key}' was built with values not known before the run ({', '.join(fields)}: an "
        f"EnvVar or an expression); on_init_kwargs holds {PLACEHOLDER!r} for them: set the values "
        "(credentials from a ZenML secret) (DZ206, DZ207).",
        indent,
    )


def unbound_todo(key: str, indent: str = "") -> list[str]:
    """The TODO above a pipeline whose resource no ``resources={...}`` the migration read binds a value to."""
    return markers.wrap(
        "# TODO(migration):",
        f"the resource '{key}' is bound in no Definitions(resources=...) / resource_defs= of the migrated "
        "code: on_init_kwargs gives it no values; add the fields its class needs (DZ206).",
        indent,
    )


def rebound_todo(key: str, own: str, where: Location, built: str, built_where: Location, indent: str = "") -> list[str]:
    """The TODO above a pipeline whose Dagster job bound a resource key to another value than the one
    ``hooks/resources.py`` builds it from (the project's binding, shared by every pipeline)."""
    return markers.wrap(
        "# TODO(migration):",
        f"the job this pipeline replaces bound the resource '{key}' to `{own}` ({where}), but "
        f"hooks/resources.py builds '{key}' from `{built}` ({built_where}): on_init_kwargs leaves '{key}' out, "
        f"so the steps reading it fail until this pipeline gets an on_init hook that builds what `{own}` "
        "gave (DZ206).",
        indent,
    )


def unconfigured_todo(key: str, indent: str = "") -> list[str]:
    """The TODO above a pipeline whose ``@resource`` function reads a config that no ``.configured({...})``
    the migration read gives (run config ``resources: {key: {config: ...}}``, a job's own binding)."""
    return markers.wrap(
        "# TODO(migration):",
        f"the @resource '{key}' declares a config_schema but the migrated code gives it no values "
        "(.configured({...}) was not used: run config `resources:` is not read); put its config in "
        "on_init_kwargs, credentials from a ZenML secret (DZ206).",
        indent,
    )
