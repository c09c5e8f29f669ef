import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from accounts import services
from accounts.models import Role, Wallet, WalletTransaction
from accounts.tests.factories import PASSWORD, AdminFactory, InfluencerFactory, VendorFactory, give_tokens
from accounts.wallet import (
    InsufficientTokens,
    NegativeBalance,
    WalletError,
    wallet_adjust,
    wallet_for_user,
    wallet_grant,
    wallet_prices,
    wallet_spend,
    wallet_transactions,
)

pytestmark = pytest.mark.django_db

Kind = WalletTransaction.Kind


def ledger_sum(user):
    return WalletTransaction.objects.filter(wallet__user=user).aggregate(total=Sum("amount"))["total"] or 0


def balance(user):
    return Wallet.objects.get(user=user).balance


def test_user_create_grants_signup_tokens_with_one_ledger_row():
    user = services.user_create(email="new@example.com", password=PASSWORD, role=Role.INFLUENCER, display_name="New")
    assert balance(user) == 200
    rows = WalletTransaction.objects.filter(wallet__user=user)
    assert [(row.kind, row.amount, row.balance_after, row.reference) for row in rows] == [
        (Kind.GRANT, 200, 200, "signup")
    ]


def test_signup_grant_follows_the_setting(settings):
    settings.TOKEN_SIGNUP_GRANT = 0
    user = services.user_create(
        email="v@example.com", password=PASSWORD, role=Role.VENDOR, display_name="V", business_name="Shop"
    )
    assert balance(user) == 0
    assert not WalletTransaction.objects.exists()


def test_refused_signup_opens_no_wallet():
    with pytest.raises(services.AccountError):
        services.user_create(email="bad", password=PASSWORD, role=Role.INFLUENCER, display_name="X")
    assert not Wallet.objects.exists()


def test_existing_user_gets_an_empty_wallet_lazily():
    user = VendorFactory()
    assert not Wallet.objects.filter(user=user).exists()
    wallet = wallet_for_user(user)
    assert wallet.balance == 0
    assert wallet_for_user(user).pk == wallet.pk


def test_spend_takes_tokens_and_writes_a_negative_row():
    user = VendorFactory()
    give_tokens(user, 200)
    row = wallet_spend(user=user, amount=50, reason="Invite", reference="campaign:12 invite", actor=user)
    assert (row.kind, row.amount, row.balance_after, row.reference, row.created_by) == (
        Kind.SPEND,
        -50,
        150,
        "campaign:12 invite",
        user,
    )
    assert balance(user) == 150 == ledger_sum(user)


def test_spend_of_whole_balance_leaves_zero():
    user = InfluencerFactory()
    give_tokens(user, 50)
    wallet_spend(user=user, amount=50, reason="All of it")
    assert balance(user) == 0 == ledger_sum(user)


def test_spend_beyond_balance_is_402_and_writes_nothing():
    user = VendorFactory()
    give_tokens(user, 20)
    with pytest.raises(InsufficientTokens) as caught:
        wallet_spend(user=user, amount=50, reason="Invite")
    error = caught.value
    assert error.status_code == 402
    assert error.code == "insufficient_tokens"
    assert error.detail == "You need 50 tokens; your balance is 20."
    assert error.extra == {"balance": 20, "price": 50}
    assert balance(user) == 20
    assert WalletTransaction.objects.filter(wallet__user=user).count() == 1


def test_spend_from_a_user_without_wallet_writes_nothing():
    user = VendorFactory()
    with pytest.raises(InsufficientTokens):
        wallet_spend(user=user, amount=1, reason="Invite")
    assert not Wallet.objects.exists()


@pytest.mark.parametrize("amount", [0, -5, 1_000_001, 1.5, "10", None, True])
def test_spend_refuses_amounts_that_are_not_positive_whole_numbers(amount):
    user = VendorFactory()
    give_tokens(user, 100)
    with pytest.raises(WalletError) as caught:
        wallet_spend(user=user, amount=amount, reason="Bad")
    assert caught.value.status_code == 400
    assert "amount" in caught.value.errors
    assert balance(user) == 100


@pytest.mark.parametrize("reason", ["", "   ", "x" * 201])
def test_reason_is_required_and_short(reason):
    user = VendorFactory()
    give_tokens(user, 100)
    with pytest.raises(WalletError) as caught:
        wallet_spend(user=user, amount=1, reason=reason)
    assert "reason" in caught.value.errors
    assert balance(user) == 100


def test_grant_and_refund_add_tokens():
    user = InfluencerFactory()
    admin = AdminFactory()
    wallet_grant(user=user, amount=30, reason="Welcome", actor=admin)
    wallet_spend(user=user, amount=10, reason="Apply")
    row = wallet_grant(user=user, amount=10, reason="Campaign cancelled", kind=Kind.REFUND, reference="campaign:3")
    assert (row.kind, row.amount, row.balance_after) == (Kind.REFUND, 10, 30)
    assert balance(user) == 30 == ledger_sum(user)
    assert WalletTransaction.objects.get(kind=Kind.GRANT).created_by == admin


