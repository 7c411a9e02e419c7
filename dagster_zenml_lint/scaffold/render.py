"""The project files around the code: run.py, configs, materializers, README, report, pyproject."""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator, Sequence
from typing import Any

from dagster_zenml_lint.findings import Mapping, Severity
from dagster_zenml_lint.registry import rules_by_code
from dagster_zenml_lint.report.markdown import render_markdown, render_markdown_locations
from dagster_zenml_lint.rules.io_logic import DZ309
from dagster_zenml_lint.rules.sensors import DZ304
from dagster_zenml_lint.scaffold import markers
from dagster_zenml_lint.scaffold.code import LINE_WIDTH, STDLIB, imported_packages, natural, raise_lines
from dagster_zenml_lint.scaffold.names import comment_text, docstring_text, py_literal, python_name, yaml_scalar
from dagster_zenml_lint.scaffold.project import Project
from dagster_zenml_lint.source import python_lines

# Import names whose distribution is called differently.
DISTRIBUTIONS = {"sklearn": "scikit-learn", "yaml": "pyyaml", "PIL": "pillow", "cv2": "opencv-python"}
LOCAL_PACKAGES = frozenset({"steps", "pipelines", "helpers", "materializers", "zenml", "pydantic", "__future__"})
RULE_PREFIX = re.compile(r"DZ\d{3} [a-z-]+")
# The value configs/*.yaml holds where Dagster's value is unknown statically (EnvVar, an expression,
# a field without default); run.py refuses to start while one is left.
PLACEHOLDER = "TODO(migration)"
TODO_PATTERN = re.compile(r"#\s*TODO\(migration\):\s*(?:UNSUPPORTED --\s*)?(.*)")
CONTINUATION = re.compile(r"\s*#   (\S.*)")  # a further line of a wrapped marker (markers.wrap)


def project_files(project: Project) -> None:
    """Add every non-code file to ``project.files``."""
    project.files["materializers/__init__.py"] = '"""Custom materializers (skeletons for migrated IO managers)."""\n'
    _materializers(project)
    project.files["configs/dev.yaml"] = _config(project, "dev")
    project.files["configs/prod.yaml"] = _config(project, "prod")
    project.files["run.py"] = _run_py(project)
    # read once from the generated code, which is all written by now: both files list them
    dependencies = _dependencies(project)
    project.files["pyproject.toml"] = _pyproject(project, dependencies)
    project.files["MIGRATION_REPORT.md"] = _report(project)
    project.files["README.md"] = _readme(project, dependencies)


# ----------------------------------------------------------------------------- configs
def _literal(node: ast.expr | None) -> Any:
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _plain(value: Any) -> Any:
    """A literal as YAML-representable data: tuples and sets become lists, anything else its ``str``."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [_plain(v) for v in items]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _yaml_value(value: Any) -> str:
    """A literal value as one line of YAML (written by PyYAML; strings double-quoted)."""
    return yaml_scalar(_plain(value))


def _yaml_key(name: str) -> str:
    """A mapping key: plain when it is an identifier (``factor``), else quoted by PyYAML."""
    return name if name.isascii() and name.isidentifier() else yaml_scalar(name)


def _class_node(project: Project, class_name: str) -> ast.ClassDef | None:
    catalog = project.model.resource_catalog
    module = catalog.config_classes.get(class_name) or catalog.resource_types.get(class_name)
    ctx = project.modules[module].context if module else None
    if ctx is None:
        return None
    return next((c.node for c in ctx.classes if c.node.name == class_name), None)


def _yaml_field(node: ast.expr | None) -> tuple[str, bool]:
    """A field value as YAML, and whether it is known statically (EnvVar and expressions are not)."""
    if node is None:
        return "null", False
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Field":
        default = next((k.value for k in node.keywords if k.arg == "default"), None)
        return _yaml_field(default)
    try:
        return _yaml_value(ast.literal_eval(node)), True
    except ValueError:
        return "null", False


def _parameter_fields(project: Project, step: str, param: str, class_name: str) -> list[str]:
    """YAML lines for one injected parameter: class defaults, overridden by the values the resource was
    built with or the job's run config gave the op."""
    node = _class_node(project, class_name)
    values: dict[str, tuple[str, bool, str]] = {}
    for stmt in node.body if node is not None else []:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            text, known = _yaml_field(stmt.value)
            values[stmt.target.id] = (text, known, "the Dagster class had no default; set it")
    given = dict(project.model.project_bindings.values_of(param))
    if class_name in project.model.resource_catalog.config_classes:
        given.update(project.model.run_config.get(step, {}))
    for field_name, value in given.items():
        text = _yaml_value(value.value) if value.known else "null"
        env = value.env_var
        reason = f'was EnvVar("{env}") in Dagster: use a ZenML secret' if env else "computed in Dagster; set it"
        values[field_name] = (text, value.known, reason)
    lines = []
    for field_name, (text, known, reason) in values.items():
        if known:
            lines.append(f"        {_yaml_key(field_name)}: {text}")
        else:  # run.py stops on the placeholder, naming this key, before ZenML validates anything
            placeholder = yaml_scalar(PLACEHOLDER)
            lines.append(f"        {_yaml_key(field_name)}: {placeholder}  # TODO(migration): {comment_text(reason)}")
    return lines


