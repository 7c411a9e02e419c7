"""Configuration: ``[tool.dagster-zenml-lint]`` in the nearest ``pyproject.toml``, then flags."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dagster_zenml_lint.findings import Severity
from dagster_zenml_lint.requires_python import ANY_PYTHON_3, lowest_supported, python_requirement
from dagster_zenml_lint.rules import PARSE_ERROR

if TYPE_CHECKING:
    from dagster_zenml_lint.registry import Rule

SECTION = "dagster-zenml-lint"
# The ``output-format`` names; each is a module of :mod:`dagster_zenml_lint.output` ("-" -> "_").
OUTPUT_FORMATS = ("text", "json", "sarif", "github", "concise", "grouped", "json-lines", "junit", "gitlab")
# The ``target-version`` values, ruff's: py37 ... py314.
TARGET_VERSIONS = tuple(f"py3{minor}" for minor in range(7, 15))


def _toml() -> Any:
    """The TOML reader, imported when a ``pyproject.toml`` is first read (it is not cheap to import)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib


DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    ".env",
    "env",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "node_modules",
    "build",
    "dist",
    "site-packages",
    ".eggs",
    "*.egg-info",
)


class ConfigError(ValueError):
    """A configuration value or key is wrong; the message names it."""


@dataclass(frozen=True)
class Config:
    """Settings shared by every front-end."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_severity: Severity = Severity.INFO
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    jobs: int = 0
    show_fixes: bool = False  # mark fixable findings in ``check`` output (fixes are then computed)
    extend_select: tuple[str, ...] = ()  # added to ``select`` (when it limits the rules)
    extend_ignore: tuple[str, ...] = ()  # added to ``ignore``
    fixable: tuple[str, ...] = ()  # codes whose fixes may be applied (empty: every code)
    unfixable: tuple[str, ...] = ()  # codes whose fixes are never applied
    output_format: str | None = None  # ``check``'s default ``--output-format``
    exit_zero: bool = False  # ``check`` exits 0 even with findings
    respect_gitignore: bool = True  # skip what ``.gitignore`` / ``.ignore`` files exclude
    cache_dir: str | None = None  # ``check``'s cache, relative to the configuration file (cache.py)
    target_version: str | None = None  # the Python the project targets ("py312"), named by a syntax error's DZ000
    source: str | None = None  # the pyproject.toml it came from

    @property
    def target_python(self) -> tuple[int, int] | None:
        """``target_version`` as (major, minor): ``"py312"`` is (3, 12)."""
        if self.target_version is None:
            return None
        return int(self.target_version[2]), int(self.target_version[3:])

    def enabled(self, rule: Rule) -> bool:
        """Whether findings of a rule are reported under this configuration."""
        ignore = (*self.ignore, *self.extend_ignore)
        if rule.code == PARSE_ERROR:
            return not _matches(rule.code, ignore)
        if rule.severity < self.min_severity:
            return False
        if self.select and not _matches(rule.code, (*self.select, *self.extend_select)):
            return False
        return not _matches(rule.code, ignore)

    def may_fix(self, code: str) -> bool:
        """Whether fixes of a rule may be applied (``fixable`` / ``unfixable``, as in ruff)."""
        if self.fixable and not _matches(code, self.fixable):
            return False
        return not _matches(code, self.unfixable)

    def merged(self, **overrides: Any) -> Config:
        """A copy with the non-None overrides applied (flags over file settings)."""
        values = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **values)


def _matches(code: str, patterns: tuple[str, ...]) -> bool:
    return any(code.startswith(p.upper()) or p.upper() == "ALL" for p in patterns)


def _type_name(value: Any) -> str:
    """How a TOML value is named in an error message (``true``, ``a string``, ...)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    names = {str: "a string", int: "a number", float: "a number", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _as_codes(key: str, value: Any) -> tuple[str, ...]:
    # A string is refused, not split: ``select = "DZ3"`` is a TOML mistake, and guessing
    # the separator would give a different reading than the other front-ends.
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        found = _type_name(value) if not isinstance(value, list) else "a list with an empty or non-string item"
        raise ConfigError(f"[tool.{SECTION}] {key}: expected a list of rule codes or prefixes, got {found}")
    from dagster_zenml_lint.registry import rules_by_code, rules_by_symbol

    codes = []
    for item in value:
        item = item.strip()
        if item in rules_by_symbol():
            codes.append(rules_by_symbol()[item].code)
            continue
        upper = item.upper()
        if upper != "ALL" and not any(c.startswith(upper) for c in rules_by_code()):
            raise ConfigError(f"[tool.{SECTION}] {key}: unknown rule code or prefix {item!r}")
        codes.append(upper)
    return tuple(codes)


def validate_codes(key: str, value: Any) -> tuple[str, ...]:
    """Validate a list of codes/prefixes/symbols given on the command line or in a file."""
    return _as_codes(key, value)


def _as_strings(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        found = _type_name(value) if not isinstance(value, list) else "a list with a non-string item"
        raise ConfigError(f"[tool.{SECTION}] {key}: expected a list of strings, got {found}")
    return tuple(value)


def from_mapping(data: dict[str, Any], source: str | None = None) -> Config:
    """Build a Config from the ``[tool.dagster-zenml-lint]`` table; unknown keys and wrong types are errors.

    Every message names the key, and starts with the file (``source``) when there is one.
    """
    try:
        return _from_mapping(data, source)
    except ConfigError as exc:
        if source is None:
            raise
        raise ConfigError(f"{source}: {exc}") from None


def _from_mapping(data: dict[str, Any], source: str | None) -> Config:
    known = {f.name.replace("_", "-") for f in fields(Config) if f.name != "source"}
    values: dict[str, Any] = {"source": source}
    for raw_key, value in data.items():
        key = raw_key.replace("_", "-")
        if key not in known:
            raise ConfigError(f"[tool.{SECTION}] unknown key {raw_key!r} (known keys: {', '.join(sorted(known))})")
        name = key.replace("-", "_")
        if name in values:  # ``extend-exclude`` and ``extend_exclude`` both given
            raise ConfigError(f"[tool.{SECTION}] {raw_key}: given twice (spelled with '-' and with '_')")
        if name in ("select", "ignore", "extend_select", "extend_ignore", "fixable", "unfixable"):
            values[name] = _as_codes(raw_key, value)
        elif name == "min_severity":
            if not isinstance(value, str):
                raise ConfigError(f"[tool.{SECTION}] {raw_key}: expected a string, got {_type_name(value)}")
            try:
                values[name] = Severity.parse(value)
            except ValueError as exc:
                raise ConfigError(f"[tool.{SECTION}] {raw_key}: {exc}") from None
        elif name in ("exclude", "extend_exclude"):
            values[name] = _as_strings(raw_key, value)
        elif name == "jobs":
            # bool is a subclass of int: ``jobs = true`` must not read as 1
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                found = repr(value) if type(value) is int else _type_name(value)
                raise ConfigError(f"[tool.{SECTION}] {raw_key}: expected a whole number >= 0, got {found}")
            values[name] = value
        elif name == "cache_dir":
            if not isinstance(value, str) or not value:
                found = repr(value) if isinstance(value, str) else _type_name(value)
                raise ConfigError(f"[tool.{SECTION}] {raw_key}: expected a directory path, got {found}")
            values[name] = value
        elif name in ("output_format", "target_version"):
            values[name] = _one_of(raw_key, value, OUTPUT_FORMATS if name == "output_format" else TARGET_VERSIONS)
        elif name in ("show_fixes", "exit_zero", "respect_gitignore"):
            if not isinstance(value, bool):
                raise ConfigError(f"[tool.{SECTION}] {raw_key}: expected true or false, got {_type_name(value)}")
            values[name] = value
        elif name == "per_file_ignores":
            if not isinstance(value, dict):
                raise ConfigError(
                    f"[tool.{SECTION}] {raw_key}: expected a table of glob = [codes], got {_type_name(value)}"
                )
            values[name] = {str(k): _as_codes(f"{raw_key}.{k}", v) for k, v in value.items()}
    return Config(**values)


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` that has our section.

    A file that may hold the table (its bytes name the section) but cannot be read, is
    not valid TOML, or whose ``tool`` is not a table is an error, not skipped: skipping it
    would run with the defaults, losing ``exclude`` (and ``--fix`` would then rewrite
    files the user excluded).
    """
    start = start.resolve()
    # os.path (not Path) tests: they answer False, not PermissionError, inside a locked directory
    for directory in [start, *start.parents] if os.path.isdir(start) else [start.parent, *start.parent.parents]:
        candidate = directory / "pyproject.toml"
        if not os.path.isfile(candidate):
            continue
        data = _read_bytes(candidate)
        if SECTION.encode("ascii") not in data:
            continue  # cannot hold the table: no need to parse it
        if SECTION in _tool_table(_parse_toml(candidate, data), candidate):
            return candidate
    return None


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file (a ``pyproject.toml``) read within the size limit of source files and parsed.

    Raises :class:`ConfigError`, one line naming the file, when it cannot be read, is not
    UTF-8, is not valid TOML or nests too deeply; the caller decides whether that stops
    the run (the configuration) or means "not known" (the generated project's Python).
    """
    return _parse_toml(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    """A configuration file's bytes (a regular file of bounded size), or a :class:`ConfigError`."""
    from dagster_zenml_lint.source import SourceError, read_bytes

    try:
        return read_bytes(path)
    except SourceError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _parse_toml(path: Path, data: bytes) -> dict[str, Any]:
    """The parsed TOML document, or a one-line :class:`ConfigError` naming the file and the problem."""
    tomllib = _toml()
    try:
        parsed: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 (invalid byte at offset {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(f"{path}: not valid TOML: arrays or tables nested too deeply to read") from None
    return parsed


def _tool_table(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """The ``[tool]`` table of a parsed pyproject.toml ({} when absent); any other value is an error."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: `tool` must be a table, got {_type_name(tool)}")
    return tool


def _one_of(raw_key: str, value: Any, choices: tuple[str, ...]) -> str:
    """``value`` when it is one of ``choices``; else the one-line error naming the key and the choices."""
    if not isinstance(value, str) or value not in choices:
        found = repr(value) if isinstance(value, str) else _type_name(value)
        raise ConfigError(f"[tool.{SECTION}] {raw_key}: expected one of {', '.join(choices)}, got {found}")
    return value


def load_config(start: Path | None = None, explicit: Path | None = None) -> Config:
    """Read the configuration for a run rooted at ``start`` (or an explicit file).

    Without a ``target-version`` in the table, the project targets the lowest Python the
    same file's ``requires-python`` allows; without a configuration file, the nearest
    ``pyproject.toml``'s (as ruff infers its ``target-version``).
    """
    start = start or Path.cwd()
    path = explicit or find_pyproject(start)
    if path is None:
        return Config(target_version=_target_of(python_requirement_at(start)))
    document = _parse_toml(path, _read_bytes(path))
    section = _tool_table(document, path).get(SECTION, {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.{SECTION}] must be a table, got {_type_name(section)}")
    config = from_mapping(section, str(path))
    if config.target_version is None:
        return replace(config, target_version=_target_of(python_requirement(document)))
    return config


def python_requirement_at(start: Path) -> str | None:
    """The ``requires-python`` (or Poetry's ``python``) of the nearest ``pyproject.toml`` at or above ``start``.

    None when there is no such file, it says nothing about Python, or it cannot be read as
    TOML: what the project needs is then not known, which is no reason to stop a run.
    """
    start = start.resolve()
    for directory in [start, *start.parents] if os.path.isdir(start) else [start.parent, *start.parent.parents]:
        candidate = directory / "pyproject.toml"
        if not os.path.isfile(candidate):
            continue
        try:
            return python_requirement(read_toml(candidate))
        except ConfigError:
            return None
    return None


def _target_of(spec: str | None) -> str | None:
    """``py3X`` for the lowest Python 3.X a ``requires-python`` allows; None when it cannot be read."""
    lowest = lowest_supported(spec, ANY_PYTHON_3) if spec is not None else None
    return f"py{lowest[0]}{lowest[1]}" if lowest is not None else None
