"""migrate's generation does per-project work once, not once per step, pipeline or file (issue 14 speed).

Each test pins a shortcut to the slower form it replaced: the same answers, so the generated
project stays byte-identical, and the work counted where counting is what changed.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from dagster_zenml_lint.project import model as model_module
from dagster_zenml_lint.project.facts import (
    BindingFact,
    FieldValue,
    FileFacts,
    InstanceFact,
    Location,
)
from dagster_zenml_lint.project.resources import BindingIndex, ResourceBindings, bind, instances, unit_bindings
from dagster_zenml_lint.scaffold import code, generate, generate_project, render, write
from dagster_zenml_lint.scaffold import steps as steps_module
from dagster_zenml_lint.scaffold.plan import PipelinePlan
from dagster_zenml_lint.scaffold.step_spec import Steps, StepSpec

PROJECTS = Path(__file__).parent / "migrate_projects"


def test_each_generated_text_is_parsed_once_for_its_names(monkeypatch):
    """A step's text was parsed for its free names three or four times (the step's needs, the project's
    modules, its file's imports), each helper's once per step using it; now once per distinct text."""
    seen: list[str] = []
    free_names = generate.free_names

    def counted(node: ast.AST) -> set[str]:
        seen.append(ast.dump(node))
        return free_names(node)

    monkeypatch.setattr(generate, "free_names", counted)
    project = generate_project([PROJECTS / "catalog_shared"])
    assert len(project.step_codes) >= 3  # several steps, sharing helpers: texts asked about more than once
    assert seen
    assert len(seen) == len(set(seen))


SOURCE = textwrap.dedent(
    """\
    import a
    from b.c import d
    from . import local
    from .rel import x

    if cond:
        import e
    else:
        import f

    try:
        import g
    except ImportError:
        import h
    else:
        import i
    finally:
        import j

    try:
        pass
    except* ValueError:
        import k

    with ctx():
        import l

    for _ in range(1):
        import m
    else:
        import n

    while False:
        import o
    else:
        import p

    match value:
        case 1:
            import q
        case _:
            from r import s


    def step():
        import t

        def inner():
            from u.v import w

        return lambda: __import__("not_a_statement")


    class Holder:
        import y

        async def run(self):
            async with ctx():
                import z
            async for _ in items():
                import zz
    """
)


def _walk_imports(tree: ast.Module) -> list[ast.stmt]:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]


def test_the_imports_of_generated_files_are_every_import_statement():
    """pyproject.toml's dependencies read the import statements of the generated files; a walk of the
    statements finds each one ``ast.walk`` finds, at any depth, and only statements are walked."""
    tree = ast.parse(SOURCE)
    statements = list(code.statements(tree.body))
    found = [s for s in statements if isinstance(s, (ast.Import, ast.ImportFrom))]
    assert sorted(map(id, found)) == sorted(map(id, _walk_imports(tree)))
    assert len(found) == 23
    assert all(isinstance(s, ast.stmt) for s in statements)


@pytest.mark.parametrize(
    ("directory", "expected"),
    [
        ("", ""),
        ("loc", "loc"),
        ("loc/pkg", "loc"),
        ("loc/inner/pkg", "loc/inner"),
        ("loc/inner", "loc/inner"),
        ("locx/pkg", ""),  # a name that only starts like a location is not inside it
        ("other/loc", ""),
        ("a/b/c/d", "a/b"),
    ],
)
def test_a_plain_module_lies_in_the_deepest_code_location_around_it(directory: str, expected: str):
    known = {"loc", "loc/inner", "a/b", "a"}
    path = f"{directory}/m.py" if directory else "m.py"
    longest_first = sorted(known, key=len, reverse=True)
    assert next((loc for loc in longest_first if path.startswith(f"{loc}/")), "") == expected  # the old test
    assert generate._deepest_location(directory, known) == expected


def test_unused_outputs_count_whole_words():
    """``x = step()`` loses its target when ``x`` is used nowhere else; ``x`` inside ``x_2`` is no use."""
    lines = [
        "    orders_artifact = load()",
        "    orders_artifact_2 = clean(orders_artifact_2_raw=orders_artifact)",
        "    total_artifact = report(data=orders_artifact_2)",
        "    unused_artifact, kept_artifact = split()",
        "    publish(kept_artifact)",
    ]
    variables = {
        "orders": "orders_artifact",
        "clean": "orders_artifact_2",
        "total": "total_artifact",
        "a": "unused_artifact",
        "b": "kept_artifact",
    }
    by_search = {v for v in variables.values() if len(re.findall(rf"\b{re.escape(v)}\b", "\n".join(lines))) <= 1}
    assert generate._unused_outputs(lines, variables) == by_search == {"total_artifact", "unused_artifact"}


def _scanned(steps: Steps, name: str) -> StepSpec | None:
    return next((s for s in steps if s.name == name), None)


def _checks_scanned(steps: Steps, names: list[str]) -> list[StepSpec]:
    producers = {out: (s, out) for s in steps if s.kind in ("asset", "multi_asset") for out in s.outputs}
    return [s for s in steps if s.kind == "check" and s.checked in producers and producers[s.checked][0].name in names]


def test_steps_answer_as_a_scan_of_every_step_did():
    """``Steps.step``, ``asset_producers`` and ``checks_of`` read indexes built once; their answers are the
    scans' (first step of a name, last producer of a key, checks in step order), duplicates included."""
    project = generate_project([PROJECTS / "sales_multi"])
    assert {s.kind for s in project.steps} >= {"asset", "multi_asset", "check"}
    first = project.steps[0]
    steps = Steps([*project.steps, replace(first, line=first.line + 1000), *project.steps[:2]])  # repeated names
    for spec in steps:
        assert steps.step(spec.name) is _scanned(steps, spec.name)
    assert steps.step(first.name) is first
    assert steps.step("no_such_step") is None
    scanned = {out: (s, out) for s in steps if s.kind in ("asset", "multi_asset") for out in s.outputs}
    assert steps.asset_producers() == scanned
    for plan in project.pipelines:
        assert steps.checks_of(plan.members) == _checks_scanned(steps, plan.members)
        assert project.steps.checks_of(plan.members) == _checks_scanned(project.steps, plan.members)
    assert project.steps.checks_of([s.name for s in project.steps])  # the fixture's checks are found


