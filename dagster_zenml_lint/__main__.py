"""`python -m dagster_zenml_lint` runs the command line."""

from dagster_zenml_lint.cli import console

console()
