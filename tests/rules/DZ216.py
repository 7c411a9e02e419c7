"""DZ216 dagster-hook: Hooks become ZenML step hooks.

Lines the rule must report end in ``# [dagster-hook]``; every other line is a trap.
"""


# --- flagged: must be reported
from dagster import HookContext, failure_hook, job, op


@failure_hook  # [dagster-hook]
def page(context: HookContext):  # [dagster-hook]
    print(context.op.name)


@op
def load() -> int:
    return 1


@job(hooks={page})  # [dagster-hook]
def nightly():
    load()


# --- clean: must stay silent
from zenml import step


def page(exception: BaseException) -> None:
    print(exception)


@step(on_failure=page)
def load() -> int:
    return 1


# --- clean: trap: the user's own decorator called success_hook
def success_hook(fn):
    return fn


@success_hook
def notify(context) -> None:
    print(context)
