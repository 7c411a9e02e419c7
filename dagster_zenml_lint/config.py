"""Configuration: ``[tool.dagster-zenml-lint]`` in the nearest ``pyproject.toml``, then flags."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dagster_zenml_lint.findings import Severity

if TYPE_CHECKING:
    from dagster_zenml_lint.registry import Rule

SECTION = "dagster-zenml-lint"


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
    source: str | None = None  # the pyproject.toml it came from

    def enabled(self, rule: Rule) -> bool:
        """Whether findings of a rule are reported under this configuration."""
        if rule.code == "DZ000":
            return not _matches(rule.code, self.ignore)
        if rule.severity < self.min_severity:
            return False
        if self.select and not _matches(rule.code, self.select):
            return False
        return not _matches(rule.code, self.ignore)

    def merged(self, **overrides: Any) -> Config:
        """A copy with the non-None overrides applied (flags over file settings)."""
        values = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **values)


def _matches(code: str, patterns: tuple[str, ...]) -> bool:
    return any(code.startswith(p.upper()) or p.upper() == "ALL" for p in patterns)


def _as_codes(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.{SECTION}] {key}: expected a list of rule codes or prefixes")
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
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.{SECTION}] {key}: expected a list of strings")
    return tuple(value)


def from_mapping(data: dict[str, Any], source: str | None = None) -> Config:
    """Build a Config from the ``[tool.dagster-zenml-lint]`` table; unknown keys are errors."""
    known = {f.name.replace("_", "-") for f in fields(Config) if f.name != "source"}
    values: dict[str, Any] = {"source": source}
    for raw_key, value in data.items():
        key = raw_key.replace("_", "-")
        if key not in known:
            raise ConfigError(
                f"[tool.{SECTION}] unknown key {raw_key!r} in {source or 'configuration'} "
                f"(known keys: {', '.join(sorted(known))})"
            )
        name = key.replace("-", "_")
        if name in ("select", "ignore"):
            values[name] = _as_codes(raw_key, value)
        elif name == "min_severity":
            try:
                values[name] = Severity.parse(str(value))
            except ValueError as exc:
                raise ConfigError(f"[tool.{SECTION}] {raw_key}: {exc}") from None
        elif name in ("exclude", "extend_exclude"):
            values[name] = _as_strings(raw_key, value)
        elif name == "jobs":
            if not isinstance(value, int) or value < 0:
                raise ConfigError(f"[tool.{SECTION}] {raw_key}: expected a whole number >= 0")
            values[name] = value
        elif name == "show_fixes":
            if not isinstance(value, bool):
                raise ConfigError(f"[tool.{SECTION}] {raw_key}: expected true or false")
            values[name] = value
        elif name == "per_file_ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"[tool.{SECTION}] {raw_key}: expected a table of glob = [codes]")
            values[name] = {str(k): _as_codes(f"{raw_key}.{k}", v) for k, v in value.items()}
    return Config(**values)


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` that has our section."""
    start = start.resolve()
    for directory in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if SECTION not in text:
                continue  # cannot hold the table: no need to parse it
            tomllib = _toml()
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                continue
            if SECTION in data.get("tool", {}):
                return candidate
    return None


def load_config(start: Path | None = None, explicit: Path | None = None) -> Config:
    """Read the configuration for a run rooted at ``start`` (or an explicit file)."""
    path = explicit or find_pyproject(start or Path.cwd())
    if path is None:
        return Config()
    tomllib = _toml()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    section = data.get("tool", {}).get(SECTION, {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.{SECTION}] must be a table")
    return from_mapping(section, str(path))
