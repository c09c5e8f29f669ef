"""Products: one vendor's, each SKU once per vendor whatever its case."""

import re
from decimal import Decimal

from django.db import IntegrityError, transaction

from anwariya.db import unique_rule_lock
from catalog import hooks
from catalog.models import HSN_CODE_PATTERN, Category, GstRate, Product, Unit, sku_keys
from catalog.services.common import MAX_PRICE, MAX_QUANTITY, CatalogError
from catalog.services.stock import stock_adjust, stock_open


def product_create(
    *,
    vendor,
    name: str,
    sku: str,
    cost_price: Decimal,
    sale_price: Decimal,
    quantity: int = 0,
    category: Category | None = None,
    description: str = "",
    low_stock_threshold: int = 5,
    is_active: bool = True,
    hsn_code: str = "",
    gst_rate: GstRate | None = None,
    unit: str = Unit.PIECES,
) -> Product:
    """Add a product; its opening stock is recorded as the first movement. ``gst_rate`` must be
    one in force (``GstRate.is_active``)."""
    product = Product(
        vendor=vendor,
        name=(name or "").strip(),
        sku=(sku or "").strip(),
        category=category,
        description=description or "",
        cost_price=cost_price,
        sale_price=sale_price,
        quantity=quantity,
        low_stock_threshold=low_stock_threshold,
        is_active=is_active,
        hsn_code=(hsn_code or "").strip(),
        gst_rate=gst_rate,
        unit=unit or Unit.PIECES,
    )
    product_check(product)
    try:
        with transaction.atomic():
            _hold_skus(vendor, [product.sku])
            product.save()
            stock_open(product=product, actor=vendor)
    except IntegrityError:
        raise CatalogError(errors={"sku": [_sku_taken(product.sku)]}) from None
    return product


def products_create_unstocked(*, vendor, products: list[dict]) -> list[Product]:
    """Add several products at once with no stock (so no movement), e.g. those an imported sales
    file names. Each dict holds ``product_create``'s fields; each product is checked the same way
    (the SKUs in one query) and any bad one refuses them all."""
    new = [
        Product(
            vendor=vendor,
            name=(fields.get("name") or "").strip(),
            sku=(fields.get("sku") or "").strip(),
            category=fields.get("category"),
            cost_price=fields.get("cost_price"),
            sale_price=fields.get("sale_price"),
            hsn_code=(fields.get("hsn_code") or "").strip(),
            gst_rate=fields.get("gst_rate"),
            unit=fields.get("unit") or Unit.PIECES,
            quantity=0,
            is_active=True,
        )
        for fields in products
    ]
    for product in new:
        # History may name a rate no longer in force (12 % before GST 2.0): it is what was charged.
        product_check(product, check_sku=False, rate_chosen=False)
    keys, seen = sku_keys(product.sku for product in new), set()
    for product in new:
        if keys[product.sku] in seen:
            raise CatalogError(errors={"sku": [f'The SKU "{product.sku}" is given twice.']})
        seen.add(keys[product.sku])
    taken = Product.objects.filter(vendor=vendor).with_sku([product.sku for product in new]).first()
    if taken is not None:
        raise CatalogError(errors={"sku": [_sku_taken(taken.sku)]})
    try:
        with transaction.atomic():
            _hold_skus(vendor, [product.sku for product in new])
            return Product.objects.bulk_create(new, batch_size=500)
    except IntegrityError:
        raise CatalogError(errors={"sku": ["A product with one of these SKUs was added meanwhile."]}) from None


def product_update(*, product: Product, actor, note: str = "", **changes) -> Product:
    """Change a product's fields. A new ``quantity`` is a manual stock adjustment with its movement."""
    new_quantity = changes.pop("quantity", None)
    for field in ("name", "sku", "hsn_code"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    # A product may keep a rate that went out of force; choosing one is refused.
    rate_chosen = "gst_rate" in changes and changes["gst_rate"] != product.gst_rate
    with transaction.atomic():
        if new_quantity is not None and new_quantity != product.quantity:
            stock_adjust(product=product, quantity=new_quantity, note=note, actor=actor)
        for field, value in changes.items():
            setattr(product, field, value)
        product_check(product, rate_chosen=rate_chosen)
        if changes:
            if "sku" in changes:
                _hold_skus(product.vendor, [product.sku], exclude_pk=product.pk)
            try:
                with transaction.atomic():
                    product.save(update_fields=[*changes, "updated_at"])
            except IntegrityError:
                raise CatalogError(errors={"sku": [_sku_taken(product.sku)]}) from None
    return product


def product_delete(*, product: Product) -> bool:
    """Delete a product never sold; a sold one is deactivated instead. Returns True if deleted."""
    with transaction.atomic():
        if Product.objects.annotate(sold=hooks.has_sales()).values_list("sold", flat=True).get(pk=product.pk):
            if product.is_active:
                product.is_active = False
                product.save(update_fields=["is_active", "updated_at"])
            return False
        product.delete()
        return True


def product_check(product: Product, *, check_sku: bool = True, rate_chosen: bool = True) -> None:
    """Refuse a product whose fields break a rule (``CatalogError`` naming each field), before
    anything is written: the admin's form asks the same. ``rate_chosen``: its GST rate is being
    chosen now, so it must be one in force."""
    errors = {}
    if product.hsn_code and not re.fullmatch(HSN_CODE_PATTERN, product.hsn_code):
        errors["hsn_code"] = ["An HSN code has 4, 6 or 8 digits."]
    if product.unit not in Unit.values:
        errors["unit"] = [f"Choose a unit code: {', '.join(Unit.values)}."]
    if rate_chosen and product.gst_rate is not None and not product.gst_rate.is_active:
        errors["gst_rate"] = [f"{product.gst_rate} is no longer in force; choose a current GST rate."]
    if not product.name:
        errors["name"] = ["This field is required."]
    if not product.sku:
        errors["sku"] = ["This field is required."]
    elif check_sku and _sku_taken_by_another(product):
        errors["sku"] = [_sku_taken(product.sku)]
    for field in ("cost_price", "sale_price"):
        value = getattr(product, field)
        if value is None:
            errors[field] = ["This field is required."]
        elif value < 0:
            errors[field] = ["Must be 0 or more."]
        elif value > MAX_PRICE:
            errors[field] = [f"Must be at most {MAX_PRICE}."]
    if not isinstance(product.quantity, int) or product.quantity < 0 or product.quantity > MAX_QUANTITY:
        errors["quantity"] = [f"Must be a whole number from 0 to {MAX_QUANTITY:,}."]
    if product.category_id is not None and product.category is None:
        errors["category"] = ["Unknown category."]
    if errors:
        raise CatalogError("Please correct the highlighted fields.", errors=errors)


def _sku_taken_by_another(product: Product) -> bool:
    return Product.objects.filter(vendor=product.vendor).with_sku([product.sku]).exclude(pk=product.pk).exists()


def _hold_skus(vendor, skus: list[str], *, exclude_pk=None) -> None:
    """Where the database has no index for ``product_sku_unique_per_vendor`` (MariaDB), wait for
    the vendor's other product writers and refuse a SKU one of them took meanwhile."""
    if unique_rule_lock(Product, "product_sku_unique_per_vendor", vendor.pk):
        taken = Product.objects.filter(vendor=vendor).with_sku(skus).exclude(pk=exclude_pk).first()
        if taken is not None:
            raise CatalogError(errors={"sku": [_sku_taken(taken.sku)]})


def _sku_taken(sku: str) -> str:
    return f'You already have a product with the SKU "{sku}".'
