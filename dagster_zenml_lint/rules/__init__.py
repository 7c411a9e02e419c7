"""Rule modules: each defines ``RULES``, a tuple of :class:`~dagster_zenml_lint.registry.Rule`.

Adding a rule means adding (or extending) one module here; the registry discovers it.
"""

# Codes that modules below the rule modules produce or test themselves (the engine, the
# runner, the suppressions, the component-file checker): named here, beside the rules,
# so that no other module spells a code (``tests/test_rule_facts.py``).
PARSE_ERROR = "DZ000"  # the file could not be read, parsed or analysed
UNUSED_NOQA = "DZ001"  # a suppression comment listing DZ codes that silence nothing
COMPONENT_FILE = "DZ313"  # Dagster components, also reported in ``defs.yaml`` component files
UNMAPPED = "DZ399"  # a Dagster object no rule claims
