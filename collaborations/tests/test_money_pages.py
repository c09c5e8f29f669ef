"""The money on the pages: balances and ledger on a collaboration, the payout form, Earnings and
Owed with their CSVs, and the admin (read-only ledger, adjustments through the service)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from collaborations.commission import commission_release_due
from collaborations.models import Collaboration, LedgerEntry, Payout
from collaborations.tests.factories import accept_terms, make_collaboration, make_payable, referred_bill
from collaborations.tests.test_commission import later

pytestmark = pytest.mark.django_db


def detail(collaboration):
    return reverse("collaborations:collaboration-detail", args=[collaboration.pk])


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_both_sides_see_the_balances_and_ledger_on_the_collaboration_page(client):
    collaboration = make_collaboration()
    accept_terms(collaboration)
    bill = referred_bill(collaboration, Decimal("2000.00"))
    for user in (collaboration.vendor, collaboration.influencer):
        client.force_login(user)
        page = client.get(detail(collaboration)).content.decode()
        assert '<dd data-field="held">₹200.00</dd>' in page
        assert '<dd data-field="payable">₹0.00</dd>' in page
        assert bill.number in page
        assert "Commission earned" in page
    assert "Record a payout" not in page  # the influencer's page


def test_an_empty_ledger_explains_what_will_come(client):
    collaboration = make_collaboration()
    client.force_login(collaboration.influencer)
    page = client.get(detail(collaboration)).content.decode()
    assert "No money has moved yet." in page


def test_the_vendor_records_a_payout_from_the_prefilled_form(client, django_capture_on_commit_callbacks):
    collaboration = make_collaboration()
    make_payable(collaboration, Decimal("750.00"))
    client.force_login(collaboration.vendor)
    page = client.get(detail(collaboration)).content.decode()
    assert 'name="amount"' in page
    assert 'value="750.00"' in page
    assert '<option value="upi">UPI</option>' in page
    form_url = reverse("collaborations:payout-record", args=[collaboration.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url, {"amount": "750.00", "method": "upi", "reference": "UPI-9", "paid_on": "2026-11-20"}, follow=True
        )
    text = response.content.decode()
    assert "Payout of ₹750.00 recorded" in text
    assert '<dd data-field="paid">₹750.00</dd>' in text
    assert "UPI-9" in text
    assert Payout.objects.get().reference == "UPI-9"


def test_a_payout_over_payable_on_the_page_is_an_error_on_amount(client):
    collaboration = make_collaboration()
    make_payable(collaboration, Decimal("100.00"))
    client.force_login(collaboration.vendor)
    response = client.post(
        reverse("collaborations:payout-record", args=[collaboration.pk]),
        {"amount": "100.50", "method": "bank_transfer", "paid_on": "2026-11-20"},
    )
    assert response.status_code == 400
    assert '<p class="error">At most ₹100.00 is payable now.</p>' in response.content.decode()
    assert not Payout.objects.exists()


def test_the_influencer_and_strangers_cannot_open_the_payout_form(client):
    collaboration = make_collaboration()
    form_url = reverse("collaborations:payout-record", args=[collaboration.pk])
    client.force_login(collaboration.influencer)
    assert client.get(form_url).status_code == 403
    client.force_login(VendorFactory())
    assert client.get(form_url).status_code == 404


def test_the_whole_ledger_page_is_paginated(client):
    collaboration = make_collaboration()
    accept_terms(collaboration)
    for _ in range(12):
        referred_bill(collaboration, Decimal("100.00"))
    client.force_login(collaboration.influencer)
    page = client.get(detail(collaboration)).content.decode()
    assert reverse("collaborations:ledger", args=[collaboration.pk]) in page  # more than the panel shows
    ledger = client.get(reverse("collaborations:ledger", args=[collaboration.pk]))
    assert ledger.content.decode().count('data-kind="earned"') == 12
    client.force_login(VendorFactory())
    assert client.get(reverse("collaborations:ledger", args=[collaboration.pk])).status_code == 404


def test_earnings_page_and_csv_per_collaboration_and_in_total(client):
    influencer = InfluencerFactory()
    first = make_collaboration(influencer=influencer)
    second = make_collaboration(influencer=influencer)
    accept_terms(first)
    accept_terms(second, commission_rate=Decimal("20.00"))
    referred_bill(first, Decimal("1000.00"))
    referred_bill(second, Decimal("1000.00"))
    commission_release_due(now=later(15))
    make_collaboration()  # someone else's
    client.force_login(influencer)
    listing = client.get(reverse("collaborations:collaboration-list")).content.decode()
    assert reverse("collaborations:earnings") in listing
    page = client.get(reverse("collaborations:earnings")).content.decode()
    assert '<dd data-field="payable">₹300.00</dd>' in page
    assert first.campaign.title in page
    assert second.campaign.title in page
    response = client.get(reverse("collaborations:earnings"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0] == ["collaboration_id", "campaign", "brand", "stage", "held", "payable", "paid", "currency"]
    assert sorted((int(r[0]), r[5]) for r in rows[1:]) == [(first.pk, "100.00"), (second.pk, "200.00")]
    client.force_login(first.vendor)
    assert client.get(reverse("collaborations:earnings")).status_code == 403


def test_owed_page_and_csv_per_influencer(client):
    vendor = VendorFactory()
    asha = InfluencerFactory(display_name="Asha")
    ravi = InfluencerFactory(display_name="Ravi")
    make_payable(make_collaboration(vendor=vendor, influencer=asha), Decimal("100.00"))
    make_payable(make_collaboration(vendor=vendor, influencer=asha), Decimal("50.00"))
    make_payable(make_collaboration(vendor=vendor, influencer=ravi), Decimal("500.00"))
    make_payable(make_collaboration(influencer=ravi), Decimal("999.00"))  # another vendor's
    client.force_login(vendor)
    listing = client.get(reverse("collaborations:collaboration-list")).content.decode()
    assert reverse("collaborations:owed") in listing
    page = client.get(reverse("collaborations:owed")).content.decode()
    assert '<dd data-field="payable">₹650.00</dd>' in page
    assert page.index("Ravi") < page.index("Asha")  # the most owed first
    rows = csv_rows(client.get(reverse("collaborations:owed"), {"format": "csv"}))
    assert rows[0] == ["influencer_id", "influencer", "collaborations", "held", "payable", "paid", "currency"]
    assert rows[1:] == [
        [str(ravi.pk), "Ravi", "1", "0.00", "500.00", "0.00", "INR"],
        [str(asha.pk), "Asha", "2", "0.00", "150.00", "0.00", "INR"],
    ]
    client.force_login(asha)
    assert client.get(reverse("collaborations:owed")).status_code == 403


def test_empty_earnings_and_owed_pages_say_how_to_start(client):
    client.force_login(InfluencerFactory())
    assert "No earnings yet." in client.get(reverse("collaborations:earnings")).content.decode()
    client.force_login(VendorFactory())
    assert "You owe no one yet." in client.get(reverse("collaborations:owed")).content.decode()


def test_a_csv_cell_that_looks_like_a_formula_is_made_safe(client):
    influencer = InfluencerFactory(display_name="=HYPERLINK(1)")
    vendor = VendorFactory()
    make_collaboration(vendor=vendor, influencer=influencer)
    client.force_login(vendor)
    rows = csv_rows(client.get(reverse("collaborations:owed"), {"format": "csv"}))
    assert rows[1][1] == "'=HYPERLINK(1)"


# --- Admin -----------------------------------------------------------------------------------


def test_the_admin_shows_the_ledger_and_payouts_read_only(client):
    collaboration = make_collaboration()
    entry = make_payable(collaboration, Decimal("80.00"))
    client.force_login(AdminFactory())
    page = client.get(reverse("admin:collaborations_collaboration_change", args=[collaboration.pk])).content.decode()
    assert "80.00" in page
    assert 'name="payable"' not in page
    entry_page = client.get(reverse("admin:collaborations_ledgerentry_change", args=[entry.pk])).content.decode()
    assert "Opening balance." in entry_page
    assert 'name="note"' not in entry_page
    assert client.get(reverse("admin:collaborations_payout_add")).status_code == 403
    response = client.post(reverse("admin:collaborations_ledgerentry_delete", args=[entry.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_staff_adjust_the_balances_through_the_service(client):
    collaboration = make_collaboration()
    client.force_login(AdminFactory())
    add = reverse("admin:collaborations_ledgerentry_add")
    response = client.post(add, {"collaboration": collaboration.pk, "held": "0", "payable": "25.50", "note": "Bonus"})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.payable, entry.created_by.is_staff) == ("adjustment", Decimal("25.50"), True)
    assert Collaboration.objects.get(pk=collaboration.pk).payable == Decimal("25.50")
    refused = client.post(add, {"collaboration": collaboration.pk, "held": "-1", "payable": "0", "note": "Oops"})
    assert refused.status_code == 200
    assert "Held can go down to 0" in refused.content.decode()
    assert LedgerEntry.objects.count() == 1
