"""One FilterSet (``campaigns.filters.CampaignFilter``) for the campaign list's page and API: the same
query lists the same campaigns on both."""

import pytest
from django.urls import reverse

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from campaigns import services
from campaigns.tests.factories import CampaignFactory
from profiles.tests.factories import niche

pytestmark = pytest.mark.django_db

PAGE = reverse("campaigns:campaign-list")
API = "/api/v1/campaigns/"


@pytest.fixture
def catalogue():
    """Two vendors' campaigns, and an influencer who applied to one that has closed since."""
    tea = VendorFactory(business_name="Assam Tea House")
    chai = VendorFactory(business_name="Chai Co")
    made = {
        "masala": CampaignFactory(vendor=tea, title="Masala chai launch", niches=[niche("food")]),
        "sweets": CampaignFactory(vendor=tea, title="Diwali sweets", status="draft", niches=[niche("food")]),
        "fashion": CampaignFactory(vendor=tea, title="Festive fashion", niches=[niche("fashion")]),
        "winter": CampaignFactory(vendor=chai, title="Winter blends", description="Warm cups of masala tea."),
    }
    influencer = InfluencerFactory()
    services.application_create(campaign=made["fashion"], influencer=influencer, pitch="I style sarees.")
    services.campaign_close(campaign=made["fashion"])
    return {"tea": tea, "chai": chai, "influencer": influencer, **made}


def page_titles(client, query):
    response = client.get(PAGE, query)
    assert response.status_code == 200
    return [campaign.title for campaign in response.context["page"].object_list]


def api_titles(user, query):
    response = api_client(user).get(API, query)
    assert response.status_code == 200, response.json()
    return [campaign["title"] for campaign in response.json()["results"]]


VENDOR_QUERIES = [
    ({}, ["Festive fashion", "Diwali sweets", "Masala chai launch"]),
    ({"search": "chai"}, ["Masala chai launch"]),
    ({"search": "masala launch"}, ["Masala chai launch"]),
    ({"search": '"chai launch"'}, ["Masala chai launch"]),
    ({"search": "assam tea"}, ["Festive fashion", "Diwali sweets", "Masala chai launch"]),  # the business name
    ({"search": "fashion sweets"}, []),  # each word must match
    ({"niche": "food"}, ["Diwali sweets", "Masala chai launch"]),
    ({"niche": "food", "status": "open"}, ["Masala chai launch"]),
    ({"status": "draft"}, ["Diwali sweets"]),
    ({"status": "closed", "search": "fashion"}, ["Festive fashion"]),
    ({"niche": "cricket"}, []),
]


@pytest.mark.parametrize(("query", "expected"), VENDOR_QUERIES)
def test_a_vendor_finds_the_same_campaigns_on_the_page_and_the_api(client, catalogue, query, expected):
    client.force_login(catalogue["tea"])
    assert page_titles(client, query) == api_titles(catalogue["tea"], query) == expected


INFLUENCER_QUERIES = [
    ({"status": "open"}, ["Winter blends", "Masala chai launch"]),
    ({"status": "open", "search": "masala"}, ["Winter blends", "Masala chai launch"]),  # a description
    ({"status": "open", "search": "chai co"}, ["Winter blends"]),
    ({"status": "open", "niche": "food"}, ["Masala chai launch"]),
    ({"status": "closed"}, ["Festive fashion"]),  # one they applied to
    ({"status": "open", "vendor": "chai"}, ["Winter blends"]),
    ({"status": "open", "vendor": "tea", "search": "winter"}, []),
]


@pytest.mark.parametrize(("query", "expected"), INFLUENCER_QUERIES)
def test_an_influencer_finds_the_same_campaigns_on_the_page_and_the_api(client, catalogue, query, expected):
    if "vendor" in query:
        query = {**query, "vendor": catalogue[query["vendor"]].pk}
    client.force_login(catalogue["influencer"])
    assert page_titles(client, query) == api_titles(catalogue["influencer"], query) == expected


def test_the_influencers_page_lists_the_open_campaigns_unless_asked_for_a_status(client, catalogue):
    influencer = catalogue["influencer"]
    client.force_login(influencer)
    assert (
        page_titles(client, {}) == api_titles(influencer, {"status": "open"}) == ["Winter blends", "Masala chai launch"]
    )
    assert "Festive fashion" in api_titles(influencer, {})  # the API lists the campaigns they joined too
    assert page_titles(client, {"search": "masala"}) == ["Winter blends", "Masala chai launch"]
    assert page_titles(client, {"status": "closed"}) == ["Festive fashion"]


def test_old_links_with_q_still_search(client, catalogue):
    client.force_login(catalogue["tea"])
    assert page_titles(client, {"q": "chai launch"}) == ["Masala chai launch"]
    assert page_titles(client, {"q": "chai", "search": "fashion"}) == ["Festive fashion"]  # the new name wins


def test_the_page_keeps_a_vendor_filter_from_a_link(client, catalogue):
    client.force_login(catalogue["influencer"])
    response = client.get(PAGE, {"vendor": catalogue["chai"].pk})
    assert [c.title for c in response.context["page"].object_list] == ["Winter blends"]
    assert f'<input type="hidden" name="vendor" value="{catalogue["chai"].pk}"' in response.content.decode()
    assert 'name="vendor"' not in client.get(PAGE).content.decode()


def test_the_filter_bar_shows_its_fields_with_their_labels(client, catalogue):
    client.force_login(catalogue["tea"])
    content = client.get(PAGE, {"search": "chai", "niche": "food"}).content.decode()
    assert (
        '<input type="search" name="search" value="chai" placeholder="Search campaigns" aria-label="Search">' in content
    )
    assert '<option value="food" selected>Food</option>' in content
    assert '<option value="" selected>Any status</option>' in content
    client.force_login(catalogue["influencer"])
    assert 'name="status"' not in client.get(PAGE).content.decode()


def test_a_status_the_list_does_not_know_is_an_error_on_page_and_api(client, catalogue):
    client.force_login(catalogue["tea"])
    response = client.get(PAGE, {"status": "paused"})
    assert "Status: Select a valid choice. paused is not one of the available choices." in response.content.decode()
    assert len(response.context["page"].object_list) == 3  # the refused filter is left out
    assert_error(api_client(catalogue["tea"]).get(API, {"status": "paused"}), 400, "status")
