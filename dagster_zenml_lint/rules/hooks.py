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
    target="`@step(on_success=..., on_failure=...)` (runs once, after that step); "
    "`@pipeline(on_success=..., on_failure=...)` (in a static pipeline it is every step's default, so it "
    "runs after each step; in a `@pipeline(dynamic=True)` pipeline it runs once for the run); "
    "`zenml.hooks.alerter_success_hook` / `alerter_failure_hook`",
    hint="Rewrite the hook as a plain function passed to `on_success=`/`on_failure=`; it gets the exception "
    "(failure) and reads run details from `get_step_context()`. A job-level hook (`@job(hooks=...)`) fires per "
    "op in Dagster too, so `@pipeline(on_failure=...)` on a static pipeline keeps that; for one alert per run "
    "use a dynamic pipeline's run-level hook.",
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
            """
            from dagster import HookContext, failure_hook, job, op


            @failure_hook
            def page(context: HookContext):
                print(context.op.name)


            @op
            def load() -> int:
                return 1


            @job(hooks={page})
            def nightly():
                load()
            """
        ),
        clean(
            """
            from zenml import step


            def page(exception: BaseException) -> None:
                print(exception)


            @step(on_failure=page)
            def load() -> int:
                return 1
            """
        ),
    ),
)

RULES = (DZ216,)
