"""dagster-zenml-lint: find Dagster patterns and plan (and automate) their move to ZenML.

Importing this package must stay cheap and must never import dagster or zenml: it is
also the pylint plugin (``pylint --load-plugins dagster_zenml_lint``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster_zenml_lint.version import __version__

__all__ = ["__version__", "register"]

if TYPE_CHECKING:
    from pylint.lint import PyLinter


def register(linter: PyLinter) -> None:
    """pylint's plugin hook: register the checkers (see :mod:`pylint_plugin`)."""
    from dagster_zenml_lint.pylint_plugin import register as _register

    _register(linter)
