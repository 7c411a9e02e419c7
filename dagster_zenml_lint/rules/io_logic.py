"""DZ309 IO managers that do data access, DZ312 in-memory IO managers.

An IO manager that only serializes maps to a materializer (DZ205); one whose
``load_input`` / ``handle_output`` talks to a database, a warehouse, an HTTP API or a
cloud client hides business data access that ZenML wants in explicit steps.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache

from dagster_zenml_lint.analysis.facts import ClassInfo, FileContext, Match
from dagster_zenml_lint.class_bases import IO_MANAGER_BASES
from dagster_zenml_lint.registry import MissingFeature, Rule, clean, flagged
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import ABSENT, HIGH
from dagster_zenml_lint.semantic import child_nodes

IO_METHODS = ("load_input", "handle_output")
# Modules whose calls reach a database, a warehouse, an HTTP endpoint or a cloud service.
DATA_ACCESS_MODULES = (
    "requests",
    "httpx",
    "aiohttp",
    "urllib.request",
    "urllib3",
    "sqlalchemy",
    "psycopg2",
    "psycopg",
    "pymysql",
    "mysql",
    "sqlite3",
    "duckdb",
    "snowflake",
    "google.cloud",
    "boto3",
    "botocore",
    "pyodbc",
    "cx_Oracle",
    "oracledb",
    "pymongo",
    "redis",
    "elasticsearch",
    "clickhouse_driver",
    "clickhouse_connect",
    "trino",
    "pyathena",
    "databricks",
    "azure.storage",
    "azure.cosmos",
    "pandas_gbq",
    "pyiceberg",
    "psycopg2.extras",
    "pandas.read_sql",
    "pandas.read_sql_query",
    "pandas.read_sql_table",
    "pandas.read_gbq",
    "polars.read_database",
    "polars.read_database_uri",
    "delta",
    "deltalake",
    "pyspark.sql.SparkSession",
)
# Methods that only exist on connections, cursors and data frames writing to databases.
SQL_METHODS = {
    "to_sql",
    "to_gbq",
    "read_sql",
    "read_sql_query",
    "read_sql_table",
    "read_database",
    "write_database",
    # Spark and Delta tables: ``df.write.saveAsTable(...)``, ``DeltaTable.forName(spark, ...)``
    "saveAsTable",
    "insertInto",
    "forName",
    "forPath",
}
# Conventional import aliases, read as the module they stand for.
MODULE_ALIASES = {"pd": "pandas", "pl": "polars"}
CONNECTION_METHODS = {
    "execute",
    "executemany",
    "query",
    "sql",
    "cursor",
    "fetchall",
    "fetchone",
    "fetchdf",
    "fetch_df",
    "fetch_arrow_table",
    "commit",
    "insert_rows",
    "load_table_from_dataframe",
    "put_object",
    "get_object",
    "upload_file",
    "download_file",
    "upload_blob",
    "download_blob",
}
CONNECTION_FACTORIES = {
    "connect",
    "get_connection",
    "cursor",
    "create_engine",
    "begin",
    "Client",
    "client",
    "connection",
    "engine",
    "get_client",
    "Session",
    "session",
    "resource",
}


def _imported_name(ctx: FileContext, node: ast.expr, scope) -> str | None:
    """The fully qualified name of an imported object (any package), ``requests.get``."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    binding = ctx.model.lookup(node.id, scope, (node.lineno, node.col_offset))
    if binding is None or binding.qualname is None:
        return None
    return ".".join([binding.qualname, *reversed(parts)])


@cache  # a pure function of the name; IO managers call the same few functions again and again
def _is_data_module(qualname: str) -> bool:
    top, _, rest = qualname.partition(".")
    top = MODULE_ALIASES.get(top, top)
    qualname = f"{top}.{rest}" if rest else top
    return any(qualname == m or qualname.startswith(m + ".") for m in DATA_ACCESS_MODULES)


