"""Billing's GST migration keeps what was issued: numbers, totals and counters of the bills made
before it (calendar-year numbering, no tax), and new bills start the financial-year series."""

from decimal import Decimal

import pytest

from accounts.tests.factories import VendorFactory
from anwariya.tests.migrating import latest, migrate
from billing.models import Bill, InvoiceCounter, Series
from billing.numbering import financial_year, financial_year_label
from billing.tests.factories import make_bill
from catalog.models import Product

BEFORE = [("billing", "0005_bill_index_with_total")]

pytestmark = pytest.mark.django_db(transaction=True)


def test_bills_issued_before_gst_keep_their_numbers_and_totals():
    vendor = VendorFactory()
    old = migrate(BEFORE)
    OldBill, OldItem, OldCounter = (old.get_model("billing", name) for name in ("Bill", "BillItem", "InvoiceCounter"))
    product = old.get_model("catalog", "Product").objects.create(
        vendor_id=vendor.pk, name="Tea", sku="TEA-1", cost_price=60, sale_price=100, quantity=5
    )
    bill = OldBill.objects.create(
        vendor_id=vendor.pk, number="INV-2026-000001", year=2026, sequence=1, customer_name="Meera",
        customer_email="meera@example.com", total=Decimal("200.00"), cost=Decimal("120.00"), profit=Decimal("80.00"),
    )  # fmt: skip
    OldItem.objects.create(
        bill=bill, product=product, product_name="Tea", sku="TEA-1", quantity=2, unit_price=100, unit_cost=60,
        line_total=Decimal("200.00"), line_cost=Decimal("120.00"), line_profit=Decimal("80.00"),
    )  # fmt: skip
    OldCounter.objects.create(vendor_id=vendor.pk, year=2026, last_sequence=1)

    migrate(latest())

    kept = Bill.objects.get(pk=bill.pk)
    assert (kept.number, kept.series, kept.year, kept.sequence) == ("INV-2026-000001", Series.CALENDAR, 2026, 1)
    assert (kept.document_type, kept.taxable_total, kept.tax_total, kept.total) == (
        "invoice", Decimal("200.00"), 0, Decimal("200.00"),
    )  # fmt: skip
    line = kept.items.get()
    assert (line.taxable_value, line.line_tax, line.gst_rate) == (Decimal("200.00"), 0, None)
    counter = InvoiceCounter.objects.get(vendor=vendor)
    assert (counter.series, counter.year, counter.last_sequence) == (Series.CALENDAR, 2026, 1)

    new = make_bill(vendor, (Product.objects.get(pk=product.pk), 1))
    year = financial_year(new.created_at, vendor)
    assert (new.number, new.series, new.sequence) == (f"{financial_year_label(year)}/000001", Series.INVOICE, 1)
