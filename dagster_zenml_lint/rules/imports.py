"""DZ104: an import from ``dagster`` whose every name has a direct ZenML equivalent (DZ1xx rules)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache

from dagster_zenml_lint.analysis.facts import FileContext, Match
from dagster_zenml_lint.analysis.names import canonicalize
from dagster_zenml_lint.registry import Rule, ScaffoldHandling, build_index, clean, flagged, lazy_fixer
from dagster_zenml_lint.rules._common import DIRECT, INFO
from dagster_zenml_lint.semantic import ImportRecord

# Rules whose code starts with this prefix are direct mappings (``rules.md``, code scheme).
DIRECT_PREFIX = "DZ1"


@cache  # a pure function of the name over the fixed rule index; files import the same few names
def is_direct(canonical: str) -> bool:
    """True when some rule claims a Dagster object and every rule that claims it is a direct mapping."""
    claims = build_index().rules_for_name(canonical)
    return bool(claims) and all(rule.code.startswith(DIRECT_PREFIX) for rule, _ in claims)


def _from_core_dagster(record: ImportRecord) -> bool:
    return record.qualname == "dagster" or record.qualname.startswith("dagster.")


def _statement_records(ctx: FileContext) -> dict[int, list[ImportRecord]]:
    """Dagster-core import records grouped by their statement (keyed by ``id`` of the node)."""
    grouped: dict[int, list[ImportRecord]] = {}
    for record in ctx.model.imports:
        if _from_core_dagster(record):
            grouped.setdefault(id(record.node), []).append(record)
    return grouped


def _shadowed_shim(records: list[ImportRecord], primary_names: set[str]) -> bool:
    """An ``except ImportError:`` fallback that re-imports names a primary import already binds."""
    return all(r.fallback for r in records) and all(r.name in primary_names for r in records)


def _module_attributes(ctx: FileContext, record: ImportRecord) -> list[str]:
    """Canonical names used through a module import (``dg.op`` -> ``dagster.op``)."""
    used: list[str] = []
    for ref in ctx.references:
        base = ref.node
        while isinstance(base, ast.Attribute):
            base = base.value
        if isinstance(base, ast.Name) and base.id == record.name and ref.canonical != "dagster":
            used.append(ref.canonical)
    return used


def _import_text(node: ast.Import | ast.ImportFrom, records: list[ImportRecord]) -> str:
    if isinstance(node, ast.ImportFrom):
        names = ", ".join(alias.name for alias in node.names)
        return f"from {node.module} import {names}"
    return "import " + ", ".join(
        f"{alias.name} as {alias.asname}" if alias.asname else alias.name for alias in node.names
    )


def find_direct_imports(ctx: FileContext) -> Iterator[Match]:
    """Import statements from ``dagster`` whose every (used) name maps directly to ZenML."""
    grouped = _statement_records(ctx)
    if not grouped:
        return
    primary_names = {r.name for records in grouped.values() for r in records if not r.fallback}
    for records in grouped.values():
        node = records[0].node
        if _shadowed_shim(records, primary_names):
            continue
        if any(alias.name == "*" for alias in node.names):
            continue
        shown: list[str] = []
        direct = True
        for record in records:
            if isinstance(node, ast.Import):
                used = _module_attributes(ctx, record)
                if not used:
                    direct = False
                    break
                direct = all(is_direct(name) for name in used)
                if direct:  # (shown only for a statement that is reported)
                    shown.extend(sorted({name.rsplit(".", 1)[-1] for name in used}))
            else:
                canonical, _ = canonicalize(record.qualname)
                direct = is_direct(canonical)
            if not direct:
                break
        if not direct:
            continue
        subject = _import_text(node, records)
        if shown:
            subject += f" (uses {', '.join(shown)})"
        yield Match("DZ104", node.lineno, node.col_offset, subject, node)


DZ104 = Rule(
    code="DZ104",
    scaffold=ScaffoldHandling(resolved=True),
    symbol="dagster-import",
    severity=INFO,
    mapping=DIRECT,
    title="Dagster import whose names all map directly",
    target="`from zenml import step, pipeline` (and `from zenml.config import StepRetryConfig`, `import logging`)",
    hint="Import the ZenML equivalents (`step`, `pipeline`, `StepRetryConfig`, `logging`) instead and drop the "
    "Dagster import once nothing uses it.",
    docs=("STEPS",),
    message="{subject}: every name has a direct ZenML equivalent",
    what_it_does="Reports an import from `dagster` (`from dagster import op, job`, or `import dagster as dg` whose "
    "used attributes are all of that kind) when every imported name is covered by a direct-mapping rule "
    "(DZ101-DZ108). A compatibility shim (`try: ... except ImportError: ...`) is reported once.",
    why="Once the ops, jobs, retry policies and loggers are rewritten, the import is the last trace of Dagster in "
    "the module and can be replaced mechanically.",
    fix_safety="Safe together with the rewrites that make the Dagster names unused: the ZenML import is added, the "
    "Dagster one removed only when nothing else in the file uses it.",
    detectors=(find_direct_imports,),
    fixer=lazy_fixer("dagster_zenml_lint.fixers.imports:fix_unused_dagster_import"),
    examples=(
        flagged(
            "import os\nfrom dagster import get_dagster_logger\n\n\ndef cwd() -> str:\n    return os.getcwd()\n",
            fixed="import os\n\n\ndef cwd() -> str:\n    return os.getcwd()\n",
            title="an import nothing uses any more is removed",
        ),
        flagged(
            "from dagster import job, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n@job\ndef my_job():\n"
            "    one()\n",
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.op(retry_policy=dg.RetryPolicy(max_retries=2))\ndef one() -> int:\n"
            "    return 1\n",
            title="a module import whose used attributes all map directly",
        ),
        flagged(
            "try:\n    from dagster import op\nexcept ImportError:  # older Dagster\n"
            "    from dagster._core.definitions.decorators.op_decorator import op\n\n\n"
            "@op\ndef one() -> int:\n    return 1\n",
            title="a compatibility shim is reported once (on the primary import)",
        ),
        clean(
            "from dagster import asset, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n@asset\n"
            "def orders() -> int:\n    return 1\n",
            title="`asset` has no direct mapping, so the import stays",
        ),
        clean(
            "import dagster as dg\n\n\n@dg.asset\ndef orders() -> int:\n    return 1\n",
            title="a module import used for an approximate mapping",
        ),
        clean(
            "from operator import add\nfrom zenml import pipeline, step\n\n\n@step\ndef one() -> int:\n"
            "    return add(0, 1)\n\n\n@pipeline\ndef p():\n    one()\n"
        ),
    ),
)

RULES = (DZ104,)