def _rebound_parameter_todo(project: Project, step: str, param: str) -> list[str]:
    """A TODO above a resource parameter whose values some pipeline running the step binds otherwise.

    The file holds one value per step parameter, for every pipeline: the project's binding
    (``ProjectModel.project_bindings``); a pipeline whose Dagster job (or code location) bound the
    resource with other values is named with them, as Dagster built it for that run unit.
    """
    shared = project.model.project_bindings
    if param not in shared.classes:
        return []
    lines: list[str] = []
    for plan in project.pipelines:
        if step not in plan.members:
            continue
        own = project.pipeline_bindings(plan)
        if param not in own.classes or own.values_of(param) == shared.values_of(param):
            continue
        given = ", ".join(
            f"{_yaml_key(v.name)}: " + (_yaml_value(v.value) if v.known else "(computed in Dagster)")
            for v in own.values_of(param).values()
        )
        lines.extend(
            markers.wrap(
                "# TODO(migration):",
                f"the Dagster run unit of pipeline {plan.name} built '{param}' as {own.classes[param]} with "
                f"{given or 'no values'} ({own.where[param]}); this file gives every pipeline the values of "
                f"{shared.where[param]}: run that pipeline with a configuration file of its own (DZ206).",
                "      ",
            )
        )
    return lines


def _unbuilt_resources(spec: Any) -> list[str]:
    """The resource parameters of a step typed with no class whose fields the YAML could hold
    (``ConfigurableResource`` itself, ``ResourceParam[T]`` of a key without a lifecycle): Dagster passed
    whatever the key was bound to, and ZenML has nothing to pass."""
    return [param for param, class_name in spec.injected.items() if not class_name and param in spec.resources]


def _unbuilt_resource_lines(project: Project, param: str) -> list[str]:
    """The placeholder of a resource parameter no value can be written for (:func:`_unbuilt_resources`),
    under a TODO: run.py stops on it naming the key, instead of ZenML failing on a missing step input."""
    bindings = project.model.project_bindings
    known = [bindings.classes.get(param), str(bindings.where[param]) if param in bindings.where else None]
    details = ", ".join(k for k in known if k)
    reason = (
        f"Dagster passed '{param}' the resource its key is bound to{f' ({details})' if details else ''}; "
        "its type (the ConfigurableResource base, a ResourceParam) is no resource class whose fields this file "
        "holds, so ZenML has nothing to pass: type the parameter with the resource's own class and set its "
        "fields here, or build the resource inside the step and drop the parameter (DZ206)."
    )
    return [
        *markers.wrap("# TODO(migration):", reason, "      "),
        f"      {_yaml_key(param)}: {yaml_scalar(PLACEHOLDER)}",
    ]


