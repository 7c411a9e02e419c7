from shop.io.base import WarehouseIOManager

__all__ = ["WarehouseIOManager"]
