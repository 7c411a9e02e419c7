"""Dagster helpers that become plain Python or disappear.

DZ109 ``file_relative_path`` (direct, safe fix to ``os.path``); DZ232 Dagster+ helpers
(code references, insights), which only feed Dagster+'s UI and are deleted; DZ233
Dagster's internal helpers (``dagster._check``, ``dagster._utils.backoff``,
``dagster_shared``) and its exception types, replaced by plain Python.
"""

from __future__ import annotations

from dagster_zenml_lint.analysis.facts import FileContext, Reference
from dagster_zenml_lint.registry import Rule, clean, flagged, lazy_fixer
from dagster_zenml_lint.rules._calls import describe, described
from dagster_zenml_lint.rules._common import ABSENT, APPROXIMATE, DIRECT, INFO, LOW

DZ109 = Rule(
    code="DZ109",
    symbol="dagster-file-relative-path",
    severity=INFO,
    mapping=DIRECT,
    title="`file_relative_path` becomes `os.path`",
    target="`os.path.realpath(os.path.join(__file__, os.pardir, relative_path))`",
    hint="Compute the path with `os.path` (or `pathlib`) relative to `__file__`; nothing Dagster-specific is involved.",
    docs=("STEPS",),
    message="{subject}: becomes os.path.realpath(os.path.join(__file__, os.pardir, ...))",
    what_it_does="Reports every use of `file_relative_path`.",
    why="It is a path helper that happens to live in Dagster; a migrated project should not need Dagster "
    "installed to compute a path.",
    fix_safety="Safe when both arguments are strings (`__file__`, string literals): Dagster returns "
    "`os.fspath(Path(dunderfile, '..', relative_path).resolve())`, and `Path.resolve()` is `os.path.realpath` "
    "since Python 3.10, so the result is the same string (absolute, symlinks resolved, also when the module "
    "file is a symlink, which `os.path.join(os.path.dirname(__file__), ...)` would not follow). Unsafe "
    "otherwise: Dagster rejects path objects, `os.path` accepts them.",
    names=described("file_relative_path"),
    fixer=lazy_fixer("dagster_zenml_lint.fixers.paths:fix_file_relative_path"),
    examples=(
        flagged(
            "from dagster import file_relative_path\n\nPATH = file_relative_path(__file__, 'data.csv')\n",
            fixed="import os\n\nPATH = os.path.realpath(os.path.join(__file__, os.pardir, 'data.csv'))\n",
        ),
        flagged(
            "import os\n\nimport dagster as dg\n\n"
            "DBT_DIR = dg.file_relative_path(__file__, os.path.join('..', 'dbt'))\n",
            fixed="import os\n\n"
            "DBT_DIR = os.path.realpath(os.path.join(__file__, os.pardir, os.path.join('..', 'dbt')))\n",
            unsafe=True,
            title="unsafe fix: the relative path is computed",
        ),
        clean("import os\n\nPATH = os.path.join(os.path.dirname(__file__), 'data.csv')\n"),
    ),
)

# Dagster+ (dagster_cloud) helpers that only add information to Dagster+'s UI or bill it.
PLUS_HELPERS = (
    "dagster_cloud.link_code_references_to_git_if_cloud",
    "dagster.link_code_references_to_git",
    "dagster.with_source_code_references",
    "dagster.AnchorBasedFilePathMapping",
    "dagster.FilePathMapping",
    "dagster.CodeReferencesMetadataSet",
    "dagster.LocalFileCodeReference",
    "dagster.UrlCodeReference",
    "dagster_cloud.dbt_with_snowflake_insights",
    "dagster_cloud.dbt_with_bigquery_insights",
    "dagster_cloud.create_snowflake_insights_asset_and_schedule",
    "dagster_cloud.FileFormat",
)


def _plus_helper(ctx: FileContext, ref: Reference) -> str | None:
    """One finding per helper call: a path mapping passed to ``link_code_references_to_git`` is part of it."""
    if ref.keyword_of in PLUS_HELPERS:
        return None
    return describe(ctx, ref)


