"""Gift shipments (product seeding): the vendor sends products of their catalog to the influencer.

**When.** A shipment is made while the collaboration is open (not completed or cancelled) and the
influencer has accepted a version of the terms: stages ``active``, ``content_submitted`` and
``approved``, and ``terms_sent`` or ``new`` while a later version is being renegotiated after an
accepted one. Only the vendor makes one. A shipment already made keeps moving whatever the
collaboration's stage (a gift sent before a cancellation is still delivered or comes back).

**Statuses** (``Shipment.Status``)::

    preparing ──→ shipped ──→ delivered
        │            │            │
        └────────────┴────────────┴──→ returned

``shipped`` needs a carrier and a tracking number; ``returned`` from ``preparing`` is a shipment
cancelled before it was sent. Nothing else moves: a returned shipment is final, and a status is
never set twice. Each step records its time (``shipped_at``, ``delivered_at``, ``returned_at``).
The vendor moves a shipment; the influencer may only mark a shipped one ``delivered`` (they are
the one who knows it arrived). Staff act on the vendor's behalf in the admin.

**Stock.** It leaves when the shipment is made, through ``catalog.services.stock_sell`` with the
reason ``gift``, all lines or none (``InsufficientStock`` lists each short line), and comes back
on ``returned`` (``stock_return``, reason ``gift_return``); each movement's ``source`` is the
shipment. Locks are taken products first (in primary-key order, by catalog), then the
collaboration or the shipment: the order a bill takes (its products, then its collaboration's
commission), so a gift and a sale never wait on each other in a cycle.

**Cost.** ``ShipmentItem.unit_cost`` is the product's cost price when the shipment is made and
``Shipment.cost`` their sum; both are kept as they were. What a collaboration's gifts cost (for
its ROI) is the cost of its shipments that were not returned (``selectors.gift_cost_q``): a
returned gift is back in stock and costs nothing.

**Notifications** (``services.notify``, a chat line and an email): shipped (with the carrier and
the tracking number), a changed tracking number, delivered, returned.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from anwariya.db import select_for_update_own_rows
from anwariya.errors import Conflict
from catalog.models import Product, StockMovement
from catalog.services import StockLine, stock_lock, stock_return, stock_sell
from collaborations.ledger import collaboration_lock
from collaborations.models import Collaboration, Shipment, ShipmentItem, TermsVersion
from collaborations.services import CollaborationError, NotAllowed, notify, text_problems

Status = Shipment.Status

MAX_LINES = 20
MAX_QUANTITY = 100  # units of one product in one gift: more is a wholesale order, not seeding
ADDRESS_MAX = 1000
CARRIER_MAX = 100
TRACKING_NUMBER_MAX = 100
MAX_COST = Decimal("999999999999.99")  # what ``Shipment.cost`` holds

# status → the statuses it may move to.
TRANSITIONS = {
    Status.PREPARING: (Status.SHIPPED, Status.RETURNED),
    Status.SHIPPED: (Status.DELIVERED, Status.RETURNED),
    Status.DELIVERED: (Status.RETURNED,),
    Status.RETURNED: (),
}
# The one status the influencer sets (only from shipped, as TRANSITIONS says).
INFLUENCER_STATUS = Status.DELIVERED
# Statuses whose carrier and tracking number may still be corrected.
TRACKABLE = (Status.PREPARING, Status.SHIPPED)


# --- The influencer's address --------------------------------------------------------------


def shipping_address_set(*, collaboration: Collaboration, actor: User, address: str) -> Collaboration:
    """The influencer gives (or changes, or clears with "") the address gifts are sent to, while the
    collaboration is open; the vendor is told of a new one. The vendor's new-shipment form starts
    from it."""
    if actor.pk != collaboration.influencer_id:
        raise NotAllowed("Only the collaboration's influencer gives their shipping address.")
    address = _text(address, "shipping_address", ADDRESS_MAX)
    with transaction.atomic():
        locked = collaboration_lock(collaboration)
        if not locked.is_open:
            raise Conflict(
                f"This collaboration is {locked.get_stage_display().lower()}; its address no longer changes.",
                errors={"stage": [locked.stage]},
            )
        if address != locked.shipping_address:
            locked.shipping_address, locked.updated_at = address, timezone.now()
            locked.save(update_fields=["shipping_address", "updated_at"])
            if address:
                notify(
                    locked,
                    actor,
                    f"Gave a shipping address for gifts on “{locked.campaign.title}”.",
                    subject=f"Shipping address for “{locked.campaign.title}”",
                )
    collaboration.shipping_address, collaboration.updated_at = locked.shipping_address, locked.updated_at
    return collaboration


# --- Making a shipment ----------------------------------------------------------------------


def gift_refusal(collaboration: Collaboration) -> str | None:
    """Why no gift can be sent on the collaboration now, or None when one can (see the module's
    docstring): the pages ask it to offer the form, ``shipment_create`` under the lock."""
    if not collaboration.is_open:
        return f"This collaboration is {collaboration.get_stage_display().lower()}; no more gifts are sent."
    if not TermsVersion.objects.filter(collaboration=collaboration, status=TermsVersion.Status.ACCEPTED).exists():
        return "Gifts are sent once the influencer has accepted the terms."
    return None


def check_sender(collaboration: Collaboration, actor: User) -> None:
    """Only the collaboration's vendor makes and moves shipments (``NotAllowed`` otherwise)."""
    if actor.pk != collaboration.vendor_id:
        raise NotAllowed("Only the collaboration's vendor sends gifts.")


