"""A user's collaborations in their data export, and what closing the account does to them."""

import json
from decimal import Decimal

import pytest
from django.core import mail

from accounts.closing import account_close
from accounts.tests.factories import PASSWORD
from anwariya.tests.api import api_client
from chat.models import Message
from collaborations.models import Collaboration
from collaborations.payouts import payout_record
from collaborations.services import CLOSED_ACCOUNT_REASON, collaboration_cancel
from collaborations.tests.factories import accept_terms, make_collaboration, make_payable, send_terms

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_users_collaborations_with_every_terms_version():
    collaboration = make_collaboration()
    send_terms(collaboration, usage_rights="Reposts for 30 days.")
    response = api_client(collaboration.influencer).get("/api/v1/auth/me/export/")
    assert response.status_code == 200
    [exported] = json.loads(response.content)["sections"]["collaborations"]
    assert exported["campaign"] == collaboration.campaign.title
    assert exported["with"] == collaboration.vendor.public_name
    assert exported["stage"] == "terms_sent"
    [terms] = exported["terms"]
    assert (terms["number"], terms["usage_rights"], terms["fee"]) == (1, "Reposts for 30 days.", "5000.00")
    assert [item["kind"] for item in terms["deliverables"]] == ["reel"]
    assert "email" not in json.dumps(exported)


def test_the_export_holds_the_money_owed_its_ledger_and_the_payouts():
    collaboration = make_collaboration()
    accept_terms(collaboration)
    make_payable(collaboration, Decimal("800.00"))
    payout_record(
        collaboration=collaboration, actor=collaboration.vendor, amount="300.00", method="upi", reference="U1"
    )
    response = api_client(collaboration.influencer).get("/api/v1/auth/me/export/")
    [exported] = json.loads(response.content)["sections"]["collaborations"]
    assert exported["balances"] == {"held": "0.00", "payable": "500.00", "paid": "300.00"}
    assert [row["kind"] for row in exported["ledger"]] == ["adjustment", "payout"]
    [payout] = exported["payouts"]
    assert (payout["amount"], payout["method"], payout["reference"]) == ("300.00", "upi", "U1")


def test_closing_an_account_cancels_its_open_collaborations_and_tells_the_other_side(
    django_capture_on_commit_callbacks,
):
    open_one = make_collaboration()
    influencer = open_one.influencer
    send_terms(open_one)
    ended = make_collaboration(influencer=influencer)
    collaboration_cancel(collaboration=ended, actor=ended.vendor, reason="Budget cut.")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        account_close(user=influencer, password=PASSWORD)

    open_one = Collaboration.objects.get(pk=open_one.pk)
    assert (open_one.stage, open_one.cancel_reason, open_one.cancelled_by_id) == (
        "cancelled",
        CLOSED_ACCOUNT_REASON,
        influencer.pk,
    )
    assert Collaboration.objects.get(pk=ended.pk).cancel_reason == "Budget cut."
    assert [message.to for message in mail.outbox] == [[open_one.vendor.email]]
    line = Message.objects.filter(chat__vendor=open_one.vendor, chat__influencer=influencer).latest("pk")
    assert CLOSED_ACCOUNT_REASON in line.text
