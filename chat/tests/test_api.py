from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import InfluencerFactory, VendorFactory
from accounts.wallet import wallet_for_user, wallet_grant
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import component
from campaigns import services as campaign_services
from campaigns.tests.factories import CampaignFactory
from chat import services
from chat.models import Chat, Message
from chat.tests.factories import make_chat

pytestmark = pytest.mark.django_db

CHATS = "/api/v1/chats/"


def send(chat, sender, text):
    return services.message_send(chat=chat, sender=sender, text=text)


def test_vendor_opens_chat_paying_tokens_once():
    vendor, influencer = VendorFactory(), InfluencerFactory()
    client = api_client(vendor)
    body = assert_error(client.post(CHATS, {"other_user": influencer.pk}), 402)
    assert body["price"] == 50
    wallet_grant(user=vendor, amount=60, reason="test")
    first = client.post(CHATS, {"other_user": influencer.pk})
    assert first.status_code == 201
    assert first.json()["other"]["id"] == influencer.pk
    again = client.post(CHATS, {"other_user": influencer.pk})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert wallet_for_user(vendor).balance == 10


def test_accepted_application_opens_campaign_chat_for_free():
    campaign = CampaignFactory()
    influencer = InfluencerFactory()
    application = campaign_services.application_create(campaign=campaign, influencer=influencer, pitch="p")
    campaign_services.application_accept(application=application, actor=campaign.vendor)
    chat = Chat.objects.get()
    assert (chat.vendor, chat.influencer, chat.campaign) == (campaign.vendor, influencer, campaign)
    assert wallet_for_user(campaign.vendor).balance == 0
    # The influencer can also "open" it: they get the same chat.
    response = api_client(influencer).post(CHATS, {"other_user": campaign.vendor.pk, "campaign": campaign.pk})
    assert response.json()["id"] == chat.pk


def test_influencer_cannot_cold_message_a_vendor_and_same_roles_cannot_chat():
    assert_error(api_client(InfluencerFactory()).post(CHATS, {"other_user": VendorFactory().pk}), 403)
    assert_error(api_client(VendorFactory()).post(CHATS, {"other_user": VendorFactory().pk}), 400, "other_user")
    assert_error(api_client(VendorFactory()).post(CHATS, {"other_user": 99999999}), 400, "other_user")


def test_chat_list_order_last_message_and_unread_counts():
    vendor = VendorFactory()
    quiet = make_chat(vendor=vendor)
    busy = make_chat(vendor=vendor)
    send(quiet, quiet.influencer, "old news")
    send(busy, busy.influencer, "one")
    send(busy, busy.influencer, "two")
    chats = api_client(vendor).get(CHATS).json()["results"]
    assert [c["id"] for c in chats] == [busy.pk, quiet.pk]
    assert chats[0]["last_message"]["text"] == "two"
    assert [c["unread_count"] for c in chats] == [2, 1]
    last = busy.messages.order_by("-pk").first()
    api_client(vendor).post(f"{CHATS}{busy.pk}/read/", {"message_id": last.pk})
    chats = api_client(vendor).get(CHATS).json()["results"]
    assert [c["unread_count"] for c in chats] == [0, 1]
    # The sender never has unread messages of their own.
    assert api_client(busy.influencer).get(CHATS).json()["results"][0]["unread_count"] == 0


def test_chat_list_query_count_does_not_grow():
    vendor = VendorFactory()
    client = api_client(vendor)
    chat = make_chat(vendor=vendor)
    send(chat, chat.influencer, "hi")
    with CaptureQueriesContext(connection) as one:
        client.get(CHATS)
    for _ in range(15):
        other = make_chat(vendor=vendor)
        send(other, other.influencer, "hello")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(CHATS).json()["results"]) == 16
    assert len(many) == len(one)