DZ232 = Rule(
    code="DZ232",
    symbol="dagster-plus-helper",
    severity=LOW,
    mapping=ABSENT,
    title="Dagster+ helpers (code references, insights) are deleted",
    target="nothing: delete the call (ZenML links a run to its code through the code repository it registers)",
    hint="Delete the helper and pass the wrapped definitions on unchanged; register a ZenML code repository if "
    "runs should link to the commit that produced them.",
    docs=("STEPS",),
    message="{subject}: a Dagster+ helper with no ZenML counterpart; delete it",
    what_it_does="Reports Dagster+ code-reference helpers (`link_code_references_to_git_if_cloud`, "
    "`with_source_code_references`, `AnchorBasedFilePathMapping`, code reference metadata) and Dagster+ "
    "insights helpers (`dbt_with_snowflake_insights`, `create_snowflake_insights_asset_and_schedule`).",
    why="They only attach source links or cost data to definitions for Dagster+'s UI; the definitions behave "
    "the same without them.",
    fix_safety="No fix.",
    names=dict.fromkeys(PLUS_HELPERS, _plus_helper),
    examples=(
        flagged(
            "import dagster as dg\nfrom dagster_cloud.metadata.source_code import "
            "link_code_references_to_git_if_cloud\n\n\n@dg.asset\ndef orders() -> int:\n    return 1\n\n\n"
            "defs = dg.Definitions(assets=link_code_references_to_git_if_cloud([orders]))\n"
        ),
        clean(
            "import dagster as dg\n\n\n@dg.asset\ndef orders() -> int:\n    return 1\n\n\n"
            "defs = dg.Definitions(assets=[orders])\n"
        ),
    ),
)

# ``dagster._check`` functions (``check.invariant``, ``check.str_param``...), reached as
# ``dagster.<name>`` once the internal module is skipped, and ``dagster._utils`` helpers.
INTERNAL_HELPERS = (
    "dagster.invariant",
    "dagster.param_invariant",
    "dagster.not_none",
    "dagster.failed",
    "dagster.inst",
    "dagster.opt_inst",
    "dagster.assert_never",
    "dagster.not_implemented",
    "dagster.*_param",
    "dagster.*_elem",
    "dagster.backoff",
    "dagster.get_current_datetime",
    "dagster.get_current_timestamp",
    "dagster_shared.*",
)
# Dagster's exceptions and warnings: raise or catch plain Python exceptions instead.
ERROR_TYPES = ("dagster.Failure", "dagster.Dagster*Error", "dagster.*Warning")

DZ233 = Rule(
    code="DZ233",
    symbol="dagster-internal-helper",
    severity=LOW,
    mapping=APPROXIMATE,
    title="Dagster's internal helpers and exceptions become plain Python",
    target="plain Python: `assert` / `if ...: raise`, a retry loop (or `tenacity`), `datetime.now(timezone.utc)`, "
    "built-in exceptions",
    hint="Replace the helper with the plain Python it wraps: `check.invariant(x)` -> `if not x: raise ...`, "
    "`backoff(fn, retry_on=...)` -> a retry loop, `Failure(...)` -> an exception of your own; ZenML marks the "
    "step failed on any exception.",
    docs=("STEPS",),
    message="{subject}: a Dagster helper; use plain Python",
    what_it_does="Reports Dagster's internal helpers (`dagster._check` such as `check.invariant`, "
    "`check.not_none`, `check.str_param`; `dagster._utils.backoff`; `dagster._time`), everything from "
    "`dagster_shared`, and Dagster's exception and warning types (`Failure`, `Dagster...Error`).",
    why="A migrated project should not import Dagster for assertions, retries or exceptions; internal modules "
    "also change without notice between Dagster releases.",
    fix_safety="No fix.",
    names=described(*INTERNAL_HELPERS, *ERROR_TYPES),
    examples=(
        flagged(
            "import dagster._check as check\nfrom dagster._utils.backoff import backoff\n\n\n"
            "def fetch(url: str) -> str:\n    check.str_param(url, 'url')\n"
            "    return backoff(lambda: url, retry_on=(OSError,), max_retries=3)\n"
        ),
        flagged(
            "from dagster import Failure, asset\n\n\n@asset\ndef orders() -> int:\n"
            "    raise Failure(description='no rows')\n",
            title="Dagster's exception",
        ),
        clean(
            "def fetch(url: str) -> str:\n    if not isinstance(url, str):\n        raise TypeError(url)\n"
            "    return url\n"
        ),
    ),
)

RULES = (DZ109, DZ232, DZ233)