def _factory_call(node: ast.expr | None) -> bool:
    """True for ``x.connect(...)``, ``create_engine(...)``, ``bigquery.Client()``..."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name is None:
        return False
    # A Spark session (``SparkSession.builder.getOrCreate()``, ``self._get_spark_session()``) runs SQL too.
    return name in CONNECTION_FACTORIES or name == "getOrCreate" or name.lower().endswith("spark_session")


def _is_connection(ctx: FileContext, receiver: ast.expr, scope) -> bool:
    if _factory_call(receiver):
        return True
    if not isinstance(receiver, ast.Name):
        return False
    binding = ctx.model.lookup(receiver.id, scope, (receiver.lineno, receiver.col_offset))
    if binding is None or not isinstance(binding.node, ast.Name):
        return False
    parent = ctx.parent(binding.node)
    if isinstance(parent, ast.withitem):
        return _factory_call(parent.context_expr)
    return _factory_call(getattr(parent, "value", None))


def _resource_fields(ctx: FileContext, info: ClassInfo) -> set[str]:
    """Fields of the class annotated with an integration resource (``warehouse: SnowflakeResource``)."""
    fields: set[str] = set()
    for stmt in info.node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            for sub in ast.walk(stmt.annotation):
                ref = ctx.reference_of(sub)
                if ref is not None and ref.canonical.endswith("Resource"):
                    fields.add(stmt.target.id)
    return fields


def _walk(node: ast.AST) -> list[ast.AST]:
    """The nodes under ``node`` in :func:`ast.walk`'s order, without contexts and operators.

    Only calls and attributes are asked about here, and leaving out the leaves nobody asks
    about keeps their order: the walk is the costliest part of this rule.
    """
    nodes = [node]
    index = 0
    while index < len(nodes):
        nodes.extend(child_nodes(nodes[index]))
        index += 1
    return nodes


def _data_access(
    ctx: FileContext,
    method: ast.FunctionDef | ast.AsyncFunctionDef,
    fields: set[str],
    helpers: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] | None = None,
    seen: frozenset[str] = frozenset(),
    memo: dict[tuple[int, frozenset[str]], list[str]] | None = None,
) -> list[str]:
    """What in a method body reaches external data (empty when it only serializes).

    ``self.<helper>(...)`` counts when the class's own helper method reaches data
    (a Spark session built in ``self._get_spark_session()``). ``memo``: the answers for
    one class's methods so far (a helper that several IO methods call is walked once).
    """
    helpers = helpers or {}
    if memo is None:
        return _method_data_access(ctx, method, fields, helpers, seen, None)
    # The answer depends on ``seen`` only through the helpers it keeps from being followed.
    key = (id(method), frozenset(seen.intersection(helpers)))
    found = memo.get(key)
    if found is None:
        found = memo[key] = _method_data_access(ctx, method, fields, helpers, seen, memo)
    return found


def _method_data_access(
    ctx: FileContext,
    method: ast.FunctionDef | ast.AsyncFunctionDef,
    fields: set[str],
    helpers: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
    seen: frozenset[str],
    memo: dict[tuple[int, frozenset[str]], list[str]] | None,
) -> list[str]:
    """:func:`_data_access` worked out (its helpers' answers taken from ``memo``)."""
    scope = ctx.model.scope_of(method) or ctx.model.module_scope
    found: list[str] = []
    info = next((f for f in ctx.functions if f.node is method), None)
    if (
        info is not None
        and info.context is not None
        and any(use.param is info.context and use.chain[:1] == ("resources",) for use in ctx.context_uses)
    ):
        found.append(f"{info.context.name}.resources")
    for node in _walk(method):
        if isinstance(node, ast.Call):
            qual = _imported_name(ctx, node.func, ctx.model.scope_of(_enclosing_scope_node(ctx, node)) or scope)
            if qual is not None and _is_data_module(qual):
                found.append(qual)
            elif isinstance(node.func, ast.Attribute):
                attr = node.func.attr
                if attr in SQL_METHODS or (attr in CONNECTION_METHODS and _is_connection(ctx, node.func.value, scope)):
                    found.append(f".{attr}()")
                elif (
                    isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "self"
                    and attr in helpers
                    and attr not in seen
                    and _data_access(ctx, helpers[attr], fields, helpers, seen | {method.name, attr}, memo)
                ):
                    found.append(f"self.{attr}()")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and node.attr in fields
        ):
            found.append(f"self.{node.attr}")
    return list(dict.fromkeys(found))


def _enclosing_scope_node(ctx: FileContext, node: ast.AST) -> ast.AST:
    current = ctx.parent(node)
    while current is not None and ctx.model.scope_of(current) is None:
        current = ctx.parent(current)
    return current if current is not None else ctx.tree


def _io_manager_classes(ctx: FileContext) -> list[ClassInfo]:
    """Classes deriving (directly, through local classes or the project's own bases) from a Dagster IO manager."""
    found: list[ClassInfo] = [
        c
        for c in ctx.classes
        if c.base_names & IO_MANAGER_BASES
        or any(isinstance(b, ast.Name) and b.id in ctx.io_bases for b in c.node.bases)
    ]
    names = {c.node.name for c in found}
    if not names:
        return found  # (no class derives from none: the most files' answer, without the loop below)
    changed = True
    while changed:
        changed = False
        for info in ctx.classes:
            if info in found:
                continue
            if any(isinstance(b, ast.Name) and b.id in names for b in info.node.bases):
                found.append(info)
                names.add(info.node.name)
                changed = True
    return found


