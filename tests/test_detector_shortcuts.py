"""The detectors' early exits (DZ309, DZ311, DZ219) keep the findings of the files they do not skip.

Each early exit skips a loop for files that cannot match; these cases hold what the
loop must still find when it runs, and what it must not find when the exit is taken.
"""

from __future__ import annotations

from dagster_zenml_lint.engine import check_source


def codes(text: str) -> list[tuple[str, int]]:
    """The (code, line) of every finding of a source."""
    return [(f.code, f.line) for f in check_source(text)]


def test_io_manager_derived_through_a_local_class_is_still_reported() -> None:
    text = (
        "import requests\n"
        "from dagster import ConfigurableIOManager\n"
        "class Base(ConfigurableIOManager):\n"
        "    pass\n"
        "class Http(Base):\n"
        "    def load_input(self, context):\n"
        "        return requests.get('https://x')\n"
        "    def handle_output(self, context, obj):\n"
        "        pass\n"
    )
    assert ("DZ309", 6) in codes(text)


def test_classes_without_io_manager_bases_give_no_dz309() -> None:
    text = (
        "import requests\n"
        "import dagster\n"
        "class Base:\n"
        "    pass\n"
        "class Http(Base):\n"
        "    def load_input(self, context):\n"
        "        return requests.get('https://x')\n"
    )
    assert not [c for c, _ in codes(text) if c == "DZ309"]


def test_dynamic_partitions_store_keyword_is_still_reported() -> None:
    text = (
        "import dagster as dg\n"
        "parts = dg.DynamicPartitionsDefinition(name='files')\n"
        "keys = parts.get_partition_keys(dynamic_partitions_store=instance)\n"
    )
    assert ("DZ311", 3) in codes(text)


def test_partition_text_without_the_keyword_gives_no_dz311_from_calls() -> None:
    text = (
        "import dagster as dg\n"
        "partition = dg.StaticPartitionsDefinition(['a'])\n"
        "keys = partition.get_partition_keys()\n"
    )
    assert ("DZ311", 3) not in codes(text)


def test_bare_context_passed_to_a_logging_helper_and_to_another() -> None:
    logging_only = (
        "from dagster import OpExecutionContext, op\n"
        "def note(context: OpExecutionContext):\n"
        "    context.log.info('x')\n"
        "@op\n"
        "def load(context: OpExecutionContext) -> int:\n"
        "    note(context)\n"
        "    return 1\n"
    )
    beyond = logging_only.replace("context.log.info('x')", "print(context.run_id)")
    assert ("DZ219", 5) not in codes(logging_only)
    assert ("DZ219", 5) in codes(beyond)