def test_messages_newest_first_with_cursor_pagination_and_backfill():
    chat = make_chat()
    messages = [send(chat, chat.vendor, f"m{i}") for i in range(5)]
    client = api_client(chat.influencer)
    page = client.get(f"{CHATS}{chat.pk}/messages/", {"page_size": 2}).json()
    assert [m["text"] for m in page["results"]] == ["m4", "m3"]
    assert [m["text"] for m in client.get(page["next"]).json()["results"]] == ["m2", "m1"]
    after = client.get(f"{CHATS}{chat.pk}/messages/", {"after": messages[2].pk}).json()["results"]
    assert [m["text"] for m in after] == ["m4", "m3"]
    before = client.get(f"{CHATS}{chat.pk}/messages/", {"before": messages[1].pk}).json()["results"]
    assert [m["text"] for m in before] == ["m0"]
    assert_error(client.get(f"{CHATS}{chat.pk}/messages/", {"after": "x"}), 400, "after")


def test_send_message_validation():
    chat = make_chat()
    client = api_client(chat.vendor)
    assert client.post(f"{CHATS}{chat.pk}/messages/", {"text": "  hello  "}).json()["text"] == "hello"
    assert_error(client.post(f"{CHATS}{chat.pk}/messages/", {"text": "   "}), 400, "text")
    assert_error(client.post(f"{CHATS}{chat.pk}/messages/", {"text": "x" * 4001}), 400, "text")
    assert client.post(f"{CHATS}{chat.pk}/messages/", {"text": "x" * 4000}).status_code == 201


def test_non_participants_get_404():
    chat = make_chat()
    message = send(chat, chat.vendor, "private")
    stranger = api_client(VendorFactory())
    assert_error(stranger.get(f"{CHATS}{chat.pk}/"), 404)
    assert_error(stranger.get(f"{CHATS}{chat.pk}/messages/"), 404)
    assert_error(stranger.post(f"{CHATS}{chat.pk}/messages/", {"text": "hi"}), 404)
    assert_error(stranger.get(f"/api/v1/messages/{message.pk}/"), 404)
    assert_error(stranger.patch(f"/api/v1/messages/{message.pk}/", {"text": "x"}), 404)
    assert stranger.get(CHATS).json()["count"] == 0


def test_edit_and_delete_own_message_within_ten_minutes():
    chat = make_chat()
    message = send(chat, chat.vendor, "typo")
    vendor, influencer = api_client(chat.vendor), api_client(chat.influencer)
    assert_error(influencer.patch(f"/api/v1/messages/{message.pk}/", {"text": "mine"}), 403)
    edited = vendor.patch(f"/api/v1/messages/{message.pk}/", {"text": "fixed"}).json()
    assert edited["text"] == "fixed"
    assert edited["edited_at"]
    assert vendor.delete(f"/api/v1/messages/{message.pk}/").status_code == 204
    seen = influencer.get(f"/api/v1/messages/{message.pk}/").json()
    assert (seen["deleted"], seen["text"]) == (True, "")

    old = send(chat, chat.vendor, "old")
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    assert_error(vendor.patch(f"/api/v1/messages/{old.pk}/", {"text": "late"}), 409)
    assert_error(vendor.delete(f"/api/v1/messages/{old.pk}/"), 409)


def test_read_marker_only_moves_forward():
    chat = make_chat()
    first, second = send(chat, chat.vendor, "1"), send(chat, chat.vendor, "2")
    client = api_client(chat.influencer)
    assert client.post(f"{CHATS}{chat.pk}/read/", {"message_id": second.pk}).json()["last_read_message_id"] == second.pk
    assert client.post(f"{CHATS}{chat.pk}/read/", {"message_id": first.pk}).json()["last_read_message_id"] == second.pk
    other_chat = make_chat()
    foreign = send(other_chat, other_chat.vendor, "x")
    assert_error(client.post(f"{CHATS}{chat.pk}/read/", {"message_id": foreign.pk}), 400, "message_id")


def test_a_patch_without_text_leaves_the_message_as_it_is():
    chat = make_chat()
    message = send(chat, chat.vendor, "Hello")
    response = api_client(chat.vendor).patch(f"/api/v1/messages/{message.pk}/", {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "Hello"
    assert response.json()["edited_at"] is None
    assert "text" not in component("PatchedMessageInputRequest").get("required", [])
