"""DZ106 ``context.log`` and DZ108 ``get_dagster_logger()``: both become standard ``logging``."""

from __future__ import annotations

from dagster_zenml_lint.registry import Rule, ScaffoldHandling, clean, flagged, lazy_fixer
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import DIRECT, INFO, LOW

DZ106 = Rule(
    code="DZ106",
    scaffold=ScaffoldHandling(resolved=True),
    symbol="dagster-context-log",
    severity=LOW,
    mapping=DIRECT,
    title="`context.log` becomes standard logging",
    target="a module-level `logging.getLogger(__name__)` (ZenML captures step logs)",
    hint="Log through a module-level `logging.getLogger(__name__)` and drop the context parameter if nothing "
    "else uses it.",
    docs=("LOGS",),
    message="{subject}: use standard logging (ZenML captures step logs)",
    what_it_does="Reports `context.log.<level>(...)` (and any other use of `context.log`) on a Dagster context "
    "parameter: ops, assets, IO managers, resources, hooks, sensors and schedules.",
    why="ZenML has no logger on a context object; it captures standard `logging` and `print` output of a step.",
    fix_safety="Unsafe: the rewrite adds a module logger and changes the call, and the context parameter may "
    "become unused (removing it changes the signature).",
    context_attrs=("log",),
    fixer=lazy_fixer("dagster_zenml_lint.fixers.log_calls:fix_context_log"),
    examples=(
        flagged(
            "import dagster as dg\n\n\n@dg.op\ndef load(context) -> int:\n    context.log.warning('empty')\n"
            "    return 0\n",
            fixed="import logging\n\nfrom zenml import step\n\nlogger = logging.getLogger(__name__)\n\n\n@step\n"
            "def load() -> int:\n    logger.warning('empty')\n    return 0\n",
            unsafe=True,
            title="unsafe fix: a module logger; the unused context goes, then the op converts",
        ),
        flagged(
            "from dagster import AssetExecutionContext, asset\n\n\n@asset\n"
            "def orders(context: AssetExecutionContext) -> int:\n    context.log.info('loading orders')\n"
            "    return 1\n",
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.op\ndef load(context) -> int:\n    context.log.warning('empty')\n"
            "    return 0\n",
            title="an unannotated context parameter of an op",
        ),
        clean(
            "import logging\n\nfrom zenml import step\n\nlogger = logging.getLogger(__name__)\n\n\n@step\n"
            "def orders() -> int:\n    logger.info('loading orders')\n    return 1\n",
        ),
        clean(
            "def handler(context) -> None:\n    context.log.info('not a Dagster context')\n",
            title="trap: a parameter called context outside Dagster",
        ),
    ),
)

DZ108 = Rule(
    code="DZ108",
    scaffold=ScaffoldHandling(resolved=True),
    symbol="dagster-logger",
    severity=INFO,
    mapping=DIRECT,
    title="`get_dagster_logger()` becomes `logging.getLogger(...)`",
    target='`logging.getLogger("dagster.builtin")` (the same logger; ZenML captures step logs)',
    hint='Replace `get_dagster_logger(name)` with `logging.getLogger("dagster.builtin.<name>")` (the logger '
    "Dagster returned), or with a logger of your own module once nothing configures Dagster's loggers.",
    docs=("LOGS",),
    message="{subject}: becomes a standard logging.getLogger(...)",
    what_it_does="Reports every use of `get_dagster_logger`.",
    why="Dagster's logger only routes records into Dagster's event log; ZenML captures the standard library's "
    "logging from a step directly.",
    fix_safety='Safe: `get_dagster_logger()` returns the standard logger named `"dagster.builtin"` '
    '(`"dagster.builtin.<name>"` with a name); the fix asks `logging.getLogger` for that same name. Unsafe when '
    "the name is computed (the logger is then named by the value alone).",
    names=described("get_dagster_logger"),
    fixer=lazy_fixer("dagster_zenml_lint.fixers.log_calls:fix_dagster_logger"),
    examples=(
        flagged(
            "from dagster import get_dagster_logger\n\nlogger = get_dagster_logger()\n",
            fixed='import logging\n\nlogger = logging.getLogger("dagster.builtin")\n',
        ),
        flagged(
            "from dagster import get_dagster_logger\n\nlogger = get_dagster_logger('sentry')\n",
            fixed='import logging\n\nlogger = logging.getLogger("dagster.builtin.sentry")\n',
            title="a named logger keeps its place under Dagster's logger",
        ),
        flagged(
            "import dagster\n\n\ndef work() -> None:\n    dagster.get_dagster_logger('etl').info('start')\n",
            title="called through the module",
        ),
        clean("import logging\n\nlogger = logging.getLogger(__name__)\n"),
        clean(
            "def get_dagster_logger():\n    return None\n\n\nlogger = get_dagster_logger()\n",
            title="trap: a local function with the same name",
        ),
    ),
)

RULES = (DZ106, DZ108)