def _io_manager_data_access(ctx: FileContext) -> Iterator[Match]:
    for info in _io_manager_classes(ctx):
        fields = _resource_fields(ctx, info)
        methods = {s.name: s for s in info.node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
        helpers = {name: node for name, node in methods.items() if name not in IO_METHODS}
        memo: dict[tuple[int, frozenset[str]], list[str]] = {}  # a helper two IO methods call: walked once
        for stmt in info.node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in IO_METHODS:
                access = _data_access(ctx, stmt, fields, helpers, memo=memo)
                if access:
                    subject = f"IO manager '{info.node.name}.{stmt.name}' does data access ({', '.join(access[:3])})"
                    yield Match("DZ309", stmt.lineno, stmt.col_offset, subject, stmt)


DZ309 = Rule(
    code="DZ309",
    report_section="io",
    missing_feature=MissingFeature(
        "Storage logic per output",
        (
            "materializers that read and write business tables (warehouse, lakehouse) with per-output "
            "configuration, as IO managers do."
        ),
    ),
    symbol="dagster-io-manager-logic",
    severity=HIGH,
    mapping=ABSENT,
    title="IO managers that access data have no ZenML equivalent",
    target="explicit loader and writer steps; keep only serialization in a materializer",
    hint="Move every database, warehouse or HTTP read and write into visible source/sink steps and keep only "
    "serialization in a materializer.",
    docs=("ART",),
    message="{subject}: move the data access into explicit steps",
    what_it_does="Reports the `def load_input` / `def handle_output` line of an IO manager whose body reaches "
    "a database, warehouse, HTTP API or cloud client (SQL engines and connections, `requests`, `boto3`, "
    "Spark and Delta tables (`saveAsTable`, `DeltaTable.forName`, `spark.sql(...)`, a session from a helper "
    "method), `context.resources`, resource fields), and the warehouse IO managers of integration packages "
    "(Snowflake, DuckDB, BigQuery, Delta Lake, Iceberg).",
    why="A ZenML materializer only turns an object into bytes in the artifact store; reading and writing "
    "business tables is pipeline logic that must be visible as steps.",
    fix_safety="No fix.",
    names=described(
        "dagster_snowflake*.*IOManager",
        "dagster_duckdb*.*IOManager",
        "dagster_gcp*.BigQuery*IOManager",
        "dagster_deltalake*.*IOManager",
        "dagster_iceberg*.*IOManager",
        "dagster_*.build_*_io_manager",
        "dagster_*.*_pandas_io_manager",
    ),
    detectors=(_io_manager_data_access,),
    examples=(
        flagged(
            "from dagster import ConfigurableIOManager, InputContext, OutputContext\n"
            "from sqlalchemy import create_engine, text\n\n\nclass WarehouseIOManager(ConfigurableIOManager):\n"
            "    url: str\n\n    def handle_output(self, context: OutputContext, obj: list) -> None:\n"
            "        with create_engine(self.url).begin() as conn:\n"
            "            conn.execute(text(f'insert into {context.name} values (:v)'), [{'v': v} for v in obj])\n\n"
            "    def load_input(self, context: InputContext) -> list:\n"
            "        with create_engine(self.url).connect() as conn:\n"
            "            return list(conn.execute(text(f'select * from {context.upstream_output.name}')))\n",
        ),
        flagged(
            "from dagster import Definitions\nfrom dagster_duckdb_pandas import DuckDBPandasIOManager\n\n"
            "defs = Definitions(resources={'io_manager': DuckDBPandasIOManager(database='x.duckdb')})\n",
            title="a warehouse IO manager from an integration",
        ),
        clean(
            "import pickle\n\nfrom dagster import ConfigurableIOManager, InputContext, OutputContext\n\n\n"
            "class PickleIOManager(ConfigurableIOManager):\n    root: str\n\n"
            "    def handle_output(self, context: OutputContext, obj) -> None:\n"
            "        with open(f'{self.root}/{context.asset_key.path[-1]}', 'wb') as f:\n"
            "            pickle.dump(obj, f)\n\n"
            "    def load_input(self, context: InputContext):\n"
            "        with open(f'{self.root}/{context.asset_key.path[-1]}', 'rb') as f:\n"
            "            return pickle.load(f)\n",
            title="serialization only (DZ205)",
        ),
    ),
)

DZ312 = Rule(
    code="DZ312",
    report_section="io",
    symbol="dagster-in-memory-io",
    severity=HIGH,
    mapping=ABSENT,
    title="In-memory IO has no ZenML equivalent",
    target="none: ZenML always persists step outputs to the artifact store",
    hint="Check that every output is serializable and small enough to persist, or redesign the data "
    "access if keeping data in memory mattered.",
    docs=("ART",),
    message="{subject}: ZenML always persists step outputs; check sizes and serializability",
    what_it_does="Reports `mem_io_manager` and `InMemoryIOManager`.",
    why="Dagster can keep outputs in memory between ops of one process; every ZenML step output is written "
    "to the artifact store.",
    fix_safety="No fix.",
    names=described("mem_io_manager", "InMemoryIOManager"),
    examples=(
        flagged(
            "from dagster import job, mem_io_manager, op\n\n\n@op\ndef one() -> int:\n    return 1\n\n\n"
            "@job(resource_defs={'io_manager': mem_io_manager})\ndef fast():\n    one()\n"
        ),
        clean("from dagster import FilesystemIOManager\n\nio_manager = FilesystemIOManager(base_dir='/tmp/x')\n"),
    ),
)

RULES = (DZ309, DZ312)