def shipment_create(
    *,
    collaboration: Collaboration,
    actor: User,
    items,
    address: str = "",
    carrier: str = "",
    tracking_number: str = "",
) -> Shipment:
    """The vendor gifts ``items`` (``[{"product": id or Product, "quantity": n}]``, each product
    once, of their active catalog) to the influencer: a ``preparing`` shipment whose stock has left
    at once. ``address`` empty means the one the influencer gave."""
    check_sender(collaboration, actor)
    lines = _clean_items(collaboration.vendor_id, items)
    address = _text(address, "address", ADDRESS_MAX)
    carrier = _text(carrier, "carrier", CARRIER_MAX)
    tracking_number = _text(tracking_number, "tracking_number", TRACKING_NUMBER_MAX)
    with transaction.atomic():
        stock_lock(vendor=actor, lines=lines)  # products first: see the module's docstring
        locked = collaboration_lock(collaboration)
        _check_shippable(locked)
        address = address or locked.shipping_address
        if not address:
            raise CollaborationError(
                errors={"address": ["Give the address to send to: the influencer has not given one yet."]}
            )
        now = timezone.now()
        shipment = Shipment.objects.create(
            collaboration=locked,
            address=address,
            carrier=carrier,
            tracking_number=tracking_number,
            created_by=actor,
            created_at=now,
        )
        movements = stock_sell(
            vendor=actor,
            lines=lines,
            source=shipment,
            actor=actor,
            reason=StockMovement.Reason.GIFT,
            note=f"Gift to {locked.influencer.display_name}",
        )
        shipment_items = [
            ShipmentItem(
                shipment=shipment,
                product=movement.product,
                quantity=-movement.delta,
                unit_cost=movement.product.cost_price,
            )
            for movement in movements
        ]
        shipment.cost = sum((item.unit_cost * item.quantity for item in shipment_items), Decimal("0.00"))
        if shipment.cost > MAX_COST:
            raise CollaborationError(errors={"items": [f"The gift would cost more than {MAX_COST}."]})
        ShipmentItem.objects.bulk_create(shipment_items)
        shipment.save(update_fields=["cost"])
        locked.updated_at = now
        locked.save(update_fields=["updated_at"])
    return shipment


# --- Moving a shipment ----------------------------------------------------------------------


