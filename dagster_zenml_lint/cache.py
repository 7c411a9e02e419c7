"""A cache of per-file results, like ruff's: a file whose content did not change is not analysed again.

Where: ``.dagster_zenml_lint_cache/`` in the project root (the directory of the
configuration file, else the working directory), or the ``cache-dir`` setting /
``--cache-dir``. The directory holds a ``.gitignore`` of ``*`` and a ``CACHEDIR.TAG`` (so
backup tools and git leave it alone), and one store per tool version, configuration and
kind of run (with or without fixes).

What is kept, per file: its findings (with their fixes, when the run works them out), the
summary that cross-file settlement needs, the reason it could not be analysed, and what its
analysis looked up in other files (``class_bases.recording``). An entry is used only when
the file's bytes hash to the same digest, the tool and its configuration are the same, and
every lookup in other files still gives the same answer; anything else, and any entry that
cannot be read, is a miss: the file is analysed as if there were no cache. So the cache
never changes a result, only how long it takes.

The store is written whole, to a temporary file renamed over the old one. It is read with
an unpickler that knows only the value classes stored here, so a tampered file can name no
other code to run; a store that is corrupt, truncated or from elsewhere is ignored.
"""

from __future__ import annotations

import io
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import Any

from dagster_zenml_lint.class_bases import Dependency, dependencies_hold, file_stamp
from dagster_zenml_lint.config import Config
from dagster_zenml_lint.discovery import DiscoveredFile, FileKind
from dagster_zenml_lint.findings import Finding
from dagster_zenml_lint.parallel import lint_files
from dagster_zenml_lint.runner import FileResult, worth_reading
from dagster_zenml_lint.source import SourceError, decode_source, read_bytes
from dagster_zenml_lint.version import __version__

try:  # what hashlib.blake2b is, without hashlib's load of OpenSSL (11 M instructions)
    from _blake2 import blake2b
except ImportError:  # an interpreter without the module: hashlib gives it
    from hashlib import blake2b

CACHE_DIR_NAME = ".dagster_zenml_lint_cache"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by dagster-zenml-lint.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
GITIGNORE = "# Automatically created by dagster-zenml-lint.\n*\n"
# Settings that decide which files are run, or how results are shown, but not what one file gives.
NOT_PER_FILE = frozenset(
    {"exclude", "extend_exclude", "jobs", "output_format", "exit_zero", "respect_gitignore", "show_fixes", "cache_dir"}
)
# The only classes a store may name (see _Unpickler).
ALLOWED_CLASSES = {
    "builtins": frozenset({"frozenset", "set", "tuple", "list", "dict"}),
    "dagster_zenml_lint.findings": frozenset(
        {"Finding", "Fix", "Edit", "Applicability", "ImportedOpNeed", "ImporterNeed"}
    ),
    "dagster_zenml_lint.fixers.crossfile": frozenset({"FileSummary", "FunctionFix", "JobSummary", "ImportUse"}),
}
TEMPORARY_ATTEMPTS = 8  # names tried for the store's temporary file (see _temporary_beside)
STORE_FORMAT = 2  # 2: each finding stored as the tuple of its fields (_finding_fields)


@dataclass(frozen=True)
class Entry:
    """What the cache keeps of one file's analysis."""

    digest: bytes  # of the file's bytes
    findings: tuple[Finding, ...]
    error: str | None
    notes: tuple[str, ...]
    summary: Any  # crossfile.FileSummary | None (not imported: the cache sits below the fixers' users)
    has_source: bool
    dependencies: tuple[Dependency, ...]


# like ruff's RUFF_CACHE_DIR: the same as --cache-dir, for runs whose command line one cannot change
CACHE_DIR_ENV = "DAGSTER_ZENML_LINT_CACHE_DIR"


