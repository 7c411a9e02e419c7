"""Subcommands of ``dagster-zenml-lint``: one module per command.

Each module defines ``NAME`` (the subcommand), ``HELP`` (one line), ``add_arguments(parser)``
and ``run(args) -> int`` (the exit code). :mod:`dagster_zenml_lint.cli` builds the parser
from :data:`COMMANDS`, so adding a command means adding a module and one line here.
"""

COMMANDS: tuple[str, ...] = (
    "check",
    "rule",
    "migrate",
    "verify",
    "report",
    "server",
)


class UsageError(Exception):
    """The command line asks for something impossible; the CLI prints it and exits with 2."""
