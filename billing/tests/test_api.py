import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches, operation
from billing.models import Bill
from billing.tests.factories import make_bill
from catalog.models import Product, StockMovement
from catalog.services import MAX_QUANTITY, stock_restock
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

BILLS = "/api/v1/bills/"


def bill_payload(*lines, **overrides):
    return {
        "customer_name": "Meera Iyer",
        "customer_email": "meera@example.com",
        "items": [{"product": product.pk, "quantity": quantity} for product, quantity in lines],
        **overrides,
    }


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_create_bill_returns_bill_with_server_totals(django_capture_on_commit_callbacks):
    vendor = VendorFactory(business_name="Chai & Co")
    tea = ProductFactory(vendor=vendor, name="Assam Gold", quantity=10, sale_price=Decimal("250.00"))
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(vendor).post(BILLS, bill_payload((tea, 2), total="1.00"), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total"] == "500.00"
    assert re.fullmatch(r"\d{2}-\d{2}/000001", body["number"])  # the financial year's first, e.g. 26-27/000001
    assert body["items"][0]["line_total"] == "500.00"
    assert body["purchased"] == [{"line": 0, "product": tea.pk, "sku": tea.sku, "quantity": 2}]
    assert body["failed"] == []
    tea.refresh_from_db()
    assert tea.quantity == 8


def test_insufficient_stock_is_409_listing_each_line():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=1)
    mug = ProductFactory(vendor=vendor, quantity=0)
    response = api_client(vendor).post(BILLS, bill_payload((tea, 2), (mug, 1)), format="json")
    body = assert_error(response, 409, "items")
    assert body["code"] == "insufficient_stock"
    assert [(line["product"], line["available"]) for line in body["lines"]] == [(tea.pk, 1), (mug.pk, 0)]
    assert not Bill.objects.exists()


def test_allow_partial_answers_purchased_and_failed():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=1)
    mug = ProductFactory(vendor=vendor, quantity=3)
    response = api_client(vendor).post(BILLS, bill_payload((tea, 2), (mug, 1), allow_partial=True), format="json")
    assert response.status_code == 201
    body = response.json()
    assert [line["product"] for line in body["purchased"]] == [mug.pk]
    assert [(line["product"], line["reason"]) for line in body["failed"]] == [(tea.pk, "Only 1 in stock.")]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -2}, "quantity"),
        ({"quantity": 10**15}, "quantity"),
        ({"quantity": "two"}, "quantity"),
        ({"unit_price": "-5.00"}, "unit_price"),
        ({"unit_price": "12.3.4"}, "unit_price"),
        ({"product": 99999999}, "product"),
        ({"product": "tea"}, "product"),
    ],
)
def test_bad_lines_are_400_naming_the_field_and_nothing_changes(line, field):
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=10)
    payload = bill_payload((tea, 1))
    payload["items"][0].update(line)
    body = assert_error(api_client(vendor).post(BILLS, payload, format="json"), 400, "items")
    assert field in body["errors"]["items"]["0"]
    tea.refresh_from_db()
    assert tea.quantity == 10
    assert StockMovement.objects.filter(product=tea).count() == 1
    assert not Bill.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"customer_email": "nope"}, "customer_email"),
        ({"customer_name": ""}, "customer_name"),
        ({"items": []}, "items"),
        ({"items": "tea"}, "items"),
    ],
)
def test_bad_bill_fields_are_400(overrides, field):
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor)
    assert_error(api_client(vendor).post(BILLS, bill_payload((tea, 1), **overrides), format="json"), 400, field)


def test_cannot_sell_another_vendors_product():
    vendor = VendorFactory()
    other = ProductFactory(quantity=5)
    body = assert_error(api_client(vendor).post(BILLS, bill_payload((other, 1)), format="json"), 400, "items")
    assert body["errors"]["items"] == {"0": {"product": ["Unknown product."]}}
    assert Product.objects.get(pk=other.pk).quantity == 5


def test_influencer_cannot_bill():
    assert_error(api_client(InfluencerFactory()).get(BILLS), 403)


