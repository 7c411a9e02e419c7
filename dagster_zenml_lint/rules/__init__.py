"""Rule modules: each defines ``RULES``, a tuple of :class:`~dagster_zenml_lint.registry.Rule`.

Adding a rule means adding (or extending) one module here; the registry discovers it.
"""
