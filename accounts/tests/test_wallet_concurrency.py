"""Real threads on PostgreSQL: a balance never goes negative, and a retried spend acts once."""

import pytest
from django.db.models import Sum

from accounts.models import Wallet, WalletTransaction
from accounts.tests.factories import VendorFactory, give_tokens
from anwariya.tests.api import api_client
from anwariya.tests.concurrency import run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SPEND = "/api/v1/wallet/spend/"


def spend(user, amount, **headers):
    response = api_client(user).post(SPEND, {"amount": amount, "reason": "Invite"}, format="json", **headers)
    return response.status_code, response.json()


def ledger_sum(user):
    return WalletTransaction.objects.filter(wallet__user=user).aggregate(total=Sum("amount"))["total"]


def test_twenty_parallel_spends_never_overdraw():
    user = VendorFactory()
    give_tokens(user, 200)

    results = run_concurrently(lambda i: spend(user, 20), 20)

    statuses = [status for status, _ in results]
    assert statuses.count(201) == 10, results
    assert statuses.count(402) == 10, results
    for status, body in results:
        if status == 402:
            assert body["code"] == "insufficient_tokens"
            assert body["price"] == 20
    assert Wallet.objects.get(user=user).balance == 0
    assert ledger_sum(user) == 0
    spends = WalletTransaction.objects.filter(wallet__user=user, kind="spend")
    after = sorted(spends.values_list("balance_after", flat=True))
    assert after == list(range(0, 200, 20))


def test_same_idempotency_key_ten_times_in_parallel_spends_once():
    user = VendorFactory()
    give_tokens(user, 200)

    results = run_concurrently(lambda i: spend(user, 50, HTTP_IDEMPOTENCY_KEY="retry-me"), 10)

    assert [status for status, _ in results] == [201] * 10, results
    assert all(body == results[0][1] for _, body in results)
    assert Wallet.objects.get(user=user).balance == 150
    assert WalletTransaction.objects.filter(wallet__user=user, kind="spend").count() == 1
    assert ledger_sum(user) == 150


def test_first_spends_of_a_user_without_wallet_open_one_wallet():
    user = VendorFactory()

    results = run_concurrently(lambda i: spend(user, 1), 8)

    assert [status for status, _ in results] == [402] * 8, results
    assert Wallet.objects.filter(user=user).count() <= 1
