"""Billing reads, always scoped to one vendor."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from billing.models import Bill, BillItem, CreditNote, CreditNoteItem


def bills_for_vendor(vendor) -> QuerySet[Bill]:
    return (
        Bill.objects.filter(vendor=vendor)
        .select_related("referral")
        .prefetch_related(
            Prefetch("items", queryset=BillItem.objects.order_by("pk").prefetch_related("returns")),
            Prefetch("credit_notes", queryset=CreditNote.objects.order_by("pk")),
        )
    )


def bill_as_created(bill: Bill, items: list[BillItem]) -> Bill:
    """A bill ``billing.services.bill_create`` has just written, ready to show as
    ``bills_for_vendor`` would read it, without reading it back: its lines are ``items`` (as
    written, in order), and a new bill has no returns or credit notes yet."""
    _prefetched(bill, "items", items)
    _prefetched(bill, "credit_notes", [])
    for item in items:
        _prefetched(item, "returns", [])
    return bill


def _prefetched(instance, relation: str, objects: list) -> None:
    """Give ``instance`` the rows of ``relation`` as ``prefetch_related`` leaves them."""
    queryset = getattr(instance, relation).all()
    queryset._result_cache, queryset._prefetch_done = list(objects), True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset


def credit_notes_for_vendor(vendor) -> QuerySet[CreditNote]:
    return (
        CreditNote.objects.filter(vendor=vendor)
        .select_related("bill")
        .prefetch_related(Prefetch("items", queryset=CreditNoteItem.objects.select_related("bill_item").order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def credit_note_for_vendor(vendor, pk) -> CreditNote:
    """The vendor's credit note, or 404."""
    return get_object_or_404(credit_notes_for_vendor(vendor).select_related("bill__vendor", "vendor"), pk=pk)


def bill_for_vendor(vendor, pk) -> Bill:
    """The vendor's bill, or 404: another vendor's bill does not exist for them."""
    return get_object_or_404(
        bills_for_vendor(vendor)
        .select_related("vendor", "referral__campaign", "referral__influencer")
        .prefetch_related("credit_notes__items__bill_item"),
        pk=pk,
    )


def bills_export(user) -> list[dict]:
    """A vendor's bills with their lines, for the vendor's data export (``accounts.hooks``): the
    vendor's own business records, customers included; empty for anyone else."""
    if not user.is_vendor:
        return []
    bills = bills_for_vendor(user).order_by("created_at", "pk")
    return [
        {
            "id": bill.pk,
            "number": bill.number,
            "status": bill.status,
            "is_imported": bill.is_imported,
            "created_at": bill.created_at,
            "voided_at": bill.voided_at,
            "customer_name": bill.customer_name,
            "customer_email": bill.customer_email,
            "referral_code": bill.referral_code,
            "currency": bill.currency,
            "document_type": bill.document_type,
            "customer_gstin": bill.customer_gstin,
            "customer_address": bill.customer_address,
            "place_of_supply": bill.place_of_supply,
            "taxable_total": bill.taxable_total,
            "tax_total": bill.tax_total,
            "total": bill.total,
            "cost": bill.cost,
            "profit": bill.profit,
            "items": [
                {
                    "product_name": item.product_name,
                    "sku": item.sku,
                    "quantity": item.quantity,
                    "unit_price": item.unit_price,
                    "hsn_code": item.hsn_code,
                    "gst_rate": item.gst_rate,
                    "taxable_value": item.taxable_value,
                    "cgst": item.cgst,
                    "sgst": item.sgst,
                    "igst": item.igst,
                    "line_total": item.line_total,
                }
                for item in bill.items.all()
            ],
            "credit_notes": [
                {
                    "number": note.number,
                    "created_at": note.created_at,
                    "reason": note.reason,
                    "taxable_total": note.taxable_total,
                    "tax_total": note.tax_total,
                    "total": note.total,
                }
                for note in bill.credit_notes.all()
            ],
        }
        for bill in bills
    ]


def bills_export_rows(user) -> int:
    if not user.is_vendor:
        return 0
    bills = Bill.objects.filter(vendor=user).count() + BillItem.objects.filter(bill__vendor=user).count()
    return bills + CreditNote.objects.filter(vendor=user).count()
