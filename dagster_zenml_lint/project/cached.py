"""The report's cache: each Dagster file's analysis kept between runs, as ``check`` keeps its results.

``report`` (and any caller of :func:`~dagster_zenml_lint.project.model.build_project` that asks
for it) analyses a file that names Dagster once, keeps what the analysis gave (its findings
before the run's cross-file settlement of fixes, its facts for the project model) and
rebuilds the project model from those on the next run. Everything that depends on other
files is worked out again on every run: the settlement of fixes across files, code
locations, and the model itself. So a warm run gives what a cold one gives.

An entry is used only when the file's bytes hash to the same digest, the tool, its
configuration and the project root are the same, and every lookup the analysis made in
other files (``class_bases.recording``) still gives the same answer; anything else is a
miss. The store lives beside ``check``'s (:func:`~dagster_zenml_lint.cache.cache_root`),
is written atomically, and is read with an unpickler that knows only the value classes
kept here (:data:`ALLOWED_CLASSES`), so a tampered store names no other code to run.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

from dagster_zenml_lint.cache import (
    ALLOWED_CLASSES as CHECK_CLASSES,
)
from dagster_zenml_lint.cache import (
    cache_root,
    config_fingerprint,
    content_digest,
    fingerprint,
    restricted_loads,
    tool_fingerprint,
    write_store,
)
from dagster_zenml_lint.class_bases import Dependency, dependencies_hold
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.project import facts as facts_module
from dagster_zenml_lint.project import selection as selection_module
from dagster_zenml_lint.project.facts import FileFacts
from dagster_zenml_lint.version import __version__

REPORT_FORMAT = 1


def _value_classes_of(module: ModuleType) -> frozenset[str]:
    """The names of the dataclasses and enums ``module`` defines (every value class of the facts)."""
    return frozenset(
        name
        for name, value in vars(module).items()
        if isinstance(value, type)
        and value.__module__ == module.__name__
        and (dataclasses.is_dataclass(value) or issubclass(value, Enum))
    )


# The classes an entry may name: check's (findings, fixes, summaries) and the facts' value classes.
ALLOWED_CLASSES: dict[str, frozenset[str]] = {
    **CHECK_CLASSES,
    facts_module.__name__: _value_classes_of(facts_module),
    selection_module.__name__: _value_classes_of(selection_module),
    __name__: frozenset({"Analysis"}),
}


@dataclass(frozen=True)
class Analysis:
    """What the report keeps of one Python file's analysis (nothing that depends on the run)."""

    findings: tuple[Finding, ...]  # as ``check`` reports them (suppressions applied), fixes not settled across files
    facts: FileFacts | None  # None for a test module, or a file the engine did not analyse


class AnalysisStore:
    """The entries of one project root, tool and configuration: read once, written back once."""

    def __init__(self, path: Path, entries: dict[str, tuple[bytes, tuple[Dependency, ...], bytes]]) -> None:
        self.path = path
        self._entries = entries  # key -> (digest of the bytes, lookups in other files, the pickled analysis)
        self._present: set[str] = set()
        self._changed = False

    @classmethod
    def open(cls, root: Path, config: Config, cache_dir: str | os.PathLike[str] | None = None) -> AnalysisStore:
        """The store for ``root`` (absolute) under the cache directory ``check`` uses."""
        name = fingerprint(
            "report", str(REPORT_FORMAT), tool_fingerprint(), config_fingerprint(config), os.path.abspath(root)
        )
        path = cache_root(config, cache_dir) / __version__ / f"report-{name}.pickle"
        return cls(path, _load(path))

    def get(self, location: str, data: bytes) -> tuple[bytes, Analysis | None]:
        """The digest of ``data`` and the kept analysis of the file, or None when it does not hold."""
        key = os.path.abspath(location)
        self._present.add(key)
        digest = content_digest(data)
        entry = self._entries.get(key)
        if entry is None or entry[0] != digest or not dependencies_hold(entry[1]):
            return digest, None
        try:
            analysis = restricted_loads(entry[2], ALLOWED_CLASSES)
        except Exception:  # a damaged or foreign entry: a miss
            return digest, None
        return digest, analysis if isinstance(analysis, Analysis) else None

    def put(self, location: str, digest: bytes, dependencies: Sequence[Dependency], analysis: Analysis) -> None:
        """Keep the analysis of the bytes ``digest`` is of (pickled now: the model may change the facts later)."""
        try:
            blob = pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # kept for this run only
        self._entries[os.path.abspath(location)] = (digest, tuple(dependencies), blob)
        self._changed = True

    def save(self) -> None:
        """Write the store back when an entry changed, without the entries of files that are gone."""
        if not self._changed:
            return
        kept = {key: e for key, e in self._entries.items() if key in self._present or os.path.exists(key)}
        write_store(self.path, (REPORT_FORMAT, kept))


def _load(path: Path) -> dict[str, tuple[bytes, tuple[Dependency, ...], bytes]]:
    """The entries of a store; an absent, unreadable, damaged or foreign store has none."""
    try:
        stored: Any = restricted_loads(path.read_bytes(), {"builtins": frozenset({"tuple", "dict", "list"})})
    except Exception:
        return {}
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == REPORT_FORMAT):
        return {}
    if not isinstance(stored[1], dict):
        return {}
    return {
        key: value
        for key, value in stored[1].items()
        if isinstance(key, str)
        and isinstance(value, tuple)
        and len(value) == 3
        and isinstance(value[0], bytes)
        and isinstance(value[1], tuple)
        and isinstance(value[2], bytes)
    }


__all__ = ["ALLOWED_CLASSES", "Analysis", "AnalysisStore"]
