"""Catalog writes: categories, products, and every change of stock (each with its movement)."""

import hashlib
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import slugify

from anwariya.errors import Conflict, DomainError
from catalog.models import Category, Product, StockMovement

MAX_QUANTITY = 1_000_000_000
MAX_PRICE = Decimal("9999999999.99")


class CatalogError(DomainError):
    default_detail = "Please correct the highlighted fields."


# --- Categories -------------------------------------------------------------------


def category_slug(name: str) -> str:
    """The slug made from a category's name: its Latin letters and digits, or, for a name without
    any (a Hindi name), "category-" and a short digest of the name. Slugs stay ASCII, as the API
    documents them."""
    return slugify(name) or f"category-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def category_create(*, name: str, slug: str = "", description: str = "", actor=None) -> Category:
    name = (name or "").strip()
    slug = slugify(slug) if slug else category_slug(name)
    errors = {}
    if not name:
        errors["name"] = ["This field is required."]
    if not slug:
        errors["slug"] = ["Give a slug of letters, digits, hyphens or underscores."]
    elif Category.objects.filter(slug=slug).exists():
        errors["slug"] = [f'A category with the slug "{slug}" already exists.']
    if errors:
        raise CatalogError("Please correct the highlighted fields.", errors=errors)
    try:
        with transaction.atomic():
            return Category.objects.create(name=name, slug=slug, description=description or "", created_by=actor)
    except IntegrityError:
        raise CatalogError(errors={"slug": [f'A category with the slug "{slug}" already exists.']}) from None


def category_update(*, category: Category, **changes) -> Category:
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise CatalogError("Please correct the highlighted fields.", errors={"name": ["This field is required."]})
    if "slug" in changes:
        # An empty slug is made from the name, as on creation.
        changes["slug"] = (
            slugify(changes["slug"]) if changes["slug"] else category_slug(changes.get("name", category.name))
        )
        if not changes["slug"]:
            raise CatalogError(
                "Please correct the highlighted fields.",
                errors={"slug": ["Give a slug of letters, digits, hyphens or underscores."]},
            )
        if Category.objects.filter(slug=changes["slug"]).exclude(pk=category.pk).exists():
            raise CatalogError(
                "Please correct the highlighted fields.",
                errors={"slug": [f'A category with the slug "{changes["slug"]}" already exists.']},
            )
    for field, value in changes.items():
        setattr(category, field, value)
    try:
        with transaction.atomic():
            category.save(update_fields=list(changes) or None)
    except IntegrityError:
        raise CatalogError(errors={"slug": ["A category with this slug already exists."]}) from None
    return category


def category_delete(*, category: Category) -> None:
    if category.products.exists():
        raise Conflict("This category still has products; move them first.", errors={"category": ["In use."]})
    category.delete()


# --- Products -----------------------------------------------------------------------


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
) -> Product:
    """Add a product; its opening stock is recorded as the first movement."""
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
    )
    _check_product(product)
    try:
        with transaction.atomic():
            product.save()
            if quantity:
                StockMovement.objects.create(
                    product=product,
                    delta=quantity,
                    quantity_after=quantity,
                    reason=StockMovement.Reason.INITIAL,
                    created_by=vendor,
                )
    except IntegrityError:
        raise CatalogError(errors={"sku": [_sku_taken(product.sku)]}) from None
    return product


def product_update(*, product: Product, actor, note: str = "", **changes) -> Product:
    """Change a product's fields. A new ``quantity`` is a manual stock adjustment with its movement."""
    new_quantity = changes.pop("quantity", None)
    for field in ("name", "sku"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    with transaction.atomic():
        if new_quantity is not None and new_quantity != product.quantity:
            stock_adjust(product=product, quantity=new_quantity, note=note, actor=actor)
        for field, value in changes.items():
            setattr(product, field, value)
        _check_product(product)
        if changes:
            try:
                with transaction.atomic():
                    product.save(update_fields=[*changes, "updated_at"])
            except IntegrityError:
                raise CatalogError(errors={"sku": [_sku_taken(product.sku)]}) from None
    return product


def product_delete(*, product: Product) -> bool:
    """Delete a product never sold; a sold one is deactivated instead. Returns True if deleted."""
    with transaction.atomic():
        if product.bill_items.exists():
            if product.is_active:
                product.is_active = False
                product.save(update_fields=["is_active", "updated_at"])
            return False
        product.delete()
        return True


def stock_restock(*, product: Product, quantity: int, note: str = "", actor=None) -> StockMovement:
    """Add ``quantity`` units to stock."""
    if not isinstance(quantity, int) or quantity <= 0:
        raise CatalogError(errors={"quantity": ["Restock a whole number of units greater than 0."]})
    if quantity > MAX_QUANTITY:
        raise CatalogError(errors={"quantity": [f"At most {MAX_QUANTITY:,} units at once."]})
    return _move_stock(product=product, delta=quantity, reason=StockMovement.Reason.RESTOCK, note=note, actor=actor)


def stock_adjust(*, product: Product, quantity: int, note: str = "", actor=None) -> StockMovement | None:
    """Set the stock to a counted ``quantity`` (after a stocktake, damage, loss)."""
    if not isinstance(quantity, int) or quantity < 0:
        raise CatalogError(errors={"quantity": ["Stock must be a whole number, 0 or more."]})
    if quantity > MAX_QUANTITY:
        raise CatalogError(errors={"quantity": [f"At most {MAX_QUANTITY:,} units."]})
    with transaction.atomic():
        current = Product.objects.select_for_update().values_list("quantity", flat=True).get(pk=product.pk)
        if quantity == current:
            return None
        return _move_stock(
            product=product, delta=quantity - current, reason=StockMovement.Reason.ADJUSTMENT, note=note, actor=actor
        )


def _move_stock(*, product, delta, reason, note="", actor=None, bill=None) -> StockMovement:
    """Apply ``delta`` with a conditional update (stock never below 0) and record the movement."""
    with transaction.atomic():
        updated = Product.objects.filter(
            pk=product.pk, quantity__gte=max(0, -delta), quantity__lte=MAX_QUANTITY - max(0, delta)
        ).update(quantity=F("quantity") + delta)
        if not updated:
            available = Product.objects.values_list("quantity", flat=True).get(pk=product.pk)
            if delta > 0:
                raise CatalogError(
                    errors={"quantity": [f"Stock would exceed {MAX_QUANTITY:,} units ({available:,} now)."]}
                )
            raise Conflict(
                f"Only {available} in stock.", errors={"quantity": [f"Only {available} in stock."]}, available=available
            )
        product.quantity = Product.objects.values_list("quantity", flat=True).get(pk=product.pk)
        return StockMovement.objects.create(
            product=product,
            delta=delta,
            quantity_after=product.quantity,
            reason=reason,
            note=(note or "")[:255],
            created_by=actor,
            bill=bill,
        )


def _check_product(product: Product) -> None:
    errors = {}
    if not product.name:
        errors["name"] = ["This field is required."]
    if not product.sku:
        errors["sku"] = ["This field is required."]
    elif Product.objects.filter(vendor=product.vendor, sku__iexact=product.sku).exclude(pk=product.pk).exists():
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


def _sku_taken(sku: str) -> str:
    return f'You already have a product with the SKU "{sku}".'
