"""``migrate`` on hostile input: names are data, never code; writes stay in ``--out``; sources stay distinct.

Each test reproduces one case of issue 11 (items 3, 4, 5 and the ``migrate`` parts of 6)
and fails on the generator before the fix.
"""

from __future__ import annotations

import ast
import keyword
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dagster_zenml_lint.cli import main
from dagster_zenml_lint.scaffold import ScaffoldError, generate_project, write_project
from dagster_zenml_lint.scaffold.names import (
    MAX_LENGTH,
    NameSet,
    comment_text,
    docstring_text,
    py_literal,
    python_name,
    yaml_scalar,
)
from dagster_zenml_lint.scaffold.write import WriteError, write_files

INJECTED = '", __import__("os").system("echo PWNED") or "'
HOSTILE_STRINGS = [
    f"x{INJECTED}",
    f"x'{INJECTED}'",
    "back\\slash\\",
    "new\nline\r\n__import__('os')",
    'tri"""ple',
    "x\u00b2",
    "a" * 300,
    "nul\x00byte",
    "line\u2028sep\x85",
    "class",
    "os",
]


def _write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _calls_to(tree: ast.AST, name: str) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name]


def assert_safe_project(files: dict[str, str]) -> None:
    """Every generated module compiles and calls no ``__import__``/``system``; every YAML file parses."""
    for path, text in files.items():
        if path.endswith(".py"):
            tree = ast.parse(text, path)
            compile(tree, path, "exec")
            assert not _calls_to(tree, "__import__"), path
            assert not [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "system"], (
                f"{path} calls system()"
            )
        elif path.endswith(".yaml"):
            yaml.safe_load(text)
        for part in Path(path).parts:
            assert len(part.encode()) <= 255


# ----------------------------------------------------------------------------- the sanitising function
@pytest.mark.parametrize("text", [*HOSTILE_STRINGS, "", "9lives", "__init__", "match", "step", "zenml", "Extract"])
def test_python_name_is_a_safe_identifier(text):
    name = python_name(text, ["extract"])
    assert name.isascii() and name.isidentifier()
    assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
    assert name not in sys.stdlib_module_names and name not in ("zenml", "dagster", "pydantic", "step")
    assert len(name) <= MAX_LENGTH
    assert name.casefold() != "extract"
    assert name == python_name(text, ["extract"])  # deterministic


def test_python_name_keeps_safe_names_and_makes_taken_ones_unique():
    assert python_name("load_orders") == "load_orders"
    assert python_name("_private") == "_private"
    taken: list[str] = []
    as_set = NameSet()
    for text in ["a.b", "a_b", "a-b", "A_B", "a" * 300, "a" * 299 + "b"]:
        taken.append(python_name(text, taken))
        assert python_name(text, as_set) == taken[-1]  # the fast set for many names gives the same names
        as_set.add(taken[-1])
    assert len({t.casefold() for t in taken}) == len(taken)


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_literals_comments_docstrings_and_yaml_keep_the_text_as_data(text):
    assert ast.literal_eval(py_literal(text)) == text
    comment = f"# {comment_text(text)}\nvalue = 1\n"
    assert [type(s) for s in ast.parse(comment).body] == [ast.Assign]
    doc = f'"""{docstring_text(text)}"""\n'
    module = ast.parse(doc)
    assert len(module.body) == 1 and isinstance(module.body[0].value.value, str)
    assert "\n" not in yaml_scalar(text) and yaml.safe_load(f"key: {yaml_scalar(text)}") == {"key": text}
    assert yaml.safe_load(f"key: 1  # {comment_text(text)}\nother: 2\n") == {"key": 1, "other": 2}


