"""``ProjectModel.module``: a dotted module name to the analysed file, by exact name or by dotted tail
(a root below or above the package), the longest match winning; a component file is never a module."""

from __future__ import annotations

import textwrap
from pathlib import Path

from dagster_zenml_lint.project import build_project

ASSET = textwrap.dedent(
    """
    import dagster as dg

    @dg.asset
    def {name}():
        return 1
    """
)


def _model(root: Path):
    for path, name in (
        ("pkg/sub/assets.py", "deep"),
        ("other/assets.py", "shallow"),
        ("pkg/sub/jobs.py", "jobs_asset"),
    ):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(ASSET.format(name=name))
    (root / "pkg" / "plain.py").write_text("class Plain:\n    pass\n")  # never names Dagster
    return build_project([root])


def _found(model, name: str) -> str | None:
    facts = model.module(name)
    return facts.path if facts is not None else None


def test_a_module_is_found_by_its_name_by_its_tails_and_by_a_longer_name(tmp_path):
    model = _model(tmp_path)
    assert _found(model, "pkg.sub.assets") == "pkg/sub/assets.py"
    assert _found(model, "sub.assets") == "pkg/sub/assets.py"  # a root above the package
    assert _found(model, "src.pkg.sub.jobs") == "pkg/sub/jobs.py"  # a root below it
    assert _found(model, "assets") == "pkg/sub/assets.py"  # two modules end with it: the longer wins
    assert _found(model, "other.assets") == "other/assets.py"
    assert _found(model, "missing") is None
    assert _found(model, "ub.assets") is None  # a tail is whole dotted parts


def test_a_plain_module_read_on_demand_is_found_by_its_tail_afterwards(tmp_path):
    model = _model(tmp_path)
    assert _found(model, "sub.assets") == "pkg/sub/assets.py"  # the tail index is built now
    assert _found(model, "pkg.plain") == "pkg/plain.py"  # read for its classes, then indexed
    assert _found(model, "plain") == "pkg/plain.py"
