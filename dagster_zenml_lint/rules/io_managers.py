"""DZ205: IO managers (core and integration packages) become artifact store + materializers or explicit steps."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from dagster_zenml_lint.analysis.facts import FileContext, Match, Reference
from dagster_zenml_lint.registry import Rule, clean, flagged
from dagster_zenml_lint.rules._calls import described
from dagster_zenml_lint.rules._common import APPROXIMATE, MEDIUM

IO_MANAGER_OBJECTS = (
    "IOManager",
    "ConfigurableIOManager",
    "ConfigurableIOManagerFactory",
    "io_manager",
    "IOManagerDefinition",
    "UPathIOManager",
    "FilesystemIOManager",
    "fs_io_manager",
    "custom_path_fs_io_manager",
    "PickledObjectFilesystemIOManager",
    "input_manager",
    "InputManager",
    "InputManagerDefinition",
    "ConfigurableIOManagerFactoryResourceDefinition",
)
# IO managers shipped by integration packages: DuckDBPandasIOManager, S3PickleIOManager,
# SnowflakePandasIOManager, BigQueryPandasIOManager, build_duckdb_io_manager, s3_pickle_io_manager, ...
INTEGRATION_IO_MANAGERS = (
    "dagster_*.*IOManager",
    "dagster_*.*io_manager",
    "dagster_*.*IOManagerFactory",
    "dagstermill.*IOManager",
    "dagstermill.*io_manager",
)


def _project_io_managers(ctx: FileContext) -> Iterator[Match]:
    """Classes deriving from an IO manager base class of the project's own (defined in another module)."""
    if not ctx.io_bases:
        return
    for info in ctx.classes:
        base = next((b.id for b in info.node.bases if isinstance(b, ast.Name) and b.id in ctx.io_bases), None)
        if base is not None:
            subject = f"class '{info.node.name}' derives from {base} (an IO manager base class of this project)"
            yield Match("DZ205", info.node.lineno, info.node.col_offset, subject, info.node)


def _context_type(ctx: FileContext, ref: Reference) -> None:
    """``InputContext`` / ``OutputContext``: part of the IO manager already reported; never DZ399."""
    return None


DZ205 = Rule(
    code="DZ205",
    report_section="io",
    symbol="dagster-io-manager",
    severity=MEDIUM,
    mapping=APPROXIMATE,
    title="IO managers become the artifact store, materializers and explicit load/save steps",
    target="the stack's artifact store plus a materializer (`BaseMaterializer`, `@step(output_materializers=...)`) "
    "for serialization; explicit source/sink steps for data access",
    hint="Separate how bytes are written (a materializer on the artifact store) from where business data lives "
    "(explicit load and save steps).",
    docs=("ART", "CONN"),
    message="{subject}: becomes artifact store + materializer, or explicit load/save steps",
    what_it_does="Reports classes deriving from `IOManager`, `ConfigurableIOManager`, "
    "`ConfigurableIOManagerFactory`, `UPathIOManager` or `InputManager`; `@io_manager` / `@input_manager`; "
    "`IOManagerDefinition`; the filesystem IO managers; IO managers from integration packages "
    "(`DuckDBPandasIOManager`, `S3PickleIOManager`, `SnowflakePandasIOManager`, ...); classes deriving from "
    "the project's own IO manager base class defined in another module; and the "
    "`io_manager_key=`, `input_manager_key=` and `io_manager_def=` arguments.",
    why="ZenML persists every step output through the stack's artifact store and a materializer chosen by type; "
    "there is no per-asset IO manager that also decides where business data is read and written.",
    fix_safety="No fix: serialization and data access cannot be told apart reliably.",
    names={
        **described(*IO_MANAGER_OBJECTS),
        **{pattern: None for pattern in INTEGRATION_IO_MANAGERS},
        "dagster.InputContext": _context_type,
        "dagster.OutputContext": _context_type,
    },
    keywords={"io_manager_key": None, "input_manager_key": None, "io_manager_def": None},
    methods={"with_io_manager_key": None},
    detectors=(_project_io_managers,),
    examples=(
        flagged(
            "import pickle\nfrom pathlib import Path\n\n"
            "from dagster import InputContext, IOManager, OutputContext\n\n\n"
            "class PickleIOManager(IOManager):\n"
            "    def handle_output(self, context: OutputContext, obj) -> None:\n"
            "        Path(f'/tmp/{context.name}.pkl').write_bytes(pickle.dumps(obj))\n\n"
            "    def load_input(self, context: InputContext):\n"
            "        return pickle.loads(Path(f'/tmp/{context.name}.pkl').read_bytes())\n",
        ),
        flagged(
            "import dagster as dg\n\n\n@dg.asset(io_manager_key='warehouse')\ndef orders() -> list[int]:\n"
            "    return [1]\n\n\ndefs = dg.Definitions(assets=[orders], "
            "resources={'warehouse': dg.FilesystemIOManager(base_dir='/tmp/data')})\n",
            title="`io_manager_key=` and a filesystem IO manager",
        ),
        flagged(
            "from dagster_duckdb import DuckDBIOManager\n\n\nclass WarehouseIOManager(DuckDBIOManager):\n"
            "    @staticmethod\n    def type_handlers():\n        return []\n\n\n"
            "warehouse = WarehouseIOManager(database='warehouse.duckdb')\n",
            title="an IO manager from an integration package",
        ),
        clean(
            "from zenml.enums import ArtifactType\n"
            "from zenml.materializers.base_materializer import BaseMaterializer\n\n\n"
            "class Rows:\n    pass\n\n\nclass RowsMaterializer(BaseMaterializer):\n"
            "    ASSOCIATED_TYPES = (Rows,)\n    ASSOCIATED_ARTIFACT_TYPE = ArtifactType.DATA\n",
        ),
        clean(
            "class IOManager:\n    def handle_output(self, context, obj):\n        return obj\n\n\n"
            "class LocalIOManager(IOManager):\n    pass\n",
            title="trap: the user's own IOManager base class",
        ),
    ),
)

RULES = (DZ205,)