# ----------------------------------------------------------------------------- item 3: no injection
def test_asset_name_and_cron_strings_are_not_code(tmp_path):
    source = _write(
        tmp_path / "src",
        {
            "defs.py": (
                "from dagster import ScheduleDefinition, asset, define_asset_job\n\n\n"
                f"@asset(name={'x' + INJECTED!r})\n"
                "def a():\n    return 1\n\n\n"
                "@asset\ndef b(a):\n    return a\n\n\n"
                'j = define_asset_job("j", selection="*")\n'
                f"s = ScheduleDefinition(job=j, cron_schedule={'0 0 * * *' + INJECTED!r})\n"
            )
        },
    )
    files = generate_project([source]).files
    assert_safe_project(files)
    step = ast.parse(files["steps/a.py"])
    function = next(n for n in step.body if isinstance(n, ast.FunctionDef))
    assert ast.literal_eval(function.returns.slice.elts[1]) == "x" + INJECTED  # the artifact keeps its name
    run = ast.parse(files["run.py"])
    schedules = next(n for n in run.body if isinstance(n, ast.Assign) and n.targets[0].id == "SCHEDULES")
    assert list(ast.literal_eval(schedules.value).values()) == ["0 0 * * *" + INJECTED]
    commented = [line for line in files["configs/prod.yaml"].splitlines() if "cron_expression" in line]
    assert yaml.safe_load(commented[0].lstrip("# ")) == {"cron_expression": "0 0 * * *" + INJECTED}


@pytest.mark.parametrize("text", HOSTILE_STRINGS, ids=range(len(HOSTILE_STRINGS)))
def test_hostile_names_in_every_string_position_give_code_that_compiles(tmp_path, text):
    source = _write(
        tmp_path / "src",
        {
            "defs.py": (
                "from dagster import AssetIn, Config, Out, ScheduleDefinition\n"
                "from dagster import asset, define_asset_job, job, op, sensor\n\n\n"
                "class Settings(Config):\n"
                f"    label: str = {text!r}\n\n\n"
                f"@asset(name={text!r}, key_prefix=[{text!r}])\n"
                "def first(config: Settings):\n    return config.label\n\n\n"
                f"@asset(ins={{'up': AssetIn({text!r})}})\n"
                "def second(up):\n    return up\n\n\n"
                f"@op(name={text!r}, out={{{text!r}: Out(), 'b': Out()}})\n"
                "def pair():\n    return 1, 2\n\n\n"
                f"@job(name={text!r})\n"
                "def pairs():\n"
                f"    pair.alias({text!r})()\n\n\n"
                f"assets_job = define_asset_job({text!r}, selection=[{text!r}])\n"
                f"nightly = ScheduleDefinition(name={text!r}, job=assets_job, cron_schedule={text!r})\n\n\n"
                f"@sensor(job=pairs, name={text!r})\n"
                "def watch(context):\n    return None\n"
            )
        },
    )
    project = generate_project([source])
    assert_safe_project(project.files)
    out = tmp_path / "out"
    written = write_project(project, out)
    assert sorted(p.relative_to(out).as_posix() for p in written) == sorted(project.files)


def test_ops_with_one_name_in_modules_whose_paths_hold_dots_and_spaces(tmp_path):
    job = "from dagster import job, op\n\n\n@op\ndef extract():\n    return {}\n\n\n@job\ndef {}():\n    extract()\n"
    source = _write(
        tmp_path / "src",
        {
            "ops.py": job.format(1, "first"),
            "ops.v2.py": job.format(2, "second"),
            "my ops.py": job.format(3, "third"),
        },
    )
    project = generate_project([source])
    assert_safe_project(project.files)
    steps = sorted(p for p in project.files if p.startswith("steps/") and p != "steps/__init__.py")
    assert len(steps) == 3
    assert all(Path(p).stem.isidentifier() for p in steps)


def test_config_values_are_yaml_written_by_a_library(tmp_path):
    source = _write(
        tmp_path / "src",
        {
            "defs.py": (
                "from dagster import Config, RunConfig, job, op\n\n\n"
                "class Settings(Config):\n"
                "    label: str = 'two\\nlines: and # not a comment'\n"
                "    tags: list = ['a\\nb', 'c']\n\n\n"
                "@op\ndef use(config: Settings):\n    return config.label\n\n\n"
                "@job(config={'ops': {'use': {'config': {'odd key: x\\ny': 1}}}})\n"
                "def j():\n    use()\n"
            )
        },
    )
    files = generate_project([source]).files
    parameters = yaml.safe_load(files["configs/dev.yaml"])["steps"]["use"]["parameters"]["config"]
    assert parameters["label"] == "two\nlines: and # not a comment"
    assert parameters["tags"] == ["a\nb", "c"]
    assert parameters["odd key: x\ny"] == 1


