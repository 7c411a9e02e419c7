"""A small Dagster project used to demonstrate dagster-zenml-lint (see ../README.md)."""