@pytest.mark.parametrize("kind", [Kind.SPEND, Kind.ADJUSTMENT, "gift"])
def test_grant_accepts_only_grant_or_refund(kind):
    user = InfluencerFactory()
    with pytest.raises(WalletError) as caught:
        wallet_grant(user=user, amount=10, reason="x", kind=kind)
    assert "kind" in caught.value.errors
    assert not WalletTransaction.objects.exists()


def test_adjust_up_and_down():
    user = VendorFactory()
    admin = AdminFactory()
    give_tokens(user, 100)
    wallet_adjust(user=user, amount=-40, reason="Correction", actor=admin)
    row = wallet_adjust(user=user, amount=15, reason="Goodwill", actor=admin)
    assert (row.kind, row.amount, row.balance_after, row.created_by) == (Kind.ADJUSTMENT, 15, 75, admin)
    assert balance(user) == 75 == ledger_sum(user)


def test_adjust_below_zero_is_refused_and_writes_nothing():
    user = VendorFactory()
    give_tokens(user, 30)
    with pytest.raises(NegativeBalance) as caught:
        wallet_adjust(user=user, amount=-31, reason="Too much", actor=AdminFactory())
    assert caught.value.status_code == 400
    assert "amount" in caught.value.errors
    assert caught.value.extra == {"balance": 30}
    assert balance(user) == 30
    assert WalletTransaction.objects.count() == 1


@pytest.mark.parametrize("amount", [0, 1_000_001, -1_000_001, "5"])
def test_adjust_refuses_zero_and_huge_amounts(amount):
    user = VendorFactory()
    with pytest.raises(WalletError) as caught:
        wallet_adjust(user=user, amount=amount, reason="x", actor=AdminFactory())
    assert "amount" in caught.value.errors


def test_adjust_needs_a_reason():
    with pytest.raises(WalletError) as caught:
        wallet_adjust(user=VendorFactory(), amount=5, reason=" ", actor=AdminFactory())
    assert "reason" in caught.value.errors


def test_balance_always_equals_the_ledger_sum():
    user = VendorFactory()
    admin = AdminFactory()
    give_tokens(user, 200)
    for amount in (50, 20, 30):
        wallet_spend(user=user, amount=amount, reason="Invite")
    with pytest.raises(InsufficientTokens):
        wallet_spend(user=user, amount=500, reason="Too much")
    wallet_grant(user=user, amount=20, reason="Refund", kind=Kind.REFUND)
    wallet_adjust(user=user, amount=-5, reason="Fix", actor=admin)
    rows = list(wallet_transactions(user).reverse())
    assert balance(user) == 115 == ledger_sum(user)
    running = 0
    for row in rows:
        running += row.amount
        assert row.balance_after == running


def test_spend_inside_an_outer_transaction_rolls_back_with_it():
    user = VendorFactory()
    give_tokens(user, 100)

    def callers_work_that_fails():
        with transaction.atomic():
            wallet_spend(user=user, amount=60, reason="Invite")
            raise RuntimeError("the caller's work failed")

    with pytest.raises(RuntimeError):
        callers_work_that_fails()
    assert balance(user) == 100 == ledger_sum(user)


def test_refused_spend_inside_an_outer_transaction_leaves_it_usable():
    user = VendorFactory()
    give_tokens(user, 10)
    with transaction.atomic():
        with pytest.raises(InsufficientTokens):
            wallet_spend(user=user, amount=60, reason="Invite")
        wallet_spend(user=user, amount=10, reason="Cheaper")
    assert balance(user) == 0 == ledger_sum(user)


def test_database_refuses_a_negative_balance():
    wallet = wallet_for_user(VendorFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Wallet.objects.filter(pk=wallet.pk).update(balance=-1)


def test_database_refuses_a_spend_row_with_a_positive_amount():
    wallet = wallet_for_user(VendorFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        WalletTransaction.objects.create(wallet=wallet, kind=Kind.SPEND, amount=5, balance_after=5, reason="x")


def test_transactions_are_only_the_users_own_and_filter_by_kind():
    user, other = VendorFactory(), VendorFactory()
    give_tokens(user, 100)
    give_tokens(other, 100)
    wallet_spend(user=user, amount=10, reason="Invite")
    assert [row.kind for row in wallet_transactions(user)] == [Kind.SPEND, Kind.GRANT]
    assert [row.amount for row in wallet_transactions(user, kind=Kind.SPEND)] == [-10]


def test_prices_come_from_settings(settings):
    settings.TOKEN_PRICE_CONTACT = 75
    assert wallet_prices() == {
        "contact": 75,
        "application": 0,
        "free_applications_per_month": 5,
        "broadcast_recipient": 1,
    }
