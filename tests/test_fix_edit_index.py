"""The indexed edit-conflict checks agree with the pairwise definition (:func:`edits_conflict`).

Fix computation relies on them to stay near-linear in the number of findings of a file;
these tests only check that they give the same answers, on random small edit sets.
"""

from __future__ import annotations

import random

import pytest

from dagster_zenml_lint.findings import Edit
from dagster_zenml_lint.fixers.apply import select_fixes
from dagster_zenml_lint.fixers.edits import EditIndex, edits_conflict, has_conflicts


def _random_edit(rng: random.Random) -> Edit:
    start = rng.randrange(12)
    end = start if rng.random() < 0.4 else start + rng.randrange(1, 5)
    return Edit(start, end, rng.choice(["", "a", "b"]))


def _pairwise(edits: list[Edit]) -> bool:
    return any(edits_conflict(a, b) for i, a in enumerate(edits) for b in edits[i + 1 :])


@pytest.mark.parametrize("seed", range(20))
def test_has_conflicts_matches_pairwise(seed):
    rng = random.Random(seed)
    for _ in range(300):
        edits = [_random_edit(rng) for _ in range(rng.randrange(0, 6))]
        assert has_conflicts(edits) == _pairwise(edits), edits


@pytest.mark.parametrize("seed", range(20))
def test_edit_index_matches_pairwise(seed):
    rng = random.Random(seed)
    for _ in range(100):
        index = EditIndex()
        kept: list[Edit] = []
        for _ in range(rng.randrange(1, 10)):
            edit = _random_edit(rng)
            expected = any(edits_conflict(edit, old) for old in kept)
            assert index.conflicts(edit) == expected, (edit, kept)
            if not expected:
                index.add(edit)
                if edit not in kept:
                    kept.append(edit)
        assert index.edits == kept


def test_select_fixes_takes_a_shared_fix_once_and_skips_overlaps():
    from dagster_zenml_lint.findings import Applicability, Finding, Fix

    shared = Fix(edits=(Edit(0, 2, "x"), Edit(5, 5, "y")), applicability=Applicability.SAFE, description="shared")
    overlapping = Fix(edits=(Edit(1, 3, "z"),), applicability=Applicability.SAFE, description="overlaps")
    inner_conflict = Fix(edits=(Edit(8, 8, "p"), Edit(8, 8, "q")), applicability=Applicability.SAFE, description="bad")
    findings = [
        Finding("DZ101", 1, 0, "a", fix=shared),
        Finding("DZ102", 2, 0, "b", fix=shared),
        Finding("DZ103", 1, 1, "c", fix=overlapping),
        Finding("DZ104", 3, 0, "d", fix=inner_conflict),
    ]
    taken, edits = select_fixes(findings)
    assert [f.code for f in taken] == ["DZ101", "DZ102"]
    assert edits == [Edit(0, 2, "x"), Edit(5, 5, "y")]
