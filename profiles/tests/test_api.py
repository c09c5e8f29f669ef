import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches, component, operation
from profiles import services
from profiles.tests.factories import InfluencerProfileFactory, niche

pytestmark = pytest.mark.django_db

PROFILE = "/api/v1/profile/"
INFLUENCERS = "/api/v1/influencers/"


# --- Your profile ------------------------------------------------------------------------------


def test_influencer_profile_get_and_patch():
    influencer = InfluencerFactory()
    client = api_client(influencer)
    assert client.get(PROFILE).json()["role"] == "influencer"
    response = client.patch(
        PROFILE,
        {
            "display_name": "Ira Sen",
            "niches": ["food", "travel"],
            "follower_band": "10k-50k",
            "engagement_rate": "4.20",
            "content_types": ["reels", "stories"],
            "social_links": {"instagram": "https://instagram.com/irasen"},
            "city": "Pune",
            "country": "India",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["display_name"] == "Ira Sen"
    assert sorted(body["niches"]) == ["food", "travel"]
    assert body["engagement_rate"] == "4.20"
    assert sorted(body["content_types"]) == ["reels", "stories"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"engagement_rate": "101"}, "engagement_rate"),
        ({"engagement_rate": "-1"}, "engagement_rate"),
        ({"niches": ["no-such-niche"]}, "niches"),
        ({"follower_band": "a lot"}, "follower_band"),
        ({"social_links": {"instagram": "not a url"}}, "social_links"),
        ({"social_links": {"myspace": "https://myspace.com/x"}}, "social_links"),
    ],
)
def test_bad_profile_input_names_field(payload, field):
    assert_error(api_client(InfluencerFactory()).patch(PROFILE, payload, format="json"), 400, field)


