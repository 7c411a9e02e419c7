"""IO managers that derive from the project's base in another module (absolute and relative imports)."""

from dagster import InputContext, OutputContext

from shop.io import WarehouseIOManager

from .base import NotAnIOManager


class DeltaIOManager(WarehouseIOManager):  # [dagster-io-manager]
    def _get_spark_session(self):
        from pyspark.sql import SparkSession

        return SparkSession.builder.getOrCreate()

    def handle_output(self, context: OutputContext, obj) -> None:  # [dagster-io-manager-logic]
        spark = self._get_spark_session()
        spark.sql(f"MERGE INTO {self.table_name(context)} USING updates ON id")

    def load_input(self, context: InputContext):  # [dagster-io-manager-logic]
        from delta import DeltaTable

        return DeltaTable.forName(self._get_spark_session(), self.table_name(context)).toDF()


class ParquetIOManager(WarehouseIOManager):  # [dagster-io-manager]
    def handle_output(self, context: OutputContext, obj) -> None:
        obj.write.parquet(f"{self.root}/{context.name}")

    def load_input(self, context: InputContext):
        return None


class SparkTableIOManager(ParquetIOManager):
    def handle_output(self, context: OutputContext, obj) -> None:  # [dagster-io-manager-logic]
        obj.write.format("delta").mode("append").saveAsTable(context.name)


class Helper(NotAnIOManager):
    def handle_output(self, context, obj) -> None:
        obj.write.saveAsTable(context.name)