# ----------------------------------------------------------------------------- atomic writes, item 4 and item 6
def test_a_failed_write_leaves_nothing_behind(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(WriteError, match="nothing was written"):
        write_files({"run.py": "x = 1\n", "steps/" + "s" * 300 + ".py": "y = 2\n"}, out)
    assert sorted(tmp_path.iterdir()) == []  # neither --out nor the staging directory


def test_force_never_writes_through_a_symlink_inside_out(tmp_path, capsys):
    src = _write(
        tmp_path / "src",
        {
            "__init__.py": "PRECIOUS = 1\n",
            "defs.py": "from dagster import job, op\n\n\n@op\ndef a():\n    return 1\n\n\n@job\ndef j():\n    a()\n",
        },
    )
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    out = tmp_path / "out"
    out.mkdir()
    (out / "steps").symlink_to(Path("..") / "src")
    assert main(["migrate", str(src), "--out", str(out), "--force"]) == 2
    err = capsys.readouterr().err
    assert "symbolic link" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before
    assert sorted(p.name for p in out.iterdir()) == ["steps"]  # nothing half-written


def test_force_replaces_a_symlinked_file_instead_of_writing_through_it(tmp_path):
    src = _write(
        tmp_path / "src",
        {"defs.py": "from dagster import job, op\n\n\n@op\ndef a():\n    return 1\n\n\n@job\ndef j():\n    a()\n"},
    )
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "run.py").symlink_to(precious)
    assert main(["migrate", str(src), "--out", str(out), "--force"]) == 0
    assert precious.read_text() == "keep me"
    assert not (out / "run.py").is_symlink() and "PIPELINES" in (out / "run.py").read_text()


def test_force_with_a_directory_where_a_file_goes_is_a_one_line_error(tmp_path, capsys):
    src = _write(
        tmp_path / "src",
        {"defs.py": "from dagster import job, op\n\n\n@op\ndef a():\n    return 1\n\n\n@job\ndef j():\n    a()\n"},
    )
    out = tmp_path / "out"
    (out / "run.py").mkdir(parents=True)
    (out / "keep.txt").write_text("mine")
    assert main(["migrate", str(src), "--out", str(out), "--force"]) == 2
    err = capsys.readouterr().err
    assert "run.py" in err and "directory" in err and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt", "run.py"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]  # no staging directory left


def test_write_project_error_is_a_scaffold_error(tmp_path):
    src = _write(
        tmp_path / "src",
        {"defs.py": "from dagster import job, op\n\n\n@op\ndef a():\n    return 1\n\n\n@job\ndef j():\n    a()\n"},
    )
    project = generate_project([src])
    blocker = tmp_path / "out"
    blocker.write_text("a file")
    with pytest.raises(ScaffoldError, match="not a directory"):
        write_project(project, blocker)