def test_vendor_profile_put():
    vendor = VendorFactory()
    response = api_client(vendor).put(
        PROFILE, {"business_name": "Chai & Co", "website": "https://chai.example", "city": "Kochi"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["business_name"] == "Chai & Co"
    assert_error(api_client(vendor).patch(PROFILE, {"business_name": ""}, format="json"), 400, "business_name")


def test_the_other_roles_fields_are_refused_naming_them_and_nothing_changes():
    influencer = InfluencerFactory()
    response = api_client(influencer).patch(PROFILE, {"city": "Pune", "invoice_prefix": "ABC"}, format="json")
    assert_error(response, 400, "invoice_prefix")
    assert response.json()["errors"]["invoice_prefix"] == ["An influencer's profile has no such field."]
    assert api_client(influencer).get(PROFILE).json()["city"] != "Pune"
    vendor = VendorFactory()
    assert_error(api_client(vendor).patch(PROFILE, {"niches": []}, format="json"), 400, "niches")
    # A body that is not an object is the serializer's 400, not a server error.
    assert_error(api_client(vendor).generic("PATCH", PROFILE, "null", "application/json"), 400, "non_field_errors")
    # What GET answered may be sent back as it is: read-only fields are not "other" fields.
    mine = api_client(vendor).get(PROFILE).json()
    mine.pop("logo", None)
    assert api_client(vendor).put(PROFILE, mine, format="json").status_code == 200


# --- The directory ---------------------------------------------------------------------------


def test_directory_filters_for_vendors_only():
    food = InfluencerFactory(display_name="Asha")
    services.influencer_profile_update(
        user=food, niches=[niche("food")], follower_band="10k-50k", engagement_rate="5.0", country="India"
    )
    travel = InfluencerFactory(display_name="Dev")
    services.influencer_profile_update(
        user=travel, niches=[niche("travel")], follower_band="1m+", engagement_rate="2.0", country="UAE"
    )
    client = api_client(VendorFactory())

    def names(**params):
        return [i["display_name"] for i in client.get(INFLUENCERS, params).json()["results"]]

    assert names() == ["Asha", "Dev"]
    assert names(niche="food") == ["Asha"]
    assert names(follower_band="1m+") == ["Dev"]
    assert names(min_engagement="3") == ["Asha"]
    assert names(country="india") == ["Asha"]
    assert client.get(f"{INFLUENCERS}{travel.pk}/").json()["niches"] == ["travel"]
    assert_error(client.get(f"{INFLUENCERS}{VendorFactory().pk}/"), 404)
    refused = assert_error(api_client(InfluencerFactory()).get(INFLUENCERS), 403)
    assert refused["detail"] == "The influencer directory is for vendors."


def test_directory_query_count_does_not_grow():
    client = api_client(VendorFactory())
    services.influencer_profile_update(user=InfluencerFactory(), niches=[niche("food")])
    with CaptureQueriesContext(connection) as one:
        client.get(INFLUENCERS)
    for _ in range(20):
        services.influencer_profile_update(user=InfluencerFactory(), niches=[niche("food"), niche("travel")])
    with CaptureQueriesContext(connection) as many:
        client.get(INFLUENCERS, {"page_size": 50})
    assert len(many) == len(one)


# --- Campaigns ------------------------------------------------------------------------------


@pytest.mark.parametrize(("user_factory", "role"), [(VendorFactory, "vendor"), (InfluencerFactory, "influencer")])
def test_the_profile_answer_matches_exactly_one_documented_shape(user_factory, role):
    client = api_client(user_factory())
    response = client.get(PROFILE)
    assert response.json()["role"] == role
    assert_matches(response, PROFILE, "get")
    assert component("Profile")["discriminator"]["propertyName"] == "role"
    assert_matches(client.patch(PROFILE, {"city": "Pune"}, format="json"), PROFILE, "patch")


def test_the_directory_answers_a_new_profiles_values_for_an_influencer_without_one():
    influencer = InfluencerFactory()
    response = api_client(VendorFactory()).get(f"{INFLUENCERS}{influencer.pk}/")
    body = response.json()
    assert (body["bio"], body["availability"], body["social_links"], body["engagement_rate"]) == (
        "",
        "available",
        {},
        None,
    )
    assert_matches(response, "/api/v1/influencers/{id}/", "get")


def test_social_links_are_documented_per_network():
    schema = component("PatchedInfluencerProfileRequest")["properties"]["social_links"]
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {"instagram", "youtube", "tiktok", "x", "facebook", "linkedin", "blog", "other"}
    response = api_client(InfluencerFactory()).patch(PROFILE, {"social_links": {"myspace": ""}}, format="json")
    assert_error(response, 400, "social_links")


def names(client, **params):
    return [influencer["display_name"] for influencer in client.get(INFLUENCERS, params).json()["results"]]


def test_directory_takes_several_follower_bands_and_availability():
    InfluencerProfileFactory(user=InfluencerFactory(display_name="Asha"), follower_band="10k-50k")
    InfluencerProfileFactory(user=InfluencerFactory(display_name="Dev"), follower_band="1m+", availability="limited")
    InfluencerProfileFactory(user=InfluencerFactory(display_name="Ira"), follower_band="0-1k")
    client = api_client(VendorFactory())
    assert names(client, follower_band=["10k-50k", "1m+"]) == ["Asha", "Dev"]
    assert names(client, follower_band=["10k-50k", "1m+"], availability="limited") == ["Dev"]
    assert_error(client.get(INFLUENCERS, {"availability": "sometimes"}), 400, "availability")
    assert_error(client.get(INFLUENCERS, {"follower_band": "a lot"}), 400, "follower_band")


def test_directory_search_needs_each_word_in_the_name_bio_or_city():
    InfluencerProfileFactory(user=InfluencerFactory(display_name="Asha Rao"), bio="Street food", city="Pune")
    InfluencerProfileFactory(user=InfluencerFactory(display_name="Dev"), bio="Food and travel", city="Kochi")
    client = api_client(VendorFactory())
    assert names(client, search="food") == ["Asha Rao", "Dev"]
    assert names(client, search="asha pune") == ["Asha Rao"]
    assert names(client, search="food mumbai") == []
    assert names(client, search='"street food"') == ["Asha Rao"]
    assert names(client, search="") == ["Asha Rao", "Dev"]


def test_directory_documents_the_same_parameters_as_before():
    parameters = {p["name"]: p for p in operation(INFLUENCERS, "get")["parameters"]}
    assert sorted(parameters) == [
        "availability",
        "content_type",
        "country",
        "follower_band",
        "min_engagement",
        "niche",
        "ordering",
        "page",
        "page_size",
        "search",
    ]
    assert parameters["follower_band"]["schema"]["type"] == "array"
    assert parameters["search"]["description"] == "A search term."
    # The page's labels stay on the page: no parameter is described by one.
    assert "description" not in parameters["niche"]
    assert parameters["availability"]["description"].startswith("* `available`")
