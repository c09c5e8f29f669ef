"""Real threads on PostgreSQL and MariaDB: invoice numbers stay gapless per financial year when
sales race each other across midnight of 31 March, some of them failing."""

import datetime
import re
import zoneinfo

import pytest

from accounts.tests.factories import VendorFactory
from anwariya.tests.concurrency import run_concurrently
from billing import services
from billing.models import Bill, InvoiceCounter
from catalog.services import InsufficientStock
from catalog.tests.factories import ProductFactory
from profiles import services as profile_services

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
LAST_MOMENT = datetime.datetime(2026, 3, 31, 23, 59, 59, 900_000, tzinfo=KOLKATA)
FIRST_MOMENT = datetime.datetime(2026, 4, 1, 0, 0, 0, 100_000, tzinfo=KOLKATA)


def sell(vendor, product, clock, when):
    clock.set_for_this_thread(when)
    try:
        result = services.bill_create(
            vendor=vendor,
            customer_name="Buyer",
            customer_email="buyer@example.com",
            items=[services.Line(product=product.pk, quantity=1)],
            send_invoice=False,
        )
    except InsufficientStock:
        return None
    return result.bill.number


def sequences(vendor, year):
    return list(Bill.objects.filter(vendor=vendor, year=year).order_by("sequence").values_list("sequence", flat=True))


def test_sales_racing_across_31_march_are_numbered_gapless_in_each_financial_year(clock):
    vendor = VendorFactory()
    profile_services.vendor_profile_update(user=vendor, invoice_prefix="AB")
    # A product a buyer, so the sales wait for each other on the counter alone; 7 are out of stock.
    products = [ProductFactory(vendor=vendor, quantity=0 if i % 7 == 3 else 1) for i in range(24)]
    when = [LAST_MOMENT if i % 2 else FIRST_MOMENT for i in range(24)]

    results = run_concurrently(lambda i: sell(vendor, products[i], clock, when[i]), 24)

    assert not [result for result in results if isinstance(result, Exception)], results
    numbers = [number for number in results if number]
    refused = sum(1 for i in range(24) if i % 7 == 3)
    assert len(numbers) == len(set(numbers)) == 24 - refused
    old, new = sequences(vendor, 2025), sequences(vendor, 2026)
    assert old == list(range(1, len(old) + 1))
    assert new == list(range(1, len(new) + 1))
    assert len(old) + len(new) == 24 - refused
    assert all(re.fullmatch(r"AB/(25-26|26-27)/0000\d\d", number) for number in numbers), numbers
    counters = dict(InvoiceCounter.objects.filter(vendor=vendor).values_list("year", "last_sequence"))
    assert counters == {2025: len(old), 2026: len(new)}


def test_vendors_first_sales_of_a_year_in_parallel_each_start_at_1(clock):
    vendors = [VendorFactory() for _ in range(3)]
    products = [ProductFactory(vendor=vendors[i % 3], quantity=1) for i in range(18)]

    results = run_concurrently(lambda i: sell(vendors[i % 3], products[i], clock, FIRST_MOMENT), 18)

    assert all(isinstance(number, str) for number in results), results
    for vendor in vendors:
        assert sequences(vendor, 2026) == [1, 2, 3, 4, 5, 6]
