"""The bills page and the bills API filter with one FilterSet: the same query, the same list."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from anwariya.tests.api import api_client
from billing import services
from billing.models import Bill
from billing.tests.factories import make_bill
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bills(vendor_client):
    vendor = vendor_client.vendor
    tea, mug = ProductFactory(vendor=vendor, quantity=50), ProductFactory(vendor=vendor, quantity=50)
    made = [
        make_bill(vendor, (tea, 1), customer_name="Meera Iyer", customer_email="meera@example.com"),
        make_bill(vendor, (mug, 1), customer_name="Kabir Rao", customer_email="kabir@shop.in"),
        make_bill(vendor, (tea, 1), (mug, 2), customer_name="Zoya Khan", customer_email="zoya@example.com"),
    ]
    services.bill_void(bill=made[1], actor=vendor)
    Bill.objects.filter(pk=made[0].pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    Bill.objects.filter(pk=made[2].pk).update(email_status=Bill.EmailStatus.FAILED)
    theirs = ProductFactory(quantity=5)
    make_bill(theirs.vendor, (theirs, 1), customer_name="Meera Iyer")  # another vendor's
    return {"tea": tea, "mug": mug, "bills": made}


def page_ids(client, query):
    content = client.get(reverse("billing:bill-list"), query).content.decode()
    return sorted(int(pk) for pk in re.findall(r'<td><a href="/bills/(\d+)/">', content))


def api_ids(vendor, query):
    return sorted(bill["id"] for bill in api_client(vendor).get("/api/v1/bills/", query).json()["results"])


def test_the_page_and_the_api_list_the_same_bills(vendor_client, bills):
    today = timezone.localdate()
    queries = [
        {},
        {"search": "meera"},
        {"search": "example.com zoya"},
        {"search": bills["bills"][1].number},
        {"customer": "shop.in"},
        {"status": "void"},
        {"status": "paid"},
        {"email_status": "failed"},
        {"product": bills["mug"].pk},
        {"product": bills["tea"].pk, "status": "paid"},
        {"start": (today - datetime.timedelta(days=1)).isoformat()},
        {"end": (today - datetime.timedelta(days=5)).isoformat()},
    ]
    for query in queries:
        assert page_ids(vendor_client, query) == api_ids(vendor_client.vendor, query), query
    assert len({tuple(page_ids(vendor_client, query)) for query in queries}) > 4  # the filters do filter


def test_the_page_leaves_out_unchosen_fields_as_the_form_sends_them(vendor_client, bills):
    sent = {"search": "", "status": "", "email_status": "", "product": "", "start": "", "end": ""}
    assert page_ids(vendor_client, sent) == api_ids(vendor_client.vendor, {})
    assert len(page_ids(vendor_client, sent)) == 3