def test_vendor_gets_404_for_another_vendors_bill_invoice_and_actions():
    other_vendor = VendorFactory()
    bill = make_bill(other_vendor, (ProductFactory(vendor=other_vendor), 1))
    client = api_client(VendorFactory())
    assert_error(client.get(f"{BILLS}{bill.pk}/"), 404)
    assert_error(client.get(f"{BILLS}{bill.pk}/invoice.pdf"), 404)
    assert_error(client.post(f"{BILLS}{bill.pk}/void/"), 404)
    assert_error(client.post(f"{BILLS}{bill.pk}/resend/"), 404)
    assert client.get(BILLS).json()["count"] == 0


def test_list_filters():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=50)
    mug = ProductFactory(vendor=vendor, quantity=50)
    first = make_bill(vendor, (tea, 1), customer_name="Asha Rao", customer_email="asha@example.com")
    second = make_bill(vendor, (mug, 1), customer_name="Dev Patel", customer_email="dev@example.com")
    Bill.objects.filter(pk=first.pk).update(created_at="2026-01-10T10:00:00+05:30")
    client = api_client(vendor)

    def numbers(**params):
        return sorted(b["number"] for b in client.get(BILLS, params).json()["results"])

    assert numbers(customer="asha") == [first.number]
    assert numbers(product=mug.pk) == [second.number]
    assert numbers(start="2026-01-10", end="2026-01-10") == [first.number]
    client.post(f"{BILLS}{second.pk}/void/")
    assert numbers(status="void") == [second.number]
    assert_error(client.get(BILLS, {"start": "yesterday"}), 400, "start")


def test_bill_list_query_count_does_not_grow():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=1000)
    mug = ProductFactory(vendor=vendor, quantity=1000)
    client = api_client(vendor)
    make_bill(vendor, (tea, 1), (mug, 1))
    with CaptureQueriesContext(connection) as one:
        client.get(BILLS)
    for _ in range(49):
        make_bill(vendor, (tea, 1), (mug, 1))
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get(BILLS, {"page_size": 50}).json()["results"]) == 50
    assert len(fifty) == len(one)


def test_void_twice_is_409():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=5)
    bill = make_bill(vendor, (tea, 2))
    client = api_client(vendor)
    response = client.post(f"{BILLS}{bill.pk}/void/")
    assert response.json()["status"] == "void"
    assert_error(client.post(f"{BILLS}{bill.pk}/void/"), 409)
    tea.refresh_from_db()
    assert tea.quantity == 5


def test_void_past_the_stock_cap_is_409_naming_the_line_and_changes_nothing():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=10)
    bill = make_bill(vendor, (tea, 5))
    stock_restock(product=tea, quantity=MAX_QUANTITY - 8)
    response = api_client(vendor).post(f"{BILLS}{bill.pk}/void/")
    body = assert_error(response, 409, "items")
    assert body["code"] == "stock_limit"
    assert list(body["errors"]["items"]["0"]) == ["quantity"]
    assert_matches(response, "/api/v1/bills/{id}/void/", "POST")
    assert Bill.objects.get(pk=bill.pk).status == Bill.Status.PAID
    assert Product.objects.get(pk=tea.pk).quantity == MAX_QUANTITY - 3


