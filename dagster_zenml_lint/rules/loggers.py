"""DZ234: custom Dagster loggers (``@logger``, ``logger_defs=``, ``Definitions(loggers=...)``).

Dagster builds a run's loggers from logger definitions and the ``loggers:`` section of run
config, and routes ``context.log`` through them; ZenML has no logger definitions, so a
custom logger becomes standard ``logging`` configuration of the step's process.
"""

from __future__ import annotations

import ast

from dagster_zenml_lint.analysis.facts import FileContext, KeywordUse
from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import APPROXIMATE, LOW

LOGGERS_ATTRIBUTE = "loggers"


def _loggers_given(ctx: FileContext, use: KeywordUse) -> str | None:
    """``loggers=``/``logger_defs=`` unless it sets none or passes on another object's loggers.

    ``loggers=None`` is Dagster's default. ``Definitions(loggers=defs.loggers)`` copies the
    loggers of definitions built elsewhere: those are reported where they are defined.
    """
    value = use.keyword.value
    if isinstance(value, ast.Constant) and value.value is None:
        return None
    if isinstance(value, ast.Attribute) and value.attr == LOGGERS_ATTRIBUTE:
        return None
    return ""


DZ234 = Rule(
    code="DZ234",
    symbol="dagster-custom-logger",
    severity=LOW,
    mapping=APPROXIMATE,
    title="Custom Dagster loggers become standard logging configuration",
    target="standard `logging` configuration (handlers, formatters, `logging.config.dictConfig`) set up where "
    "the step runs (ZenML captures step logs)",
    hint="Move what the logger function builds (its handlers, formatters and level) into `logging` "
    "configuration that runs when the step's module is imported, and read its settings from the "
    "environment or step parameters instead of the `loggers:` section of run config.",
    docs=("LOGS",),
    message="{subject}: configure standard logging instead (ZenML has no logger definitions)",
    what_it_does="Reports logger definitions (`@logger`, `LoggerDefinition`, `InitLoggerContext`, "
    "`build_init_logger_context`), Dagster's ready-made loggers (`colored_console_logger`, "
    "`json_console_logger`, `default_loggers`, `default_system_loggers`), `DagsterLogManager` (the type "
    "of `context.log`), and the arguments that install loggers: `logger_defs=` of jobs and "
    "`loggers=` of `Definitions` and `RunConfig` (not `loggers=None`, nor another object's "
    "`.loggers` passed on).",
    why="Dagster creates a run's loggers from these definitions and the run config's `loggers:` section and "
    "sends `context.log` through them; ZenML has no logger definitions and no `context.log`: a step logs "
    "through standard `logging`, which ZenML captures and stores with the run. Handlers a custom logger "
    "added (a JSON formatter, a chat or log-service sink) are lost unless they are configured again.",
    fix_safety="No fix.",
    names=described(
        "logger",
        "LoggerDefinition",
        "InitLoggerContext",
        "build_init_logger_context",
        "colored_console_logger",
        "json_console_logger",
        "default_loggers",
        "default_system_loggers",
        "DagsterLogManager",
    ),
    keywords={"logger_defs": _loggers_given, "loggers": _loggers_given},
    examples=(
        flagged(
            """
            import logging

            from dagster import InitLoggerContext, job, logger, op


            @logger({"level": str}, description="the team's JSON logger")
            def team_logger(init_context: InitLoggerContext) -> logging.Logger:
                found = logging.getLogger("team")
                found.setLevel(init_context.logger_config["level"])
                return found


            @op
            def load() -> int:
                return 1


            @job(logger_defs={"team": team_logger})
            def nightly():
                load()
            """,
            title="a logger definition and the job that installs it",
        ),
        flagged(
            """
            import dagster as dg


            @dg.asset
            def orders() -> int:
                return 1


            defs = dg.Definitions(assets=[orders], loggers={"console": dg.colored_console_logger})
            """,
            title="a ready-made Dagster logger given to Definitions",
        ),
        flagged(
            """
            from dagster import DagsterLogManager


            def report(log: DagsterLogManager, rows: int) -> None:
                log.info(f"loaded {rows} rows")
            """,
            title="a helper typed with the class of context.log",
        ),
        clean(
            """
            import logging

            from zenml import step

            logging.basicConfig(level=logging.INFO)
            logger = logging.getLogger(__name__)


            @step
            def load() -> int:
                logger.info("loading")
                return 1
            """,
        ),
        clean(
            """
            import dagster as dg

            base = dg.Definitions()
            defs = dg.Definitions(jobs=base.jobs, loggers=base.loggers)
            unset = dg.Definitions(loggers=None)
            """,
            title="trap: loggers passed on from definitions built elsewhere, and no loggers",
        ),
        clean(
            """
            def logger(name: str) -> str:
                return name


            loggers = {"console": logger("console")}
            """,
            title="trap: names spelled like Dagster's outside Dagster",
        ),
    ),
)

RULES = (DZ234,)
