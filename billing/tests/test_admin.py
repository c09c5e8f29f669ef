"""The admin reads bills; it changes them only through actions that call the billing services."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from billing.importing import sales_import
from billing.models import Bill
from billing.tests.factories import make_bill
from campaigns import services as campaign_services
from campaigns.tests.factories import CampaignFactory
from catalog.models import StockMovement
from catalog.selectors import movements_for_source
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:billing_bill_changelist"


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def run_action(client, action, *bills):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [str(bill.pk) for bill in bills]}, follow=True
    )


def test_a_post_to_the_bill_page_changes_none_of_its_fields(admin_client):
    vendor = VendorFactory()
    campaign = CampaignFactory(vendor=vendor)
    application = campaign_services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="Hi")
    referral = campaign_services.application_accept(application=application, actor=vendor)
    bill = make_bill(vendor, (ProductFactory(vendor=vendor), 1))
    url = reverse("admin:billing_bill_change", args=[bill.pk])

    page = admin_client.get(url)
    response = admin_client.post(
        url,
        {
            "is_imported": "on",
            "import_ref": "FAKE-1",
            "referral": str(referral.pk),
            "referral_code": referral.referral_code,
            "status": "void",
            "total": "1.00",
            "customer_name": "Someone Else",
        },
    )

    assert page.status_code == 200
    assert response.status_code == 403
    bill.refresh_from_db()
    assert (bill.is_imported, bill.import_ref, bill.referral, bill.referral_code) == (False, "", None, "")
    assert (bill.status, bill.customer_name) == (Bill.Status.PAID, "Meera Iyer")
    for field in ("is_imported", "import_ref", "referral", "status", "total", "number", "vendor"):
        assert f'name="{field}"' not in page.content.decode()


def test_the_void_action_voids_through_the_service_and_restocks(admin_client):
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=10)
    bill = make_bill(vendor, (tea, 4))

    response = run_action(admin_client, "void_bills", bill)

    assert f"{bill.number}: voided." in response.content.decode()
    bill.refresh_from_db()
    tea.refresh_from_db()
    assert (bill.status, tea.quantity) == (Bill.Status.VOID, 10)
    assert bill.voided_by.is_staff
    void = movements_for_source(bill).get(reason=StockMovement.Reason.VOID)
    assert (void.product, void.delta, void.note) == (tea, 4, f"Voided {bill.number}")


def test_the_void_action_reports_each_bill_the_service_refuses(admin_client):
    vendor = VendorFactory()
    paid = make_bill(vendor, (ProductFactory(vendor=vendor), 1))
    sales_import(
        vendor=vendor,
        rows="date,bill_ref,product,sku,category,quantity,unit_price\n2026-01-05,OLD-1,Chai,CHAI-1,Tea,2,100.00\n",
    )
    imported = Bill.objects.get(is_imported=True)

    content = run_action(admin_client, "void_bills", paid, imported).content.decode()

    assert f"{paid.number}: voided." in content
    assert f"{imported.number}: Imported history cannot be voided: it never took stock." in content
    assert Bill.objects.get(pk=imported.pk).status == Bill.Status.PAID


def test_the_resend_action_queues_the_invoice_again(admin_client, django_capture_on_commit_callbacks):
    vendor = VendorFactory()
    bill = make_bill(vendor, (ProductFactory(vendor=vendor), 1))
    Bill.objects.filter(pk=bill.pk).update(email_status=Bill.EmailStatus.FAILED, email_error="mailbox full")

    with django_capture_on_commit_callbacks(execute=True):
        content = run_action(admin_client, "resend_invoices", bill).content.decode()

    assert f"{bill.number}: queued for sending." in content
    bill.refresh_from_db()
    assert (bill.email_status, bill.email_error) == (Bill.EmailStatus.SENT, "")


def test_staff_without_the_change_permission_get_no_actions(client):
    staff = AdminFactory(is_superuser=False)
    staff.user_permissions.add(Permission.objects.get(codename="view_bill"))
    client.force_login(staff)
    page = client.get(reverse(CHANGELIST))
    assert page.status_code == 200
    assert "void_bills" not in page.content.decode()
