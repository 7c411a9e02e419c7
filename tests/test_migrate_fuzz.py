"""``migrate`` on random Dagster-flavoured programs: it never raises, and what it writes compiles.

Sources that do not compile themselves are skipped (garbage in); anything the generator
cannot handle must end as a ``ScaffoldError`` (a usage error) or as TODO markers.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from fuzz_strategies import dagster_programs, mutated_sources
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dagster_zenml_lint.scaffold import ScaffoldError, generate_project, write_project


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.one_of(dagster_programs(), mutated_sources()))
def test_migrate_never_raises_and_generates_code_that_compiles(tmp_path_factory, text):
    try:
        compile(text, "module.py", "exec")
    except (SyntaxError, ValueError):
        return
    source = tmp_path_factory.mktemp("source")
    (source / "module.py").write_text(text, encoding="utf-8")
    try:
        project = generate_project([source])
    except ScaffoldError:
        return
    for path, code in project.files.items():
        if path.endswith(".py"):
            compile(code, path, "exec")  # raises on broken generated code


# ----------------------------------------------------------------------------- hostile names (issue 11)
INJECTED = '", __import__("os").system("echo PWNED") or "'
HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            "x" + INJECTED,
            "x'" + INJECTED + "'",
            "back\\slash\\",
            "new\nline",
            'tri"""ple',
            "x\u00b2",
            "nul\x00",
            "sep\u2028\x85",
            "class",
            "os",
            "step",
            "zenml",
            "a" * 120,
            "",
            "caf\u00e9",
        ]
    ),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
)
FUNCTION_NAMES = st.sampled_from(
    [
        *("extract", "load", "os", "sys", "json", "step", "pipeline", "zenml", "match", "type", "_", "print"),
        *("Annotated", "logger", "main", "run", "caf\u00e9", "Extract", "x" * 100, "helpers", "steps", "Client"),
    ]
)
MODULE_PATHS = st.sampled_from(
    [
        "ops.py",
        "ops.v2.py",
        "my ops.py",
        "pkg/util.py",
        "pkg_util.py",
        "os.py",
        "steps.py",
        "\u00fcn\u00ef.py",
        "a-b.py",
    ]
)


@st.composite
def _hostile_module(draw: st.DrawFn) -> str:
    """A Dagster module whose function names, names, keys, crons and config values are hostile.

    Ops (with ``out=``), assets (``ins``, ``deps``, ``key``, ``key_prefix``, partitions, metadata,
    retry policy), multi-assets, asset checks, a job with aliases, a sensor, an asset job and a
    schedule: every string argument is drawn from hostile text.
    """
    names = draw(st.lists(FUNCTION_NAMES, min_size=1, max_size=3, unique=True))
    text = lambda: repr(draw(HOSTILE_TEXT))  # noqa: E731 - a fresh draw per use
    lines = [
        "from dagster import AssetIn, Config, Out, ScheduleDefinition, asset, define_asset_job, job, op",
        "from dagster import AssetCheckResult, AssetKey, AssetOut, RetryPolicy, StaticPartitionsDefinition",
        "from dagster import RunRequest, asset_check, multi_asset, sensor",
        "",
        "",
        "class Settings(Config):",
        f"    label: str = {text()}",
        "",
    ]
    ops: list[str] = []
    previous: str | None = None
    for name in names:
        kind = draw(st.sampled_from(["op", "op_out", "asset", "asset_in", "multi", "check", "deps", "part", "key"]))
        if kind == "op":
            lines += ["", f"@op(name={text()})", f"def {name}(config: Settings):", "    return config.label", ""]
            ops.append(name)
        elif kind == "op_out":
            lines += ["", f"@op(out={{{text()}: Out(), 'second': Out()}})", f"def {name}():", "    return 1, 2", ""]
            ops.append(name)
        elif kind == "multi":
            outs = f"{{{text()}: AssetOut(), {text()}: AssetOut(key=[{text()}, {text()}])}}"
            lines += ["", f"@multi_asset(outs={outs})", f"def {name}():", "    return 1, 2", ""]
        elif kind == "check" and previous is not None:
            lines += ["", f"@asset_check(asset={previous}, name={text()}, blocking=True)", f"def {name}({previous}):"]
            lines += ["    return AssetCheckResult(passed=True, metadata={'a': 1})", ""]
        elif kind == "deps":
            lines += ["", f"@asset(deps=[{text()}, AssetKey([{text()}, {text()}])], key=AssetKey({text()}))"]
            lines += [f"def {name}(context):", "    context.log.info('x')", "    return 1", ""]
        elif kind == "part":
            partitions = f"StaticPartitionsDefinition([{text()}, 'b'])"
            lines += ["", f"@asset(partitions_def={partitions}, io_manager_key={text()})", f"def {name}(context):"]
            lines += ["    return context.partition_key", ""]
        elif kind == "key":
            arguments = f"key_prefix={text()}, group_name={text()}, metadata={{{text()}: {text()}}}"
            lines += ["", f"@asset({arguments}, retry_policy=RetryPolicy(max_retries=2, delay=1))"]
            lines += [f"def {name}(context):", "    return context.run_id", ""]
        elif kind == "asset" or previous is None:
            lines += ["", f"@asset(name={text()}, key_prefix=[{text()}])", f"def {name}():", "    return 1", ""]
        else:
            lines += ["", f"@asset(ins={{'up': AssetIn({text()})}})", f"def {name}(up):", "    return up", ""]
        previous = name
    if ops:
        body = [f"    {op}.alias({text()})()" if draw(st.booleans()) else f"    {op}()" for op in ops]
        lines += ["", f"@job(name={text()})", "def the_job():", *body, ""]
    lines += [
        "",
        f"@sensor(job_name={text()}, name={text()})",
        "def watch(context):",
        f"    return RunRequest(run_key={text()})",
        "",
        "",
        f"assets_job = define_asset_job({text()}, selection=[{text()}])",
        f"nightly = ScheduleDefinition(name={text()}, job=assets_job, cron_schedule={text()})",
    ]
    return "\n".join(lines) + "\n"


