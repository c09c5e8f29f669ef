import pytest

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from accounts.wallet import wallet_for_user, wallet_grant
from anwariya.tests.api import api_client, assert_error
from broadcasts.models import Broadcast, Delivery
from campaigns.models import Application
from campaigns.tests.factories import CampaignFactory
from chat.models import Message

pytestmark = pytest.mark.django_db

URL = "/api/v1/broadcasts/"


@pytest.fixture
def shop():
    vendor = VendorFactory()
    wallet_grant(user=vendor, amount=100, reason="test tokens")
    campaign = CampaignFactory(vendor=vendor, title="Monsoon teas")
    fans = [InfluencerFactory(display_name=f"Fan {i}") for i in range(3)]
    for fan in fans:
        Application.objects.create(campaign=campaign, influencer=fan, status=Application.Status.ACCEPTED, message="!")
    return vendor, campaign, fans


def draft(client, campaign, **fields):
    body = {
        "title": "New flavours",
        "body": "Hi {name}, {campaign} has two new teas.",
        "audience": "campaign",
        "campaign": campaign.pk if campaign else None,
        "channels": ["chat", "email"],
        **fields,
    }
    return client.post(URL, body, format="json")


def test_vendor_writes_a_draft_and_starts_it(shop, django_capture_on_commit_callbacks):
    vendor, campaign, fans = shop
    client = api_client(vendor)
    created = draft(client, campaign)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["channels"], body["campaign_title"]) == ("draft", ["chat", "email"], "Monsoon teas")

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{URL}{body['id']}/start/")
    assert started.status_code == 200, started.content
    finished = client.get(f"{URL}{body['id']}/").json()
    assert finished["status"] == "finished"
    assert (finished["total"], finished["sent"], finished["failed"], finished["pending"]) == (6, 6, 0, 0)
    assert (finished["tokens_reserved"], finished["tokens_refunded"]) == (3, 0)
    assert wallet_for_user(vendor).balance == 97

    # The influencer finds it in their chats.
    chats = api_client(fans[0]).get("/api/v1/chats/").json()["results"]
    assert chats[0]["last_message"]["text"] == "New flavours\n\nHi Fan 0, Monsoon teas has two new teas."

    deliveries = client.get(f"{URL}{body['id']}/deliveries/", {"status": "sent", "channel": "chat"}).json()
    assert deliveries["count"] == 3
    assert {row["recipient_name"] for row in deliveries["results"]} == {"Fan 0", "Fan 1", "Fan 2"}
    assert_error(client.get(f"{URL}{body['id']}/deliveries/", {"status": "lost"}), 400, "status")


def test_only_drafts_are_edited_or_deleted_and_started_ones_cancelled(shop, settings):
    vendor, campaign, _ = shop
    client = api_client(vendor)
    broadcast_id = draft(client, campaign).json()["id"]
    edited = client.patch(f"{URL}{broadcast_id}/", {"title": "Fresh teas", "channels": ["email"]}, format="json")
    assert edited.status_code == 200, edited.content
    assert (edited.json()["title"], edited.json()["channels"]) == ("Fresh teas", ["email"])

    from anwariya.celery import app

    app.conf.task_always_eager = False  # keep it running: no worker picks the batches up
    try:
        assert client.post(f"{URL}{broadcast_id}/start/").json()["status"] == "running"
    finally:
        app.conf.task_always_eager = True
    assert_error(client.patch(f"{URL}{broadcast_id}/", {"title": "Late"}, format="json"), 409)
    assert_error(client.delete(f"{URL}{broadcast_id}/"), 409)
    assert client.post(f"{URL}{broadcast_id}/pause/").json()["status"] == "paused"
    cancelled = client.post(f"{URL}{broadcast_id}/cancel/").json()
    assert (cancelled["status"], cancelled["skipped"], cancelled["tokens_refunded"]) == ("cancelled", 3, 3)
    assert_error(client.post(f"{URL}{broadcast_id}/resume/"), 409)

    other = draft(client, campaign).json()["id"]
    assert client.delete(f"{URL}{other}/").status_code == 204
    assert not Broadcast.objects.filter(pk=other).exists()


