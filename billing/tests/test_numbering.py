"""Invoice numbers: gapless per vendor, series and financial year (April to March, the vendor's
time zone), at most 16 characters, with the vendor's prefix when it fits."""

import datetime
import re
import zoneinfo

import pytest

from accounts.tests.factories import VendorFactory
from billing.models import Bill, InvoiceCounter, Series
from billing.numbering import MAX_LENGTH, financial_year, financial_year_label, format_number
from billing.tests.factories import make_bill
from catalog.services import InsufficientStock
from catalog.tests.factories import ProductFactory
from profiles import services as profile_services

pytestmark = pytest.mark.django_db

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")


def at(*args, tz=KOLKATA):
    return datetime.datetime(*args, tzinfo=tz)


def test_the_financial_year_turns_on_1_april_in_the_vendors_zone():
    vendor = VendorFactory()
    assert financial_year(at(2026, 3, 31, 23, 59, 59), vendor) == 2025
    assert financial_year(at(2026, 4, 1, 0, 0), vendor) == 2026
    profile_services.vendor_profile_update(user=vendor, time_zone="America/New_York")
    vendor.refresh_from_db()
    # 05:00 on 1 April in Kolkata is still 31 March in New York.
    assert financial_year(at(2026, 4, 1, 5, 0), vendor) == 2025
    assert financial_year_label(2026) == "26-27"
    assert financial_year_label(2099) == "99-00"


@pytest.mark.parametrize(
    ("series", "sequence", "prefix", "number"),
    [
        (Series.INVOICE, 123, "", "26-27/000123"),
        (Series.INVOICE, 123, "ABC", "ABC/26-27/000123"),
        (Series.INVOICE, 1_234_567, "ABC", "26-27/1234567"),  # the prefix would pass 16 characters
        (Series.CREDIT_NOTE, 7, "", "26-27/CN0007"),
        (Series.CREDIT_NOTE, 7, "AB", "AB/26-27/CN0007"),
        (Series.CREDIT_NOTE, 12_345, "ABC", "26-27/CN12345"),
    ],
)
def test_numbers_are_at_most_16_letters_digits_slashes_and_dashes(series, sequence, prefix, number):
    made = format_number(series=series, year=2026, sequence=sequence, prefix=prefix)
    assert made == number
    assert len(made) <= MAX_LENGTH
    assert re.fullmatch(r"[A-Za-z0-9/-]+", made)


def test_each_financial_year_starts_again_at_1_and_the_prefix_leads(clock):
    vendor = VendorFactory()
    profile_services.vendor_profile_update(user=vendor, invoice_prefix="chk")
    tea = ProductFactory(vendor=vendor, quantity=100)
    clock.set(at(2026, 3, 31, 23, 59))
    march = [make_bill(vendor, (tea, 1)).number for _ in range(2)]
    clock.set(at(2026, 4, 1, 0, 1))
    april = [make_bill(vendor, (tea, 1)).number for _ in range(2)]
    assert march == ["CHK/25-26/000001", "CHK/25-26/000002"]
    assert april == ["CHK/26-27/000001", "CHK/26-27/000002"]
    counters = InvoiceCounter.objects.filter(vendor=vendor).order_by("year")
    assert [(c.series, c.year, c.last_sequence) for c in counters] == [("invoice", 2025, 2), ("invoice", 2026, 2)]


def test_a_failed_sale_takes_no_number():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=1)
    first = make_bill(vendor, (tea, 1))
    with pytest.raises(InsufficientStock):
        make_bill(vendor, (tea, 1))
    tea_again = ProductFactory(vendor=vendor, quantity=1)
    second = make_bill(vendor, (tea_again, 1))
    assert (first.sequence, second.sequence) == (1, 2)


def test_bills_numbered_by_calendar_year_keep_their_numbers_beside_the_new_series():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=10)
    old = make_bill(vendor, (tea, 1))
    # As the migration leaves a bill issued before financial-year numbering.
    Bill.objects.filter(pk=old.pk).update(series=Series.CALENDAR, number="INV-2026-000001", year=2026, sequence=1)
    new = make_bill(vendor, (tea, 1))
    assert (new.series, new.sequence) == (Series.INVOICE, 2)
    Bill.objects.filter(pk=new.pk).update(sequence=1)  # the same year and sequence, another series: allowed
    assert Bill.objects.get(pk=old.pk).number == "INV-2026-000001"