def test_steps_are_scanned_once_however_often_they_are_asked(monkeypatch):
    """A step was found by scanning every step, once per question (a pipeline member's look-up), so the
    look-ups grew with the square of the project's size; now each index is built by one scan."""
    project = generate_project([PROJECTS / "sales_multi"])
    steps = Steps(project.steps)
    names = [s.name for s in project.steps]
    scans = 0
    iterate = tuple.__iter__

    def counted(self: Steps) -> Iterator[StepSpec]:
        nonlocal scans
        scans += 1
        return iterate(self)

    monkeypatch.setattr(Steps, "__iter__", counted)
    for _ in range(10):
        for name in names:
            assert steps.step(name) is not None
        steps.asset_producers()
        steps.checks_of(names)
    assert scans <= 3  # the names, the producers, the checks


def test_steps_cannot_change_once_indexed():
    """The indexes are right only because the steps are final: ``Steps`` has no way to add or replace one."""
    steps = Steps(generate_project([PROJECTS / "small_etl"]).steps)
    assert not hasattr(steps, "append") and not hasattr(steps, "extend")
    with pytest.raises(TypeError):
        steps[0] = steps[1]  # type: ignore[index]


class _CountedAst:
    """The ``ast`` module as one scaffold module sees it, recording the root of each ``ast.walk``."""

    def __init__(self) -> None:
        self.walked: list[ast.AST] = []

    def __getattr__(self, name: str) -> object:
        return getattr(ast, name)

    def walk(self, node: ast.AST) -> Iterator[ast.AST]:
        self.walked.append(node)
        return ast.walk(node)


def test_a_step_without_pipes_clients_is_not_walked_for_them(monkeypatch):
    """Each step's body was walked, statement by statement, for the Pipes client parameters it reads, twice
    per step, though nearly no step has one; only a step given a Pipes client is asked now."""
    counted = _CountedAst()
    monkeypatch.setattr(steps_module, "ast", counted)
    walk_nodes = steps_module.walk_nodes

    def counted_walk_nodes(node: ast.AST) -> list[ast.AST]:
        counted.walked.append(node)
        return walk_nodes(node)

    monkeypatch.setattr(steps_module, "walk_nodes", counted_walk_nodes)
    project = generate_project([PROJECTS / "sales_multi"])
    assert not any(s.pipes for s in project.steps)
    assert counted.walked  # the translation's own walk of each function
    assert all(isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)) for n in counted.walked)


