"""``report`` and ``migrate`` run without the cyclic garbage collector; every other command with it.

Both keep every file's analysis to the end of the run and make next to no cyclic garbage, so
each collection scanned the kept objects and freed almost nothing (on 5,000 files ``migrate``
spent 0.17 s CPU in 35 of them, with the same peak memory without them). A caller of
``cli.main`` in the same process gets its collector back, as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dagster_zenml_lint import cli
from dagster_zenml_lint.commands import check, migrate, report
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.scaffold import generate_project

ASSETS = """\
from dagster import asset


@asset
def orders():
    return 1


@asset
def totals(orders):
    return orders
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "defs.py").write_text(ASSETS, encoding="utf-8")
    return tmp_path


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the collector, the session after it has the collector it had."""
    enabled = gc.isenabled()
    threshold = gc.get_threshold()
    yield
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()


def recording(seen: list[bool], function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, noting whether the collector is on when it is called."""

    def recorded(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return function(*args, **kwargs)

    return recorded


def test_migrate_runs_without_the_collector_and_gives_it_back(project, monkeypatch, collector_restored, capsys):
    seen: list[bool] = []
    monkeypatch.setattr(migrate, "generate_project", recording(seen, migrate.generate_project))
    assert cli.main(["migrate", str(project / "src"), "--out", str(project / "out")]) == 0
    assert seen == [False]
    assert gc.isenabled()
    assert (project / "out" / "steps").is_dir()


def test_report_runs_without_the_collector_and_gives_it_back(project, monkeypatch, collector_restored, capsys):
    seen: list[bool] = []
    monkeypatch.setattr(report, "render_report", recording(seen, report.render_report))
    assert cli.main(["report", str(project / "src")]) == 0
    assert seen == [False]
    assert gc.isenabled()
    assert "orders" in capsys.readouterr().out


def test_a_failing_migrate_gives_the_collector_back(project, collector_restored, capsys):
    assert cli.main(["migrate", str(project / "missing"), "--out", str(project / "out")]) == cli.EXIT_USAGE
    assert gc.isenabled()


def test_a_caller_without_the_collector_keeps_it_off(project, collector_restored, capsys):
    gc.disable()
    assert cli.main(["report", str(project / "src")]) == 0
    assert not gc.isenabled()


def test_check_runs_with_the_collector(project, monkeypatch, collector_restored, capsys):
    seen: list[bool] = []
    monkeypatch.setattr(check, "run", recording(seen, check.run))
    cli.main(["check", str(project / "src"), "--no-cache"])
    assert seen == [True]


def test_a_migration_makes_next_to_no_cyclic_garbage(collector_restored):
    """The premise: what the collector would free while migrating is a few objects per module.

    Collected at Python's default pace (a young collection every 700 allocations), the
    example project leaves about 25 objects a module to the collector; when each file's
    analysis was a cycle (tests/test_no_reference_cycles.py), a report left about 170 a file.
    """
    example = Path(__file__).parents[1] / "examples" / "shop_analytics"
    freed: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            freed.append(info["collected"])

    gc.collect()
    gc.set_threshold(700, 10, 10)
    gc.callbacks.append(count)
    try:
        generated = generate_project([example], config=Config())
    finally:
        gc.callbacks.remove(count)
    assert freed  # it did collect, at the default pace
    assert sum(freed) < 100 * len(generated.modules)