def cache_root(config: Config, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The cache directory: ``cache_dir`` (``--cache-dir``), else ``$DAGSTER_ZENML_LINT_CACHE_DIR``,
    else ``cache-dir`` from the configuration, else the project root's."""
    if cache_dir is not None:
        return Path(cache_dir)
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    if config.cache_dir is not None:
        base = Path(config.source).parent if config.source is not None else Path.cwd()
        return base / config.cache_dir
    root = Path(config.source).parent if config.source is not None else Path.cwd()
    return root / CACHE_DIR_NAME


@cache
def tool_fingerprint() -> str:
    """The version and the state of the package's own files (an edited rule invalidates the cache)."""
    digest = blake2b(__version__.encode(), digest_size=16)
    package = os.path.dirname(os.path.realpath(__file__))
    sources: list[str] = []  # relative paths (os.walk: pathlib's rglob costs several times more)
    for directory, subdirectories, names in os.walk(package):
        subdirectories[:] = [name for name in subdirectories if name != "__pycache__"]
        relative = os.path.relpath(directory, package)
        sources.extend(os.path.normpath(os.path.join(relative, name)) for name in names if name.endswith(".py"))
    for source in sorted(sources):
        digest.update(f"{source}:{file_stamp(os.path.join(package, source))}\n".encode())
    return digest.hexdigest()


def config_fingerprint(config: Config) -> str:
    """What in the configuration can change one file's results (its repr is stable: tuples, dicts, enums)."""
    relevant = [(f.name, getattr(config, f.name)) for f in fields(config) if f.name not in NOT_PER_FILE]
    return blake2b(repr(relevant).encode(), digest_size=16).hexdigest()


def store_path(root: Path, config: Config, *, with_fixes: bool, settle: bool) -> Path:
    """The store for this tool, configuration and kind of run."""
    name = fingerprint(tool_fingerprint(), config_fingerprint(config), f"fixes={with_fixes}", f"settle={settle}")
    return root / __version__ / f"{name}.pickle"


class _Unpickler(pickle.Unpickler):
    """Reads a store naming only the classes ``allowed`` (module -> class names; anything else: an error)."""

    def __init__(self, data: bytes, allowed: dict[str, frozenset[str]]) -> None:
        super().__init__(io.BytesIO(data))
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if name in self.allowed.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not stored in the cache")


def restricted_loads(data: bytes, allowed: dict[str, frozenset[str]] = ALLOWED_CLASSES) -> Any:
    """Unpickle ``data`` naming only the classes ``allowed`` (raises for any other, and for damaged bytes)."""
    return _Unpickler(data, allowed).load()


def load_store(path: Path) -> dict[str, Entry]:
    """The entries of a store by file path; an absent, unreadable or corrupt store is empty."""
    try:
        stored = restricted_loads(path.read_bytes())
    except Exception:  # a missing file, another tool's bytes, truncated, tampered: no cache
        return {}
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == STORE_FORMAT):
        return {}
    entries: dict[str, Entry] = {}
    raw = stored[1]
    if not isinstance(raw, dict):
        return {}
    for key, value in raw.items():
        entry = _entry(value)
        if isinstance(key, str) and entry is not None:
            entries[key] = entry
    return entries


def _entry(value: object) -> Entry | None:
    """An entry from its stored tuple; None when it does not have the expected shape."""
    if not (isinstance(value, tuple) and len(value) == len(fields(Entry))):
        return None
    digest, stored, error, notes, summary, has_source, dependencies = value
    if not (
        isinstance(digest, bytes)
        and isinstance(stored, tuple)
        and all(isinstance(f, tuple) and len(f) == len(FINDING_FIELDS) for f in stored)
        and (error is None or isinstance(error, str))
        and isinstance(notes, tuple)
        and isinstance(has_source, bool)
        and isinstance(dependencies, tuple)
    ):
        return None
    try:
        findings = tuple(Finding(*fields) for fields in stored)
    except TypeError:
        return None
    return Entry(digest, findings, error, notes, summary, has_source, dependencies)


# A finding is stored as the tuple of its fields, in this order: pickling a dataclass instance
# (its class, then a dict of its fields) costs more than twice as much, on every cold run.
FINDING_FIELDS = tuple(f.name for f in fields(Finding))
_finding_fields = attrgetter(*FINDING_FIELDS)


def save_store(path: Path, entries: dict[str, Entry]) -> None:
    """Write the store atomically (a temporary file renamed over it); a failure leaves no cache, never an error."""
    stored = (
        STORE_FORMAT,
        {
            key: (
                e.digest,
                tuple(map(_finding_fields, e.findings)),
                e.error,
                e.notes,
                e.summary,
                e.has_source,
                e.dependencies,
            )
            for key, e in entries.items()
        },
    )
    write_store(path, stored)


