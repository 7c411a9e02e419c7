"""``dagster-zenml-lint server``: run the language server over stdio (see :mod:`dagster_zenml_lint.lsp`)."""

from __future__ import annotations

import argparse

from dagster_zenml_lint.commands import UsageError

NAME = "server"
HELP = "run the language server (LSP over stdin/stdout) for editors"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments (``--stdio`` is accepted for clients that always pass it)."""
    parser.add_argument("--stdio", action="store_true", help="talk LSP over stdin/stdout (the default and only mode)")


def run(args: argparse.Namespace) -> int:
    """Serve until the client sends ``exit`` (the ``lsp`` extra must be installed)."""
    _require_lsp_extra()
    from dagster_zenml_lint.lsp import serve_stdio  # loads pygls: only for this command

    return serve_stdio()


def _require_lsp_extra() -> None:
    """A usage error naming the install command when pygls or lsprotocol is missing."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            f"the language server needs pygls ({exc}); install it with `pip install 'dagster-zenml-lint[lsp]'`"
        ) from None
