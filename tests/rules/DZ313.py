"""DZ313 dagster-components: Dagster components have no ZenML equivalent.

Lines the rule must report end in ``# [dagster-components]``; every other line is a trap.
"""


# --- flagged: must be reported
import dagster as dg


class Greeting(dg.Component, dg.Resolvable):  # [dagster-components]
    name: str

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:  # [dagster-components]
        return dg.Definitions()


# --- flagged: loading a defs folder
from pathlib import Path

import dagster as dg

defs = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)  # [dagster-components]


# --- clean: a local class named Component
class Component:
    pass


class Greeting(Component):
    pass