def test_only_graph_backed_assets_are_asked_what_their_body_passes_on(monkeypatch):
    """A pipeline asked every member which pipeline parameters its body passes on (walking the body's
    calls), though only a graph-backed asset's body is a function of the pipeline module."""
    asked: list[str] = []
    step_parameters = generate._step_parameters

    def counted(project, resolver, spec):  # type: ignore[no-untyped-def]
        asked.append(spec.name)
        return step_parameters(project, resolver, spec)

    monkeypatch.setattr(generate, "_step_parameters", counted)
    project = generate_project([PROJECTS / "orders_graphs"])
    assert project.graph_assets
    assert asked
    assert set(asked) <= set(project.graph_assets)
    members = [m for p in project.pipelines if p.kind != "job" for m in p.members]
    assert len(set(members) - set(project.graph_assets)) >= 3  # members that were asked before


def test_a_module_import_path_is_worked_out_once():
    project = generate_project([PROJECTS / "orders_graphs"])
    for module in project.modules.values():
        assert "dotted" in vars(module)  # remembered: asked again, it is not worked out again
        assert module.dotted == ".".join(Path(module.relpath).with_suffix("").parts).removesuffix(".__init__")


FILES = {
    **{f"pkg/sub/m{i}.py": f"x = {i}\n" for i in range(30)},
    **{f"pkg/n{i}.py": "" for i in range(10)},
    "run.py": "",
}
DIRECTORIES = 2  # pkg, pkg/sub


@pytest.mark.parametrize("existing", [False, True])
def test_writing_makes_and_checks_each_directory_once(monkeypatch, tmp_path: Path, existing: bool):
    """Every file made its directory again (``mkdir(exist_ok=True)``), and the checks before writing into an
    existing directory asked about each directory on the way once per file under it."""
    out = tmp_path / "out"
    if existing:
        write.write_files(FILES, out)
    made: list[Path] = []
    links: list[Path] = []
    mkdir, is_symlink = Path.mkdir, Path.is_symlink

    def counted_mkdir(self: Path, *args: object, **kwargs: object) -> None:
        made.append(self)
        mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    def counted_is_symlink(self: Path) -> bool:
        links.append(self)
        return is_symlink(self)

    monkeypatch.setattr(Path, "mkdir", counted_mkdir)
    monkeypatch.setattr(Path, "is_symlink", counted_is_symlink)
    written = write.write_files({**FILES, "pkg/sub/m0.py": "x = 'new'\n"}, out)
    assert len(written) == len(FILES)
    assert (out / "pkg/sub/m0.py").read_text() == "x = 'new'\n"
    assert (out / "pkg/n3.py").exists() and (out / "run.py").exists()
    assert len(made) <= 1 + DIRECTORIES * (2 if existing else 1)  # out's parent, then each directory once
    assert len(links) <= 1 + (2 * DIRECTORIES if existing else 0)  # out, then each directory once per check


def _folded_bindings(facts: list[FileFacts], owner: Location | None) -> ResourceBindings:
    """The run unit's bindings as one fold over every file's, searched per question (the form
    :class:`BindingIndex` replaced)."""
    ordered = sorted(facts, key=lambda f: f.path)
    layers = [b for f in ordered for b in f.bindings]
    if owner is not None:
        location = next((f.code_location for f in ordered if f.path == owner.path), None)
        layers += [b for f in ordered if f.code_location == location for b in f.bindings if b.definitions]
        layers += [b for f in ordered if f.path == owner.path for b in f.bindings if b.owner == owner]
    return bind(layers, instances(facts))


def _binding(key: str, path: str, line: int, owner: int, **fields: object) -> BindingFact:
    return BindingFact(key, Location(path, line), Location(path, owner), **fields)  # type: ignore[arg-type]


