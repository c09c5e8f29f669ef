"""Catalog reads. Product reads are always scoped to one vendor."""

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from catalog.models import Category, Product, StockMovement


def categories_list() -> QuerySet[Category]:
    return Category.objects.order_by("name")


def products_for_vendor(vendor) -> QuerySet[Product]:
    from billing.models import BillItem

    return (
        Product.objects.filter(vendor=vendor)
        .select_related("category")
        .annotate(has_sales=Exists(BillItem.objects.filter(product=OuterRef("pk"))))
    )


def product_for_vendor(vendor, pk) -> Product:
    """The vendor's product, or 404: another vendor's product does not exist for them."""
    return get_object_or_404(products_for_vendor(vendor), pk=pk)


def low_stock_products(vendor, *, threshold: int | None = None) -> QuerySet[Product]:
    """Active products at or below ``threshold`` units, or each product's own threshold."""
    limit = Q(quantity__lte=threshold) if threshold is not None else Q(quantity__lte=F("low_stock_threshold"))
    return products_for_vendor(vendor).filter(limit, is_active=True).order_by("quantity", "name")


def movements_for_product(product: Product) -> QuerySet[StockMovement]:
    return product.movements.select_related("created_by", "bill").order_by("-created_at", "-pk")
