"""Real threads on PostgreSQL (and MariaDB): the collaboration's row lock keeps the money right."""

from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import User
from anwariya.tests.api import api_client
from anwariya.tests.concurrency import run_concurrently
from billing import services as billing_services
from billing.models import Bill
from collaborations.commission import commission_release_due
from collaborations.models import ClickDay, Collaboration, LedgerEntry, Payout
from collaborations.payouts import OverPayable, payout_record
from collaborations.tests.factories import accept_terms, make_collaboration, make_payable, referred_bill
from collaborations.tests.test_commission import assert_ledger_adds_up, later

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 6


def test_parallel_payouts_of_the_whole_payable_pay_it_once():
    collaboration = make_collaboration()
    make_payable(collaboration, Decimal("1000.00"))

    def pay(index):
        return payout_record(
            collaboration=Collaboration.objects.get(pk=collaboration.pk),
            actor=User.objects.get(pk=collaboration.vendor_id),
            amount="1000.00",
            method="upi",
            reference=f"UPI-{index}",
        ).pk

    results = run_concurrently(pay, THREADS)
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert all(isinstance(r, OverPayable) for r in results if not isinstance(r, int)), results
    assert Payout.objects.count() == 1
    collaboration.refresh_from_db()
    assert (collaboration.payable, collaboration.paid) == (0, Decimal("1000.00"))
    assert_ledger_adds_up(collaboration)


def test_parallel_api_retries_with_one_key_pay_once():
    collaboration = make_collaboration()
    make_payable(collaboration, Decimal("400.00"))
    vendor = User.objects.get(pk=collaboration.vendor_id)

    def post(index):
        response = api_client(vendor).post(
            f"/api/v1/collaborations/{collaboration.pk}/payouts/",
            {"amount": "150.00", "method": "bank_transfer"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="one-payout",
        )
        return response.status_code, response.json().get("id")

    results = run_concurrently(post, 4)
    assert {status for status, _ in results} == {201}, results
    assert len({payout_id for _, payout_id in results}) == 1
    assert Collaboration.objects.get(pk=collaboration.pk).paid == Decimal("150.00")


def test_parallel_bills_and_a_void_keep_the_ledger_consistent():
    collaboration = make_collaboration()
    accept_terms(collaboration)
    first = referred_bill(collaboration, Decimal("1000.00"))
    commission_release_due(now=later(15))

    def act(index):
        current = Collaboration.objects.get(pk=collaboration.pk)
        if index == 0:
            return billing_services.bill_void(bill=Bill.objects.get(pk=first.pk), actor=current.vendor).pk
        if index == 1:
            return commission_release_due(now=later(15))
        return referred_bill(current, Decimal("100.00")).pk

    results = run_concurrently(act, THREADS)
    assert not [r for r in results if isinstance(r, Exception)], results
    collaboration.refresh_from_db()
    assert_ledger_adds_up(collaboration)
    earnings = LedgerEntry.objects.filter(collaboration=collaboration, kind="earned")
    assert earnings.count() == 1 + (THREADS - 2)
    assert LedgerEntry.objects.filter(kind="reversed").count() == 1
    # Whatever the order, the sum of what is left: THREADS - 2 bills of 100 at 10 %.
    assert collaboration.held + collaboration.payable == Decimal("10.00") * (THREADS - 2)


def test_parallel_first_clicks_of_a_day_count_every_click():
    collaboration = make_collaboration()
    campaign = collaboration.campaign
    campaign.landing_url = "https://shop.example.com/"
    campaign.save(update_fields=["landing_url"])
    agent = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"

    def click(index):
        response = Client().get(
            f"/r/{collaboration.tracking_code}", HTTP_USER_AGENT=agent, REMOTE_ADDR=f"203.0.113.{index % 3}"
        )
        return response.status_code

    results = run_concurrently(click, THREADS)
    assert results == [302] * THREADS
    day = ClickDay.objects.get(collaboration=collaboration)
    assert (day.clicks, day.unique_clicks) == (THREADS, 3)