def test_bad_input_names_the_field_and_writes_nothing(shop):
    vendor, campaign, fans = shop
    client = api_client(vendor)
    assert_error(draft(client, CampaignFactory()), 400, "campaign")  # another vendor's campaign
    assert_error(draft(client, campaign, channels=["pigeon"]), 400, "channels")
    assert_error(draft(client, campaign, channels=[]), 400, "channels")
    assert_error(draft(client, campaign, body="Hi {first_name}"), 400, "body")
    assert_error(draft(client, campaign, audience="everyone"), 400, "audience")
    assert_error(draft(client, campaign, scheduled_at="2001-01-01T00:00:00Z"), 400, "scheduled_at")
    other_vendor = VendorFactory()
    refused = assert_error(
        draft(client, None, audience="list", body="Hi {name}", recipients=[fans[0].pk, other_vendor.pk]),
        400,
        "recipients",
    )
    assert str(other_vendor.pk) in refused["errors"]["recipients"][0]
    assert_error(draft(client, campaign, audience="filter", filters={"follower_band": ["huge"]}), 400, "filters")
    assert not Broadcast.objects.exists()


def test_starting_without_tokens_is_402_and_changes_nothing(shop):
    _, _, fans = shop
    poor = VendorFactory()
    campaign = CampaignFactory(vendor=poor)
    Application.objects.create(campaign=campaign, influencer=fans[0], status=Application.Status.ACCEPTED, message="!")
    client = api_client(poor)
    broadcast_id = draft(client, campaign).json()["id"]
    body = assert_error(client.post(f"{URL}{broadcast_id}/start/"), 402)
    assert body["price"] == 1
    assert Broadcast.objects.get(pk=broadcast_id).status == "draft"
    assert not Delivery.objects.exists()


def test_broadcasts_are_private_to_their_vendor_and_closed_to_influencers(shop):
    vendor, campaign, fans = shop
    broadcast_id = draft(api_client(vendor), campaign).json()["id"]
    stranger = api_client(VendorFactory())
    assert stranger.get(f"{URL}{broadcast_id}/").status_code == 404
    assert stranger.post(f"{URL}{broadcast_id}/start/").status_code == 404
    assert stranger.get(URL).json()["count"] == 0
    refused = api_client(fans[0]).get(URL)
    assert (refused.status_code, refused.json()["detail"]) == (403, "Only vendors can do this.")
    assert api_client(fans[0]).post(URL, {}, format="json").status_code == 403
    assert api_client().get(URL).status_code == 401


def test_staff_write_for_a_named_vendor(shop):
    vendor, campaign, _ = shop
    staff = api_client(AdminFactory(is_staff=True))
    assert_error(draft(staff, campaign), 400, "vendor")
    created = draft(staff, campaign, vendor=vendor.pk)
    assert created.status_code == 201, created.content
    assert created.json()["vendor"] == vendor.pk
    assert staff.get(URL).json()["count"] == 1


def test_preview_audience_counts_and_samples(shop):
    vendor, campaign, fans = shop
    client = api_client(vendor)
    preview = client.get(f"{URL}preview-audience/", {"audience": "campaign", "campaign": campaign.pk}).json()
    assert preview["count"] == 3
    assert {row["name"] for row in preview["sample"]} == {"Fan 0", "Fan 1", "Fan 2"}
    assert (preview["price_per_recipient"], preview["cost"]) == (1, 3)
    listed = client.get(f"{URL}preview-audience/", {"audience": "list", "recipients": f"{fans[0].pk},{fans[1].pk}"})
    assert listed.json()["count"] == 2
    assert_error(client.get(f"{URL}preview-audience/", {"audience": "crowd"}), 400, "audience")
    assert_error(
        client.get(f"{URL}preview-audience/", {"audience": "campaign", "campaign": CampaignFactory().pk}),
        400,
        "campaign",
    )
    assert_error(client.get(f"{URL}preview-audience/", {"audience": "list", "recipients": "1,x"}), 400, "recipients")


