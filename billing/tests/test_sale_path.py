"""The sale's short path: checked and priced before the locks, nothing read back after."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import VendorFactory
from anwariya.tests.api import api_client, assert_error
from billing import services
from billing.models import Bill
from catalog.models import Product
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

BILLS = "/api/v1/bills/"


def payload(*lines):
    return {
        "customer_name": "Meera Iyer",
        "customer_email": "meera@example.com",
        "items": [{"product": product.pk, "quantity": quantity} for product, quantity in lines],
    }


def statements_on(queries, table):
    quoted = connection.ops.quote_name(table)
    return [q["sql"].split(" ", 1)[0] for q in queries if quoted in q["sql"].split(" WHERE ")[0]]


def test_the_sale_answers_exactly_what_reading_the_bill_back_gives():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=10, sale_price=Decimal("250.00"))
    mug = ProductFactory(vendor=vendor, quantity=10, sale_price=Decimal("99.50"))
    client = api_client(vendor)

    created = client.post(BILLS, payload((tea, 2), (mug, 1)), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert created.status_code == 201, created.content
    body = created.json()
    del body["purchased"], body["failed"]
    assert client.get(f"{BILLS}{body['id']}/").json() == body


def test_the_sale_writes_under_the_locks_and_reads_nothing_back():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=10)
    mug = ProductFactory(vendor=vendor, quantity=10)
    client = api_client(vendor)
    client.post(BILLS, payload((tea, 1)), format="json")  # the year's counter exists from here

    with CaptureQueriesContext(connection) as sale:
        response = client.post(BILLS, payload((tea, 2), (mug, 1)), format="json", HTTP_IDEMPOTENCY_KEY="k-2")

    assert response.status_code == 201, response.content
    assert statements_on(sale, "billing_bill") == ["INSERT"]  # totals included, not updated after
    assert statements_on(sale, "billing_billitem") == ["INSERT"]  # both lines at once
    assert statements_on(sale, "catalog_stockmovement") == ["INSERT"]
    assert statements_on(sale, "billing_creditnote") == []
    # The products: read to price, read again under the lock, one guarded decrement each.
    assert statements_on(sale, "catalog_product") == ["SELECT", "SELECT", "UPDATE", "UPDATE"]
    counter = statements_on(sale, "billing_invoicecounter")
    # One round trip takes the next number where the database returns rows from an UPDATE.
    assert counter == (["INSERT", "SELECT", "UPDATE"] if connection.vendor == "mysql" else ["UPDATE"])


def test_a_price_changed_between_the_read_and_the_lock_is_charged_as_it_stands_under_the_lock(monkeypatch):
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=10, sale_price=Decimal("250.00"))
    lock = services.stock_lock

    def repriced_meanwhile(**kwargs):
        Product.objects.filter(pk=tea.pk).update(sale_price=Decimal("300.00"))
        return lock(**kwargs)

    monkeypatch.setattr(services, "stock_lock", repriced_meanwhile)
    result = services.bill_create(
        vendor=vendor, customer_name="Meera", customer_email="m@example.com", items=[services.Line(tea.pk, 2)]
    )

    assert result.bill.total == Decimal("600.00")
    assert Bill.objects.get().total == Decimal("600.00")


def test_stock_sold_meanwhile_refuses_the_sale_under_the_lock_and_takes_no_number(monkeypatch):
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=3)
    client = api_client(vendor)
    lock = services.stock_lock

    def sold_meanwhile(**kwargs):
        Product.objects.filter(pk=tea.pk).update(quantity=1)
        return lock(**kwargs)

    monkeypatch.setattr(services, "stock_lock", sold_meanwhile)
    response = client.post(BILLS, payload((tea, 2)), format="json")

    body = assert_error(response, 409, field="items")
    assert body["lines"][0]["available"] == 1
    assert not Bill.objects.exists()
    monkeypatch.setattr(services, "stock_lock", lock)
    sold = client.post(BILLS, payload((tea, 1)), format="json").json()
    assert sold["number"].endswith("/000001")  # the refused sale took no number


def test_a_sale_the_stock_cannot_cover_is_refused_before_any_lock(monkeypatch):
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=1)

    def no_lock_expected(**kwargs):
        raise AssertionError("a refused sale locked the products")

    monkeypatch.setattr(services, "stock_lock", no_lock_expected)
    response = api_client(vendor).post(BILLS, payload((tea, 2)), format="json")

    assert_error(response, 409, field="items")
