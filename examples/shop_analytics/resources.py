"""Resources: a warehouse client configured from the environment."""

import sqlite3

import dagster as dg


class WarehouseResource(dg.ConfigurableResource):
    """A tiny SQLite "warehouse"; the path comes from an environment variable."""

    database: str = ":memory:"

    def query(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql).fetchall()


warehouse = WarehouseResource(database=dg.EnvVar("SHOP_WAREHOUSE_PATH"))
