"""DZ208: schedules become ZenML ``Schedule(cron_expression=...)`` on an orchestrator that supports them.

DZ314: a schedule whose body decides at run time (returns ``SkipReason``, computes the run
request from the context) is a trigger service; ZenML schedules only fire a cron.
"""

from __future__ import annotations

from dagster_zenml_lint.analysis.facts import FileContext, Reference
from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import describe, described, enclosing_trigger, is_fixed_request, referenced_call
from dagster_zenml_lint.rules._common import ABSENT, APPROXIMATE, HIGH, MEDIUM

SCHEDULE_OBJECTS = (
    "dagster.ScheduleDefinition",
    "dagster.schedule",
    "dagster.build_schedule_from_partitioned_job",
    "dagster.UnresolvedPartitionedAssetScheduleDefinition",
)
REQUEST_OBJECTS = ("dagster.RunRequest", "dagster.SkipReason")


def _schedule_request(ctx: FileContext, ref: Reference) -> tuple[str, bool] | None:
    """For a run request or skip reason a ``@schedule`` returns: (schedule name, whether it is fixed)."""
    trigger = enclosing_trigger(ctx, ref.node)
    if trigger is None or trigger[0] != "schedule" or ref.role == "annotation":
        return None
    function = trigger[1].node
    call = referenced_call(ctx, ref)
    fixed = ref.canonical == "dagster.RunRequest" and call is not None and is_fixed_request(ctx, call, function)
    return function.name, fixed


def _fixed_request(ctx: FileContext, ref: Reference) -> str | None:
    """A schedule that always returns the same run request: its run config becomes the schedule's YAML."""
    found = _schedule_request(ctx, ref)
    if found is None or not found[1]:
        return None
    return describe(ctx, ref, f"in schedule '{found[0]}' is fixed (its run config moves to the pipeline's YAML)")


def _deciding_request(ctx: FileContext, ref: Reference) -> str | None:
    """A run request computed at run time, or a skip reason: the schedule decides whether and how to run."""
    found = _schedule_request(ctx, ref)
    if found is None or found[1]:
        return None
    return describe(ctx, ref, f"in schedule '{found[0]}'")


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
    what_it_does="Reports `ScheduleDefinition(...)`, `@schedule`, `build_schedule_from_partitioned_job(...)`, "
    "`UnresolvedPartitionedAssetScheduleDefinition`, `DefaultScheduleStatus` outside a schedule, and a "
    "fixed `RunRequest(...)` a `@schedule` returns (its run config becomes YAML).",
    why="ZenML schedules are cron expressions handed to the orchestrator; a schedule function that computes run "
    "config or decides whether to run is a trigger service, not a schedule.",
    fix_safety="Unsafe at best: only a fixed cron with no time zone and no run-time logic maps to "
    "`Schedule(cron_expression=...)`.",
    names={
        **described(*SCHEDULE_OBJECTS),
        "dagster.DefaultScheduleStatus": _default_status,
        "dagster.ScheduleEvaluationContext": _context_type,
        **dict.fromkeys(REQUEST_OBJECTS, _fixed_request),
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

DZ314 = Rule(
    code="DZ314",
    report_section="automation",
    symbol="dagster-schedule-logic",
    severity=HIGH,
    mapping=ABSENT,
    title="A schedule that decides at run time has no ZenML equivalent",
    target="a ZenML `Schedule(cron_expression=...)` for the cron, plus the decision moved into the pipeline's "
    "first step or into an external trigger service",
    hint="Keep the cron as a ZenML schedule; move the skip decision and the computed run config into the "
    "pipeline (a first step that reads the scheduled time) or into a service that triggers runs.",
    docs=("SCHED", "DEPLOY"),
    message="{subject}: ZenML schedules only fire a cron; the decision must move into the pipeline or a "
    "trigger service",
    what_it_does="Reports `SkipReason(...)` and `RunRequest(...)` computed at run time (from the context, "
    "locals, calls, or under a condition or loop) inside a `@schedule` function. A fixed `RunRequest` is "
    "DZ208; the same objects in a sensor are DZ304.",
    why="A ZenML schedule hands a cron expression to the orchestrator, which starts the pipeline with fixed "
    "parameters; no user code runs at tick time to skip a run or compute its config.",
    fix_safety="No fix.",
    names=dict.fromkeys(REQUEST_OBJECTS, _deciding_request),
    examples=(
        flagged(
            "import dagster as dg\n\n\n@dg.op\ndef one() -> int:\n    return 1\n\n\n@dg.job\ndef nightly():\n"
            "    one()\n\n\n@dg.schedule(cron_schedule='0 2 * * *', job=nightly)\n"
            "def nightly_schedule(context: dg.ScheduleEvaluationContext):\n"
            "    if context.scheduled_execution_time.weekday() >= 5:\n"
            "        return dg.SkipReason('weekend')\n"
            "    return dg.RunRequest(run_key=context.scheduled_execution_time.isoformat())\n",
        ),
        clean(
            "import dagster as dg\n\n\n@dg.op\ndef one() -> int:\n    return 1\n\n\n@dg.job\ndef nightly():\n"
            "    one()\n\n\nCONFIG = {'ops': {'one': {'config': {}}}}\n\n\n"
            "@dg.schedule(cron_schedule='0 2 * * *', job=nightly)\n"
            "def nightly_schedule():\n    return dg.RunRequest(run_config=CONFIG)\n",
            title="a fixed run request is DZ208",
        ),
        clean(
            "from dagster import RunRequest, sensor\n\n\n@sensor(job_name='load')\n"
            "def poll(context):\n    return RunRequest(run_key=context.cursor)\n",
            title="a sensor's run request is DZ304",
        ),
    ),
)

RULES = (DZ208, DZ314)
