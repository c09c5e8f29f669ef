import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client
from profiles.models import VendorProfile
from profiles.tests.factories import InfluencerProfileFactory, niche

pytestmark = pytest.mark.django_db

DIRECTORY = "/influencers/"
DIRECTORY_API = "/api/v1/influencers/"


def test_influencer_edits_profile(client):
    influencer = InfluencerFactory()
    client.force_login(influencer)
    assert client.get(reverse("profiles:profile")).status_code == 200
    response = client.post(
        reverse("profiles:profile"),
        {
            "display_name": "Ira Sen",
            "niches": [niche("food").pk],
            "follower_band": "10k-50k",
            "engagement_rate": "4.5",
            "content_formats": [],
            "availability": "available",
            "bio": "Food stories from Pune.",
            "city": "Pune",
            "country": "India",
            "link_instagram": "https://instagram.com/ira",
        },
        follow=True,
    )
    assert "Your profile was saved." in response.content.decode()
    profile = influencer.influencer_profile
    profile.refresh_from_db()
    assert profile.social_links == {"instagram": "https://instagram.com/ira"}
    assert [n.slug for n in profile.niches.all()] == ["food"]


def test_vendor_edits_business_profile_and_time_zone(client):
    vendor = VendorFactory()
    client.force_login(vendor)
    page = client.get(reverse("profiles:profile")).content.decode()
    assert "Your business profile" in page
    response = client.post(
        reverse("profiles:profile"),
        {"display_name": "Asha", "business_name": "Chai & Co", "time_zone": "Asia/Dubai", "city": "Kochi"},
        follow=True,
    )
    assert "Your profile was saved." in response.content.decode()
    profile = VendorProfile.objects.get(user=vendor)
    assert (profile.time_zone, profile.city) == ("Asia/Dubai", "Kochi")
    vendor.refresh_from_db()
    assert vendor.business_name == "Chai & Co"


def test_admin_accounts_have_no_profile_page(client):
    client.force_login(AdminFactory())
    assert client.get(reverse("profiles:profile")).status_code == 403


def test_the_pages_keep_their_paths():
    assert (reverse("profiles:profile"), reverse("profiles:directory")) == ("/profile/", DIRECTORY)


# --- The directory ---------------------------------------------------------------------------


@pytest.fixture
def three_influencers():
    InfluencerProfileFactory(
        user=InfluencerFactory(display_name="Asha Rao"),
        niches=["food"],
        content_formats=["reels"],
        follower_band="10k-50k",
        engagement_rate="5.0",
        bio="Street food",
        city="Pune",
        country="India",
    )
    InfluencerProfileFactory(
        user=InfluencerFactory(display_name="Dev"),
        niches=["travel"],
        follower_band="1m+",
        engagement_rate="2.0",
        availability="limited",
        city="Dubai",
        country="UAE",
    )
    InfluencerProfileFactory(
        user=InfluencerFactory(display_name="Ira"),
        niches=["food", "travel"],
        follower_band="0-1k",
        availability="unavailable",
        country="India",
    )


def listed(response):
    """The names on the directory's cards, in order."""
    assert response.status_code == 200
    return [influencer.display_name for influencer in response.context["page"].object_list]


def test_directory_page_takes_several_follower_bands_and_availability(vendor_client, three_influencers):
    page = vendor_client.get(DIRECTORY, {"follower_band": ["10k-50k", "1m+"]})
    assert listed(page) == ["Asha Rao", "Dev"]
    both = vendor_client.get(DIRECTORY, {"follower_band": ["10k-50k", "1m+"], "availability": "limited"})
    assert listed(both) == ["Dev"]
    html = both.content.decode()
    assert 'name="follower_band" value="10k-50k"' in html
    assert 'value="limited" selected' in html
    assert listed(vendor_client.get(DIRECTORY, {"availability": "unavailable"})) == ["Ira"]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"niche": "food"},
        {"niche": "no-such-niche"},
        {"follower_band": ["0-1k", "1m+"]},
        {"availability": "available"},
        {"min_engagement": "3"},
        {"content_type": "reels"},
        {"country": "india"},
        {"search": "food"},
        {"search": "dev dubai"},
        {"niche": "travel", "country": "UAE", "follower_band": ["1m+", "10k-50k"]},
    ],
)
def test_directory_page_and_api_list_the_same_influencers(vendor_client, three_influencers, query):
    answer = api_client(vendor_client.vendor).get(DIRECTORY_API, query).json()
    from_api = [influencer["display_name"] for influencer in answer["results"]]
    assert listed(vendor_client.get(DIRECTORY, query)) == from_api


def test_directory_page_still_reads_the_old_search_parameter(vendor_client, three_influencers):
    assert listed(vendor_client.get(DIRECTORY, {"q": "street"})) == ["Asha Rao"]


def test_directory_page_shows_a_refused_filter_and_applies_the_others(vendor_client, three_influencers):
    response = vendor_client.get(DIRECTORY, {"min_engagement": "lots", "country": "India"})
    assert listed(response) == ["Asha Rao", "Ira"]
    assert "Minimum engagement (%): Enter a number." in response.content.decode()


def test_directory_page_sent_with_empty_fields_filters_nothing(vendor_client, three_influencers):
    empty_form = dict.fromkeys(("search", "niche", "min_engagement", "content_type", "country", "availability"), "")
    response = vendor_client.get(DIRECTORY, empty_form)
    assert listed(response) == ["Asha Rao", "Dev", "Ira"]
    assert 'class="form-errors"' not in response.content.decode()


def test_directory_page_offers_the_managed_lists(vendor_client):
    html = vendor_client.get(DIRECTORY).content.decode()
    assert '<option value="food">Food</option>' in html
    assert '<option value="reels">Reels</option>' in html
    assert "Any availability" in html


def test_directory_page_is_for_vendors(client):
    client.force_login(InfluencerFactory())
    assert client.get(DIRECTORY).status_code == 403
    client.logout()
    assert client.get(DIRECTORY).status_code == 302


def test_directory_page_query_count_does_not_grow(vendor_client):
    InfluencerProfileFactory(niches=["food"])
    with CaptureQueriesContext(connection) as one:
        vendor_client.get(DIRECTORY)
    for _ in range(10):
        InfluencerProfileFactory(niches=["food", "travel"], content_formats=["reels"])
    with CaptureQueriesContext(connection) as many:
        vendor_client.get(DIRECTORY, {"niche": "food"})
    assert len(many) == len(one)
