"""Catalog reads. Product reads are always scoped to one vendor."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from catalog import hooks
from catalog.models import Category, GstRate, Product, StockMovement


def categories_list() -> QuerySet[Category]:
    return Category.objects.order_by("name")


def products_for_vendor(vendor) -> QuerySet[Product]:
    return (
        Product.objects.filter(vendor=vendor)
        .select_related("category", "gst_rate")
        .annotate(has_sales=hooks.has_sales())
    )


def gst_rates() -> QuerySet[GstRate]:
    """The managed list of GST rates, lowest first."""
    return GstRate.objects.order_by("rate")


def product_for_vendor(vendor, pk) -> Product:
    """The vendor's product, or 404: another vendor's product does not exist for them."""
    return get_object_or_404(products_for_vendor(vendor), pk=pk)


def products_by_sku(vendor, skus) -> dict[str, Product]:
    """The vendor's products with one of ``skus`` (case aside, as the SKU rule compares them),
    keyed by the lower-cased SKU; the oldest product wins if old data holds two."""
    found = Product.objects.filter(vendor=vendor).with_sku(skus).annotate(key=Lower("sku")).order_by("pk")
    products: dict[str, Product] = {}
    for product in found:
        products.setdefault(product.key, product)
    return products


def low_stock_products(vendor, *, threshold: int | None = None) -> QuerySet[Product]:
    """Active products low on stock (``Product.objects.low_stock()``), fewest units first."""
    return (
        products_for_vendor(vendor).low_stock(threshold=threshold).filter(is_active=True).order_by("quantity", "name")
    )


def movements_for_product(product: Product) -> QuerySet[StockMovement]:
    """The product's movements, newest first, each with who made it and what it belongs to (its
    ``source``, fetched in one query per kind of source, whatever the number of movements)."""
    return (
        product.movements.select_related("created_by", "source_type")
        .prefetch_related("source")
        .order_by("-created_at", "-pk")
    )


def movements_for_source(source) -> QuerySet[StockMovement]:
    """The movements a caller recorded for ``source`` (a bill's sale and void)."""
    source_type = ContentType.objects.get_for_model(source)
    return StockMovement.objects.filter(source_type=source_type, source_id=source.pk).order_by("pk")


def products_export(user) -> list[dict]:
    """A vendor's products, for their data export (``accounts.hooks``); empty for anyone else."""
    if not user.is_vendor:
        return []
    products = Product.objects.filter(vendor=user).select_related("category").order_by("created_at", "pk")
    return [
        {
            "id": product.pk,
            "name": product.name,
            "sku": product.sku,
            "category": product.category.name if product.category else None,
            "description": product.description,
            "cost_price": product.cost_price,
            "sale_price": product.sale_price,
            "quantity": product.quantity,
            "low_stock_threshold": product.low_stock_threshold,
            "is_active": product.is_active,
            "created_at": product.created_at,
        }
        for product in products
    ]


def products_export_rows(user) -> int:
    return Product.objects.filter(vendor=user).count() if user.is_vendor else 0
