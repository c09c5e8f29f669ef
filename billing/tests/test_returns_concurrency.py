"""Real threads on PostgreSQL and MariaDB: parallel returns never take back more than was sold,
and credit notes stay gapless per financial year."""

import pytest

from accounts.tests.factories import VendorFactory
from anwariya.tests.api import api_client
from anwariya.tests.concurrency import run_concurrently
from billing.models import CreditNote
from billing.tests.factories import make_bill
from catalog.models import Product
from catalog.tests.factories import ProductFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def give_back(vendor, bill, product, quantity):
    response = api_client(vendor).post(
        f"/api/v1/bills/{bill.pk}/returns/", {"items": [{"product": product.pk, "quantity": quantity}]}, format="json"
    )
    return response.status_code, response.json()


def test_parallel_returns_of_one_line_never_return_more_than_was_sold():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=10)
    bill = make_bill(vendor, (tea, 5), send_invoice=False)

    results = run_concurrently(lambda i: give_back(vendor, bill, tea, 1 + i % 2), 12)

    assert all(isinstance(result, tuple) for result in results), results
    accepted = [body for status, body in results if status == 201]
    refused = [body for status, body in results if status == 409]
    assert len(accepted) + len(refused) == 12
    assert all(body["code"] == "return_exceeds_sold" for body in refused)
    returned = sum(item["quantity"] for body in accepted for item in body["items"])
    assert returned == sum(note.items.get().quantity for note in CreditNote.objects.all())
    assert 4 <= returned <= 5  # whole requests of 1 or 2 units, never past the 5 sold
    assert Product.objects.get(pk=tea.pk).quantity == 5 + returned
    sequences = sorted(CreditNote.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, len(accepted) + 1))


def test_returns_of_many_bills_in_parallel_share_one_gapless_credit_note_series():
    vendor = VendorFactory()
    products = [ProductFactory(vendor=vendor, quantity=3) for _ in range(8)]
    bills = [make_bill(vendor, (product, 2), send_invoice=False) for product in products]

    results = run_concurrently(lambda i: give_back(vendor, bills[i], products[i], 1), 8)

    assert [status for status, _ in results] == [201] * 8, results
    assert sorted(CreditNote.objects.values_list("sequence", flat=True)) == list(range(1, 9))
    assert len({body["number"] for _, body in results}) == 8
