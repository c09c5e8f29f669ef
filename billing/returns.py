"""Returns: some lines of a bill come back, go back to stock, and a credit note is issued.

A credit note (CGST Act s.34, CGST Rules 53) is numbered in the vendor's own gapless series per
financial year, refers to the invoice, and reverses the returned units' share of each line as
the invoice charged it: its taxable value, its tax split and its cost, rounded to the paisa; the
last units of a line take what is left, so the credit notes of a fully returned line add up to
the line exactly. A line is never returned beyond what was sold less what came back before:
returns of one bill wait for each other on the bill's row lock.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from anwariya.celery import enqueue_on_commit
from anwariya.errors import Conflict, DomainError
from billing.hooks import referred_bill_returned
from billing.models import Bill, CreditNote, CreditNoteItem, Series
from billing.numbering import document_number_take
from billing.pricing import ZERO
from billing.tax import share
from catalog.models import StockMovement
from catalog.services import MAX_QUANTITY, StockLine, stock_return

MAX_REASON_LENGTH = 200
AMOUNTS = ("taxable_value", "cgst", "sgst", "igst", "line_tax", "line_total", "line_cost")


class ReturnError(DomainError):
    default_detail = "Please correct the highlighted lines."


class ReturnNotAllowed(Conflict):
    code = "return_not_allowed"


class ReturnExceedsSold(Conflict):
    """More units asked back than were sold less those already returned."""

    code = "return_exceeds_sold"
    default_detail = "Some lines ask back more than is left to return; nothing was returned."


@dataclass(frozen=True)
class ReturnLine:
    """``quantity`` units of the bill's line of the product with the id ``product``."""

    product: int
    quantity: int


def bill_return(
    *, bill: Bill, items: list[ReturnLine], reason: str = "", actor=None, send_email: bool = True
) -> CreditNote:
    """Take back ``items`` of ``bill``: one credit note, the units back in stock (a ``return``
    movement each, belonging to the credit note), the return callbacks (``billing.hooks``) and
    the credit note emailed to the customer after commit (unless ``send_email`` is off, e.g. for
    demo data: it is then marked not sent). All or nothing."""
    reason = (reason or "").strip()
    _check_request(items, reason)
    with transaction.atomic():
        bill = Bill.objects.select_for_update().select_related("vendor").get(pk=bill.pk)
        if bill.status == Bill.Status.VOID:
            raise ReturnNotAllowed("This bill is void: nothing is left to return.", errors={"status": ["Void."]})
        if bill.is_imported:
            raise ReturnNotAllowed(
                "Imported history cannot be returned: it never took stock.", errors={"status": ["Imported."]}
            )
        lines = {item.product_id: item for item in bill.items.order_by("pk")}
        returned = returned_quantities(bill)
        _check_lines(items, lines, returned)

        now = timezone.now()
        taken = document_number_take(vendor=bill.vendor, series=Series.CREDIT_NOTE, when=now)
        credited = _credited_amounts(bill)
        note_items = [_credited_line(lines[line.product], line.quantity, returned, credited) for line in items]
        totals = {name: sum((getattr(item, name) for item in note_items), ZERO) for name in AMOUNTS}
        credit_note = CreditNote.objects.create(
            vendor=bill.vendor,
            bill=bill,
            number=taken.number,
            year=taken.year,
            sequence=taken.sequence,
            reason=reason,
            taxable_total=totals["taxable_value"],
            tax_total=totals["line_tax"],
            total=totals["line_total"],
            cost=totals["line_cost"],
            created_by=actor,
            created_at=now,
        )
        for item in note_items:
            item.credit_note = credit_note
        CreditNoteItem.objects.bulk_create(note_items)
        bill.returned_taxable += credit_note.taxable_total
        bill.returned_cost += credit_note.cost
        bill.save(update_fields=["returned_taxable", "returned_cost"])
        stock_return(
            vendor=bill.vendor,
            lines=[StockLine(product=line.product, quantity=line.quantity) for line in items],
            source=credit_note,
            actor=actor,
            note=f"Returned on {credit_note.number} against {bill.number}",
            reason=StockMovement.Reason.RETURN,
        )
        referred_bill_returned(credit_note)
        if send_email:
            _queue_credit_note(credit_note)
        else:
            credit_note.email_status = Bill.EmailStatus.NOT_SENT
            credit_note.save(update_fields=["email_status"])
    return credit_note


def returned_quantities(bill: Bill) -> dict[int, int]:
    """Units of each of the bill's lines returned so far, by bill line id (summed in SQL)."""
    rows = CreditNoteItem.objects.filter(bill_item__bill=bill).values("bill_item").annotate(units=Sum("quantity"))
    return {row["bill_item"]: row["units"] for row in rows}


def _credited_amounts(bill):
    rows = (
        CreditNoteItem.objects.filter(bill_item__bill=bill)
        .values("bill_item")
        .annotate(**{name: Sum(name) for name in AMOUNTS})
    )
    return {row["bill_item"]: row for row in rows}


def _credited_line(item, quantity, returned, credited) -> CreditNoteItem:
    """The returned units' share of the line; the line's last units take what is left of it."""
    left = item.quantity - returned.get(item.pk, 0)
    if quantity == left:
        before = credited.get(item.pk, {})
        amounts = {name: getattr(item, name) - (before.get(name) or ZERO) for name in AMOUNTS}
    else:
        amounts = {name: share(getattr(item, name), quantity, item.quantity) for name in AMOUNTS}
        if item.cgst or item.sgst or item.igst:
            amounts["line_tax"] = amounts["cgst"] + amounts["sgst"] + amounts["igst"]
        amounts["line_total"] = amounts["taxable_value"] + amounts["line_tax"]
    return CreditNoteItem(bill_item=item, quantity=quantity, **amounts)


def _check_request(items, reason):
    errors = {}
    if not items:
        errors["items"] = ["Choose at least one line to return."]
    else:
        line_errors, seen = {}, {}
        for line_no, line in enumerate(items):
            problems = {}
            if not isinstance(line.quantity, int) or not 0 < line.quantity <= MAX_QUANTITY:
                problems["quantity"] = [f"Must be a whole number from 1 to {MAX_QUANTITY:,}."]
            elif line.product in seen:
                problems["product"] = [f"Already on line {seen[line.product] + 1}; combine the lines."]
            seen.setdefault(line.product, line_no)
            if problems:
                line_errors[line_no] = problems
        if line_errors:
            errors["items"] = line_errors
    if len(reason) > MAX_REASON_LENGTH:
        errors["reason"] = [f"Ensure this field has no more than {MAX_REASON_LENGTH} characters."]
    if errors:
        raise ReturnError(errors=errors)


def _check_lines(items, lines, returned):
    unknown = {
        line_no: {"product": ["This product is not on the bill."]}
        for line_no, line in enumerate(items)
        if line.product not in lines
    }
    if unknown:
        raise ReturnError("Some lines are not on this bill; nothing was returned.", errors={"items": unknown})
    too_many = {}
    for line_no, line in enumerate(items):
        item = lines[line.product]
        left = item.quantity - returned.get(item.pk, 0)
        if line.quantity > left:
            message = f"{left} of the {item.quantity} sold left to return." if left else "All of it was returned."
            too_many[line_no] = {"quantity": [message]}
    if too_many:
        raise ReturnExceedsSold(errors={"items": too_many})


def _queue_credit_note(credit_note):
    from billing.tasks import send_credit_note_email

    enqueue_on_commit(send_credit_note_email, credit_note.pk, background=True)