def _digest(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


IMPORTER = r"""
import importlib, sys
for root, modules in zip(sys.argv[1::2], sys.argv[2::2]):
    sys.path.insert(0, root)
    for module in modules.split(","):
        try:
            importlib.import_module(module)
        except BaseException as exc:
            raise SystemExit(f"{root}: import {module}: {type(exc).__name__}: {exc}") from None
    for name in list(sys.modules):
        if name.split(".")[0] in ("steps", "pipelines", "helpers", "materializers", "run"):
            del sys.modules[name]
    sys.path.remove(root)
    importlib.invalidate_caches()
print("imported", len(sys.argv[1::2]))
"""


def test_hostile_projects_migrate_to_code_that_compiles_and_imports(tmp_path_factory):
    """Random projects with hostile names: the code compiles, injects nothing, imports under ZenML, stays in --out."""
    written: list[tuple[Path, list[str]]] = []

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
    @given(st.dictionaries(MODULE_PATHS, _hostile_module(), min_size=1, max_size=3))
    def migrate_one(sources: dict[str, str]) -> None:
        base = tmp_path_factory.mktemp("hostile")
        src = base / "src"
        for relative, text in sources.items():
            (src / relative).parent.mkdir(parents=True, exist_ok=True)
            (src / relative).write_text(text, encoding="utf-8")
        before = _digest(src)
        try:
            project = generate_project([src])
        except ScaffoldError:
            return
        for path, code in project.files.items():
            if path.endswith(".py"):
                tree = ast.parse(code, path)
                compile(tree, path, "exec")
                calls = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
                assert "__import__" not in calls, path
                assert not [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "system"], path
        out = base / "out"
        write_project(project, out)
        assert sorted(p.name for p in base.iterdir()) == ["out", "src"]  # no staging directory, nothing beside
        assert _digest(src) == before
        assert sorted(_digest(out)) == sorted(project.files)
        if len(written) < 8:
            modules = sorted(p.removesuffix(".py").replace("/", ".") for p in project.files if p.endswith(".py"))
            written.append((out, [m.removesuffix(".__init__") for m in modules]))

    migrate_one()
    assert written, "no example produced a project"
    arguments = [str(part) for out, modules in written for part in (out, ",".join(modules))]
    env = {
        **os.environ,
        "ZENML_CONFIG_PATH": str(tmp_path_factory.mktemp("zenconfig")),
        "ZENML_ANALYTICS_OPT_IN": "false",
    }
    script = tmp_path_factory.mktemp("importer") / "import_projects.py"  # ZenML wants a main module file
    script.write_text(IMPORTER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), *arguments], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_a_multi_asset_whose_specs_variable_names_no_readable_key_is_called_without_a_target(tmp_path):
    # found by the fuzz test above: ``specs=SPECS`` gave the step no outputs and the pipeline the line
    # ``     = load()`` (an IndentationError in the generated module)
    source = tmp_path / "source"
    source.mkdir()
    (source / "module.py").write_text(
        "import dagster as dg\nSPECS = [dg.AssetSpec('orders'), dg.AssetSpec('users')]\n\n\n"
        "@dg.multi_asset(specs=SPECS)\ndef load():\n    yield dg.MaterializeResult(asset_key='orders')\n"
        "    yield dg.MaterializeResult(asset_key='users')\n",
        encoding="utf-8",
    )
    files = generate_project([source]).files
    for path, code in files.items():
        if path.endswith(".py"):
            compile(code, path, "exec")
    assert "    load()\n" in files["pipelines/source_pipeline.py"]