def write_store(path: Path, stored: object) -> None:
    """Pickle ``stored`` into ``path`` atomically, in a cache directory marked as one (:func:`_prepare`).

    A failure (a read-only project, a full disk) leaves no cache, never an error: the run's results stand.
    """
    try:
        _prepare(path.parent.parent)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL)
        descriptor, temporary = _temporary_beside(path)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new file to write beside ``path``: its descriptor and name (what ``tempfile.mkstemp`` gives).

    Without importing ``tempfile`` (and ``random``, ``shutil``) on every cold run: the name
    holds the process id and random bytes, so two runs (even in containers whose process
    ids coincide) never share one, and ``O_EXCL`` never opens an existing file or link.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _attempt in range(TEMPORARY_ATTEMPTS):
        temporary = os.path.join(path.parent, f".store.{os.getpid()}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temporary, flags, 0o600), temporary
        except FileExistsError:  # (practically never: 48 random bits)
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def _prepare(root: Path) -> None:
    """Create the cache directory with its ``.gitignore`` and ``CACHEDIR.TAG`` (as ruff does)."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in (
        (".gitignore", "# Automatically created by dagster-zenml-lint.\n*\n"),
        ("CACHEDIR.TAG", CACHEDIR_TAG),
    ):
        marker = root / name
        if not marker.exists():
            marker.write_text(text, encoding="utf-8")


def _key(file: DiscoveredFile) -> str:
    """How the store names a file: its absolute path and kind (the same path may be run as either)."""
    return f"{file.kind.value}:{os.path.abspath(file.location)}"


def content_digest(data: bytes) -> bytes:
    """The digest an entry is keyed by: of the file's bytes."""
    return blake2b(data, digest_size=20).digest()


def fingerprint(*parts: str) -> str:
    """A short stable digest of ``parts`` (a store's name)."""
    return blake2b("|".join(parts).encode(), digest_size=16).hexdigest()


def lint_files_cached(
    files: Sequence[DiscoveredFile],
    config: Config,
    *,
    with_fixes: bool = False,
    settle: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
) -> list[FileResult]:
    """:func:`parallel.lint_files`, answering unchanged files from the cache and storing the others."""
    path = store_path(cache_root(config, cache_dir), config, with_fixes=with_fixes, settle=settle)
    entries = load_store(path)
    results: list[FileResult | None] = []
    # (index, file, its key, bytes read, their digest)
    misses: list[tuple[int, DiscoveredFile, str, bytes | None, bytes]] = []
    present: set[str] = set()  # the keys of the files read in this run (they exist)
    for file in files:
        try:
            data = read_bytes(file.location)
        except SourceError:  # the linter reports why (DZ000); nothing to cache
            results.append(None)
            misses.append((len(results) - 1, file, "", None, b""))
            continue
        if file.kind is FileKind.PYTHON and not worth_reading(data):
            results.append(FileResult(path=str(file.location), kind=file.kind))  # what lint_file gives it
            continue
        key = _key(file)
        present.add(key)
        digest = content_digest(data)
        cached = _hit(file, data, digest, entries.get(key))
        results.append(cached)
        if cached is None:
            misses.append((len(results) - 1, file, key, data, digest))
    # The misses are analysed from the bytes hashed above, never read again: an entry is
    # always the analysis of the bytes its digest is of, even if the file changes meanwhile.
    fresh = lint_files(
        [file for _, file, _, _, _ in misses],
        config,
        with_fixes=with_fixes,
        settle=settle,
        record_dependencies=True,
        contents=[read for _, _, _, read, _ in misses],
    )
    changed = False
    for (index, _file, key, read, digest), result in zip(misses, fresh, strict=True):
        results[index] = result.with_dependencies(None)
        # Kept only when the file was read and analysed: a file that could not be decoded, or
        # whose analysis died, is tried again next time (a bug of ours must show, and
        # DAGSTER_ZENML_LINT_DEBUG re-raise it).
        if read is not None and result.error is None and result.dependencies is not None:
            entries[key] = Entry(
                digest=digest,
                findings=result.findings,
                error=result.error,
                notes=result.notes,
                summary=result.summary,
                has_source=result.source is not None,
                dependencies=result.dependencies,
            )
            changed = True
    if changed:  # entries of files that are gone are dropped, so the store does not grow forever
        # (a file this run read is there: only the others are looked for)
        kept = {key: e for key, e in entries.items() if key in present or os.path.exists(key.partition(":")[2])}
        save_store(path, kept)
    return [result for result in results if result is not None]


def _hit(file: DiscoveredFile, data: bytes, digest: bytes, entry: Entry | None) -> FileResult | None:
    """The cached result of a file, or None when the entry is absent or no longer holds."""
    if entry is None or entry.digest != digest or not dependencies_hold(entry.dependencies):
        return None
    source = None
    if entry.has_source:
        try:
            source = decode_source(data, str(file.location))
        except SourceError:
            return None
    return FileResult(
        path=str(file.location),
        kind=file.kind,
        findings=entry.findings,
        source=source,
        error=entry.error,
        notes=entry.notes,
        summary=entry.summary,
    )
