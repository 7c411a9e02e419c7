"""``migrate`` on random Dagster-flavoured programs: it never raises, and what it writes compiles.

Sources that do not compile themselves are skipped (garbage in); anything the generator
cannot handle must end as a ``ScaffoldError`` (a usage error) or as TODO markers.
"""

from __future__ import annotations

from fuzz_strategies import dagster_programs, mutated_sources
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dagster_zenml_lint.scaffold import ScaffoldError, generate_project


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
