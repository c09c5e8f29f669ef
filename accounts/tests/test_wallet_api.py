import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from accounts.models import Wallet, WalletTransaction
from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory, give_tokens
from accounts.wallet import wallet_spend
from anwariya.tests.api import api_client, assert_error

pytestmark = pytest.mark.django_db

WALLET = "/api/v1/wallet/"
TRANSACTIONS = "/api/v1/wallet/transactions/"
SPEND = "/api/v1/wallet/spend/"


def staff_wallet(user_id):
    return f"/api/v1/wallets/{user_id}/"


def adjust(user_id):
    return f"/api/v1/wallets/{user_id}/adjust/"


def balance(user):
    return Wallet.objects.get(user=user).balance


def test_wallet_shows_balance_and_prices(settings):
    settings.TOKEN_PRICE_CONTACT = 60
    user = VendorFactory()
    give_tokens(user, 200)
    response = api_client(user).get(WALLET)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"balance", "updated_at", "prices"}
    assert body["balance"] == 200
    prices = {"contact": 60, "application": 0, "free_applications_per_month": 5, "broadcast_recipient": 1}
    assert body["prices"] == prices


def test_wallet_of_a_user_from_before_wallets_is_empty():
    response = api_client(InfluencerFactory()).get(WALLET)
    assert response.status_code == 200
    assert response.json()["balance"] == 0


def test_register_answers_and_wallet_holds_the_signup_grant():
    client = api_client()
    response = client.post(
        "/api/v1/auth/register/",
        {"email": "ira@example.com", "password": "a-long-passphrase", "role": "influencer", "display_name": "Ira"},
    )
    assert response.status_code == 201
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert client.get(WALLET).json()["balance"] == 200
    assert [row["kind"] for row in client.get(TRANSACTIONS).json()["results"]] == ["grant"]


def test_wallet_needs_login():
    assert_error(api_client().get(WALLET), 401)
    assert_error(api_client().post(SPEND, {"amount": 1, "reason": "x"}), 401)


