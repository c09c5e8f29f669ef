"""Catalog writes: categories, products, and every change of stock (each with its movement)."""

from catalog.services.categories import (
    categories_for_names,
    category_create,
    category_delete,
    category_slug,
    category_update,
)
from catalog.services.common import MAX_PRICE, MAX_QUANTITY, CatalogError
from catalog.services.products import (
    product_check,
    product_create,
    product_delete,
    product_update,
    products_create_unstocked,
)
from catalog.services.stock import (
    InsufficientStock,
    StockLimitExceeded,
    StockLine,
    stock_adjust,
    stock_lock,
    stock_open,
    stock_read,
    stock_restock,
    stock_return,
    stock_sell,
    stock_shortfalls,
    stock_terms_changed,
)

__all__ = [
    "MAX_PRICE",
    "MAX_QUANTITY",
    "CatalogError",
    "InsufficientStock",
    "StockLimitExceeded",
    "StockLine",
    "categories_for_names",
    "category_create",
    "category_delete",
    "category_slug",
    "category_update",
    "product_check",
    "product_create",
    "product_delete",
    "product_update",
    "products_create_unstocked",
    "stock_adjust",
    "stock_lock",
    "stock_open",
    "stock_read",
    "stock_restock",
    "stock_return",
    "stock_sell",
    "stock_shortfalls",
    "stock_terms_changed",
]
