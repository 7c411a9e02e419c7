"""DZ309: IO manager methods that access data (not serialization); DZ312 in-memory IO."""

from __future__ import annotations

import pytest

from dagster_zenml_lint.engine import check_source

HEADER = "import dagster as dg\n\n\nclass M(dg.IOManager):\n    def handle_output(self, context, obj):\n"


@pytest.mark.parametrize(
    ("imports", "body"),
    [
        ("import requests\n", "        requests.put('https://x', data=obj, timeout=1)\n"),
        ("from sqlalchemy import create_engine\n", "        create_engine('sqlite://').dispose()\n"),
        ("import boto3\n", "        boto3.client('s3').put_object(Bucket='b', Key='k', Body=obj)\n"),
        ("import duckdb\n", "        with duckdb.connect('x.db') as con:\n            con.sql('select 1')\n"),
        ("import sqlite3\n", "        conn = sqlite3.connect('x.db')\n        conn.execute('select 1')\n"),
        ("", "        context.resources.warehouse.write(obj)\n"),
        ("import pandas as pd\n", "        pd.read_sql('select 1', 'sqlite://')\n"),
        ("", "        obj.to_sql('t', self.engine)\n"),
    ],
)
def test_data_access_is_reported_on_the_method_line(imports, body, lint):
    text = imports + HEADER + body
    assert lint(text).lines("DZ309") == {imports.count("\n") + 5}


@pytest.mark.parametrize(
    ("imports", "body"),
    [
        ("import pickle\n", "        with open('/tmp/x', 'wb') as f:\n            pickle.dump(obj, f)\n"),
        ("import json\n", "        json.dumps(obj)\n"),
        ("", "        obj.to_parquet('/tmp/x.parquet')\n"),
        ("", "        self.cache.execute(obj)\n"),
    ],
)
def test_serialization_is_not_reported(imports, body, lint):
    assert lint(imports + HEADER + body).lines("DZ309") == set()


def test_subclass_of_a_local_io_manager_is_checked(lint):
    text = (
        "import requests\nimport dagster as dg\n\n\nclass Base(dg.ConfigurableIOManager):\n    pass\n\n\n"
        "class Api(Base):\n    def load_input(self, context):\n"
        "        return requests.get('https://x', timeout=1).json()\n"
    )
    assert lint(text).lines("DZ309") == {10}


def test_class_that_is_not_an_io_manager_is_ignored(lint):
    text = (
        "import requests\nimport dagster\n\n\nclass Api:\n    def load_input(self, context):\n"
        "        return requests.get('https://x', timeout=1).json()\n"
    )
    assert lint(text).lines("DZ309") == set()


def test_integration_resource_field_counts_as_data_access(lint):
    text = (
        "import dagster as dg\nfrom dagster_duckdb import DuckDBResource\n\n\n"
        "class M(dg.ConfigurableIOManager):\n    duckdb: DuckDBResource\n\n"
        "    def load_input(self, context):\n        return self.duckdb.get_connection()\n"
    )
    assert lint(text).lines("DZ309") == {8}


def test_in_memory_io_manager():
    text = "from dagster import InMemoryIOManager, mem_io_manager\n\na = mem_io_manager\nb = InMemoryIOManager()\n"
    assert {f.line for f in check_source(text, "t.py") if f.code == "DZ312"} == {3, 4}


def test_walk_keeps_the_order_of_ast_walk_for_calls_and_attributes():
    # DZ309's subject lists the first accesses in walk order: the rule's own walk must not reorder them.
    import ast

    from dagster_zenml_lint.rules.io_logic import _walk

    tree = ast.parse(
        "def f(self, a):\n"
        "    x = self.a.b(c.d(1) + e.f[g.h()], k=lambda: m.n())\n"
        "    if p.q() and not r.s:\n"
        "        return [t.u() for t in v.w()]\n"
    )
    wanted = (ast.Call, ast.Attribute)
    assert [n for n in _walk(tree) if isinstance(n, wanted)] == [n for n in ast.walk(tree) if isinstance(n, wanted)]


def test_a_helper_shared_by_io_methods_counts_for_each(lint):
    # Its answer is worked out once per class (memoised) and given to both methods, also through
    # a helper that calls it, and a helper cycle stops as before.
    text = (
        "import requests\nimport dagster as dg\n\n\nclass Api(dg.ConfigurableIOManager):\n"
        "    def _fetch(self):\n        return requests.get('https://x', timeout=1).json()\n\n"
        "    def _via(self):\n        return self._fetch()\n\n"
        "    def _loop(self):\n        return self._loop()\n\n"
        "    def load_input(self, context):\n        return self._via()\n\n"
        "    def handle_output(self, context, obj):\n        self._loop()\n        self._fetch()\n"
    )
    found = {f.line: f.message for f in lint(text).findings if f.code == "DZ309"}
    assert sorted(found) == [15, 18]
    assert "self._via()" in found[15] and "self._fetch()" in found[18]