def shipment_update_status(
    *,
    shipment: Shipment,
    actor: User,
    status: str,
    carrier: str | None = None,
    tracking_number: str | None = None,
) -> Shipment:
    """Move the shipment to ``status`` (see the module's docstring for the steps and who takes
    them); ``carrier`` and ``tracking_number``, when given, are set with the step (``shipped``
    needs both). ``returned`` puts the stock back. A step not allowed from where the shipment
    stands is a ``Conflict`` (409)."""
    if status not in Status.values:
        raise CollaborationError(errors={"status": [f"Choose one of: {', '.join(Status.values)}."]})
    collaboration = shipment.collaboration
    is_vendor = actor.pk == collaboration.vendor_id
    if not is_vendor and actor.pk != collaboration.influencer_id:
        raise NotAllowed("Only the collaboration's vendor moves its shipments.")
    if not is_vendor and (status != INFLUENCER_STATUS or carrier is not None or tracking_number is not None):
        raise NotAllowed("You can only say that a shipped gift arrived; the vendor changes the rest.")
    changes = _tracking_changes(carrier, tracking_number)
    lines = []
    if status == Status.RETURNED:
        # The items never change once made: read them before the locks, to lock their products first.
        lines = [
            StockLine(product=pk, quantity=n)
            for pk, n in shipment.items.order_by("pk").values_list("product", "quantity")
        ]
    with transaction.atomic():
        if lines:
            stock_lock(vendor=collaboration.vendor_id, lines=lines)
        locked = _lock(shipment)
        if status not in TRANSITIONS[locked.status]:
            raise Conflict(_refusal(locked.status, status), errors={"status": [locked.status]})
        for field, value in changes.items():
            setattr(locked, field, value)
        now = timezone.now()
        if status == Status.SHIPPED:
            _check_tracking(locked)
            locked.shipped_at = now
        elif status == Status.DELIVERED:
            locked.delivered_at = now
        else:
            stock_return(
                vendor=collaboration.vendor_id,
                lines=lines,
                source=locked,
                actor=actor,
                note=f"Gift shipment #{locked.pk} returned",
                reason=StockMovement.Reason.GIFT_RETURN,
            )
            locked.returned_at = now
        was = locked.status
        locked.status = status
        locked.save(update_fields=["status", "shipped_at", "delivered_at", "returned_at", *changes])
        _notify_step(locked, actor, was)
    _copy(shipment, locked)
    return shipment


def shipment_update_tracking(
    *, shipment: Shipment, actor: User, carrier: str | None = None, tracking_number: str | None = None
) -> Shipment:
    """The vendor corrects the carrier or the tracking number (those given; neither: nothing
    changes) of a shipment not yet delivered; a shipped one keeps both (neither may be cleared),
    and the influencer is told the new ones."""
    check_sender(shipment.collaboration, actor)
    changes = _tracking_changes(carrier, tracking_number)
    if not changes:
        return shipment
    with transaction.atomic():
        locked = _lock(shipment)
        if locked.status not in TRACKABLE:
            raise Conflict(
                f"This shipment is {locked.get_status_display().lower()}; its tracking no longer changes.",
                errors={"status": [locked.status]},
            )
        before = (locked.carrier, locked.tracking_number)
        for field, value in changes.items():
            setattr(locked, field, value)
        if locked.status == Status.SHIPPED:
            _check_tracking(locked)
        locked.save(update_fields=list(changes))
        if locked.status == Status.SHIPPED and before != (locked.carrier, locked.tracking_number):
            collaboration = locked.collaboration
            notify(
                collaboration,
                actor,
                f"New tracking for {_title(locked)}: {locked.carrier}, tracking number {locked.tracking_number}.",
                subject=f"New tracking for your gift from {collaboration.vendor.public_name}",
            )
    _copy(shipment, locked)
    return shipment


# --- Helpers --------------------------------------------------------------------------------


