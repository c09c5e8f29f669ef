import pytest

from accounts.tests.factories import InfluencerFactory, VendorFactory
from accounts.wallet import wallet_for_user, wallet_grant
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches
from billing.models import Bill
from campaigns import services
from campaigns.models import Application
from campaigns.tests.factories import CampaignFactory
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/api/v1/campaigns/"
APPLICATIONS = "/api/v1/applications/"


def campaign_payload(**overrides):
    return {
        "title": "Monsoon tea launch",
        "description": "Show our new masala chai.",
        "deliverables": "1 reel, 2 stories",
        "budget": "15000.00",
        "start_date": "2026-12-01",
        "end_date": "2026-12-31",
        "niches": ["food", "lifestyle"],
        **overrides,
    }


def test_vendor_creates_opens_and_closes_campaign():
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor)
    client = api_client(vendor)
    response = client.post(CAMPAIGNS, campaign_payload(product=product.pk), format="json")
    assert response.status_code == 201, response.content
    campaign = response.json()
    assert campaign["status"] == "draft"
    assert client.post(f"{CAMPAIGNS}{campaign['id']}/open/").json()["status"] == "open"
    assert client.patch(f"{CAMPAIGNS}{campaign['id']}/", {"status": "closed"}).json()["status"] == "closed"
    assert_error(client.patch(f"{CAMPAIGNS}{campaign['id']}/", {"title": "x"}), 409)
    assert_error(client.delete(f"{CAMPAIGNS}{campaign['id']}/"), 409)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": "2026-11-01"}, "end_date"),
        ({"budget": "-5"}, "budget"),
        ({"budget": "lots"}, "budget"),
        ({"title": ""}, "title"),
        ({"niches": ["nope"]}, "niches"),
        ({"niches": {}}, "niches"),  # an object is not a list of slugs (DRF would take its keys)
        ({"niches": {"food": 1}}, "niches"),
        ({"start_date": "soon"}, "start_date"),
    ],
)
def test_bad_campaign_input(overrides, field):
    assert_error(api_client(VendorFactory()).post(CAMPAIGNS, campaign_payload(**overrides), format="json"), 400, field)


def test_campaign_with_another_vendors_product_is_400():
    other_product = ProductFactory()
    response = api_client(VendorFactory()).post(CAMPAIGNS, campaign_payload(product=other_product.pk), format="json")
    assert_error(response, 400, "product")


def test_influencers_cannot_create_campaigns():
    assert_error(api_client(InfluencerFactory()).post(CAMPAIGNS, campaign_payload(), format="json"), 403)


def test_visibility_of_drafts_and_other_vendors_campaigns():
    draft = CampaignFactory(status="draft")
    open_campaign = CampaignFactory()
    other_vendor = api_client(VendorFactory())
    assert_error(other_vendor.get(f"{CAMPAIGNS}{draft.pk}/"), 404)
    assert_error(other_vendor.get(f"{CAMPAIGNS}{open_campaign.pk}/"), 404)
    assert other_vendor.get(CAMPAIGNS).json()["count"] == 0
    influencer = api_client(InfluencerFactory())
    assert [c["id"] for c in influencer.get(CAMPAIGNS).json()["results"]] == [open_campaign.pk]
    assert_error(influencer.get(f"{CAMPAIGNS}{draft.pk}/"), 404)


def test_apply_list_accept_and_referral_code_flow():
    campaign = CampaignFactory()
    influencer = InfluencerFactory()
    client = api_client(influencer)
    response = client.post(f"{CAMPAIGNS}{campaign.pk}/applications/", {"pitch": "I cook with chai daily."})
    assert response.status_code == 201
    application = response.json()
    assert application["status"] == "pending"
    assert_error(client.post(f"{CAMPAIGNS}{campaign.pk}/applications/", {"pitch": "again"}), 409)
    assert_error(client.get(f"{CAMPAIGNS}{campaign.pk}/applications/"), 403)

    vendor = api_client(campaign.vendor)
    listed = vendor.get(f"{CAMPAIGNS}{campaign.pk}/applications/").json()["results"]
    assert [a["id"] for a in listed] == [application["id"]]
    accepted = vendor.post(f"{APPLICATIONS}{application['id']}/accept/").json()
    assert accepted["status"] == "accepted"
    assert accepted["referral_code"]
    mine = client.get(APPLICATIONS).json()["results"]
    assert mine[0]["referral_code"] == accepted["referral_code"]


def test_vendor_cannot_apply_and_other_vendor_cannot_see_applications():
    campaign = CampaignFactory()
    assert_error(api_client(VendorFactory()).post(f"{CAMPAIGNS}{campaign.pk}/applications/", {"pitch": "x"}), 404)
    assert_error(api_client(campaign.vendor).post(f"{CAMPAIGNS}{campaign.pk}/applications/", {"pitch": "x"}), 403)
    application = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="p")
    other = api_client(VendorFactory())
    assert_error(other.get(f"{APPLICATIONS}{application.pk}/"), 404)
    assert_error(other.post(f"{APPLICATIONS}{application.pk}/accept/"), 404)
    assert other.get(APPLICATIONS).json()["count"] == 0


def test_apply_to_closed_campaign_is_409():
    campaign = CampaignFactory(status="closed")
    influencer = InfluencerFactory()
    services.application_create(campaign=CampaignFactory(), influencer=influencer, pitch="x")
    # A closed campaign is visible only to those on it; to others it does not exist.
    assert_error(api_client(influencer).post(f"{CAMPAIGNS}{campaign.pk}/applications/", {"pitch": "x"}), 404)


