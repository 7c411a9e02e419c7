"""Generated multi-module Dagster projects still import after ``check --fix`` (hypothesis).

Each project is a package of op modules, job modules importing those ops (absolutely,
relatively or through the module), and users of the jobs and ops in other files:
schedules, sensors, ``Definitions``, a module running ``job.execute_in_process()``, a
module calling an op directly, a package ``__init__`` re-exporting a job, a ``Config``
class taken by an op, and a module mixing ops, a job and a schedule. Some ops and jobs
carry arguments that block their conversion. Hypothesis draws the projects, each is fixed
in-process (``--fix``, or ``--fix --unsafe-fixes``), and one fresh interpreter with the
real dagster and zenml packages then imports every module of every project, before and
after, and validates each project's ``Definitions``. Every module that imported before
must import after.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from zenml_env import zenml_env

from dagster_zenml_lint.cli import main

EXAMPLES = 24

LOADER = """\
import importlib, json, pathlib, sys
import dagster
root = pathlib.Path(sys.argv[1])
results = {}
for project in sorted(p for p in root.iterdir() if p.is_dir()):
    sys.path.insert(0, str(project))
    for path in sorted(project.rglob("*.py")):
        parts = path.relative_to(project).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        try:
            loaded = importlib.import_module(module)
            if hasattr(loaded, "defs"):
                dagster.Definitions.validate_loadable(loaded.defs)
            results[str(path.relative_to(root))] = "ok"
        except Exception as exc:
            results[str(path.relative_to(root))] = f"{type(exc).__name__}: {exc}"
    sys.path.remove(str(project))
