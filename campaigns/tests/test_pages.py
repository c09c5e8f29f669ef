import pytest
from django.urls import reverse

from accounts.tests.factories import InfluencerFactory, VendorFactory
from accounts.wallet import wallet_grant
from campaigns import services
from campaigns.models import Application, Campaign
from campaigns.tests.factories import CampaignFactory
from profiles.services import influencer_profile_update
from profiles.tests.factories import niche

pytestmark = pytest.mark.django_db


def test_vendor_creates_and_opens_campaign(client):
    vendor = VendorFactory()
    client.force_login(vendor)
    response = client.post(
        reverse("campaigns:campaign-create"),
        {
            "title": "Festive hampers",
            "description": "Unbox our hamper.",
            "deliverables": "1 reel",
            "budget": "5000",
            "start_date": "2026-12-01",
            "end_date": "2026-12-20",
            "niches": [niche("food").pk],
        },
        follow=True,
    )
    assert "saved as a draft" in response.content.decode()
    campaign = Campaign.objects.get()
    response = client.post(reverse("campaigns:campaign-action", args=[campaign.pk, "open"]), follow=True)
    assert "The campaign is open" in response.content.decode()


def test_campaign_form_end_before_start_shows_error(client):
    client.force_login(VendorFactory())
    response = client.post(
        reverse("campaigns:campaign-create"),
        {
            "title": "X",
            "description": "Y",
            "deliverables": "Z",
            "budget": "10",
            "start_date": "2026-12-20",
            "end_date": "2026-12-01",
        },
    )
    assert "must end on or after" in response.content.decode()
    assert not Campaign.objects.exists()


def test_influencer_applies_on_page_and_vendor_accepts(client):
    campaign = CampaignFactory(title="Chai season")
    influencer = InfluencerFactory()
    client.force_login(influencer)
    assert "Chai season" in client.get(reverse("campaigns:campaign-list")).content.decode()
    response = client.post(
        reverse("campaigns:campaign-detail", args=[campaign.pk]), {"pitch": "Tea is my life."}, follow=True
    )
    assert "Your application was sent." in response.content.decode()
    application = Application.objects.get()

    client.force_login(campaign.vendor)
    detail = client.get(reverse("campaigns:campaign-detail", args=[campaign.pk])).content.decode()
    assert "Tea is my life." in detail
    response = client.post(reverse("campaigns:application-action", args=[application.pk, "accept"]), follow=True)
    application.refresh_from_db()
    assert f"Referral code: {application.referral_code}" in response.content.decode()

    client.force_login(influencer)
    mine = client.get(reverse("campaigns:application-list")).content.decode()
    assert application.referral_code in mine


def test_directory_and_invite_from_profile_page(client):
    campaign = CampaignFactory()
    wallet_grant(user=campaign.vendor, amount=100, reason="test")
    influencer = InfluencerFactory(display_name="Zoya")
    influencer_profile_update(user=influencer, niches=[niche("fashion")], country="India")
    client.force_login(campaign.vendor)
    listing = client.get(reverse("profiles:directory"), {"niche": "fashion"}).content.decode()
    assert "Zoya" in listing
    response = client.post(
        reverse("campaigns:influencer-detail", args=[influencer.pk]),
        {"campaign": campaign.pk, "message": "Join us!"},
        follow=True,
    )
    assert "Zoya is invited." in response.content.decode()
    assert Application.objects.get().kind == "invitation"


def test_invite_without_tokens_shows_error(client):
    campaign = CampaignFactory()
    influencer = InfluencerFactory()
    client.force_login(campaign.vendor)
    response = client.post(reverse("campaigns:influencer-detail", args=[influencer.pk]), {"campaign": campaign.pk})
    assert "You need 50 tokens" in response.content.decode()
    assert not Application.objects.exists()


def test_pages_hide_other_vendors_campaigns_and_directory_from_influencers(client):
    draft = CampaignFactory(status="draft")
    client.force_login(VendorFactory())
    assert client.get(reverse("campaigns:campaign-detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("campaigns:campaign-action", args=[draft.pk, "open"])).status_code == 404
    client.force_login(InfluencerFactory())
    assert client.get(reverse("profiles:directory")).status_code == 403
    assert client.get(reverse("campaigns:campaign-detail", args=[draft.pk])).status_code == 404


def test_empty_states(client):
    client.force_login(VendorFactory())
    assert "Start your first campaign" in client.get(reverse("campaigns:campaign-list")).content.decode()
    client.force_login(InfluencerFactory())
    assert "Find a campaign" in client.get(reverse("campaigns:application-list")).content.decode()


def test_action_next_must_be_a_local_path(client):
    campaign = CampaignFactory()
    application = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="p")
    client.force_login(campaign.vendor)
    url = reverse("campaigns:application-action", args=[application.pk, "reject"])
    response = client.post(url, {"next": "https://evil.example.com/phish"})
    assert response["Location"] == reverse("campaigns:application-list")
    other = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="p")
    response = client.post(reverse("campaigns:application-action", args=[other.pk, "reject"]), {"next": "foo"})
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:application-list")


def test_closed_campaign_edit_page_redirects(client):
    campaign = CampaignFactory(status="closed")
    client.force_login(campaign.vendor)
    response = client.get(reverse("campaigns:campaign-edit", args=[campaign.pk]), follow=True)
    assert "can no longer be edited" in response.content.decode()


def test_an_unknown_action_on_a_campaign_is_a_not_found_page(client):
    vendor = VendorFactory()
    campaign = CampaignFactory(vendor=vendor)
    status = campaign.status
    client.force_login(vendor)
    response = client.post(reverse("campaigns:campaign-action", args=[campaign.pk, "explode"]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == status
