import pytest
from django.urls import reverse

from accounts.dashboard import sections_for
from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory, give_tokens
from accounts.wallet import wallet_spend

pytestmark = pytest.mark.django_db


def test_wallet_page_needs_login(client):
    response = client.get(reverse("wallet"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wallet_page_shows_balance_prices_and_history(client, settings):
    settings.TOKEN_PRICE_CONTACT = 50
    user = VendorFactory()
    give_tokens(user, 200, reason="Welcome tokens")
    wallet_spend(user=user, amount=50, reason="Invite Ira", reference="campaign:12 invite")
    client.force_login(user)
    response = client.get(reverse("wallet"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "150 tokens" in content
    assert "50 tokens" in content  # the contact price
    assert "Invite Ira" in content
    assert "campaign:12 invite" in content
    assert "-50" in content
    assert "+200" in content
    assert [row.reason for row in response.context["page"].object_list] == ["Invite Ira", "Welcome tokens"]


def test_wallet_page_shows_only_your_own_history(client):
    user, other = InfluencerFactory(), InfluencerFactory()
    give_tokens(other, 10, reason="Someone else's tokens")
    client.force_login(user)
    content = client.get(reverse("wallet")).content.decode()
    assert "Someone else" not in content
    assert "No token movements yet." in content
    assert "0 tokens" in content


def test_wallet_page_is_paginated_by_25(client):
    user = InfluencerFactory()
    give_tokens(user, 100)
    for index in range(30):
        wallet_spend(user=user, amount=1, reason=f"Spend {index}")
    client.force_login(user)
    first = client.get(reverse("wallet"))
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].object_list[0].reason == "Spend 29"
    second = client.get(reverse("wallet"), {"page": 2})
    assert len(second.context["page"].object_list) == 6
    assert "Page 2 of 2" in second.content.decode()
    assert client.get(reverse("wallet"), {"page": "nope"}).status_code == 200


@pytest.mark.parametrize("factory", [VendorFactory, InfluencerFactory])
def test_dashboard_links_the_wallet_for_both_roles(client, factory):
    user = factory()
    assert ("Wallet", reverse("wallet")) in [(section.title, url) for section, url in sections_for(user)]
    client.force_login(user)
    assert f'href="{reverse("wallet")}"' in client.get(reverse("dashboard")).content.decode()


def test_admin_without_role_can_open_the_wallet_page(client):
    client.force_login(AdminFactory())
    assert client.get(reverse("wallet")).status_code == 200