def _clean_items(vendor_id, items) -> list[StockLine]:
    if not isinstance(items, list | tuple) or not items:
        raise CollaborationError(errors={"items": ["Add at least one product."]})
    if len(items) > MAX_LINES:
        raise CollaborationError(errors={"items": [f"At most {MAX_LINES} lines in one shipment."]})
    errors, lines, seen = {}, {}, {}
    for index, item in enumerate(items):
        item = item if isinstance(item, dict) else {}
        product, quantity = item.get("product"), item.get("quantity")
        product = product.pk if isinstance(product, Product) else product
        problems = {}
        if not isinstance(product, int) or isinstance(product, bool) or product < 1:
            problems["product"] = ["Choose a product."]
        elif product in seen:
            problems["product"] = [f"Already on line {seen[product] + 1}; give its quantity there."]
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
            problems["quantity"] = [f"Give a whole number from 1 to {MAX_QUANTITY}."]
        if problems:
            errors[index] = problems
        else:
            seen[product] = index
            lines[index] = StockLine(product=product, quantity=quantity)
    active = dict(
        Product.objects.filter(vendor_id=vendor_id, pk__in=[line.product for line in lines.values()]).values_list(
            "pk", "is_active"
        )
    )
    for index, line in lines.items():
        if line.product not in active:
            errors[index] = {"product": ["Not a product of your catalog."]}
        elif not active[line.product]:
            errors[index] = {"product": ["This product is inactive."]}
    if errors:
        raise CollaborationError("Some lines of the shipment have errors.", errors={"items": errors})
    return list(lines.values())


def _check_shippable(locked: Collaboration) -> None:
    if refusal := gift_refusal(locked):
        raise Conflict(refusal, errors={"stage": [locked.stage]})


def _tracking_changes(carrier, tracking_number) -> dict:
    changes = {}
    if carrier is not None:
        changes["carrier"] = _text(carrier, "carrier", CARRIER_MAX)
    if tracking_number is not None:
        changes["tracking_number"] = _text(tracking_number, "tracking_number", TRACKING_NUMBER_MAX)
    return changes


def _check_tracking(shipment: Shipment) -> None:
    errors = {}
    if not shipment.carrier:
        errors["carrier"] = ["Give the carrier of a shipped gift."]
    if not shipment.tracking_number:
        errors["tracking_number"] = ["Give the tracking number of a shipped gift."]
    if errors:
        raise CollaborationError("A shipped gift needs its carrier and tracking number.", errors=errors)


def _refusal(current: str, wanted: str) -> str:
    if current == wanted:
        return f"This shipment is {Status(current).label.lower()} already."
    allowed = TRANSITIONS[current]
    then = f"; it can become {' or '.join(Status(s).label.lower() for s in allowed)}" if allowed else ""
    return f"A {Status(current).label.lower()} shipment cannot become {Status(wanted).label.lower()}{then}."


def _notify_step(shipment: Shipment, actor: User, was: str) -> None:
    collaboration = shipment.collaboration
    title, campaign = _title(shipment), collaboration.campaign.title
    if shipment.status == Status.SHIPPED:
        text = f"Shipped {title}: {shipment.carrier}, tracking number {shipment.tracking_number}."
        subject = f"Your gift for “{campaign}” is on its way"
    elif shipment.status == Status.DELIVERED:
        verb = "Received" if actor.pk == collaboration.influencer_id else "Marked as delivered:"
        text, subject = f"{verb} {title}.", f"Gift delivered for “{campaign}”"
    elif was == Status.PREPARING:
        text, subject = f"Cancelled {title} before it was sent.", f"Gift cancelled for “{campaign}”"
    else:
        text, subject = f"Marked {title} as returned.", f"Gift returned for “{campaign}”"
    notify(collaboration, actor, text, subject=subject)


def _title(shipment: Shipment) -> str:
    """The gift in words: "the gift for “Campaign” (2 × Masala chai, 1 × Mug)"."""
    items = ", ".join(f"{item.quantity} × {item.product.name}" for item in shipment.items.select_related("product"))
    return f"the gift for “{shipment.collaboration.campaign.title}” ({items})"


def _lock(shipment: Shipment) -> Shipment:
    return select_for_update_own_rows(
        Shipment.objects.filter(pk=shipment.pk).select_related(
            "collaboration__campaign", "collaboration__vendor", "collaboration__influencer"
        )
    ).get()


def _copy(target: Shipment, source: Shipment) -> None:
    for field in ("status", "carrier", "tracking_number", "shipped_at", "delivered_at", "returned_at"):
        setattr(target, field, getattr(source, field))


def _text(value, field, limit) -> str:
    if value is not None and not isinstance(value, str):
        raise CollaborationError(errors={field: ["Give a text."]})
    text = (value or "").strip()
    if problems := text_problems(text, limit):
        raise CollaborationError(errors={field: problems})
    return text
