"""What catalog needs to know from the apps above it, asked without importing them.

A product that was sold is kept (deactivated instead of deleted) and the API says ``has_sales``,
but catalog does not know where sales are recorded. The app that records them registers, once at
start-up, the query of a product's sale lines: ``billing`` does so in ``billing/apps.py``.
"""

from collections.abc import Callable

from django.db.models import BooleanField, Exists, OuterRef, QuerySet, Value

_sale_lines: Callable[[OuterRef], QuerySet] | None = None


def register_product_sales(lines_of_product: Callable[[OuterRef], QuerySet]) -> None:
    """``lines_of_product(product)`` returns the rows that record a sale of ``product`` (an
    ``OuterRef`` to a product's primary key)."""
    global _sale_lines
    _sale_lines = lines_of_product


def has_sales():
    """An expression for a product queryset: True when the product was ever sold."""
    if _sale_lines is None:
        return Value(False, output_field=BooleanField())
    return Exists(_sale_lines(OuterRef("pk")))
