"""Real threads on PostgreSQL: stock is never oversold, numbers are gapless, retries act once."""

import pytest
from django.db.models import Sum

from accounts.tests.factories import VendorFactory
from anwariya.tests.api import api_client
from anwariya.tests.concurrency import run_concurrently
from billing.models import Bill
from catalog.models import Product
from catalog.tests.factories import ProductFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BILLS = "/api/v1/bills/"


def buy(vendor, *lines, **headers):
    payload = {
        "customer_name": "Buyer",
        "customer_email": "buyer@example.com",
        "items": [{"product": product.pk, "quantity": quantity} for product, quantity in lines],
    }
    response = api_client(vendor).post(BILLS, payload, format="json", **headers)
    return response.status_code, response.json()


def test_forty_buyers_never_oversell_ten_units():
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, quantity=10)

    results = run_concurrently(lambda i: buy(vendor, (product, 1)), 40)

    statuses = [status for status, _ in results]
    assert statuses.count(201) == 10, results
    assert statuses.count(409) == 30
    for status, body in results:
        if status == 409:
            assert body["code"] == "insufficient_stock"
            assert body["lines"][0]["available"] == 0
    product.refresh_from_db()
    assert product.quantity == 0
    assert Bill.objects.filter(vendor=vendor).count() == 10
    assert product.movements.aggregate(total=Sum("delta"))["total"] == 0


def test_opposite_line_orders_never_deadlock():
    vendor = VendorFactory()
    first = ProductFactory(vendor=vendor, quantity=100)
    second = ProductFactory(vendor=vendor, quantity=100)

    def sell(index):
        lines = [(first, 1), (second, 1)] if index % 2 == 0 else [(second, 1), (first, 1)]
        return buy(vendor, *lines)

    for _ in range(5):
        results = run_concurrently(sell, 4)
        assert [status for status, _ in results] == [201] * 4, results
    assert Product.objects.get(pk=first.pk).quantity == 80
    assert Product.objects.get(pk=second.pk).quantity == 80


def test_parallel_bills_get_distinct_gapless_numbers():
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, quantity=100)

    results = run_concurrently(lambda i: buy(vendor, (product, 1)), 20)

    assert [status for status, _ in results] == [201] * 20, results
    sequences = sorted(Bill.objects.filter(vendor=vendor).values_list("sequence", flat=True))
    assert sequences == list(range(1, 21))
    numbers = {body["number"] for _, body in results}
    assert len(numbers) == 20


def test_same_idempotency_key_ten_times_in_parallel_makes_one_bill():
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, quantity=10)

    results = run_concurrently(lambda i: buy(vendor, (product, 1), HTTP_IDEMPOTENCY_KEY="retry-me"), 10)

    assert [status for status, _ in results] == [201] * 10, results
    assert all(body == results[0][1] for _, body in results)
    assert Bill.objects.filter(vendor=vendor).count() == 1
    product.refresh_from_db()
    assert product.quantity == 9
