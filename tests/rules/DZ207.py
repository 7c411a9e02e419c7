"""DZ207 dagster-env-var: `EnvVar` becomes a ZenML secret or an environment setting.

Lines the rule must report end in ``# [dagster-env-var]``; every other line is a trap.
"""


# --- flagged: must be reported
import dagster as dg


class Api(dg.ConfigurableResource):
    token: str
    port: int


api = Api(token=dg.EnvVar('API_TOKEN'), port=dg.EnvVar.int('API_PORT'))  # [dagster-env-var]


# --- clean: must stay silent
import os

token = os.environ.get('API_TOKEN', '')


# --- clean: trap: a user class called EnvVar
class EnvVar(str):
    pass


token = EnvVar('API_TOKEN')
