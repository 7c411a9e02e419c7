"""DZ214 dagster-op-tags: Infrastructure tags become ZenML resource, Docker or orchestrator settings.

Lines the rule must report end in ``# [dagster-op-tags]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import op


@op(tags={'dagster-k8s/config': {'container_config': {'resources': {'requests': {'cpu': '2'}}}}})  # [dagster-op-tags]
def train() -> int:
    return 1


# --- flagged: infrastructure keys merged from a module constant
import dagster as dg

GPU = {'dagster-k8s/config': {'pod_spec_config': {'node_selector': {'gpu': 'a100'}}}}


@dg.asset(op_tags={**GPU, 'team': 'ml'})  # [dagster-op-tags]
def model() -> int:
    return 1


# --- clean: descriptive tags are not infrastructure
from dagster import op


@op(tags={'team': 'ml', 'tier': 'gold'})
def train() -> int:
    return 1


# --- clean: must stay silent
from zenml import step
from zenml.config import ResourceSettings


@step(settings={'resources': ResourceSettings(cpu_count=2)})
def train() -> int:
    return 1
