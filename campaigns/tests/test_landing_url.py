"""A campaign's landing URL: where its collaborations' tracking links lead (http or https only)."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches
from campaigns.models import Campaign
from campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Festive hampers",
    "description": "Unbox our hamper.",
    "deliverables": "1 reel",
    "budget": "5000",
    "start_date": "2026-12-01",
    "end_date": "2026-12-20",
}


def test_the_vendor_sets_it_on_the_campaign_form_and_sees_it_on_the_page(client):
    client.force_login(VendorFactory())
    response = client.post(
        reverse("campaigns:campaign-create"), {**FORM, "landing_url": "chai.example.com/hampers"}, follow=True
    )
    campaign = Campaign.objects.get()
    assert campaign.landing_url == "https://chai.example.com/hampers"  # a typed address means https
    assert 'href="https://chai.example.com/hampers"' in response.content.decode()


def test_the_form_refuses_a_non_web_address_on_the_field(client):
    client.force_login(VendorFactory())
    response = client.post(reverse("campaigns:campaign-create"), {**FORM, "landing_url": "ftp://files.example.com/"})
    assert "Enter a web address starting with http:// or https://." in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_page_tells_the_vendor_when_there_is_none(client):
    campaign = CampaignFactory()
    client.force_login(campaign.vendor)
    page = client.get(reverse("campaigns:campaign-detail", args=[campaign.pk])).content.decode()
    assert "tracking links lead nowhere until you" in page


def test_the_api_reads_and_writes_it():
    campaign = CampaignFactory()
    client = api_client(campaign.vendor)
    path = f"/api/v1/campaigns/{campaign.pk}/"
    response = client.patch(path, {"landing_url": "https://chai.example.com/diwali"}, format="json")
    assert response.status_code == 200, response.content
    assert_matches(response, "/api/v1/campaigns/{id}/", "patch")
    assert response.json()["landing_url"] == "https://chai.example.com/diwali"
    assert client.get(path).json()["landing_url"] == "https://chai.example.com/diwali"
    for bad in ("javascript:alert(1)", "ftp://files.example.com/x", "not a url", "https://" + "a" * 500 + ".com"):
        assert_error(client.patch(path, {"landing_url": bad}, format="json"), 400, "landing_url")
    assert client.patch(path, {"landing_url": ""}, format="json").json()["landing_url"] == ""


def test_the_admin_edits_it_through_the_service(client):
    campaign = CampaignFactory()
    client.force_login(AdminFactory())
    page = client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk])).content.decode()
    assert 'name="landing_url"' in page
