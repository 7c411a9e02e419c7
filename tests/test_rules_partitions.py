"""DZ301-DZ303, DZ311: spellings, several rules on one construct, backfill loops."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "header",
    [
        "from dagster import DailyPartitionsDefinition as Daily\nx = Daily(start_date='2024-01-01')\n",
        "import dagster as dg\nx = dg.DailyPartitionsDefinition(start_date='2024-01-01')\n",
        "import dagster\nx = dagster.DailyPartitionsDefinition(start_date='2024-01-01')\n",
        "from dagster._core.definitions.partitions.definition import DailyPartitionsDefinition\n"
        "x = DailyPartitionsDefinition(start_date='2024-01-01')\n",
    ],
)
def test_partitions_definition_spellings(header, lint):
    assert "DZ301" in lint(header).codes_on(2)


def test_dynamic_partitions_are_dz301_and_dz311(lint):
    text = "from dagster import DynamicPartitionsDefinition\nx = DynamicPartitionsDefinition(name='files')\n"
    assert {"DZ301", "DZ311"} <= lint(text).codes_on(2)


def test_partitioned_schedule_is_dz208_and_dz303(lint):
    text = (
        "import dagster as dg\njob = dg.define_asset_job('j', partitions_def=dg.DailyPartitionsDefinition("
        "start_date='2024-01-01'))\ns = dg.build_schedule_from_partitioned_job(job)\n"
    )
    assert {"DZ208", "DZ303"} <= lint(text).codes_on(3)


def test_run_request_with_partition_key_outside_a_loop_is_not_a_backfill(lint):
    text = (
        "from dagster import RunRequest, sensor\n\n\n@sensor(job_name='j')\ndef s(context):\n"
        "    return RunRequest(partition_key='2024-01-01')\n"
    )
    assert lint(text).codes_on(6) >= {"DZ301", "DZ304"}
    assert "DZ303" not in lint(text).codes_on(6)


def test_run_requests_in_a_comprehension_are_a_backfill(lint):
    text = (
        "from dagster import RunRequest, sensor\n\n\n@sensor(job_name='j')\ndef s(context):\n"
        "    return [RunRequest(partition_key=k) for k in ['a', 'b']]\n"
    )
    assert "DZ303" in lint(text).codes_on(6)


def test_partition_mapping_keyword_and_object(lint):
    text = "import dagster as dg\nx = dg.AssetIn(\n    partition_mapping=dg.LastPartitionMapping(),\n)\n"
    assert "DZ302" in lint(text).codes_on(3)
    assert "DZ228" in lint(text).codes_on(2)


def test_context_partition_reads_on_io_contexts(lint):
    text = (
        "import dagster as dg\n\n\nclass M(dg.IOManager):\n    def load_input(self, context: dg.InputContext):\n"
        "        return context.asset_partition_key\n\n    def handle_output(self, context, obj):\n"
        "        return context.has_asset_partitions\n"
    )
    assert "DZ301" in lint(text).codes_on(6)
    assert "DZ301" in lint(text).codes_on(9)


def test_dynamic_partitions_through_an_instance(lint):
    text = (
        "from dagster import DagsterInstance\n\ninstance = DagsterInstance.get()\n"
        "instance.add_dynamic_partitions('files', ['a'])\n"
    )
    assert "DZ311" in lint(text).codes_on(4)