def test_withdraw_and_empty_pitch():
    campaign = CampaignFactory()
    client = api_client(InfluencerFactory())
    assert_error(client.post(f"{CAMPAIGNS}{campaign.pk}/applications/", {"pitch": ""}), 400, "pitch")
    application = client.post(f"{CAMPAIGNS}{campaign.pk}/applications/", {"pitch": "Hi"}).json()
    assert client.post(f"{APPLICATIONS}{application['id']}/withdraw/").json()["status"] == "withdrawn"
    assert_error(client.post(f"{APPLICATIONS}{application['id']}/withdraw/"), 409)


def test_invite_costs_tokens_and_402_without():
    campaign = CampaignFactory()
    influencer = InfluencerFactory()
    vendor = api_client(campaign.vendor)
    body = assert_error(vendor.post(f"{CAMPAIGNS}{campaign.pk}/invite/", {"influencer": influencer.pk}), 402)
    assert (body["balance"], body["price"]) == (0, 50)
    wallet_grant(user=campaign.vendor, amount=50, reason="test")
    invitation = vendor.post(f"{CAMPAIGNS}{campaign.pk}/invite/", {"influencer": influencer.pk}).json()
    assert invitation["status"] == "invited"
    assert wallet_for_user(campaign.vendor).balance == 0
    assert_error(
        vendor.post(f"{CAMPAIGNS}{campaign.pk}/invite/", {"influencer": VendorFactory().pk}), 400, "influencer"
    )
    declined = api_client(influencer).post(f"{APPLICATIONS}{invitation['id']}/reject/").json()
    assert declined["status"] == "declined"


# --- Attribution -------------------------------------------------------------------------------


def test_bill_with_referral_code_is_attributed_and_unknown_code_is_400():
    campaign = CampaignFactory()
    influencer = InfluencerFactory()
    application = services.application_create(campaign=campaign, influencer=influencer, pitch="p")
    services.application_accept(application=application, actor=campaign.vendor)
    product = ProductFactory(vendor=campaign.vendor, quantity=10)
    client = api_client(campaign.vendor)
    payload = {
        "customer_name": "Meera",
        "customer_email": "meera@example.com",
        "referral_code": application.referral_code.lower(),
        "items": [{"product": product.pk, "quantity": 1}],
    }
    body = client.post("/api/v1/bills/", payload, format="json").json()
    assert (body["campaign"], body["influencer"]) == (campaign.pk, influencer.pk)
    assert body["referral_code"] == application.referral_code
    assert Bill.objects.get().referral == application

    assert_error(
        client.post("/api/v1/bills/", {**payload, "referral_code": "NOPE1234"}, format="json"), 400, "referral_code"
    )
    other_vendor = VendorFactory()
    other_product = ProductFactory(vendor=other_vendor, quantity=5)
    response = api_client(other_vendor).post(
        "/api/v1/bills/", {**payload, "items": [{"product": other_product.pk, "quantity": 1}]}, format="json"
    )
    assert_error(response, 400, "referral_code")
    assert Bill.objects.count() == 1
    assert Application.objects.get(pk=application.pk).bills.count() == 1


def test_out_of_range_ids_in_filters_are_400():
    client = api_client(VendorFactory())
    assert_error(client.get(CAMPAIGNS, {"vendor": "99999999999999999999999"}), 400, "vendor")
    assert_error(client.get(APPLICATIONS, {"campaign": "99999999999999999999999"}), 400, "campaign")


def test_create_campaign_open_directly_and_dates_in_range():
    client = api_client(VendorFactory())
    assert client.post(CAMPAIGNS, campaign_payload(status="open"), format="json").json()["status"] == "open"
    assert_error(client.post(CAMPAIGNS, campaign_payload(status="closed"), format="json"), 400, "status")
    assert_error(client.post(CAMPAIGNS, campaign_payload(start_date="0001-01-01"), format="json"), 400, "start_date")


# --- The answers match the schema ---------------------------------------------------------


def test_campaign_counts_are_present_as_null_for_influencers():
    campaign = CampaignFactory()
    services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="p")
    response = api_client(InfluencerFactory()).get(f"{CAMPAIGNS}{campaign.pk}/")
    assert (response.json()["application_count"], response.json()["pending_count"]) == (None, None)
    assert_matches(response, "/api/v1/campaigns/{id}/", "get")
    vendor = api_client(campaign.vendor).get(f"{CAMPAIGNS}{campaign.pk}/").json()
    assert (vendor["application_count"], vendor["pending_count"]) == (1, 1)
    patched = api_client(campaign.vendor).patch(f"{CAMPAIGNS}{campaign.pk}/", {"title": "New"}, format="json")
    assert patched.json()["application_count"] == 1
    assert_matches(patched, "/api/v1/campaigns/{id}/", "patch")


def test_a_second_application_is_a_documented_409():
    campaign = CampaignFactory()
    client = api_client(InfluencerFactory())
    client.post(f"{CAMPAIGNS}{campaign.pk}/applications/", {"pitch": "Hi"})
    response = client.post(f"{CAMPAIGNS}{campaign.pk}/applications/", {"pitch": "Again"})
    assert_error(response, 409, "campaign")
    assert_matches(response, "/api/v1/campaigns/{id}/applications/", "post")