def test_spend_answers_201_with_the_ledger_row():
    user = VendorFactory()
    give_tokens(user, 200)
    response = api_client(user).post(SPEND, {"amount": 50, "reason": "Invite Ira"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "kind", "amount", "balance_after", "reason", "reference", "created_at"}
    assert (body["kind"], body["amount"], body["balance_after"], body["reason"]) == ("spend", -50, 150, "Invite Ira")
    assert balance(user) == 150


def test_spend_takes_the_amount_as_a_json_integer_or_a_form_field():
    user = VendorFactory()
    give_tokens(user, 200)
    assert_error(api_client(user).post(SPEND, {"amount": "25", "reason": "Invite"}, format="json"), 400, "amount")
    assert api_client(user).post(SPEND, {"amount": "25", "reason": "Invite"}, format="multipart").status_code == 201
    assert balance(user) == 175


@pytest.mark.parametrize(
    "amount", [0, -1, -50, 1_000_001, 10**30, "1.5", 1.5, 1.0, "abc", "", None, True, [5], {"a": 1}, "1e3"]
)
def test_spend_refuses_bad_amounts_with_400_naming_amount(amount):
    user = VendorFactory()
    give_tokens(user, 200)
    response = api_client(user).post(SPEND, {"amount": amount, "reason": "Invite"}, format="json")
    assert_error(response, 400, "amount")
    assert balance(user) == 200
    assert WalletTransaction.objects.filter(kind="spend").count() == 0


def test_spend_without_amount_is_400():
    user = VendorFactory()
    assert_error(api_client(user).post(SPEND, {"reason": "Invite"}), 400, "amount")


@pytest.mark.parametrize("payload", [{"amount": 5}, {"amount": 5, "reason": "  "}, {"amount": 5, "reason": "x" * 201}])
def test_spend_needs_a_short_reason(payload):
    user = VendorFactory()
    give_tokens(user, 200)
    assert_error(api_client(user).post(SPEND, payload), 400, "reason")
    assert balance(user) == 200


def test_spend_beyond_balance_is_402_with_balance_and_price():
    user = VendorFactory()
    give_tokens(user, 20)
    response = api_client(user).post(SPEND, {"amount": 50, "reason": "Invite"})
    assert response.status_code == 402
    assert response.json() == {
        "detail": "You need 50 tokens; your balance is 20.",
        "code": "insufficient_tokens",
        "errors": {},
        "balance": 20,
        "price": 50,
    }
    assert balance(user) == 20
    assert WalletTransaction.objects.filter(wallet__user=user).count() == 1


def test_spend_ignores_a_user_field_and_takes_only_from_your_own_wallet():
    user, other = VendorFactory(), VendorFactory()
    give_tokens(user, 100)
    give_tokens(other, 100)
    response = api_client(user).post(SPEND, {"amount": 10, "reason": "Invite", "user": other.pk, "wallet": other.pk})
    assert response.status_code == 201
    assert balance(user) == 90
    assert balance(other) == 100


def test_same_idempotency_key_replays_and_spends_once():
    user = VendorFactory()
    give_tokens(user, 200)
    client = api_client(user)
    first = client.post(SPEND, {"amount": 50, "reason": "Invite"}, HTTP_IDEMPOTENCY_KEY="spend-1")
    second = client.post(SPEND, {"amount": 50, "reason": "Invite"}, HTTP_IDEMPOTENCY_KEY="spend-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert balance(user) == 150
    assert WalletTransaction.objects.filter(kind="spend").count() == 1


def test_same_idempotency_key_with_another_body_is_422():
    user = VendorFactory()
    give_tokens(user, 200)
    client = api_client(user)
    client.post(SPEND, {"amount": 50, "reason": "Invite"}, HTTP_IDEMPOTENCY_KEY="spend-1")
    response = client.post(SPEND, {"amount": 60, "reason": "Invite"}, HTTP_IDEMPOTENCY_KEY="spend-1")
    assert_error(response, 422, "Idempotency-Key")
    assert balance(user) == 150


def test_a_refused_spend_is_replayed_as_refused():
    user = VendorFactory()
    give_tokens(user, 20)
    client = api_client(user)
    first = client.post(SPEND, {"amount": 50, "reason": "Invite"}, HTTP_IDEMPOTENCY_KEY="k")
    give_tokens(user, 100)
    second = client.post(SPEND, {"amount": 50, "reason": "Invite"}, HTTP_IDEMPOTENCY_KEY="k")
    assert first.status_code == second.status_code == 402
    assert first.json() == second.json()
    assert balance(user) == 120


def test_transactions_are_newest_first_and_only_yours():
    user, other = VendorFactory(), VendorFactory()
    give_tokens(user, 100)
    give_tokens(other, 100)
    wallet_spend(user=user, amount=10, reason="Invite", reference="campaign:1 invite")
    wallet_spend(user=other, amount=10, reason="Other")
    body = api_client(user).get(TRANSACTIONS).json()
    assert body["count"] == 2
    assert [(row["kind"], row["amount"], row["balance_after"]) for row in body["results"]] == [
        ("spend", -10, 90),
        ("grant", 100, 100),
    ]
    assert body["results"][0]["reference"] == "campaign:1 invite"


def test_transactions_filter_by_kind():
    user = VendorFactory()
    give_tokens(user, 100)
    wallet_spend(user=user, amount=10, reason="Invite")
    body = api_client(user).get(TRANSACTIONS, {"kind": "spend"}).json()
    assert [row["kind"] for row in body["results"]] == ["spend"]
    assert_error(api_client(user).get(TRANSACTIONS, {"kind": "gift"}), 400, "kind")


def test_transactions_query_count_does_not_grow_with_rows():
    user = VendorFactory()
    give_tokens(user, 1000)
    client = api_client(user)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(TRANSACTIONS, {"page_size": 50}).json()["results"]) == 1
    for _ in range(49):
        wallet_spend(user=user, amount=1, reason="Invite")
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get(TRANSACTIONS, {"page_size": 50}).json()["results"]) == 50
    assert len(fifty) == len(one)


