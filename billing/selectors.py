"""Billing reads, always scoped to one vendor."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from billing.models import Bill, BillItem


def bills_for_vendor(vendor) -> QuerySet[Bill]:
    return (
        Bill.objects.filter(vendor=vendor)
        .select_related("referral")
        .prefetch_related(Prefetch("items", queryset=BillItem.objects.order_by("pk")))
    )


def bill_for_vendor(vendor, pk) -> Bill:
    """The vendor's bill, or 404: another vendor's bill does not exist for them."""
    return get_object_or_404(
        bills_for_vendor(vendor).select_related("vendor", "referral__campaign", "referral__influencer"), pk=pk
    )