def test_a_run_units_bindings_are_the_fold_over_every_file():
    """A pipeline's resources were folded from every binding of the project, once per pipeline (the fold,
    the module-level instances and the searches for its file and code location grew with the project);
    the index applies the project's bindings once and looks up the rest, with the same answers: a job's
    own binding over its code location's ``Definitions``, over the project's; a variable names the
    first file's instance; a binding without values keeps those before it; an unknown file has no
    code location."""
    values = (FieldValue("prefix", "local", known=True),)
    facts = [
        FileFacts(
            "b/defs.py",
            "b.defs",
            "b",
            bindings=[
                _binding("store", "b/defs.py", 3, 2, definitions=True, target="Store", values=values),
                _binding("cache", "b/defs.py", 4, 2, definitions=True, variable="shared"),
            ],
            instances=[InstanceFact("shared", "Redis", (FieldValue("host", "b", known=True),))],
        ),
        FileFacts(
            "a/jobs.py",
            "a.jobs",
            "a",
            bindings=[
                _binding("store", "a/jobs.py", 9, 8, target="Mock"),
                _binding("store", "a/jobs.py", 20, 19, target="Store", values=()),
                _binding("cache", "a/jobs.py", 21, 19, target=""),  # no target: skipped
            ],
            instances=[InstanceFact("shared", "Memcache", None)],
        ),
        FileFacts(
            "a/defs.py", "a.defs", "a", bindings=[_binding("store", "a/defs.py", 5, 4, definitions=True, target="Prod")]
        ),
        FileFacts(
            "a/jobs.py", "a.jobs", "a", bindings=[_binding("db", "a/jobs.py", 30, 8, target="Db")]
        ),  # same path again
    ]
    index = BindingIndex(facts)
    owners = [
        None,
        Location("a/jobs.py", 8),
        Location("a/jobs.py", 19),
        Location("a/defs.py", 4),
        Location("b/defs.py", 2),
        Location("c/other.py", 1),  # no such file
    ]
    for owner in owners:
        assert index.unit(owner) == _folded_bindings(facts, owner) == unit_bindings(facts, owner)
    assert index.unit(Location("a/jobs.py", 8)).classes["store"] == "Mock"
    assert index.unit(Location("a/jobs.py", 8)).classes["db"] == "Db"
    assert index.unit(Location("b/defs.py", 2)).classes["cache"] == "Memcache"  # a/jobs.py's instance: first by path
    assert index.unit(None).values_of("store") == {"prefix": values[0]}  # a/jobs.py's ``values=()`` came earlier
    assert index.unit(Location("c/other.py", 1)) == index.unit(None)


def test_a_models_bindings_are_worked_out_once_for_all_pipelines(monkeypatch):
    """Each pipeline's question folded every file's bindings again; the model builds one index."""
    built: list[int] = []
    index_type = model_module.BindingIndex

    def counted(facts: list[FileFacts]) -> BindingIndex:
        built.append(len(facts))
        return index_type(facts)

    monkeypatch.setattr(model_module, "BindingIndex", counted)
    project = generate_project([PROJECTS / "ledger_lifecycle"])
    assert len(project.pipelines) >= 2
    assert project.unit_bindings  # the pipelines asked for their run units' bindings
    assert len(built) == 1


WALKED = textwrap.dedent(
    """\
    import os.path as p, sys
    from .rel import x as y
    global_value: dict[str, int] = {**base, "a": 1, None: -x}
    async def f(a, /, b: int = 1, *args, c, d=2, **kw) -> list[str]:
        global g
        async with ctx() as (m, n):
            async for i in aiter():
                yield [j async for j in i if not j and j < 3 or j is None]
        try:
            pass
        except* (ValueError, TypeError) as exc:
            raise RuntimeError(f"{exc!r:>{width}} {a + b}") from exc
        match command:
            case {"go": [x, *rest]} | Point(x=0, y=_) if x:
                del x
            case str() as s:
                lambda q=1: (q := q ** 2)
    class C(Base, metaclass=M):
        z: int = a[1:2, ::3]
        def g(self): return ~self.z @ w
    """
)


def test_the_node_walk_is_ast_walks_without_contexts_and_operators():
    """The generator walks each step's function and each generated text with ``walk_nodes``: the nodes of
    ``ast.walk``, in its order, less the ``Load``/``Store`` contexts and operators nothing asks about
    (``ast.walk`` made two generators per node and read every scalar field)."""
    tree = ast.parse(WALKED)
    unasked = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
    for node in [tree, *(n for n in ast.walk(tree) if not isinstance(n, unasked))]:
        expected = [n for n in ast.walk(node) if not isinstance(n, unasked)]
        walked = code.walk_nodes(node)
        assert len(walked) == len(expected)
        assert all(a is b for a, b in zip(walked, expected, strict=True))
    assert len(code.walk_nodes(tree)) > 100
    assert code.free_names(tree) == {"base", "ctx", "width", "command", "Point", "Base", "M", "w"}


