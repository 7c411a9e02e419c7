"""DZ208: schedules become ZenML ``Schedule(cron_expression=...)`` on an orchestrator that supports them."""

from __future__ import annotations

from dagster_zenml_lint.engine import FileContext, Reference
from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import describe, described
from dagster_zenml_lint.rules._common import APPROXIMATE, MEDIUM

SCHEDULE_OBJECTS = ("dagster.ScheduleDefinition", "dagster.schedule", "dagster.build_schedule_from_partitioned_job")


def _default_status(ctx: FileContext, ref: Reference) -> str | None:
    """``DefaultScheduleStatus``: part of the schedule when passed to one, reported on its own elsewhere."""
    if ref.keyword_of in SCHEDULE_OBJECTS:
        return None
    return describe(ctx, ref)


def _context_type(ctx: FileContext, ref: Reference) -> None:
    """``ScheduleEvaluationContext``: the schedule function is already reported; never DZ399."""
    return None


DZ208 = Rule(
    code="DZ208",
    symbol="dagster-schedule",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="Schedules become ZenML `Schedule(cron_expression=...)`",
    target="`Schedule(cron_expression=...)` (`from zenml.config.schedule import Schedule`) with "
    "`my_pipeline.with_options(schedule=...)`, on an orchestrator that supports schedules",
    hint="Move the cron string to `Schedule(cron_expression=...)`, check that the orchestrator supports "
    "schedules, and note that time zone and default status have no field in ZenML.",
    docs=("SCHED", "ORCH", "PRO"),
    message="{subject}: becomes a ZenML Schedule on a scheduling orchestrator",
    what_it_does="Reports `ScheduleDefinition(...)`, `@schedule`, `build_schedule_from_partitioned_job(...)` "
    "and `DefaultScheduleStatus` outside a schedule.",
    why="ZenML schedules are cron expressions handed to the orchestrator; a schedule function that computes run "
    "config or decides whether to run is a trigger service, not a schedule.",
    fix_safety="Unsafe at best: only a fixed cron with no time zone and no run-time logic maps to "
    "`Schedule(cron_expression=...)`.",
    names={
        **described(*SCHEDULE_OBJECTS),
        "dagster.DefaultScheduleStatus": _default_status,
        "dagster.ScheduleEvaluationContext": _context_type,
    },
    examples=(
        flagged(
            "from dagster import ScheduleDefinition, job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n@job\n"
            "def nightly():\n    one()\n\n\n"
            "nightly_schedule = ScheduleDefinition(job=nightly, cron_schedule='0 2 * * *')\n",
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.op\ndef one() -> int:\n    return 1\n\n\n@dg.job\ndef nightly():\n"
            "    one()\n\n\n@dg.schedule(cron_schedule='0 2 * * *', job=nightly)\n"
            "def nightly_schedule(context: dg.ScheduleEvaluationContext):\n    return dg.RunRequest()\n",
            title="a `@schedule` function",
        ),
        clean(
            "from zenml.config.schedule import Schedule\n\nnightly = Schedule(cron_expression='0 2 * * *')\n",
        ),
        clean(
            "import sched\n\n\ndef schedule(cron: str) -> str:\n    return cron\n\n\n"
            "nightly = schedule('0 2 * * *')\nqueue = sched.scheduler()\n",
            title="trap: a local function called schedule",
        ),
    ),
)

RULES = (DZ208,)
