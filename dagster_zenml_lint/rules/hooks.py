"""DZ216: success and failure hooks become ZenML ``on_success=`` / ``on_failure=`` hooks."""

from __future__ import annotations

from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import APPROXIMATE, LOW

DZ216 = Rule(
    code="DZ216",
    symbol="dagster-hook",
    severity=LOW,
    mapping=APPROXIMATE,
    title="Hooks become ZenML step hooks",
    target="`@step(on_success=..., on_failure=...)`; `zenml.hooks.alerter_success_hook` / `alerter_failure_hook`",
    hint="Rewrite the hook as a plain function passed to `on_success=`/`on_failure=`; it gets the exception "
    "(failure) and reads run details from `get_step_context()`.",
    docs=("HOOKS",),
    message="{subject}: becomes a ZenML on_success/on_failure hook",
    what_it_does="Reports `@success_hook`, `@failure_hook`, `HookContext`, `HookDefinition`, "
    "`build_hook_context`, `hooks=` arguments and `.with_hooks(...)` on op invocations.",
    why="ZenML hooks are plain callables attached to steps or pipelines; their signature differs from "
    "Dagster's hook functions.",
    fix_safety="No fix yet: hook signatures differ (a ZenML failure hook receives the exception).",
    names=described(
        "success_hook", "failure_hook", "HookContext", "HookDefinition", "build_hook_context", "HookExecutionResult"
    ),
    keywords={"hooks": None},
    methods={"with_hooks": None},
    examples=(
        flagged(
            "from dagster import HookContext, failure_hook, job, op\n\n\n@failure_hook\n"
            "def page(context: HookContext):\n    print(context.op.name)\n\n\n"
            "@op\ndef load() -> int:\n    return 1\n\n\n@job(hooks={page})\ndef nightly():\n    load()\n",
        ),
        clean(
            "from zenml import step\n\n\ndef page(exception: BaseException) -> None:\n    print(exception)\n\n\n"
            "@step(on_failure=page)\ndef load() -> int:\n    return 1\n"
        ),
    ),
)

RULES = (DZ216,)