def test_a_modules_package_is_read_from_its_path_once():
    """Each name resolved worked out its module's package again, with a ``Path`` for the file name; the
    resolver remembers each module's, the one ``Path(module).name`` gave: a package's ``__init__.py``
    imports relative to itself, any other module relative to its parent package."""
    project = generate_project([PROJECTS / "orders_graphs"])
    resolver = generate._Resolver(project.modules, project.steps, frozenset(), "orders_graphs", [])
    assert any(path.endswith("/__init__.py") for path in project.modules)
    for path, module in project.modules.items():
        expected = module.dotted if Path(path).name == "__init__.py" else module.dotted.rpartition(".")[0]
        assert resolver.package(path) == expected
        assert resolver.packages[path] == expected  # remembered
    assert resolver.package("not/a/source.py") == ""


@pytest.mark.parametrize(
    "path",
    [
        "a.py",
        "a/b.py",
        "a/__init__.py",
        "__init__.py",
        "a/b.c.py",
        "a.b/c.pyi",
        "a/defs.yaml",
        "é/ü.py",
        ".a/b.py",
        "x.tar.gz",
        "a/b",
        "a/../b.py",
        # not plain relative paths: read by ``Path``, as before
        ".py",
        "a/.hidden.py",
        "a/..py",
        "...py",
        "a.",
        "a/...",
        "..",
        "/abs/x.py",
        "./a.py",
        "a//b.py",
        "a/./b.py",
    ],
)
def test_a_paths_module_name_is_what_path_reads(path: str):
    """``module_name_for`` names every file of the project (5,000 ``Path`` objects on the 5,000-file corpus);
    a plain relative path is split as a string, with ``Path``'s answer."""
    parts = list(Path(path).with_suffix("").parts)
    expected = ".".join(parts[:-1] if parts and parts[-1] == "__init__" else parts)
    assert model_module.module_name_for.__wrapped__(path) == expected


def test_code_locations_ask_the_file_system_once_per_directory(monkeypatch, tmp_path: Path):
    """Without the directories' answers found so far (migrate gave none), every file asked the file
    system for each directory on its way up to the root, three packaging files each."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "setup.py").write_text("")
    for directory in ("pkg/a/b", "pkg/c", "d/e"):
        (tmp_path / directory).mkdir(parents=True)
    paths = [f"{directory}/m{i}.py" for directory in ("pkg/a/b", "pkg/c", "d/e") for i in range(10)]
    asked: list[Path] = []
    is_file = Path.is_file

    def counted(self: Path) -> bool:
        asked.append(self)
        return is_file(self)

    monkeypatch.setattr(Path, "is_file", counted)
    facts = [FileFacts(path, model_module.module_name_for(path)) for path in paths]
    model_module.assign_code_locations(facts, tmp_path)
    assert [f.code_location for f in facts] == ["pkg"] * 20 + [""] * 10
    markers = [p for p in asked if p.name in model_module.PROJECT_MARKERS]
    assert len(markers) == len(set(markers))  # pkg/a/b, pkg/a, pkg, pkg/c, d/e, d: each asked once


@pytest.mark.parametrize("name", sorted(p.name for p in PROJECTS.iterdir() if p.is_dir()))
def test_a_steps_pipeline_is_the_first_that_runs_it(monkeypatch, name: str):
    """The pipeline producing an asset another pipeline loads was searched for among every pipeline, once per
    load (a cost growing with the project); the owners are indexed once and kept as pipelines' members change
    (a job's calls, a graph-backed asset's ops): each answer is still the search's."""
    answers: list[str | None] = []
    owner = generate._AssetWiring._owner

    def checked(self: generate._AssetWiring, key: str) -> str | None:
        found = owner(self, key)
        producer = self.producers[key][0].name if key in self.producers else None
        assert found == next((p.name for p in self.project.pipelines if producer in p.members), None)
        answers.append(found)
        return found

    monkeypatch.setattr(generate._AssetWiring, "_owner", checked)
    generate_project([PROJECTS / name])
    if name in ("catalog_shared", "orders_graphs", "shop_daily"):
        assert any(answers)  # the fixture's pipelines load assets from each other


