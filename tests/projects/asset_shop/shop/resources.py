from dagster import ConfigurableResource


class WarehouseResource(ConfigurableResource):
    dsn: str

    def query(self, sql: str) -> list:
        return [sql]