print(json.dumps(results))
"""


@st.composite
def projects(draw: st.DrawFn, package: str) -> dict[str, str]:
    """The files (path relative to the project -> text) of one generated Dagster project."""
    files: dict[str, str] = {}
    sources: list[tuple[str, str]] = []  # (module, op) taking no input
    transforms: list[tuple[str, str]] = []  # (module, op) taking one int
    for m in range(draw(st.integers(1, 2))):
        module = f"ops_{m}"
        body = ["from dagster import op", ""]
        for i in range(draw(st.integers(1, 3))):
            name = f"{package}_op_{m}_{i}"
            decorator = draw(st.sampled_from(["@op", "@op", "@op(tags={'team': 'a'})", "@op(description='d')"]))
            if draw(st.booleans()):
                body += ["", decorator, f"def {name}() -> int:", f"    return {i}", ""]
                sources.append((module, name))
            else:
                body += ["", decorator, f"def {name}(x: int) -> int:", f"    return x + {i}", ""]
                transforms.append((module, name))
        files[f"{package}/{module}.py"] = "\n".join(body)
    if not sources:
        return draw(projects(package))
    jobs: list[tuple[str, str]] = []
    for m in range(draw(st.integers(1, 2))):
        module = f"jobs_{m}"
        imports: dict[str, set[str]] = {}
        body: list[str] = []
        for j in range(draw(st.integers(1, 2))):
            name = f"{package}_job_{m}_{j}"
            source = draw(st.sampled_from(sources))
            chain = [source]
            if transforms and draw(st.booleans()):
                chain.append(draw(st.sampled_from(transforms)))
            for op_module, op in chain:
                imports.setdefault(op_module, set()).add(op)
            call = f"{chain[0][1]}()"
            for _module, op in chain[1:]:
                call = f"{op}({call})"
            decorator = draw(st.sampled_from(["@job", "@job", "@job(tags={'team': 'a'})", "@job(description='d')"]))
            body += ["", "", decorator, f"def {name}():", f"    {call}"]
            jobs.append((module, name))
        style = draw(st.sampled_from(["absolute", "relative"]))
        lines = ["from dagster import job", ""]
        for op_module, names in sorted(imports.items()):
            origin = f"{package}.{op_module}" if style == "absolute" else f".{op_module}"
            lines.append(f"from {origin} import {', '.join(sorted(names))}")
        files[f"{package}/{module}.py"] = "\n".join(lines + body) + "\n"
    init = ""
    if draw(st.booleans()):
        module, name = draw(st.sampled_from(jobs))
        init = f"from {package}.{module} import {name}\n\n__all__ = [{name!r}]\n"
    files[f"{package}/__init__.py"] = init
    users = draw(
        st.sets(st.sampled_from(["schedules", "sensors", "definitions", "runner", "direct", "mixed", "config"]))
    )
    scheduled = draw(st.lists(st.sampled_from(jobs), unique=True, max_size=2)) if "schedules" in users else []
    if scheduled:
        lines = ["from dagster import ScheduleDefinition", ""]
        lines += [f"from {package} import {module}" for module in sorted({m for m, _ in scheduled})]
        lines += [""]
        for module, name in scheduled:
            lines.append(f"{name}_schedule = ScheduleDefinition(job={module}.{name}, cron_schedule='0 0 * * *')")
        files[f"{package}/schedules.py"] = "\n".join(lines) + "\n"
    if "sensors" in users:
        module, name = draw(st.sampled_from(jobs))
        files[f"{package}/sensors.py"] = (
            f"from dagster import sensor\n\nfrom {package}.{module} import {name}\n\n\n"
            f"@sensor(job={name})\ndef {name}_sensor():\n    return None\n"
        )
    if "definitions" in users:
        chosen = draw(st.lists(st.sampled_from(jobs), unique=True, min_size=1))
        lines = ["from dagster import Definitions", ""]
        lines += [f"from {package}.{module} import {name}" for module, name in chosen]
        lines += ["", f"defs = Definitions(jobs=[{', '.join(name for _, name in chosen)}])"]
        files[f"{package}/definitions.py"] = "\n".join(lines) + "\n"
    if "runner" in users:
        module, name = draw(st.sampled_from(jobs))
        files[f"{package}/runner.py"] = (
            f"from {package}.{module} import {name}\n\n\ndef run():\n    return {name}.execute_in_process().success\n"
        )
    if "direct" in users:
        module, name = draw(st.sampled_from(sources))
        files[f"{package}/direct.py"] = f"from .{module} import {name}\n\n\ndef value():\n    return {name}()\n"
    if "mixed" in users:
        schedule = draw(st.booleans())
        files[f"{package}/mixed.py"] = (
            "from dagster import ScheduleDefinition, job, op\n\n\n"
            f"@op\ndef {package}_local() -> int:\n    return 1\n\n\n"
            f"@job\ndef {package}_local_job():\n    {package}_local()\n"
            + (
                f"\n\nlocal_schedule = ScheduleDefinition(job={package}_local_job, cron_schedule='0 1 * * *')\n"
                if schedule
                else ""
            )
        )
    if "config" in users:
        files[f"{package}/settings.py"] = (
            "from dagster import Config\n\n\nclass Settings(Config):\n    factor: int = 2\n"
        )
        taker = draw(st.booleans())
        if taker:
            files[f"{package}/scaled.py"] = (
                f"from dagster import op\n\nfrom {package}.settings import Settings\n\n\n"
                f"@op\ndef {package}_scaled(config: Settings) -> int:\n    return config.factor\n"
            )
    return files


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def load(root: Path, tmp_path: Path) -> dict[str, str]:
    """Import every module of every project under ``root`` in one fresh interpreter."""
    (tmp_path / "load_projects.py").write_text(LOADER)  # a file: ZenML finds its source root from it
    proc = subprocess.run(
        [sys.executable, str(tmp_path / "load_projects.py"), str(root)],
        cwd=tmp_path,
        env=zenml_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_generated_projects_still_import_after_fixing(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    drawn: list[tuple[str, bool, dict[str, str]]] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def generate(data: st.DataObject) -> None:
        package = f"p{len(drawn)}"
        files = data.draw(projects(package))
        unsafe = data.draw(st.booleans())
        write(before / package, files)
        write(after / package, files)
        main(["check", "--quiet", "--fix", *(["--unsafe-fixes"] if unsafe else []), str(after / package)])
        for path in (after / package).rglob("*.py"):
            compile(path.read_text(), str(path), "exec")
        drawn.append((package, unsafe, files))

    generate()
    old, new = load(before, tmp_path), load(after, tmp_path)
    broken = {module: outcome for module, outcome in old.items() if outcome != "ok"}
    assert not broken, f"the generator made code that does not load under dagster: {broken}"
    changed = {module: new.get(module) for module, outcome in old.items() if new.get(module) != outcome}
    details = []
    for package, unsafe, files in drawn:
        if any(module.startswith(package + "/") for module in changed):
            shown = "\n".join(f"--- {name}\n{(after / package / name).read_text()}" for name in sorted(files))
            details.append(f"{package} ({'--unsafe-fixes' if unsafe else '--fix'}):\n{shown}")
    assert not changed, f"{changed}\n\n" + "\n\n".join(details)
    converted = sum("@pipeline" in p.read_text() for p in after.rglob("*.py"))
    assert converted, "no job was converted: the projects are too hard to test anything"
