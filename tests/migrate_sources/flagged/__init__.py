"""A Dagster code location whose semantics mostly have no ZenML counterpart."""
