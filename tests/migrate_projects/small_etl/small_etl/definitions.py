from dagster import Definitions, EnvVar

from small_etl.assets import clean_signups, raw_signups, signup_summary
from small_etl.resources import JsonIOManager, Notifier, SignupExport

defs = Definitions(
    assets=[raw_signups, clean_signups, signup_summary],
    resources={
        "signup_export": SignupExport(directory="data"),
        "notifier": Notifier(channel="etl", token=EnvVar("SLACK_TOKEN")),
        "io_manager": JsonIOManager(base_dir="/tmp/small_etl_store"),
    },
)
