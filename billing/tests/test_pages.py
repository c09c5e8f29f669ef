import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import VendorFactory
from billing.models import Bill
from billing.tests.factories import make_bill
from catalog.services import MAX_QUANTITY, stock_restock
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def bill_form(*lines, **overrides):
    data = {
        "customer_name": "Meera Iyer",
        "customer_email": "meera@example.com",
        "referral_code": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for index, (product, quantity) in enumerate(lines):
        data[f"lines-{index}-product"] = str(product.pk)
        data[f"lines-{index}-quantity"] = str(quantity)
    data.update(overrides)
    return data


def test_new_bill_page_lists_only_own_active_products(vendor_client):
    ProductFactory(vendor=vendor_client.vendor, name="Assam Gold")
    ProductFactory(name="Not Mine")
    content = vendor_client.get(reverse("billing:bill-create")).content.decode()
    assert "Assam Gold" in content
    assert "Not Mine" not in content
    assert "running-total" in content


def test_new_bill_records_sale_and_emails_invoice(vendor_client, django_capture_on_commit_callbacks):
    tea = ProductFactory(vendor=vendor_client.vendor, quantity=5)
    mug = ProductFactory(vendor=vendor_client.vendor, quantity=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = vendor_client.post(reverse("billing:bill-create"), bill_form((tea, 2), (mug, 1)), follow=True)
    content = response.content.decode()
    bill = Bill.objects.get()
    assert f"Bill {bill.number} recorded" in content
    assert bill.items.count() == 2
    tea.refresh_from_db()
    assert tea.quantity == 3
    assert len(mail.outbox) == 1
    assert "sent" in vendor_client.get(reverse("billing:bill-detail", args=[bill.pk])).content.decode()


def test_new_bill_short_stock_shows_error_on_the_line(vendor_client):
    tea = ProductFactory(vendor=vendor_client.vendor, quantity=1)
    response = vendor_client.post(reverse("billing:bill-create"), bill_form((tea, 3)))
    assert response.status_code == 200
    assert "Only 1 in stock." in response.content.decode()
    assert not Bill.objects.exists()


def test_new_bill_without_lines_is_refused(vendor_client):
    response = vendor_client.post(reverse("billing:bill-create"), bill_form())
    assert "Add at least one line." in response.content.decode()


def test_partial_sale_from_the_page_reports_skipped_lines(vendor_client):
    tea = ProductFactory(vendor=vendor_client.vendor, name="Assam Gold", quantity=1)
    mug = ProductFactory(vendor=vendor_client.vendor, quantity=5)
    response = vendor_client.post(
        reverse("billing:bill-create"), bill_form((tea, 3), (mug, 1), allow_partial="on"), follow=True
    )
    assert "Not sold: Assam Gold" in response.content.decode()
    assert Bill.objects.get().items.count() == 1


def test_bill_list_detail_void_and_invoice_download(vendor_client):
    tea = ProductFactory(vendor=vendor_client.vendor, quantity=5)
    bill = make_bill(vendor_client.vendor, (tea, 2), customer_name="Dev Patel")
    assert "Dev Patel" in vendor_client.get(reverse("billing:bill-list")).content.decode()
    detail = vendor_client.get(reverse("billing:bill-detail", args=[bill.pk])).content.decode()
    assert bill.number in detail
    pdf = vendor_client.get(reverse("billing:bill-invoice", args=[bill.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    response = vendor_client.post(reverse("billing:bill-void", args=[bill.pk]), follow=True)
    assert "is void" in response.content.decode()
    response = vendor_client.post(reverse("billing:bill-void", args=[bill.pk]), follow=True)
    assert "void already" in response.content.decode()
    tea.refresh_from_db()
    assert tea.quantity == 5


def test_other_vendors_bill_pages_are_404(vendor_client):
    other = VendorFactory()
    bill = make_bill(other, (ProductFactory(vendor=other), 1))
    for name in ("billing:bill-detail", "billing:bill-invoice"):
        assert vendor_client.get(reverse(name, args=[bill.pk])).status_code == 404
    for name in ("billing:bill-void", "billing:bill-resend"):
        assert vendor_client.post(reverse(name, args=[bill.pk])).status_code == 404


def test_empty_bill_list(vendor_client):
    assert "Record your first sale" in vendor_client.get(reverse("billing:bill-list")).content.decode()


def test_void_past_the_stock_cap_shows_why_and_keeps_the_bill(vendor_client):
    tea = ProductFactory(vendor=vendor_client.vendor, name="Assam Gold", quantity=10)
    bill = make_bill(vendor_client.vendor, (tea, 5))
    stock_restock(product=tea, quantity=MAX_QUANTITY - 8)
    response = vendor_client.post(reverse("billing:bill-void", args=[bill.pk]), follow=True)
    assert "Assam Gold would pass 1,000,000,000 units in stock; nothing was changed." in response.content.decode()
    assert Bill.objects.get(pk=bill.pk).status == Bill.Status.PAID