def test_retry_failed_is_409_when_nothing_failed(shop, django_capture_on_commit_callbacks):
    vendor, campaign, _ = shop
    client = api_client(vendor)
    broadcast_id = draft(client, campaign).json()["id"]
    assert_error(client.post(f"{URL}{broadcast_id}/retry-failed/"), 409)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{URL}{broadcast_id}/start/")
    assert_error(client.post(f"{URL}{broadcast_id}/retry-failed/"), 409)
    assert Message.objects.count() == 3


def test_the_audience_kind_follows_from_the_fields_given(shop):
    vendor, campaign, fans = shop
    client = api_client(vendor)
    by_campaign = client.post(URL, {"title": "T", "body": "B", "campaign": campaign.pk}, format="json")
    assert (by_campaign.status_code, by_campaign.json()["audience"]) == (201, "campaign")
    by_list = client.post(URL, {"title": "T", "body": "B", "recipients": [fans[0].pk]}, format="json")
    assert (by_list.json()["audience"], by_list.json()["recipients"]) == ("list", [fans[0].pk])
    by_filter = client.post(
        URL, {"title": "T", "body": "B", "country": "India", "min_engagement": "2.5"}, format="json"
    )
    assert by_filter.json()["audience"] == "filter"
    assert by_filter.json()["filters"] == {"country": "India", "min_engagement": "2.50"}
    assert client.get(f"{URL}preview-audience/", {"campaign": campaign.pk}).json()["count"] == 3
    assert_error(client.post(URL, {"title": "T", "body": "B"}, format="json"), 400, "campaign")


def test_a_draft_campaign_with_broadcasts_is_not_deleted_under_them(shop):
    vendor, _, _ = shop
    client = api_client(vendor)
    draft_campaign = CampaignFactory(vendor=vendor, status="draft")
    broadcast_id = draft(client, draft_campaign).json()["id"]
    assert_error(client.delete(f"/api/v1/campaigns/{draft_campaign.pk}/"), 409)
    assert client.delete(f"{URL}{broadcast_id}/").status_code == 204
    assert client.delete(f"/api/v1/campaigns/{draft_campaign.pk}/").status_code == 204


def test_odd_ids_are_a_400_naming_the_field(shop):
    vendor = shop[0]
    client = api_client(vendor)
    for recipients in ("99999999999999999999", "1_0", "-1", "²"):
        assert_error(client.get(f"{URL}preview-audience/", {"recipients": recipients}), 400, "recipients")
    assert_error(draft(client, None, audience="list", body="Hi", recipients=[2**70]), 400, "recipients")
    theirs = CampaignFactory()
    missing = client.post(URL, {"title": "T", "body": "B", "campaign": 10**9}, format="json")
    mine_missing = assert_error(missing, 400, "campaign")
    not_mine = assert_error(
        client.post(URL, {"title": "T", "body": "B", "campaign": theirs.pk}, format="json"), 400, "campaign"
    )
    assert mine_missing["errors"]["campaign"] == not_mine["errors"]["campaign"]  # no hint that it exists


def test_retry_failed_answers_the_broadcast_with_the_count(shop, monkeypatch, django_capture_on_commit_callbacks):
    import smtplib

    vendor, campaign, _ = shop
    client = api_client(vendor)
    broadcast_id = draft(client, campaign, channels=["email"]).json()["id"]

    def refused(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refused)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{URL}{broadcast_id}/start/")
    assert client.get(f"{URL}{broadcast_id}/").json()["failed"] == 3
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(f"{URL}{broadcast_id}/retry-failed/")
    assert retried.status_code == 200
    assert (retried.json()["retried"], retried.json()["status"]) == (3, "running")
    assert client.get(f"{URL}{broadcast_id}/").json()["sent"] == 3