def test_idempotency_key_replays_bill():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=5)
    client = api_client(vendor)
    first = client.post(BILLS, bill_payload((tea, 1)), format="json", HTTP_IDEMPOTENCY_KEY="sale-1")
    second = client.post(BILLS, bill_payload((tea, 1)), format="json", HTTP_IDEMPOTENCY_KEY="sale-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Bill.objects.count() == 1
    tea.refresh_from_db()
    assert tea.quantity == 4
    assert_error(client.post(BILLS, bill_payload((tea, 2)), format="json", HTTP_IDEMPOTENCY_KEY="sale-1"), 422)


def test_invoice_pdf_has_number_customer_lines_and_total():
    vendor = VendorFactory(business_name="Chai & Co")
    tea = ProductFactory(vendor=vendor, name="Assam Gold", sku="AS-1", sale_price=Decimal("1250.50"))
    mug = ProductFactory(vendor=vendor, name="Clay Mug", sku="MUG-2", sale_price=Decimal("99.00"))
    bill = make_bill(vendor, (tea, 2), (mug, 1), customer_name="Meera Iyer")
    response = api_client(vendor).get(f"{BILLS}{bill.pk}/invoice.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (bill.number, "Meera Iyer", "Chai & Co", "Assam Gold", "Clay Mug", "₹2,501.00", "₹2,600.00"):
        assert expected in text, expected


def test_exactly_one_invoice_email_with_pdf(django_capture_on_commit_callbacks):
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(vendor).post(BILLS, bill_payload((tea, 1)), format="json")
    bill = Bill.objects.get(pk=response.json()["id"])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["meera@example.com"]
    assert bill.number in message.subject
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == (f"{bill.number.replace('/', '-')}.pdf", "application/pdf")
    assert bill.number in pdf_text(content)
    assert bill.email_status == Bill.EmailStatus.SENT
    assert bill.invoice_pdf


def test_smtp_failure_leaves_bill_paid_with_email_failed(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=5)
    client = api_client(vendor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BILLS, bill_payload((tea, 1)), format="json")
    assert response.status_code == 201
    bill = client.get(f"{BILLS}{response.json()['id']}/").json()
    assert bill["status"] == "paid"
    assert bill["email_status"] == "failed"
    assert "Connection" in bill["email_error"] or "refused" in bill["email_error"].lower()
    assert bill["email_attempts"] == 5
    tea.refresh_from_db()
    assert tea.quantity == 4

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(f"{BILLS}{bill['id']}/resend/")
    assert resent.status_code == 202
    assert client.get(f"{BILLS}{bill['id']}/").json()["email_status"] == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("url", ["/api/v1/bills/null,null/", "/api/v1/products/abc/", "/api/v1/bills/1.5/void/"])
def test_non_numeric_ids_are_json_404(url):
    assert_error(api_client(VendorFactory()).get(url), 404)


@pytest.mark.parametrize("value", ["3128406537275209751510122496", "-2", "1.5", "tea"])
def test_out_of_range_product_filter_is_400(value):
    assert_error(api_client(VendorFactory()).get(BILLS, {"product": value}), 400, "product")


def test_sale_too_large_to_record_is_400_and_writes_nothing():
    vendor = VendorFactory()
    gold = ProductFactory(vendor=vendor, quantity=10**9, sale_price=Decimal("9999999999.99"))
    body = assert_error(api_client(vendor).post(BILLS, bill_payload((gold, 1000)), format="json"), 400, "items")
    assert "quantity" in body["errors"]["items"]["0"]
    assert not Bill.objects.exists()
    gold.refresh_from_db()
    assert gold.quantity == 10**9


def test_voided_bill_invoice_says_void_and_is_not_resent():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=5)
    bill = make_bill(vendor, (tea, 1))
    client = api_client(vendor)
    assert "VOID" not in pdf_text(client.get(f"{BILLS}{bill.pk}/invoice.pdf").content)
    client.post(f"{BILLS}{bill.pk}/void/")
    assert "VOID" in pdf_text(client.get(f"{BILLS}{bill.pk}/invoice.pdf").content)
    assert_error(client.post(f"{BILLS}{bill.pk}/resend/"), 409)


def test_missing_invoice_is_json_404_even_when_pdf_is_asked_for():
    response = api_client(VendorFactory()).get(f"{BILLS}999/invoice.pdf", HTTP_ACCEPT="application/pdf")
    assert_error(response, 404)


def test_inactive_product_line_names_the_product_field():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=5)
    Product.objects.filter(pk=tea.pk).update(is_active=False)
    body = assert_error(api_client(vendor).post(BILLS, bill_payload((tea, 1)), format="json"), 409, "items")
    assert body["errors"]["items"]["0"] == {"product": ["This product is inactive."]}


def test_the_insufficient_stock_answer_and_a_second_void_match_their_documented_409s():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=1)
    short = api_client(vendor).post(BILLS, bill_payload((tea, 2)), format="json")
    assert_error(short, 409, "items")
    assert_matches(short, "/api/v1/bills/", "post")
    assert operation("/api/v1/bills/", "post")["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InsufficientStock"
    }
    bill = make_bill(vendor, (tea, 1))
    api_client(vendor).post(f"{BILLS}{bill.pk}/void/")
    again = api_client(vendor).post(f"{BILLS}{bill.pk}/void/")
    assert_error(again, 409)
    assert_matches(again, "/api/v1/bills/{id}/void/", "post")
