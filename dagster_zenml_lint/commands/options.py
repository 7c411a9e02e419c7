"""Options several commands share: each is declared, explained and checked once, here.

``report`` and ``migrate`` read the same files under the same names (``--root``) with the
same settings (``--config``), so MIGRATION_REPORT.md is what ``report`` prints for the same
flags; ``check`` reads its settings with the same ``--config``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from dagster_zenml_lint.commands import UsageError

CONFIG_HELP = "read settings from this pyproject.toml"
ROOT_HELP = "the project root: paths in the report are relative to DIR (default: the common directory of the paths)"


def add_config_argument(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--config FILE``: the settings file (read with :func:`~dagster_zenml_lint.commands.check.file_config`)."""
    parser.add_argument("--config", type=Path, metavar="FILE", help=CONFIG_HELP)


def add_root_argument(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--root DIR``: the directory the run's file names are relative to (checked by :func:`checked_root`)."""
    parser.add_argument("--root", metavar="DIR", help=ROOT_HELP)


def add_cache_arguments(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--no-cache`` and ``--cache-dir DIR`` (ruff's names), for the commands that keep per-file results."""
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="analyse every file, neither reading nor writing the cache (.dagster_zenml_lint_cache/)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="keep the cache in DIR (default: `cache-dir` in the configuration, else .dagster_zenml_lint_cache/ "
        "beside the configuration file or in the working directory)",
    )


def checked_root(root: str | None) -> str | None:
    """``--root`` as given, after making sure it names a directory (raises :class:`UsageError`)."""
    if root is not None and not Path(root).is_dir():
        raise UsageError(f"--root {root}: not a directory")
    return root


@dataclass(frozen=True)
class FixOptions:
    """What ``check``'s fix flags ask for: the one reading of them, for files and for standard input.

    Read before anything else of the fix machinery is loaded: a plain ``check`` asks
    :attr:`active` and, when it is false, never imports :mod:`dagster_zenml_lint.fixers`.
    """

    fix: bool = False  # --fix, or --fix-only
    unsafe: bool = False  # --unsafe-fixes
    diff: bool = False  # --diff
    markers: bool = False  # --add-markers
    only: bool = False  # --fix-only: the fixes' summary instead of the findings left, exit 0

    @property
    def active(self) -> bool:
        """Whether any file may change (or a diff is wanted)."""
        return self.fix or self.diff or self.markers


def fix_options(args: argparse.Namespace) -> FixOptions:
    """The fix options a parsed ``check`` command line asks for (flags a command lacks are off)."""
    only = bool(getattr(args, "fix_only", False))
    return FixOptions(
        fix=bool(getattr(args, "fix", False)) or only,
        unsafe=bool(getattr(args, "unsafe_fixes", False)),
        diff=bool(getattr(args, "diff", False)),
        markers=bool(getattr(args, "add_markers", False)),
        only=only,
    )