def test_a_file_check_reports_as_dz000_is_skipped_and_listed(tmp_path, capsys):
    deep = "x = " + "(" * 150 + "1" + ")" * 150 + "\n\n\n@op\ndef b():\n    return " + "-" * 5000 + "1\n"
    src = _write(
        tmp_path / "src",
        {
            "a.py": "from dagster import job, op\n\n\n@op\ndef a():\n    return 1\n\n\n@job\ndef j():\n    a()\n",
            "deep.py": "from dagster import op\n" + deep,
            "broken.py": "from dagster import op\n\n@op\ndef c(:\n",
        },
    )
    out = tmp_path / "out"
    assert main(["migrate", str(src), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "skipped 2 file(s)" in printed
    readme = (out / "README.md").read_text()
    assert "- `deep.py`: expressions nested too deeply" in readme and "- `broken.py`:" in readme
    assert sorted(p.name for p in (out / "steps").iterdir()) == ["__init__.py", "a.py"]


# ----------------------------------------------------------------------------- item 5: distinct sources stay distinct
def test_a_package_module_and_a_flat_module_of_the_same_stem_get_distinct_helpers(tmp_path):
    src = _write(
        tmp_path / "src",
        {
            "pkg/__init__.py": "",
            "pkg/util.py": "def scale(x):\n    return x * 2\n",
            "pkg_util.py": "def scale(x):\n    return x * 3\n",
            "a.py": "from dagster import job, op\nfrom pkg.util import scale\n\n\n@op\ndef first():\n"
            "    return scale(1)\n\n\n@job\ndef ja():\n    first()\n",
            "b.py": "from dagster import job, op\nfrom pkg_util import scale\n\n\n@op\ndef second():\n"
            "    return scale(1)\n\n\n@job\ndef jb():\n    second()\n",
        },
    )
    files = generate_project([src]).files
    first = ast.parse(files["steps/first.py"])
    second = ast.parse(files["steps/second.py"])
    module_of = {
        name: next(n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.module.startswith("helpers"))
        for name, tree in (("first", first), ("second", second))
    }
    assert module_of["first"] != module_of["second"]
    assert "x * 2" in files[module_of["first"].replace(".", "/") + ".py"]
    assert "x * 3" in files[module_of["second"].replace(".", "/") + ".py"]


def test_two_modules_defining_one_job_name_give_two_pipelines_the_report_names(tmp_path):
    job = "from dagster import job, op\n\n\n@op\ndef {0}():\n    return 1\n\n\n@job\ndef j():\n    {0}()\n"
    src = _write(tmp_path / "src", {"a.py": job.format("first"), "b.py": job.format("second")})
    project = generate_project([src])
    pipelines = {p: t for p, t in project.files.items() if p.startswith("pipelines/") and p != "pipelines/__init__.py"}
    assert len(pipelines) == 2
    calls = {
        path: sorted(c.func.id for c in ast.walk(ast.parse(text)) if isinstance(c, ast.Call))
        for path, text in pipelines.items()
    }
    assert sorted(map(tuple, calls.values())) == [("first",), ("second",)]
    for path in pipelines:
        assert f"`{path}`" in project.files["MIGRATION_REPORT.md"]
        assert f"`{path}`" in project.files["README.md"]
    assert "the first one is used" not in project.files["MIGRATION_REPORT.md"]


def test_out_directory_permissions_follow_the_umask(tmp_path):
    out = tmp_path / "out"
    write_files({"run.py": "x = 1\n"}, out)
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~mask


def test_an_op_named_pipeline_does_not_replace_the_pipeline_decorator(tmp_path):
    src = _write(
        tmp_path / "src",
        {
            "defs.py": "from dagster import job, op\n\n\n@op\ndef pipeline():\n    return 1\n\n\n@op\ndef other():\n"
            "    return 2\n\n\n@job\ndef j():\n    pipeline()\n\n\n@job\ndef k():\n    other()\n    "
            'pipeline.alias("again")()\n',
        },
    )
    files = generate_project([src]).files
    for path in ("pipelines/j.py", "pipelines/k.py"):
        tree = ast.parse(files[path])
        bound = {(n.module, a.asname or a.name) for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
        assert [m for m, name in bound if name == "pipeline"] == ["zenml"], path
        assert ("steps.pipeline_step", "pipeline_step") in bound, path
    assert 'pipeline_step(id="again")' in files["pipelines/k.py"]


def test_two_jobs_named_alike_by_name_keyword_get_distinct_zenml_pipeline_names(tmp_path):
    job = 'from dagster import job, op\n\n\n@op\ndef {0}():\n    return 1\n\n\n@job(name="x")\ndef j():\n    {0}()\n'
    src = _write(tmp_path / "src", {"ops.py": job.format("load"), "ops.v2.py": job.format("pipeline")})
    files = generate_project([src]).files
    names = []
    for path in sorted(p for p in files if p.startswith("pipelines/") and p != "pipelines/__init__.py"):
        function = next(n for n in ast.parse(files[path]).body if isinstance(n, ast.FunctionDef))
        (decorator,) = function.decorator_list
        names.append(next(k.value.value for k in decorator.keywords if k.arg == "name"))
        compile(files[path], path, "exec")
    assert len(names) == 2 and len(set(names)) == 2


def test_an_existing_empty_out_directory_is_kept_with_its_mode(tmp_path):
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    out.chmod(0o700)
    inode = out.stat().st_ino
    write_files({"run.py": "x = 1\n", "steps/a.py": "y = 2\n"}, out)
    assert out.stat().st_ino == inode and out.stat().st_mode & 0o777 == 0o700
    assert (out / "steps" / "a.py").read_text() == "y = 2\n"


def test_docstrings_escape_only_the_quotes_that_could_close_them():
    assert docstring_text('on_cron("0 * * * *")') == 'on_cron("0 * * * *")'
    assert docstring_text('x"""y"') == 'x\\"\\""y\\"'
    long_word = "w" * 130 + '\\"""'
    assert ast.literal_eval(f'"""{docstring_text(long_word)}"""') == long_word


def test_readme_rows_stay_one_table_row_whatever_the_schedule_is_called(tmp_path):
    name = "nightly | `x`\n| injected | row |"
    src = _write(
        tmp_path / "src",
        {
            "defs.py": "from dagster import ScheduleDefinition, job, op\n\n\n@op\ndef a():\n    return 1\n\n\n"
            f"@job\ndef j():\n    a()\n\n\ns = ScheduleDefinition(name={name!r}, job=j, cron_schedule='0 0 * * *')\n",
        },
    )
    readme = generate_project([src]).files["README.md"]
    rows = [line for line in readme.splitlines() if line.startswith("| `pipelines/")]
    assert len(rows) == 1
    assert len(rows[0].replace("\\|", "").split("|")) == 6  # four cells
    assert "injected" in rows[0]


def test_graph_jobs_of_one_name_in_two_modules_each_call_their_own_ops(tmp_path):
    module = (
        "from dagster import graph, op\n\n\n@op\ndef create_table():\n    return {0}\n\n\n"
        "@graph\ndef etl():\n    create_table()\n\n\netl_docker = etl.to_job(name='etl_docker')\n"
    )
    src = _write(tmp_path / "src", {"week_2/etl.py": module.format(2), "week_3/etl.py": module.format(3)})
    project = generate_project([src])
    pipelines = {p: t for p, t in project.files.items() if p.startswith("pipelines/") and p != "pipelines/__init__.py"}
    assert len(pipelines) == 2
    step_of = {}
    for text in pipelines.values():
        origin = "week_2" if "week_2/etl.py" in text.splitlines()[0] else "week_3"
        (imported,) = [n.module for n in ast.parse(text).body if isinstance(n, ast.ImportFrom) and n.module != "zenml"]
        step_of[origin] = project.files[imported.replace(".", "/") + ".py"]
    assert "return 2" in step_of["week_2"] and "return 3" in step_of["week_3"]
    report = project.files["MIGRATION_REPORT.md"]
    assert all(f"`{path}`" in report for path in pipelines)


def test_a_relative_import_from_a_directory_no_import_can_name_becomes_a_todo(tmp_path):
    src = _write(
        tmp_path / "src",
        {
            "my pkg/__init__.py": "",
            "my pkg/a.py": "from dagster import job, op\nfrom .missing import helper\n\n\n@op\ndef a():\n"
            "    return helper()\n\n\n@job\ndef j():\n    a()\n",
        },
    )
    files = generate_project([src]).files
    assert_safe_project(files)
    assert "# TODO(migration): `helper` came from the module 'my pkg.missing'" in files["steps/a.py"]


def test_every_pipeline_module_the_report_names_exists_also_for_assets_built_in_a_function(tmp_path):
    src = _write(
        tmp_path / "src",
        {
            "defs.py": "from dagster import asset\n\n\ndef build(name):\n    @asset(name=name)\n    def made():\n"
            '        return 1\n\n    return made\n\n\nmade = build("made")\n\n\n@asset\ndef plain():\n    return 1\n',
        },
    )
    files = generate_project([src]).files
    assert_safe_project(files)
    named = set(re.findall(r"pipelines/\w+\.py", files["MIGRATION_REPORT.md"]))
    assert named and named <= set(files)
    placeholder = next(t for p, t in files.items() if p.startswith("pipelines/") and "Placeholder for made" in t)
    assert "# TODO(migration): no step was generated for 'made'" in placeholder
    assert "raise NotImplementedError(" in placeholder


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_unreadable_directory_is_skipped_and_listed_in_the_readme(tmp_path):
    """Discovery yields a directory it cannot list (DZ000 in ``check``); migrate used to drop it silently."""
    src = _write(
        tmp_path / "src",
        {
            "a.py": "from dagster import job, op\n\n\n@op\ndef a():\n    return 1\n\n\n@job\ndef j():\n    a()\n",
            "locked/b.py": "from dagster import op\n\n\n@op\ndef b():\n    return 2\n",
        },
    )
    prefix: list[str] = []
    if os.geteuid() == 0:  # root lists a chmod 000 directory unless the capability is dropped
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root without setpriv")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    out = tmp_path / "out"
    (src / "locked").chmod(0)
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "dagster_zenml_lint", "migrate", str(src), "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        (src / "locked").chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    assert "skipped 1 file(s)" in proc.stdout
    readme = (out / "README.md").read_text()
    assert "- `locked`: " in readme
    assert sorted(p.name for p in (out / "steps").iterdir()) == ["__init__.py", "a.py"]


# --- one object the engine cannot analyse costs that object, not its file -------------------
DEEP_SUM = " + ".join(["1"] * 1500)  # parses, but nests deeper than the walk can follow
SHARED_FILE = (
    "from dagster import job, op\n\n\n@op\ndef a() -> int:\n    return 1\n\n\n"
    f"@op\ndef deep() -> int:\n    return {DEEP_SUM}\n\n\n"
    "@job\ndef j():\n    a()\n"
)


def test_a_function_the_engine_cannot_analyse_is_left_out_alone(tmp_path, capsys):
    # regression: the whole file was skipped (no step `a`, no pipeline `j`) for one deep function
    src = _write(tmp_path / "src", {"pipe.py": SHARED_FILE})
    out = tmp_path / "out"
    assert main(["migrate", str(src), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "skipped 1 function(s) or class(es)" in printed and "file(s)" not in printed.split("pipelines/")[0]
    assert sorted(p.name for p in (out / "steps").iterdir()) == ["__init__.py", "a.py"]
    pipeline = (out / "pipelines" / "j.py").read_text()
    assert "def j() -> None:\n    a()\n" in pipeline and "deep" not in pipeline
    readme = (out / "README.md").read_text()
    assert (
        "- `pipe.py:9` `deep`: expressions nested too deeply to analyse (the rest of the file was migrated)" in readme
    )
    compile_all = subprocess.run([sys.executable, "-m", "compileall", "-q", str(out)], capture_output=True, text=True)
    assert compile_all.returncode == 0, compile_all.stdout


def test_an_object_the_rest_of_its_file_uses_takes_the_file_with_it(tmp_path, capsys):
    # a job that calls the function left out would call a name that no longer exists: skip the file
    uses = SHARED_FILE.replace("    a()\n", "    deep()\n")
    src = _write(
        tmp_path / "src", {"pipe.py": uses, "other.py": "from dagster import op\n\n\n@op\ndef b():\n    return 1\n"}
    )
    out = tmp_path / "out"
    assert main(["migrate", str(src), "--out", str(out)]) == 0
    assert "skipped 1 file(s)" in capsys.readouterr().out
    readme = (out / "README.md").read_text()
    assert "- `pipe.py`: expressions nested too deeply" in readme
    assert sorted(p.name for p in (out / "steps").iterdir()) == ["__init__.py", "b.py"]


def test_an_internal_error_in_one_class_leaves_out_that_class(tmp_path, monkeypatch):
    from dagster_zenml_lint.analysis import walk
    from dagster_zenml_lint.analysis.facts import DEBUG_ENV

    original = walk._Walker.visit_class

    def failing(self, node, scope):
        if node.name == "Broken":
            raise LookupError("injected")
        return original(self, node, scope)

    # the walk dispatches through its module-level table of plain functions, not the class attribute
    monkeypatch.setitem(walk._HANDLERS, ast.ClassDef, failing)
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    src = _write(
        tmp_path / "src",
        {
            "pipe.py": "import dagster as dg\n\n\nclass Broken(dg.Config):\n    n: int = 1\n\n\n"
            "@dg.op\ndef a():\n    return 1\n"
        },
    )
    project = generate_project([src])
    assert [(s.relpath, s.name, s.line) for s in project.skipped] == [("pipe.py", "Broken", 4)]
    assert project.skipped[0].reason == "internal error in the analysis of the file (LookupError: injected)"
    assert "steps/a.py" in project.files


# --- characters str.splitlines takes for line ends, which Python keeps inside a line -------------
@pytest.mark.parametrize("separator", ["\f", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_line_separators_python_keeps_in_a_line_do_not_break_migrate(tmp_path, capsys, separator):
    # regression: the generator cut copied code at these characters (str.splitlines) and crashed
    # with an IndentationError traceback while parsing the code it had copied
    source = (
        "from dagster import job, op\n\n\x0c\n@op\ndef one() -> int:\n"
        f"    return 1  # page{separator}break\n\n\n\x0c@job\ndef j():\n    one()  # {separator}\n"
    )
    src = _write(tmp_path / "src", {"a.py": source})
    out = tmp_path / "out"
    assert main(["migrate", str(src), "--out", str(out)]) == 0
    capsys.readouterr()
    step = (out / "steps" / "one.py").read_text(encoding="utf-8")
    assert f"    return 1  # page{separator}break\n" in step
    assert "def j() -> None:\n    one()" in (out / "pipelines" / "j.py").read_text(encoding="utf-8")
    for path in out.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_one_line_function_bodies_are_copied_under_their_new_header(tmp_path, capsys):
    # regression: the body of `def one() -> int: return 1` was copied with its line, header
    # included, and the generator crashed with an IndentationError traceback
    src = _write(
        tmp_path / "src",
        {
            "a.py": "from dagster import job, op\n\n\n@op\ndef one() -> int: return 1\n\n\n"
            "@op\ndef plus(x: int) -> int: y = x + 1; return y\n\n\n@job\ndef j(): plus(one())\n"
        },
    )
    out = tmp_path / "out"
    assert main(["migrate", str(src), "--out", str(out)]) == 0
    capsys.readouterr()
    steps = {path.stem: path.read_text(encoding="utf-8") for path in (out / "steps").glob("*.py")}
    for path in out.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    # under its new header (after the note on enable_cache=False: it has no inputs), indented as usual
    assert "def one() -> int:\n    # Migration note: enable_cache=False" in steps["one"]
    assert steps["one"].endswith("\n    return 1\n")
    assert ast.unparse(ast.parse(steps["one"]).body[-1]).endswith("def one() -> int:\n    return 1")
    assert ast.unparse(ast.parse(steps["plus"]).body[-1]).endswith("y = x + 1\n    return y")
    pipeline = ast.parse((out / "pipelines" / "j.py").read_text(encoding="utf-8")).body[-1]
    assert ast.unparse(pipeline).endswith("def j() -> None:\n    plus(one())")


def test_links_that_lead_out_of_the_sources_are_named_where_they_sit(tmp_path, capsys):
    # regression: migrate named each file by its real path under the root, and a link to a file
    # elsewhere (a shared module, /dev/zero) raised ValueError with a traceback
    shared = _write(tmp_path / "shared", {"helpers.py": "def double(x: int) -> int:\n    return 2 * x\n"})
    src = _write(
        tmp_path / "src",
        {
            "a.py": "from dagster import job, op\n\nfrom helpers import double\n\n\n"
            "@op\ndef one() -> int:\n    return double(1)\n\n\n@job\ndef j():\n    one()\n"
        },
    )
    (src / "helpers.py").symlink_to(shared / "helpers.py")
    (src / "zero.py").symlink_to("/dev/zero")
    out = tmp_path / "out"
    assert main(["migrate", str(src), "--out", str(out)]) == 0
    assert "skipped 1 file(s)" in capsys.readouterr().out
    assert "- `zero.py`: not a regular file" in (out / "README.md").read_text(encoding="utf-8")
    assert "def double(x: int) -> int:" in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.py"))


def test_tab_indented_sources_get_tab_indented_markers(tmp_path, capsys):
    # regression: markers were indented with spaces (as many as the tab's column), so a
    # tab-indented op gave "TabError: inconsistent use of tabs and spaces" in the generator
    src = _write(
        tmp_path / "src",
        {
            "a.py": "from dagster import job, op\n\n\n@op\ndef o(context) -> int:\n\tx = context.run_id\n"
            "\treturn len(x)\n\n\n@job\ndef j():\n\to()\n"
        },
    )
    out = tmp_path / "out"
    assert main(["migrate", str(src), "--out", str(out)]) == 0
    capsys.readouterr()
    step = (out / "steps" / "o.py").read_text(encoding="utf-8")
    compile(step, "o.py", "exec")
    body = step.split("def o() -> int:\n", 1)[1].splitlines()
    assert body[0].startswith("\t# TODO(migration): DZ219") and "\tcontext = get_step_context()" in body
    assert all(line.startswith("\t") for line in body if line)
    compile((out / "pipelines" / "j.py").read_text(encoding="utf-8"), "j.py", "exec")


def test_nothing_to_migrate_names_the_sources_it_could_not_read(tmp_path, capsys):
    # regression: a project whose only Dagster file does not parse was "no Dagster code found",
    # which sends the user looking for the wrong problem
    src = _write(tmp_path / "src", {"broken.py": "from dagster import op\n\n@op\ndef c(:\n", "x.py": "y = 1\n"})
    assert main(["migrate", str(src), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nothing to migrate" in err
    assert "1 source(s) could not be read or analysed (DZ000), e.g. `broken.py`: syntax error" in err
    assert not (tmp_path / "out").exists()
