import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from accounts.models import Wallet, WalletTransaction
from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory, give_tokens

pytestmark = pytest.mark.django_db


def grant(client, changelist, users, **form):
    data = {"action": "grant_tokens", helpers.ACTION_CHECKBOX_NAME: [user.pk for user in users], **form}
    return client.post(reverse(changelist), data)


@pytest.mark.parametrize("changelist", ["admin:accounts_user_changelist", "admin:accounts_vendor_changelist"])
def test_grant_tokens_action_asks_then_grants_each_user(client, changelist):
    admin = AdminFactory()
    vendors = [VendorFactory(), VendorFactory()]
    client.force_login(admin)

    page = grant(client, changelist, vendors)
    assert page.status_code == 200, page.content
    content = page.content.decode()
    assert "Grant tokens to 2 users" in content
    assert vendors[0].email in content
    assert not WalletTransaction.objects.exists()

    done = grant(client, changelist, vendors, apply="yes", amount="100", reason="Launch bonus")
    assert done.status_code == 302
    for vendor in vendors:
        row = WalletTransaction.objects.get(wallet__user=vendor)
        assert (row.kind, row.amount, row.reason, row.created_by) == ("grant", 100, "Launch bonus", admin)
        assert Wallet.objects.get(user=vendor).balance == 100


def test_grant_tokens_action_works_on_the_influencers_list(client):
    client.force_login(AdminFactory())
    influencer = InfluencerFactory()
    give_tokens(influencer, 5)
    grant(client, "admin:accounts_influencer_changelist", [influencer], apply="yes", amount="20", reason="Bonus")
    assert Wallet.objects.get(user=influencer).balance == 25


@pytest.mark.parametrize("form", [{"amount": "0", "reason": "x"}, {"amount": "abc", "reason": "x"}, {"amount": "5"}])
def test_grant_tokens_action_with_bad_input_shows_the_form_again(client, form):
    client.force_login(AdminFactory())
    user = InfluencerFactory()
    response = grant(client, "admin:accounts_user_changelist", [user], apply="yes", **form)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not WalletTransaction.objects.exists()


def test_wallet_admin_lists_and_shows_read_only_wallets(client):
    client.force_login(AdminFactory())
    user = VendorFactory(email="findme@example.com")
    give_tokens(user, 40, reason="Launch bonus")
    listing = client.get(reverse("admin:accounts_wallet_changelist"), {"q": "findme"})
    assert listing.status_code == 200
    assert "findme@example.com" in listing.content.decode()
    detail = client.get(reverse("admin:accounts_wallet_change", args=[user.wallet.pk]))
    assert detail.status_code == 200
    assert "Launch bonus" in detail.content.decode()
    assert 'name="balance"' not in detail.content.decode()
    assert client.get(reverse("admin:accounts_wallet_add")).status_code == 403
    saved = client.post(reverse("admin:accounts_wallet_change", args=[user.wallet.pk]), {"balance": "999"})
    assert saved.status_code == 403
    assert Wallet.objects.get(user=user).balance == 40


def test_wallet_transaction_admin_is_a_read_only_filtered_list(client):
    client.force_login(AdminFactory())
    user = VendorFactory()
    give_tokens(user, 40)
    listing = client.get(reverse("admin:accounts_wallettransaction_changelist"), {"kind": "grant"})
    assert listing.status_code == 200
    assert user.email in listing.content.decode()
    row = WalletTransaction.objects.get()
    detail = client.get(reverse("admin:accounts_wallettransaction_change", args=[row.pk]))
    assert detail.status_code == 200
    assert 'name="amount"' not in detail.content.decode()
    assert client.post(reverse("admin:accounts_wallettransaction_delete", args=[row.pk])).status_code == 403