# --- Admins ---------------------------------------------------------------------------


def test_admin_reads_a_users_wallet():
    user = InfluencerFactory()
    give_tokens(user, 70)
    response = api_client(AdminFactory()).get(staff_wallet(user.pk))
    assert response.status_code == 200
    body = response.json()
    assert (body["user"], body["email"], body["balance"]) == (user.pk, user.email, 70)


def test_admin_adjusts_a_users_wallet_up_and_down():
    user = InfluencerFactory()
    admin = AdminFactory()
    give_tokens(user, 70)
    client = api_client(admin)
    response = client.post(adjust(user.pk), {"amount": -20, "reason": "Duplicate grant"})
    assert response.status_code == 201, response.content
    assert (response.json()["kind"], response.json()["amount"], response.json()["balance_after"]) == (
        "adjustment",
        -20,
        50,
    )
    assert client.post(adjust(user.pk), {"amount": 5, "reason": "Goodwill"}).json()["balance_after"] == 55
    assert balance(user) == 55
    assert WalletTransaction.objects.filter(kind="adjustment", created_by=admin).count() == 2


def test_adjust_below_zero_is_400_and_writes_nothing():
    user = InfluencerFactory()
    give_tokens(user, 10)
    response = api_client(AdminFactory()).post(adjust(user.pk), {"amount": -11, "reason": "Too much"})
    body = assert_error(response, 400, "amount")
    assert body["balance"] == 10
    assert balance(user) == 10


@pytest.mark.parametrize("amount", [0, "0", 1_000_001, -1_000_001, "1.5", "abc", None])
def test_adjust_refuses_bad_amounts(amount):
    user = InfluencerFactory()
    give_tokens(user, 10)
    response = api_client(AdminFactory()).post(adjust(user.pk), {"amount": amount, "reason": "x"}, format="json")
    assert_error(response, 400, "amount")
    assert balance(user) == 10


def test_adjust_needs_a_reason():
    user = InfluencerFactory()
    assert_error(api_client(AdminFactory()).post(adjust(user.pk), {"amount": 5}), 400, "reason")


@pytest.mark.parametrize("user_id", [999999, 2**63, 10**30])
def test_staff_endpoints_404_for_unknown_users(user_id):
    client = api_client(AdminFactory())
    assert_error(client.get(staff_wallet(user_id)), 404)
    assert_error(client.post(adjust(user_id), {"amount": 5, "reason": "x"}), 404)


@pytest.mark.parametrize("factory", [VendorFactory, InfluencerFactory])
def test_staff_endpoints_are_403_for_non_staff(factory):
    user = factory()
    target = InfluencerFactory()
    give_tokens(target, 10)
    client = api_client(user)
    assert_error(client.get(staff_wallet(target.pk)), 403)
    assert_error(client.post(adjust(target.pk), {"amount": 500, "reason": "Free money"}), 403)
    assert_error(client.post(adjust(user.pk), {"amount": 500, "reason": "Free money"}), 403)
    assert balance(target) == 10
    assert WalletTransaction.objects.filter(kind="adjustment").count() == 0


def test_adjust_honours_idempotency_key():
    user = InfluencerFactory()
    client = api_client(AdminFactory())
    for _ in range(2):
        response = client.post(adjust(user.pk), {"amount": 5, "reason": "Gift"}, HTTP_IDEMPOTENCY_KEY="adj-1")
        assert response.status_code == 201
    assert balance(user) == 5
    total = WalletTransaction.objects.filter(wallet__user=user).aggregate(total=Sum("amount"))["total"]
    assert total == 5
