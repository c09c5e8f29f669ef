"""Every change of stock, each with its movement: catalog is the only writer of ``Product.quantity``.

A caller that sells or takes back goods (billing), or gives them away and gets them back (a
collaboration's gift shipment), says which products and how many, why (``reason``), and passes in
what the movement belongs to (``source``, a bill or a shipment); catalog stores that reference
without knowing what it is. Rows are locked in primary-key order, so two sales of the same products never wait on
each other in a cycle; every decrement is also conditional, so stock never goes below 0 or above
``MAX_QUANTITY`` even without the locks.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from anwariya.db import select_for_update_own_rows
from anwariya.errors import Conflict
from catalog.models import Product, StockMovement
from catalog.services.common import MAX_QUANTITY, CatalogError


class InsufficientStock(Conflict):
    """Some lines cannot be sold; ``lines`` lists each (see ``stock_shortfalls``)."""

    code = "insufficient_stock"
    default_detail = "Not enough stock for every line; nothing was sold."

    @classmethod
    def for_lines(cls, failed: list[dict]) -> "InsufficientStock":
        errors = {"items": {failure["line"]: {failure["field"]: [failure["reason"]]} for failure in failed}}
        return cls(errors=errors, lines=failed)


class StockLimitExceeded(Conflict):
    """Putting the lines back would take a product past ``MAX_QUANTITY`` units; nothing changed."""

    code = "stock_limit"


@dataclass(frozen=True)
class StockLine:
    """``quantity`` units of the product with the id ``product``. Any object with these two
    attributes will do (a bill's ``Line``)."""

    product: int
    quantity: int


def stock_lock(*, vendor, lines: Sequence) -> dict[int, Product]:
    """Lock the products of ``lines`` for the rest of the transaction, in primary-key order, and
    return them by id; a line naming a product that is not the vendor's refuses them all."""
    return _own_products(vendor, lines, lock=True)


def stock_read(*, vendor, lines: Sequence) -> dict[int, Product]:
    """The products of ``lines`` by id, as they stand, without locking them: what a caller prices
    and checks before it takes the locks (``stock_lock``). A product not the vendor's refuses
    them all, as there."""
    return _own_products(vendor, lines, lock=False)


def stock_terms_changed(before: dict[int, Product], after: dict[int, Product]) -> bool:
    """Whether anything a sale is priced on, other than the stock itself, differs between two
    reads of the same products (``stock_read`` before the locks, ``stock_lock`` under them)."""
    return any(_sale_terms(before[pk]) != _sale_terms(product) for pk, product in after.items())


def _sale_terms(product: Product) -> tuple:
    return (
        product.is_active,
        product.sale_price,
        product.cost_price,
        product.gst_rate_id,
        product.name,
        product.sku,
        product.hsn_code,
        product.unit,
    )


def _own_products(vendor, lines, *, lock) -> dict[int, Product]:
    queryset = Product.objects.filter(vendor=vendor, pk__in=sorted({line.product for line in lines})).order_by("pk")
    products = {product.pk: product for product in (select_for_update_own_rows(queryset) if lock else queryset)}
    unknown = {
        line_no: {"product": ["Unknown product."]} for line_no, line in enumerate(lines) if line.product not in products
    }
    if unknown:
        raise CatalogError("Some lines name products that are not in your catalog.", errors={"items": unknown})
    return products


def stock_shortfalls(lines: Sequence, products: dict[int, Product]) -> list[dict]:
    """Each line that cannot be sold from ``products`` (as locked) with why: the product is
    inactive, or has fewer units than asked. ``line`` is the line's index in ``lines``."""
    remaining = {pk: product.quantity for pk, product in products.items()}
    failed = []
    for line_no, line in enumerate(lines):
        product = products[line.product]
        if not product.is_active:
            failed.append(_failure(line_no, line, product, "This product is inactive.", field="product"))
        elif remaining[product.pk] < line.quantity:
            failed.append(_failure(line_no, line, product, f"Only {remaining[product.pk]} in stock."))
        else:
            remaining[product.pk] -= line.quantity
    return failed


# The reasons stock leaves by ``stock_sell``: a sale, or a gift (a caller's shipment to an influencer).
OUTGOING_REASONS = (StockMovement.Reason.SALE, StockMovement.Reason.GIFT)
# The reasons stock comes back by ``stock_return``: a voided sale, goods a customer returned (a
# credit note), or a gift sent back.
RETURN_REASONS = (StockMovement.Reason.VOID, StockMovement.Reason.RETURN, StockMovement.Reason.GIFT_RETURN)


def stock_sell(
    *,
    vendor,
    lines: Sequence,
    source=None,
    actor=None,
    reason=StockMovement.Reason.SALE,
    note: str = "",
    locked: dict[int, Product] | None = None,
) -> list[StockMovement]:
    """Take every line out of the vendor's stock, or none: ``InsufficientStock`` lists each line
    that cannot be sold (an inactive product, or fewer units than asked). One movement a line,
    with ``reason`` (``SALE``, or ``GIFT`` for goods given away), belonging to ``source``.
    Returns the movements in the order of ``lines``; each ``movement.product`` is the locked row.

    ``locked``: the products as ``stock_lock`` returned them earlier in the caller's transaction
    (a sale that locked and checked them before numbering its bill); they are not locked again."""
    if reason not in OUTGOING_REASONS:
        raise ValueError(f"stock_sell takes stock out; {reason!r} is not one of {OUTGOING_REASONS}.")
    if locked is not None:
        if not transaction.get_connection().in_atomic_block:
            raise transaction.TransactionManagementError("stock_sell(locked=...) runs in the transaction that locked.")
        return _sell(lines, locked, reason, source=source, actor=actor, note=note)
    with transaction.atomic():
        return _sell(lines, stock_lock(vendor=vendor, lines=lines), reason, source=source, actor=actor, note=note)


def _sell(lines, products, reason, *, source, actor, note):
    failed = stock_shortfalls(lines, products)
    if failed:
        raise InsufficientStock.for_lines(failed)
    return _move_lines(lines, products, -1, reason, source=source, actor=actor, note=note)


def stock_return(
    *, vendor, lines: Sequence, source=None, actor=None, note: str = "", reason=StockMovement.Reason.VOID
) -> list[StockMovement]:
    """Put every line back into the vendor's stock (a voided sale; ``GIFT_RETURN`` for a gift sent
    back), or none: ``StockLimitExceeded`` names each line that would take its product past
    ``MAX_QUANTITY``."""
    if reason not in RETURN_REASONS:
        raise ValueError(f"stock_return puts stock back; {reason!r} is not one of {RETURN_REASONS}.")
    with transaction.atomic():
        products = stock_lock(vendor=vendor, lines=lines)
        after = {pk: product.quantity for pk, product in products.items()}
        errors, names = {}, []
        for line_no, line in enumerate(lines):
            product = products[line.product]
            after[product.pk] += line.quantity
            if after[product.pk] > MAX_QUANTITY:
                errors[line_no] = {
                    "quantity": [
                        f"{product.name} would have {after[product.pk]:,} units; "
                        f"stock holds at most {MAX_QUANTITY:,} ({product.quantity:,} now)."
                    ]
                }
                names.append(product.name)
        if errors:
            raise StockLimitExceeded(
                f"{', '.join(names)} would pass {MAX_QUANTITY:,} units in stock; nothing was changed.",
                errors={"items": errors},
            )
        return _move_lines(lines, products, 1, reason, source=source, actor=actor, note=note)


def stock_open(*, product: Product, actor=None) -> StockMovement | None:
    """Record a new product's opening stock (its ``quantity`` when created) as its first movement."""
    if not product.quantity:
        return None
    return StockMovement.objects.create(
        product=product,
        delta=product.quantity,
        quantity_after=product.quantity,
        reason=StockMovement.Reason.INITIAL,
        created_by=actor,
    )


def stock_restock(*, product: Product, quantity: int, note: str = "", actor=None) -> StockMovement:
    """Add ``quantity`` units to stock."""
    if not isinstance(quantity, int) or quantity <= 0:
        raise CatalogError(errors={"quantity": ["Restock a whole number of units greater than 0."]})
    if quantity > MAX_QUANTITY:
        raise CatalogError(errors={"quantity": [f"At most {MAX_QUANTITY:,} units at once."]})
    return _move_one(product=product, delta=quantity, reason=StockMovement.Reason.RESTOCK, note=note, actor=actor)


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
        return _move_one(
            product=product, delta=quantity - current, reason=StockMovement.Reason.ADJUSTMENT, note=note, actor=actor
        )


def _move_lines(lines, products, sign, reason, *, source, actor, note="") -> list[StockMovement]:
    """Apply checked lines under their locks: the conditions are the last line of defence."""
    movements = []
    for line in lines:
        product = products[line.product]
        delta = sign * line.quantity
        if not _apply(product, delta):  # pragma: no cover - only without row locks
            raise Conflict("Stock changed meanwhile; nothing was changed.", errors={"quantity": ["Changed."]})
        movements.append(_movement(product, delta, reason, note=note, actor=actor, source=source))
    return StockMovement.objects.bulk_create(movements)


def _move_one(*, product, delta, reason, note="", actor=None) -> StockMovement:
    with transaction.atomic():
        if not _apply(product, delta):
            available = Product.objects.values_list("quantity", flat=True).get(pk=product.pk)
            if delta > 0:
                raise CatalogError(
                    errors={"quantity": [f"Stock would exceed {MAX_QUANTITY:,} units ({available:,} now)."]}
                )
            raise Conflict(
                f"Only {available} in stock.", errors={"quantity": [f"Only {available} in stock."]}, available=available
            )
        product.quantity = Product.objects.values_list("quantity", flat=True).get(pk=product.pk)
        movement = _movement(product, delta, reason, note=note, actor=actor)
        movement.save()
        return movement


def _apply(product, delta) -> bool:
    """Change the stock by ``delta`` if it stays within 0 and ``MAX_QUANTITY``; the one place
    ``Product.quantity`` is written after creation."""
    updated = Product.objects.filter(
        pk=product.pk, quantity__gte=max(0, -delta), quantity__lte=MAX_QUANTITY - max(0, delta)
    ).update(quantity=F("quantity") + delta)
    if updated:
        product.quantity += delta
    return bool(updated)


def _movement(product, delta, reason, *, note="", actor=None, source=None) -> StockMovement:
    return StockMovement(
        product=product,
        delta=delta,
        quantity_after=product.quantity,
        reason=reason,
        note=(note or "")[:255],
        created_by=actor,
        source=source,
    )


def _failure(line_no, line, product, reason, field="quantity"):
    return {
        "field": field,
        "line": line_no,
        "product": product.pk,
        "sku": product.sku,
        "name": product.name,
        "requested": line.quantity,
        "available": product.quantity,
        "reason": reason,
    }
