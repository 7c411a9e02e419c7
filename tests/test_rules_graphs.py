"""Graphs (DZ204), dynamic fan-out (DZ211), in-process test helpers (DZ107): method-based detection."""

from __future__ import annotations


def test_map_and_collect_only_in_job_and_graph_bodies(lint):
    result = lint(
        """
        import dagster as dg

        @dg.op(out=dg.DynamicOut())
        def items():
            yield dg.DynamicOutput(1, mapping_key="a")

        @dg.op
        def work(x):
            return list(map(str, [x]))

        @dg.job
        def j():
            results = items().map(work)
            results.collect()

        def not_a_job(frame):
            return frame.map(str)
        """,
        "graphs.py",
    ).found()
    assert {("DZ211", 4), ("DZ211", 6), ("DZ211", 14), ("DZ211", 15)} <= result
    assert ("DZ211", 10) not in result and ("DZ211", 18) not in result


def test_to_job_on_a_graph_imported_from_the_project(lint):
    result = lint(
        """
        import dagster as dg
        from my_project.graphs import etl_graph

        etl_job = etl_graph.to_job(executor_def=dg.in_process_executor)
        """,
        "graphs.py",
    ).found()
    assert ("DZ204", 5) in result


def test_execute_in_process_on_an_imported_job(lint):
    result = lint(
        """
        import dagster
        from my_project.jobs import etl_job

        def test_etl():
            assert etl_job.execute_in_process(instance=dagster.DagsterInstance.ephemeral()).success
        """,
        "graphs.py",
    ).found()
    assert ("DZ107", 6) in result


def test_method_names_without_any_dagster_import_are_ignored(lint):
    source = "# dagster\nfrom my_project.jobs import etl_job\n\nresult = etl_job.execute_in_process()\ng = x.to_job()\n"
    assert not lint(source, "graphs.py").found()


def test_job_without_map_or_collect_calls_skips_the_walk_but_map_outside_still_unflagged(lint):
    # A job body and a ``.map`` call elsewhere in the file: the file-wide pre-check says "maybe",
    # the body walk finds nothing; a file whose job has no such call reports nothing either.
    with_map = lint(
        """
        import dagster as dg

        @dg.job
        def j():
            pass

        def helper(frame):
            return frame.map(str)
        """,
        "graphs.py",
    ).found()
    without = lint(
        """
        import dagster as dg

        @dg.op
        def work():
            return 1

        @dg.job
        def j():
            work()
        """,
        "graphs.py",
    ).found()
    assert not any(code == "DZ211" for code, _ in with_map | without)
