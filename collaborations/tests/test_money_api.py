"""The ledger and payouts API: either party reads, only the vendor pays, never past payable."""

from decimal import Decimal

import pytest

from accounts.tests.factories import AdminFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches, documented_statuses, parameter
from collaborations.commission import commission_release_due
from collaborations.models import Collaboration, LedgerEntry, Payout
from collaborations.tests.factories import accept_terms, make_collaboration, make_payable, referred_bill
from collaborations.tests.test_commission import later

pytestmark = pytest.mark.django_db

LEDGER = "/api/v1/collaborations/{id}/ledger/"
PAYOUTS = "/api/v1/collaborations/{id}/payouts/"


def url(template, collaboration):
    return template.replace("{id}", str(collaboration.pk))


def test_either_party_reads_the_ledger_newest_first_with_the_balances():
    collaboration = make_collaboration()
    accept_terms(collaboration)
    bill = referred_bill(collaboration, Decimal("1000.00"))
    commission_release_due(now=later(15))
    for user in (collaboration.vendor, collaboration.influencer, AdminFactory()):
        response = api_client(user).get(url(LEDGER, collaboration))
        assert_matches(response, LEDGER, "get")
        body = response.json()
        assert [row["kind"] for row in body["results"]] == ["released", "earned"]
        earned = body["results"][1]
        assert (earned["held"], earned["bill_number"], earned["rate"]) == ("100.00", bill.number, "10.00")
        assert body["balances"] == {"held": "0.00", "payable": "100.00", "paid": "0.00", "currency": "INR"}


def test_the_ledger_list_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    collaboration = make_collaboration()
    accept_terms(collaboration)
    for _ in range(6):
        referred_bill(collaboration, Decimal("100.00"))
    client = api_client(collaboration.vendor)
    with django_assert_max_num_queries(6):
        response = client.get(url(LEDGER, collaboration))
    assert response.json()["count"] == 6


def test_strangers_get_404_on_the_money_endpoints():
    collaboration = make_collaboration()
    stranger = api_client(VendorFactory())
    assert_error(stranger.get(url(LEDGER, collaboration)), 404)
    assert_error(stranger.get(url(PAYOUTS, collaboration)), 404)
    body = {"amount": "1.00", "method": "upi"}
    assert_error(stranger.post(url(PAYOUTS, collaboration), body, format="json"), 404)


def test_the_vendor_records_a_payout_and_both_read_it():
    collaboration = make_collaboration()
    make_payable(collaboration, Decimal("800.00"))
    body = {"amount": "500.00", "method": "upi", "reference": "UPI-4411", "paid_on": "2026-11-30", "note": "Oct"}
    response = api_client(collaboration.vendor).post(url(PAYOUTS, collaboration), body, format="json")
    assert response.status_code == 201, response.content
    assert_matches(response, PAYOUTS, "post")
    created = response.json()
    assert (created["amount"], created["method"], created["reference"]) == ("500.00", "upi", "UPI-4411")
    collaboration.refresh_from_db()
    assert (collaboration.payable, collaboration.paid) == (Decimal("300.00"), Decimal("500.00"))
    for user in (collaboration.vendor, collaboration.influencer):
        listed = api_client(user).get(url(PAYOUTS, collaboration))
        assert_matches(listed, PAYOUTS, "get")
        assert [row["id"] for row in listed.json()["results"]] == [created["id"]]


def test_the_influencer_cannot_record_a_payout():
    collaboration = make_collaboration()
    make_payable(collaboration)
    response = api_client(collaboration.influencer).post(
        url(PAYOUTS, collaboration), {"amount": "10.00", "method": "upi"}, format="json"
    )
    assert_error(response, 403)
    assert_matches(response, PAYOUTS, "post")
    assert not Payout.objects.exists()


def test_a_payout_over_payable_is_a_409_on_amount():
    collaboration = make_collaboration()
    make_payable(collaboration, Decimal("250.00"))
    response = api_client(collaboration.vendor).post(
        url(PAYOUTS, collaboration), {"amount": "250.01", "method": "bank_transfer"}, format="json"
    )
    body = assert_error(response, 409, "amount")
    assert body["errors"]["amount"] == ["At most ₹250.00 is payable now."]
    assert_matches(response, PAYOUTS, "post")
    assert not Payout.objects.exists()
    assert "409" in documented_statuses(PAYOUTS, "post")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "0.00", "method": "upi"}, "amount"),
        ({"amount": "-5.00", "method": "upi"}, "amount"),
        ({"amount": "1.005", "method": "upi"}, "amount"),
        ({"amount": 5, "method": "upi"}, "amount"),
        ({"amount": "5.00", "method": "cheque"}, "method"),
        ({"amount": "5.00", "method": "upi", "paid_on": "2999-01-01"}, "paid_on"),
        ({"amount": "5.00", "method": "upi", "reference": "r" * 101}, "reference"),
    ],
)
def test_bad_payout_input_is_a_400_naming_the_field(body, field):
    collaboration = make_collaboration()
    make_payable(collaboration)
    response = api_client(collaboration.vendor).post(url(PAYOUTS, collaboration), body, format="json")
    assert_error(response, 400, field)
    assert_matches(response, PAYOUTS, "post")
    assert not Payout.objects.exists()


def test_a_retry_with_the_same_key_replays_and_another_body_with_it_is_422():
    collaboration = make_collaboration()
    make_payable(collaboration, Decimal("900.00"))
    client = api_client(collaboration.vendor)
    body = {"amount": "300.00", "method": "upi", "reference": "UPI-1"}
    first = client.post(url(PAYOUTS, collaboration), body, format="json", HTTP_IDEMPOTENCY_KEY="payout-1")
    again = client.post(url(PAYOUTS, collaboration), body, format="json", HTTP_IDEMPOTENCY_KEY="payout-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Payout.objects.count() == 1
    other = client.post(
        url(PAYOUTS, collaboration), {**body, "amount": "301.00"}, format="json", HTTP_IDEMPOTENCY_KEY="payout-1"
    )
    assert_error(other, 422, "Idempotency-Key")
    assert_matches(other, PAYOUTS, "post")
    assert Payout.objects.count() == 1
    assert Collaboration.objects.get(pk=collaboration.pk).paid == Decimal("300.00")
    assert parameter(PAYOUTS, "post", "Idempotency-Key")["in"] == "header"


def test_a_payout_is_told_to_the_influencer_in_the_chat_and_by_email(mailoutbox, django_capture_on_commit_callbacks):
    from chat.models import Message

    collaboration = make_collaboration()
    make_payable(collaboration, Decimal("100.00"))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(collaboration.vendor).post(
            url(PAYOUTS, collaboration), {"amount": "100.00", "method": "upi", "reference": "UPI-77"}, format="json"
        )
    assert response.status_code == 201
    line = Message.objects.order_by("-pk").first()
    assert "Recorded a payout of ₹100.00" in line.text
    assert "UPI-77" in line.text
    assert [mail.to for mail in mailoutbox] == [[collaboration.influencer.email]]
    assert LedgerEntry.objects.filter(kind="payout").get().payout_id == response.json()["id"]