def test_the_owners_follow_members_added_and_dropped():
    """A pipeline's new members are its own unless an earlier pipeline runs them; a member it drops goes to
    the next pipeline running it, or to none."""
    plans = [
        PipelinePlan("a", "job", ["x"]),
        PipelinePlan("b", "assets", ["y", "z"]),
        PipelinePlan("c", "assets", ["z"]),
    ]
    owners = generate._Owners(plans)
    assert owners.first == {"x": "a", "y": "b", "z": "b"}
    before, plans[1].members = plans[1].members, ["x", "w"]  # gains x (a's) and w, drops y and z
    owners.update(1, before)
    scanned = {s: next(p.name for p in plans if s in p.members) for p in plans for s in p.members}
    assert owners.first == scanned == {"x": "a", "w": "b", "z": "c"}


IMPORTING = [
    *sorted(p for p in PROJECTS.iterdir() if p.is_dir()),
    *sorted(p for p in (Path(__file__).parent / "migrate_sources").iterdir() if p.is_dir() and "." not in p.name),
    Path(__file__).parent.parent / "examples" / "shop_analytics",
]


@pytest.mark.parametrize("source", IMPORTING, ids=lambda p: p.name)
def test_a_generated_modules_imports_are_known_without_parsing_it(monkeypatch, source: Path):
    """pyproject.toml's dependencies parsed every generated Python file for its imports (1,904 on c5000),
    though the generator had just written its import lines and parsed each copied part; it remembers
    the packages they name, and each file's are what its parse finds. Only the files written without
    them (run.py, hooks, materializers, package docstrings) are parsed."""
    project = generate_project([source])
    recorded = {path: packages for path, (text, packages) in project.imported.items() if project.files[path] is text}
    assert any(path.startswith("steps/") for path in recorded) and "pipelines/__init__.py" in recorded
    for path, packages in recorded.items():
        assert packages == code.imported_packages(ast.parse(project.files[path])), path
    parsed: list[str] = []
    parse = ast.parse

    def counted(text: str, *args: object, **kwargs: object) -> ast.Module:
        parsed.append(text)
        return parse(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render.ast, "parse", counted)
    dependencies = render._third_party(project)
    assert len(parsed) == len([p for p in project.files if p.endswith(".py") and p not in recorded])
    project.imported.clear()  # every file parsed, as before
    assert render._third_party(project) == dependencies
    assert len(parsed) > len([p for p in project.files if p.endswith(".py")])


SPLIT_SCRIPT = """\
import json, sys
sys.path.insert(0, sys.argv[1])
from dagster_zenml_lint.project.facts import DefinitionsFact, FileFacts, Location
from dagster_zenml_lint.project.model import split_by_definitions
entry = lambda p: FileFacts(p, p, definitions=[DefinitionsFact(Location(p, 1), entry_point=True)])
facts = [entry("defs.py"), entry("a/defs.py"), FileFacts("a/x.py", "a.x")]
facts += [entry("bb/defs.py"), FileFacts("bb/c/y.py", "y")]
split_by_definitions(facts)
print(json.dumps([f.code_location for f in facts]))
"""


def test_a_files_code_location_is_the_deepest_entry_around_it_in_every_process(tmp_path: Path):
    """Each file was tested against every entry directory of its packaging root (a cost growing with the
    code locations) and took the longest name among those holding it: a top-level directory of one
    character and the root's "." are equally long, so which won followed the order of a set of strings,
    which changes from one process to the next (hash randomisation). The deepest directory is looked up."""
    script = tmp_path / "split.py"
    script.write_text(SPLIT_SCRIPT)
    package = str(Path(model_module.__file__).parents[2])
    answers = set()
    for seed in range(8):
        run = subprocess.run(
            [sys.executable, str(script), package],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        )
        answers.add(run.stdout.strip())
    assert answers == {'[".", "a", "a", "bb", "bb"]'}


def test_the_deepest_entry_is_the_longest_that_holds_the_directory():
    separate = {".", "a", "a/b", "a/bc", "lessons/one", ""}
    cases = {
        "a/b/c": "a/b",
        "a/bc": "a/bc",
        "a/bcd": "a",
        "a": "a",
        "lessons/one/x": "lessons/one",
        "lessons/two": ".",
        ".": ".",
        "z": ".",
    }
    for directory, expected in cases.items():
        assert model_module._deepest_owner(directory, separate) == expected
    assert model_module._deepest_owner("z", {"", "a"}) == ""
    assert model_module._deepest_owner("z", {"a", "b"}) is None