def _config(project: Project, environment: str) -> str:
    lines = [
        f"# {environment} configuration of the migrated pipelines: python run.py --config configs/{environment}.yaml",
        "# Step parameters that came from Dagster Config classes, resources and run config live under `steps:`.",
    ]
    if environment == "prod":
        lines.append("# Review the values below for production; they start as copies of the Dagster defaults.")
    configured = [s for s in project.steps if any(s.injected.values()) or _unbuilt_resources(s)]
    if configured:
        lines.append("steps:")
        for spec in configured:
            lines.append(f"  {_yaml_key(spec.name)}:")
            lines.append("    parameters:")
            unbuilt = _unbuilt_resources(spec)
            for param, class_name in spec.injected.items():
                if not class_name:
                    lines.extend(_unbuilt_resource_lines(project, param) if param in unbuilt else [])
                    continue
                fields = _parameter_fields(project, spec.name, param, class_name)
                lines.extend(_rebound_parameter_todo(project, spec.name, param))
                lines.append(f"      {_yaml_key(param)}:" + ("" if fields else " {}"))
                lines.extend(fields)
    else:
        lines.append("steps: {}")
    schedules = [t for p in project.pipelines for t in p.triggers if t.is_schedule]
    if schedules:
        lines.append("")
        lines.append("# Migration note: Dagster schedules. The local orchestrator cannot schedule; on an orchestrator")
        lines.append("# that supports schedules, uncomment the one for the pipeline you run (DZ208). Time zones and")
        lines.append("# default status have no field in ZenML's Schedule.")
        for plan in project.pipelines:
            for trigger in plan.triggers:
                if not trigger.is_schedule:
                    continue
                zone = f", timezone {trigger.timezone}" if trigger.timezone else ""
                origin = f"{trigger.location}{zone}"
                lines.append(comment_text(f"# {plan.name}: Dagster schedule '{trigger.name}' ({origin})"))
                if trigger.cron is None:
                    lines.append("#   one run per partition: its cron came from the partitions definition; set it here")
                lines.append("# schedule:")
                lines.append(f"#   cron_expression: {_yaml_value(trigger.cron or '')}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- materializers
# Why the data-access skeletons are never cached: ZenML would skip a step whose code and inputs did
# not change, so the external read or write would silently stop happening on the next run.
CACHE_OFF_NOTE = (
    "enable_cache=False: this step reads or writes data outside the artifact store, which ZenML's cache "
    "cannot see; Dagster ran it on every run."
)


def _data_access_steps(project: Project) -> None:
    """Step skeletons where the reads and writes of data-access IO managers (DZ309) go now."""
    rule = rules_by_code().get(DZ309.code)
    for io in project.io_managers:
        if not io.data_access:
            continue
        methods = {m.name: m for m in io.node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
        save, load = io.step_names
        for step_name, method, parameters, returns, purpose in (
            (save, "handle_output", ("data: Any", "name: str"), "None", "Write `data` (the output called `name`)"),
            (load, "load_input", ("name: str",), "Any", "Read the data called `name`"),
        ):
            node = methods.get(method)
            if node is None or f"steps/{step_name}.py" in project.files:
                continue
            where = f"{io.module}:{node.lineno}"
            todo = markers.todo(rule, f"port `{io.name}.{method}` ({where}) into this step", "    ") if rule else []
            method_text = textwrap.dedent("\n".join(_source_lines(project, io.module, node)))
            original = "\n".join(f"    #     {line}".rstrip() for line in python_lines(method_text))
            stop = raise_lines("NotImplementedError", (f"port {io.name}.", method), "    ")
            title = f"Step skeleton for the data access of the Dagster IO manager `{io.name}` "
            project.files[f"steps/{step_name}.py"] = "\n".join(
                [
                    *_docstring_opening(f"{title}({docstring_text(io.module)}:{io.line}).", ""),
                    "",
                    "Call it in a pipeline next to the steps whose outputs the IO manager handled.",
                    '"""',
                    "",
                    "from typing import Any",
                    "",
                    "from zenml import step",
                    "",
                    "",
                    "@step(enable_cache=False)",
                    *_def_lines(step_name, parameters, returns),
                    *_docstring(f"{purpose} where `{io.name}.{method}` did.", "    "),
                    *markers.note(CACHE_OFF_NOTE, "    "),
                    *todo,
                    "    # The original method, for reference:",
                    original,
                    *("    " + line for line in stop),
                    "",
                ]
            )


def _def_lines(name: str, parameters: Sequence[str], returns: str) -> list[str]:
    """A ``def`` line as ruff format keeps it: one line when it fits, else one parameter a line
    (the trailing comma keeps it so)."""
    one_line = f"def {name}({', '.join(parameters)}) -> {returns}:"
    if len(one_line) <= LINE_WIDTH:
        return [one_line]
    return [f"def {name}(", *(f"    {parameter}," for parameter in parameters), f") -> {returns}:"]


def _docstring_opening(text: str, indent: str) -> list[str]:
    """The first paragraph of a docstring (``\"\"\"text``) wrapped at the generated project's line length.

    Words are never cut (``text`` is :func:`docstring_text`: a cut could split an escape), so
    only a single word longer than a line (a class name without bound) goes past it.
    """
    return textwrap.wrap(
        text,
        width=LINE_WIDTH,
        initial_indent=f'{indent}"""',
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _docstring(text: str, indent: str) -> list[str]:
    """A one-paragraph docstring: on one line when it fits, else wrapped with the closing quotes on their own."""
    one_line = f'{indent}"""{text}"""'
    if len(one_line) <= LINE_WIDTH:
        return [one_line]
    return [*_docstring_opening(text, indent), f'{indent}"""']


def _materializers(project: Project) -> None:
    _data_access_steps(project)
    taken: set[str] = set()
    for io in project.io_managers:
        if io.data_access:
            continue
        name = python_name(markers.snake(io.name), taken, suffix="_materializer")
        taken.add(name)
        class_name = python_name(io.name.removesuffix("IOManager").removesuffix("Manager") + "Materializer")
        original = "\n".join("# " + line if line else "#" for line in _source_lines(project, io.module, io.node))
        where = f"{docstring_text(io.module)}:{io.line}"
        text = f'''"""Materializer skeleton for the Dagster IO manager `{io.name}` ({where}).

The IO manager only serialized values, which is what a ZenML materializer does. ZenML
already persists step outputs with its default materializers; keep this class only if the
format matters, and attach it with @step(output_materializers={class_name}).
"""

from typing import Any, ClassVar

from zenml.enums import ArtifactType
from zenml.materializers.base_materializer import BaseMaterializer


class {class_name}(BaseMaterializer):
    """Writes and reads artifacts the way `{io.name}` did."""

    # TODO(migration): set the Python types this materializer handles.
    ASSOCIATED_TYPES: ClassVar[tuple[type[Any], ...]] = (object,)
    ASSOCIATED_ARTIFACT_TYPE: ClassVar[ArtifactType] = ArtifactType.DATA

    def load(self, data_type: type[Any]) -> Any:
        """Read the artifact from ``self.uri`` (port `load_input` of the IO manager)."""
        # TODO(migration): port the reading half of the IO manager, using self.artifact_store.open(...).
        raise NotImplementedError

    def save(self, data: Any) -> None:
        """Write the artifact under ``self.uri`` (port `handle_output` of the IO manager)."""
        # TODO(migration): port the writing half of the IO manager, using self.artifact_store.open(...).
        raise NotImplementedError


# The original IO manager, for reference:
{original}
'''
        project.files[f"materializers/{name}.py"] = text


def _source_lines(project: Project, module: str, node: ast.AST) -> list[str]:
    text = python_lines(project.modules[module].text)
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])  # type: ignore[attr-defined]
    return [line.rstrip() for line in text[first - 1 : node.end_lineno]]  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- run.py
# run.py's checks before ZenML starts: fixed code (no name from the sources), so each stop is one line.
CHECK_CONFIG = '''
def check_config(path: str) -> None:
    """Stop with one line naming the YAML key that is still a placeholder or does not fit its model."""
    try:
        with open(path, encoding="utf-8") as handle:
            config = yaml.safe_load(handle) or {}
    except OSError as error:
        raise SystemExit(f"{path}: cannot read the configuration ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise SystemExit(f"{path}: not valid YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(config, dict):
        raise SystemExit(f"{path}: the configuration must be a mapping")
    for key in placeholders(config, ""):
        raise SystemExit(f"{path}: {key} is still the {PLACEHOLDER} placeholder; set its value (see the comment there)")
'''
CHECK_MODELS = """    steps = config.get("steps") or {}
    for (step_name, parameter), class_name in MODELS.items():
        key = f"steps.{step_name}.parameters.{parameter}"
        value = ((steps.get(step_name) or {}).get("parameters") or {}).get(parameter)
        if value is None:
            raise SystemExit(f"{path}: {key} is missing; the step needs it")
        model = getattr(importlib.import_module(f"steps.{step_name}"), class_name, None)
        if not hasattr(model, "model_validate"):
            continue  # not a pydantic model any more (edited by hand): ZenML validates it
        try:
            model.model_validate(value)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join([key, *(str(part) for part in first["loc"])])
            raise SystemExit(f"{path}: {where}: {first['msg']}") from None
"""
PLACEHOLDERS = '''

def placeholders(value: object, key: str) -> list[str]:
    """The dotted keys under ``value`` whose value is still the placeholder."""
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in placeholders(v, f"{key}.{k}" if key else str(k))]
    if isinstance(value, list):
        return [found for i, v in enumerate(value) for found in placeholders(v, f"{key}[{i}]")]
    return [key] if isinstance(value, str) and value.startswith(PLACEHOLDER) else []
'''
CHECK_UPSTREAM = '''
def check_upstream(name: str, ran: set[str]) -> None:
    """Stop with one line when an artifact the pipeline loads has no version yet, naming who makes it."""
    for key, producer in UPSTREAM.get(name, {}).items():
        if producer in ran:
            continue
        try:
            Client().get_artifact_version(key)
        except KeyError:
            raise SystemExit(
                f"{name} loads the artifact {key!r}, which has no version yet: "
                f"run `python run.py --pipeline {producer}` first (or --pipeline all)"
            ) from None
'''
# The pipelines of one asset graph share a ZenML Model: one attached to its latest version needs a version,
# and loads its upstream artifacts from that version.
CHECK_UPSTREAM_MODEL = '''
def linked(model: str, key: str) -> bool:
    """Whether the model has a version and, given an artifact name, whether its latest version links it."""
    try:
        version = Client().get_model_version(model)
    except KeyError:
        return False
    return not key or version.get_artifact(key) is not None


def check_upstream(name: str, ran: set[str]) -> None:
    """Stop with one line when what the pipeline needs from another pipeline was not made yet, naming it."""
    model, creator = LATEST_MODEL.get(name, (None, None))
    for key, producer in UPSTREAM.get(name, {}).items():
        if producer in ran:
            continue
        try:
            found = linked(model, key) if model else Client().get_artifact_version(key) is not None
        except KeyError:
            found = False
        if not found:
            raise SystemExit(
                f"{name} loads the artifact {key!r}, which has no version yet: "
                f"run `python run.py --pipeline {producer}` first (or --pipeline all)"
            )
    if model and creator not in ran and not linked(model, ""):
        raise SystemExit(
            f"{name} attaches to the latest version of the ZenML model {model!r}, which has none yet: "
            f"run `python run.py --pipeline {creator}` first (or --pipeline all)"
        )
'''


def _models(project: Project) -> dict[tuple[str, str], str]:
    """(step, parameter) -> the class of a step parameter that came from a Dagster Config class or resource."""
    return {
        (spec.name, param): class_name
        for spec in project.steps
        for param, class_name in spec.injected.items()
        if class_name
    }


def _run_py(project: Project) -> str:
    pipelines = project.pipelines
    if not pipelines:
        return "\n".join(
            [
                '"""Entry point of the migrated project: no pipeline was generated (no job wires the ops)."""',
                "",
                *_trigger_todos(project),
                *project.unplaced,
                "# TODO(migration): the Dagster code defines ops but no job that runs them; write a @pipeline in",
                "# pipelines/ that calls the steps, then run it from here.",
                "",
                'if __name__ == "__main__":',
                '    raise SystemExit("no pipeline was generated; see README.md")',
                "",
            ]
        )
    several = len(pipelines) > 1
    params = sorted({p for plan in pipelines for p in plan.partition_params})
    models = _models(project)
    upstream = {plan.name: plan.loads for plan in pipelines if plan.loads}
    latest = {plan.name: plan.model for plan in pipelines if plan.model is not None and plan.model[1] != plan.name}
    lines = [
        '"""Run the migrated pipelines.',
        "",
        "Usage:",
    ]
    for plan in pipelines:
        flags = f" --pipeline {plan.name}" if several else ""
        flags += "".join(f" --{p.replace('_', '-')} VALUE" for p in plan.partition_params)
        lines.append(f"    python run.py{flags} [--config configs/dev.yaml]")
    if several:
        flags = "".join(f" --{p.replace('_', '-')} VALUE" for p in params)
        lines.append(f"    python run.py --pipeline all{flags}   (every pipeline, in the order of PIPELINES)")
    schedules = {
        plan.name: trigger for plan in pipelines for trigger in plan.triggers if trigger.is_schedule and trigger.cron
    }
    if schedules:
        lines.append("    python run.py ... --schedule   (register the Dagster cron schedule instead of running once)")
    lines += ['"""', "", "import argparse"]
    if models:
        lines.append("import importlib")
    lines += ["", "import yaml"]
    if models:
        lines.append("from pydantic import ValidationError")
    if upstream or latest:
        lines.append("from zenml.client import Client")
    if schedules:
        lines.append("from zenml.config.schedule import Schedule")
    lines.append("")
    for plan in sorted(pipelines, key=lambda p: natural(f"pipelines.{p.name}")):
        lines.append(f"from pipelines.{plan.name} import {plan.name}")  # names are python_name() identifiers
    lines += [""]
    lines.append("# In dependency order: a pipeline that loads another one's artifact comes after it.")
    lines.append("PIPELINES = {")
    for plan in pipelines:
        lines.append(f"    {py_literal(plan.name)}: {plan.name},")
    lines.append("}")
    lines.append("# Slice parameters each pipeline takes (Dagster partitions became explicit parameters).")
    lines.append("PARAMETERS = {")
    for plan in pipelines:
        quoted = [py_literal(p) for p in plan.partition_params]
        listed = f"{quoted[0]}," if len(quoted) == 1 else ", ".join(quoted)
        lines.append(f"    {py_literal(plan.name)}: ({listed}),")
    lines.append("}")
    renamed = {plan.name: plan.job.name for plan in pipelines if plan.job is not None and plan.job.name != plan.name}
    if renamed:  # `verify` compares a job's op outputs with the steps of the pipeline that replaced it
        lines.append("# The Dagster op job a pipeline replaces, where the pipeline has another name: pipeline -> job.")
        lines.append("DAGSTER_JOBS = {")
        lines.extend(f"    {py_literal(name)}: {py_literal(job)}," for name, job in renamed.items())
        lines.append("}")
    if upstream:
        lines.append("# Artifacts a pipeline loads that another pipeline produces: pipeline -> {artifact: producer}.")
        lines.append("UPSTREAM = {")
        for name, loads in upstream.items():
            pairs = ", ".join(f"{py_literal(key)}: {py_literal(producer)}" for key, producer in loads.items())
            lines.append(f"    {py_literal(name)}: {{{pairs}}},")
        lines.append("}")
    if latest:
        if not upstream:
            lines.append("UPSTREAM: dict[str, dict[str, str]] = {}")
        lines.append("# Pipelines on the latest version of a shared ZenML model: pipeline -> (model, its creator).")
        lines.append("LATEST_MODEL = {")
        for name, (model, creator) in latest.items():
            lines.append(f"    {py_literal(name)}: ({py_literal(model)}, {py_literal(creator)}),")
        lines.append("}")
    lines.append("# The value configs/*.yaml holds where the Dagster value was not known; run.py refuses it.")
    lines.append(f"PLACEHOLDER = {py_literal(PLACEHOLDER)}")
    if models:
        lines.append("# Step parameters that were Dagster Config classes or resources: (step, parameter) -> class,")
        lines.append("# defined in or imported by steps/<step>.py; run.py validates their YAML values first.")
        lines.append("MODELS = {")
        for (step_name, param), class_name in models.items():
            lines.append(f"    ({py_literal(step_name)}, {py_literal(param)}): {py_literal(class_name)},")
        lines.append("}")
    else:
        lines.append("MODELS: dict[tuple[str, str], str] = {}")
    if schedules:
        lines.append("# Cron schedules of the Dagster schedules that started each pipeline (DZ208).")
        lines.append("SCHEDULES = {")
        for name, trigger in schedules.items():
            origin = f"Dagster schedule '{trigger.name}' ({trigger.location})"
            lines.append(f"    {py_literal(name)}: {py_literal(trigger.cron)},  # {comment_text(origin)}")
        lines.append("}")
    trigger_lines = [*_trigger_todos(project), *project.unplaced]
    if trigger_lines:
        lines.append("")
        lines.extend(trigger_lines)
    lines += [
        "",
        "",
        "def parse_args() -> argparse.Namespace:",
        '    """The command line of the migrated project."""',
        '    parser = argparse.ArgumentParser(description="Run a pipeline migrated from Dagster.")',
    ]
    if several:
        lines += [
            "    parser.add_argument(",
            '        "--pipeline", choices=[*PIPELINES, "all"], required=True, '
            'help="which pipeline to run (all: every one)"',
            "    )",
        ]
    lines.append('    parser.add_argument("--config", default="configs/dev.yaml", help="YAML run configuration")')
    helps = {
        "partition_key": "the Dagster partition key to run (e.g. 2024-01-31)",
        "start_date": "start of the time window (was the Dagster partition window)",
        "end_date": "end of the time window (was the Dagster partition window)",
    }
    for param in params:
        flag, text = "--" + param.replace("_", "-"), helps.get(param, param)
        lines.append(f"    parser.add_argument({py_literal(flag)}, help={py_literal(text)})")
    if schedules:
        lines.append(
            '    parser.add_argument("--schedule", action="store_true", help="register the Dagster cron schedule")'
        )
    lines += ["    return parser.parse_args()", ""]
    lines += (CHECK_CONFIG + (CHECK_MODELS if models else "") + PLACEHOLDERS).splitlines()
    if latest:
        lines += ["", *CHECK_UPSTREAM_MODEL.splitlines()]
    elif upstream:
        lines += ["", *CHECK_UPSTREAM.splitlines()]
    lines += [
        "",
        "",
        "def main() -> None:",
        '    """Run the chosen pipeline(s) with the chosen configuration."""',
        "    args = parse_args()",
    ]
    if several:
        lines.append('    names = list(PIPELINES) if args.pipeline == "all" else [args.pipeline]')
    else:
        lines.append(f"    names = [{py_literal(pipelines[0].name)}]")
    lines += [
        "    for name in names:",
        "        missing = [param for param in PARAMETERS[name] if getattr(args, param) is None]",
        "        if missing:",
        '            raise SystemExit(f"{name} needs --" + ", --".join(p.replace("_", "-") for p in missing))',
    ]
    if schedules:
        lines += [
            "        if args.schedule and name not in SCHEDULES:",
            '            raise SystemExit(f"{name} had no Dagster schedule; run it without --schedule")',
        ]
    lines += [
        "    check_config(args.config)",
        "    ran: set[str] = set()",
        "    for name in names:",
    ]
    if upstream or latest:
        lines.append("        check_upstream(name, ran)")
    lines.append("        values = {param: getattr(args, param) for param in PARAMETERS[name]}")
    if schedules:
        lines += [
            "        options = {}",
            "        if args.schedule:",
            "            # Migration note: time zone and default status of the Dagster schedule have no ZenML field.",
            '            options["schedule"] = Schedule(cron_expression=SCHEDULES[name])',
            "        PIPELINES[name].with_options(config_path=args.config, **options)(**values)",
        ]
    else:
        lines.append("        PIPELINES[name].with_options(config_path=args.config)(**values)")
    lines += [
        "        ran.add(name)",
        "",
        "",
        'if __name__ == "__main__":',
        "    main()",
    ]
    return "\n".join(lines) + "\n"


def _trigger_todos(project: Project) -> list[str]:
    """TODO markers for sensors (absent in ZenML): run.py is where runs are started now."""
    subjects = []
    for trigger in project.model.sensors():
        jobs = ", ".join(dict.fromkeys(key.name for key in trigger.jobs))
        target = f" started `{jobs}`" if jobs else ""
        subjects.append(f"Dagster sensor '{trigger.fact.name}' ({trigger.location}){target}")
    rule = rules_by_code().get(DZ304.code)
    if not subjects or rule is None:
        return []
    return markers.todo(rule, subjects)


# ----------------------------------------------------------------------------- pyproject
def _third_party(project: Project) -> list[str]:
    found: set[str] = set()
    for path, text in project.files.items():
        if not path.endswith(".py"):
            continue
        known = project.imported.get(path)
        if known is not None and known[0] is text:  # the generator knew its imports when it wrote it
            found.update(known[1])
            continue
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        found.update(imported_packages(tree))
    return sorted(DISTRIBUTIONS.get(n, n) for n in found if n not in STDLIB and n not in LOCAL_PACKAGES)


def _dependencies(project: Project) -> list[str]:
    """What the generated code imports: ZenML (with the local extras to run) and the third-party packages."""
    return ["zenml[local]>=0.94.1", *_third_party(project)]


def _pyproject(project: Project, dependencies: list[str]) -> str:
    deps = []
    for dist in dependencies:
        comment = (
            "  # TODO(migration): still imported by generated code; remove once replaced"
            if dist.startswith("dagster")
            else ""
        )
        deps.append(f'    "{dist}",{comment}')
    return "\n".join(
        [
            "[project]",
            f'name = "{project.name.replace("_", "-")}-zenml"',
            'version = "0.1.0"',
            f'description = "ZenML pipelines migrated from the Dagster project {project.name}."',
            f'requires-python = ">={project.python}"',
            "dependencies = [",
            *deps,
            "]",
            "",
            "[tool.ruff]",
            f"line-length = {LINE_WIDTH}",
            "",
        ]
    )


# ----------------------------------------------------------------------------- report
def _report(project: Project) -> str:
    renderer = _external_report(project)
    if renderer is not None:
        return renderer
    counts = {m: 0 for m in Mapping}
    by_code = rules_by_code()
    rows: dict[Mapping, list[str]] = {Mapping.DIRECT: [], Mapping.APPROXIMATE: [], Mapping.ABSENT: []}
    for path, finding in project.findings:
        rule = by_code.get(finding.code)
        if rule is None or rule.mapping not in rows:
            continue
        counts[rule.mapping] += 1
        message = finding.message.replace("|", "\\|")
        if rule.mapping == Mapping.ABSENT:
            rows[rule.mapping].append(
                f"| `{path}:{finding.line}` {message} | {rule.severity.name} | {rule.code} {rule.symbol} | "
                f"{rule.hint} |"
            )
        else:
            rows[rule.mapping].append(f"| `{path}:{finding.line}` {message} | {rule.target} | {rule.code} |")
    style = _style(project)
    lines = [
        f"# Migration Report: {project.name} (Dagster) -> {project.name}-zenml (ZenML)",
        "",
        "## Summary",
        f"- **Source**: Dagster project `{project.name}`",
        f"- **Target**: ZenML project `{project.name}-zenml`",
        f"- **Project style**: {style}",
        f"- **Components migrated**: {counts[Mapping.DIRECT]} direct, {counts[Mapping.APPROXIMATE]} approximate, "
        f"{counts[Mapping.ABSENT]} flagged",
        "",
        "## Pipeline Boundary Decisions",
        "| Dagster run unit / asset slice | ZenML pipeline | Why split or combine |",
        "|---|---|---|",
        *(
            f"| {', '.join(p.members)} (`{p.origin}`) | `pipelines/{p.name}.py` | {p.reason} |"
            for p in project.pipelines
        ),
        "",
        "## Direct Translations",
        "| Dagster Component | ZenML Component | Rule |",
        "|---|---|---|",
        *rows[Mapping.DIRECT],
        "",
        "## Approximate Translations",
        "| Dagster Component | ZenML Component | Rule |",
        "|---|---|---|",
        *rows[Mapping.APPROXIMATE],
        "",
        "## Flagged for Review",
        "| Dagster Pattern | Severity | Rule | Suggested Redesign |",
        "|---|---|---|---|",
        *rows[Mapping.ABSENT],
        "",
    ]
    return "\n".join(lines)


def _external_report(project: Project) -> str | None:
    """The report renderer's Markdown for this run's project model and plan (what ``report`` prints)."""
    if project.model is None or not project.boundaries:
        return None
    if len(project.boundaries) == 1:
        return render_markdown(project.model, project.boundaries[0].plan)
    return render_markdown_locations(project.model.root, project.boundaries)


def _style(project: Project) -> str:
    ops = sum(1 for s in project.steps if s.kind == "op")
    assets = len(project.steps) - ops
    if ops and assets:
        return "mixed"
    return "asset-centric" if assets else "op-job-centric"


# ----------------------------------------------------------------------------- README
def _todo_locations(project: Project) -> list[str]:
    """One README line per TODO marker of the generated files: where it is and what it says (a rule's
    marker by its code and name; any other marker whole, its wrapped lines joined)."""
    rows: list[str] = []
    for path, text in sorted(project.files.items()):
        if not path.endswith((".py", ".yaml", ".toml")):
            continue
        lines = python_lines(text)
        for index, line in enumerate(lines):
            match = TODO_PATTERN.search(line)
            if match:
                summary = match.group(1).strip()
                rule = RULE_PREFIX.match(summary)
                if not rule:
                    summary = " ".join([summary, *_continued(lines, index + 1)])
                rows.append(f"- `{path}:{index + 1}`: {rule.group(0) if rule else summary}")
    return rows


def _continued(lines: list[str], start: int) -> Iterator[str]:
    """The text of a wrapped marker's further lines from ``start`` on (``#   `` under its first line)."""
    for line in lines[start:]:
        match = CONTINUATION.match(line)
        if match is None:
            return
        yield match.group(1).strip()


def _cell(text: str) -> str:
    """A name from the source inside a Markdown table cell: one line, no column break, no closing backtick."""
    return comment_text(text).replace("|", "\\|").replace("`", "'")


def _readme(project: Project, dependencies: list[str]) -> str:
    several = len(project.pipelines) > 1
    lines = [
        f"# {project.name}-zenml",
        "",
        f"ZenML pipelines migrated from the Dagster project `{project.name}` by `dagster-zenml-lint migrate`.",
        "",
        "## What was migrated",
        "",
        "| Pipeline | Steps (in order) | Replaces | Triggers in Dagster |",
        "|---|---|---|---|",
    ]
    for plan in project.pipelines:
        triggers = ", ".join(f"{t.family} `{_cell(t.name)}`" for t in plan.triggers) or "none"
        lines.append(
            f"| `pipelines/{plan.name}.py` | {', '.join(plan.members)} | `{_cell(plan.origin)}` | {triggers} |"
        )
    lines += [
        "",
        "Each op and asset body is a step in `steps/` (one per file); assets keep their names as output",
        "artifact names. Values of Dagster `Config` classes are in `configs/dev.yaml` and `configs/prod.yaml`.",
        "",
    ]
    in_pipelines = {m for plan in project.pipelines for m in plan.members}
    idle = [s.name for s in project.steps if s.name not in in_pipelines]
    if idle:
        lines += [
            f"Steps no pipeline calls (no Dagster job ran them): {', '.join(f'`{n}`' for n in idle)}.",
            "",
        ]
    lines += [
        "## How to run it",
        "",
        "```bash",
        "pip install " + " ".join(f"'{d}'" for d in dependencies),
        "zenml init",
    ]
    for plan in project.pipelines:
        flags = f" --pipeline {plan.name}" if several else ""
        flags += "".join(f" --{p.replace('_', '-')} VALUE" for p in plan.partition_params)
        lines.append(f"python run.py{flags}")
    lines += ["```", ""]
    if several:
        every = "".join(
            f" --{p.replace('_', '-')} VALUE"
            for p in sorted({p for x in project.pipelines for p in x.partition_params})
        )
        lines += [
            f"Run the pipelines in this order ({' -> '.join(f'`{p.name}`' for p in project.pipelines)}): a "
            "pipeline that loads another one's artifact comes after it, and `run.py` stops, naming the pipeline "
            f"to run first, when that artifact has no version yet. `python run.py --pipeline all{every}` runs "
            "them all in this order.",
            "",
        ]
    lines += [
        "Use `--config configs/prod.yaml` for production values."
        + (
            " Add `--schedule` to register the Dagster cron schedule instead of running once (on an orchestrator "
            "that supports schedules)."
            if any(t.is_schedule and t.cron for p in project.pipelines for t in p.triggers)
            else ""
        ),
        "",
        "## What still needs a person",
        "",
    ]
    todos = _todo_locations(project)
    high = [
        (path, f)
        for path, f in project.findings
        if (rule := rules_by_code().get(f.code)) is not None and rule.severity == Severity.HIGH
    ]
    if todos:
        lines.append("Every `# TODO(migration):` marker in the generated code:")
        lines.append("")
        lines.extend(todos)
    else:
        lines.append("Nothing: no pattern without a ZenML equivalent was found.")
    if high:
        lines += ["", f"The Dagster source had {len(high)} HIGH finding(s); see MIGRATION_REPORT.md for each one."]
    if project.skipped:
        lines += [
            "",
            "These source files, directories and objects were not migrated: `dagster-zenml-lint check` cannot "
            "read or analyse them (DZ000). "
            "Fix them, then run `migrate` again:",
            "",
            *(
                f"- `{_cell(s.relpath)}:{s.line}` `{s.name}`: {comment_text(s.reason)} (the rest of the file was "
                "migrated)"
                if s.name
                else f"- `{_cell(s.relpath)}`: {comment_text(s.reason)}"
                for s in project.skipped
            ),
        ]
    lines += [
        "",
        "`# Migration note:` comments mark places where ZenML behaves differently from Dagster.",
        "",
    ]
    return "\n".join(lines)
