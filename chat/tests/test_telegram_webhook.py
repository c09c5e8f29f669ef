"""The webhook: who may post, each update once, linking with /start CODE, replies into chats,
and a helpful answer for everything else. The bot's answers go through the fake Bot API."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from campaigns.tests.factories import CampaignFactory
from chat import services
from chat.models import Message, TelegramAccount, TelegramLinkCode, TelegramMessage, TelegramUpdate
from chat.telegram import updates
from chat.telegram.services import telegram_link_code_issue
from chat.tests.factories import link_telegram, make_chat
from chat.tests.telegram import SECRET, SECRET_HEADER, WEBHOOK, telegram_update

pytestmark = pytest.mark.django_db

IRA_CHAT = 5550001


def notify(on_commit, chat, sender, text):
    """Send a chat message; returns the Telegram message id of the notification it produced."""
    on_commit(services.message_send, chat=chat, sender=sender, text=text)
    return TelegramMessage.objects.filter(kind="notification").latest("pk").telegram_message_id


# --- Who may post ---------------------------------------------------------------------------------


def test_missing_or_wrong_secret_is_refused(telegram, post_update):
    update = telegram_update("/start", chat_id=IRA_CHAT)
    assert_error(post_update(update, headers={}), 403)
    assert_error(post_update(update, headers={"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": SECRET + "x"}), 403)
    assert_error(post_update(update, headers={"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": ""}), 403)
    assert not TelegramUpdate.objects.exists()
    assert telegram.calls == []


def test_without_a_secret_setting_every_request_is_refused(telegram, post_update, settings):
    settings.TELEGRAM_WEBHOOK_SECRET = ""
    update = telegram_update("/start", chat_id=IRA_CHAT)
    body = assert_error(post_update(update, headers={"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": ""}), 403)
    assert "not configured" in body["detail"]
    assert_error(post_update(update, headers={"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": SECRET}), 403)
    assert not TelegramUpdate.objects.exists()


def test_secret_is_checked_before_the_body_is_read(telegram):
    response = api_client().generic("POST", WEBHOOK, "{not json", content_type="application/json")
    assert_error(response, 403)


def test_malformed_update_is_400_naming_the_field(telegram, post_update):
    client = api_client()
    headers = {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": SECRET}
    broken = client.generic("POST", WEBHOOK, "{not json", content_type="application/json", **headers)
    assert_error(broken, 400, "non_field_errors")
    assert_error(post_update({"message": {"text": "hi"}}), 400, "update_id")
    assert_error(post_update({"update_id": "seven"}), 400, "update_id")
    assert_error(post_update({"update_id": -1}), 400, "update_id")
    assert_error(post_update([1, 2]), 400, "non_field_errors")
    assert not TelegramUpdate.objects.exists()


# --- Each update once -----------------------------------------------------------------------------


def test_replayed_update_posts_one_message(telegram, post_update, on_commit):
    chat = make_chat()
    link_telegram(chat.influencer, IRA_CHAT)
    notification_id = notify(on_commit, chat, chat.vendor, "Can you post on Friday?")
    update = telegram_update("Yes, Friday works.", chat_id=IRA_CHAT, reply_to=notification_id)

    first = post_update(update)
    again = post_update(update)

    assert first.status_code == 200
    assert first.json() == {"ok": True, "outcome": "posted"}
    assert again.status_code == 200
    assert again.json() == {"ok": True, "outcome": "duplicate"}
    assert list(chat.messages.filter(sender=chat.influencer).values_list("text", flat=True)) == ["Yes, Friday works."]
    assert TelegramUpdate.objects.filter(update_id=update["update_id"]).count() == 1


def test_unknown_kinds_and_group_chats_are_ignored_with_200(telegram, post_update):
    edited = {"update_id": 1, "edited_message": {"message_id": 3, "chat": {"id": IRA_CHAT, "type": "private"}}}
    callback = {"update_id": 2, "callback_query": {"id": "x"}}
    group = telegram_update("hello all", chat_id=-100200300)
    group["message"]["chat"]["type"] = "supergroup"
    bot = telegram_update("I am a bot", chat_id=IRA_CHAT)
    bot["message"]["from"]["is_bot"] = True

    for update in (edited, callback, group, bot):
        response = post_update(update)
        assert response.status_code == 200
        assert response.json()["outcome"] == "ignored"
    assert telegram.calls == []
    assert list(TelegramUpdate.objects.order_by("update_id").values_list("kind", flat=True))[:2] == [
        "edited_message",
        "callback_query",
    ]


def test_a_failing_handler_still_answers_200_and_is_recorded(telegram, post_update, monkeypatch):
    def broken(message, telegram_chat_id):
        TelegramAccount.objects.create(user=VendorFactory(), telegram_chat_id=1)  # undone with the failure
        raise RuntimeError("bug")

    monkeypatch.setattr(updates, "_handle_message", broken)
    response = post_update(telegram_update("hi", chat_id=IRA_CHAT))
    assert response.status_code == 200
    assert response.json()["outcome"] == "error"
    assert TelegramUpdate.objects.get().outcome == "error"
    assert not TelegramAccount.objects.exists()


# --- Linking --------------------------------------------------------------------------------------


def test_start_with_code_links_the_chat_and_the_code_works_once(telegram, post_update):
    influencer = InfluencerFactory(display_name="Ira Rao")
    code = telegram_link_code_issue(user=influencer).code

    response = post_update(telegram_update(f"/start {code}", chat_id=IRA_CHAT, username="ira_tg"))

    assert response.json()["outcome"] == "linked"
    account = TelegramAccount.objects.get(user=influencer)
    assert (account.telegram_chat_id, account.username, account.first_name) == (IRA_CHAT, "ira_tg", "Ira")
    [reply] = telegram.sent(IRA_CHAT)
    assert "linked" in reply["text"]
    assert "Ira Rao" in reply["text"]
    assert TelegramLinkCode.objects.get(user=influencer).used_at is not None

    # The same code again, from another Telegram account: refused, nothing moves.
    other_chat = 5550002
    again = post_update(telegram_update(f"/start {code}", chat_id=other_chat))
    assert again.json()["outcome"] == "link_refused"
    [refusal] = telegram.sent(other_chat)
    assert "already used" in refusal["text"]
    assert "profile" in refusal["text"]
    assert TelegramAccount.objects.get(user=influencer).telegram_chat_id == IRA_CHAT


def test_code_is_case_insensitive_and_accepts_the_bot_mention(telegram, post_update):
    vendor = VendorFactory()
    code = telegram_link_code_issue(user=vendor).code
    response = post_update(telegram_update(f"/start@AnwariyaBot  {code.lower()} ", chat_id=IRA_CHAT))
    assert response.json()["outcome"] == "linked"
    assert TelegramAccount.objects.get(user=vendor).telegram_chat_id == IRA_CHAT


def test_bad_and_expired_codes_get_helpful_replies(telegram, post_update):
    influencer = InfluencerFactory()
    link_code = telegram_link_code_issue(user=influencer)
    link_code.expires_at = timezone.now() - timedelta(seconds=1)
    link_code.save(update_fields=["expires_at"])

    post_update(telegram_update("/start NOSUCHCODE", chat_id=IRA_CHAT))
    post_update(telegram_update(f"/start {link_code.code}", chat_id=IRA_CHAT))

    unknown, expired = (payload["text"] for payload in telegram.sent(IRA_CHAT))
    assert "not valid" in unknown
    assert "expired" in expired
    assert "/start CODE" in expired
    assert not TelegramAccount.objects.exists()


def test_a_new_code_replaces_the_old_one(telegram, post_update):
    influencer = InfluencerFactory()
    old = telegram_link_code_issue(user=influencer).code
    new = telegram_link_code_issue(user=influencer).code
    assert old != new
    assert TelegramLinkCode.objects.filter(user=influencer).count() == 1

    assert post_update(telegram_update(f"/start {old}", chat_id=IRA_CHAT)).json()["outcome"] == "link_refused"
    assert post_update(telegram_update(f"/start {new}", chat_id=IRA_CHAT)).json()["outcome"] == "linked"


def test_start_without_code_greets_and_explains_how_to_link(telegram, post_update):
    post_update(telegram_update("/start", chat_id=IRA_CHAT))
    [greeting] = telegram.sent(IRA_CHAT)
    assert "Hello" in greeting["text"]
    assert "/start CODE" in greeting["text"]
    assert "profile" in greeting["text"]

    link_telegram(InfluencerFactory(display_name="Ira Rao"), IRA_CHAT)
    post_update(telegram_update("/help", chat_id=IRA_CHAT))
    assert "Hello Ira Rao" in telegram.sent(IRA_CHAT)[-1]["text"]


def test_relinking_moves_a_telegram_chat_to_the_new_user(telegram, post_update):
    first_owner, new_owner = InfluencerFactory(), VendorFactory()
    link_telegram(first_owner, IRA_CHAT)
    link_telegram(new_owner, 5559999)  # the new owner's earlier Telegram chat

    code = telegram_link_code_issue(user=new_owner).code
    assert post_update(telegram_update(f"/start {code}", chat_id=IRA_CHAT)).json()["outcome"] == "linked"

    assert not TelegramAccount.objects.filter(user=first_owner).exists()
    assert list(TelegramAccount.objects.values_list("user", "telegram_chat_id")) == [(new_owner.pk, IRA_CHAT)]


# --- Messages and replies -------------------------------------------------------------------------


def test_unlinked_telegram_chat_is_told_how_to_link(telegram, post_update):
    response = post_update(telegram_update("hello?", chat_id=4440001))
    assert response.status_code == 200
    assert response.json()["outcome"] == "not_linked"
    [reply] = telegram.sent(4440001)
    assert "not linked" in reply["text"]
    assert "open your anwariya profile to get a code" in reply["text"].lower()
    assert TelegramMessage.objects.get().kind == "reply"


def test_reply_to_notification_posts_into_the_chat_and_the_other_side_sees_it(telegram, post_update, on_commit):
    campaign = CampaignFactory(title="Diwali Glow")
    vendor = campaign.vendor
    chat = make_chat(vendor=vendor, influencer=InfluencerFactory(), campaign=campaign)
    link_telegram(chat.influencer, IRA_CHAT)
    other_chat = make_chat(vendor=vendor, influencer=chat.influencer)  # a second chat of the same pair
    notification_id = notify(on_commit, chat, vendor, "Can you post on Friday?")
    notify(on_commit, other_chat, vendor, "Another topic")

    response = post_update(telegram_update("Yes, Friday works.", chat_id=IRA_CHAT, reply_to=notification_id))

    assert response.json()["outcome"] == "posted"
    message = Message.objects.latest("pk")
    assert (message.chat_id, message.sender_id, message.text) == (chat.pk, chat.influencer.pk, "Yes, Friday works.")
    seen = api_client(vendor).get(f"/api/v1/chats/{chat.pk}/messages/").json()["results"]
    assert seen[0]["text"] == "Yes, Friday works."
    assert seen[0]["sender"] == chat.influencer.pk
    assert api_client(vendor).get("/api/v1/chats/").json()["results"][0]["unread_count"] == 1
    # The influencer wrote it, so only the vendor (not linked) would be told: no new Telegram message.
    assert len(telegram.sent(IRA_CHAT)) == 2


def test_plain_messages_and_unmappable_replies_get_how_to_answer(telegram, post_update, on_commit):
    chat = make_chat()
    link_telegram(chat.influencer, IRA_CHAT)
    notify(on_commit, chat, chat.vendor, "hello")

    assert post_update(telegram_update("hi there", chat_id=IRA_CHAT)).json()["outcome"] == "not_a_reply"
    assert post_update(telegram_update("ok", chat_id=IRA_CHAT, reply_to=1)).json()["outcome"] == "unmapped_reply"

    how_to, unmapped = (payload for payload in telegram.sent(IRA_CHAT)[1:])
    assert "reply to it" in how_to["text"]
    assert how_to["reply_parameters"]["message_id"] > 0
    assert "which chat" in unmapped["text"]
    assert chat.messages.count() == 1


def test_replying_to_someone_elses_notification_does_not_post(telegram, post_update, on_commit):
    chat = make_chat()
    link_telegram(chat.influencer, IRA_CHAT)
    notification_id = notify(on_commit, chat, chat.vendor, "hello")
    # The Telegram chat moves to another user; the old notification is not theirs to answer.
    new_owner = InfluencerFactory()
    code = telegram_link_code_issue(user=new_owner).code
    post_update(telegram_update(f"/start {code}", chat_id=IRA_CHAT))

    response = post_update(telegram_update("sneaky", chat_id=IRA_CHAT, reply_to=notification_id))

    assert response.json()["outcome"] == "unmapped_reply"
    assert chat.messages.count() == 1


def test_reply_refused_by_the_chat_gets_the_reason_never_a_500(telegram, post_update, on_commit):
    chat = make_chat()
    link_telegram(chat.influencer, IRA_CHAT)
    notification_id = notify(on_commit, chat, chat.vendor, "hello")

    too_long = post_update(telegram_update("x" * 4001, chat_id=IRA_CHAT, reply_to=notification_id))
    sticker = post_update(telegram_update(None, chat_id=IRA_CHAT, reply_to=notification_id, sticker={"file_id": "abc"}))

    assert too_long.status_code == sticker.status_code == 200
    assert too_long.json()["outcome"] == "refused"
    assert sticker.json()["outcome"] == "not_text"
    refused, not_text = (payload["text"] for payload in telegram.sent(IRA_CHAT)[1:])
    assert "not sent" in refused
    assert "4000 characters" in refused
    assert "Only text" in not_text
    assert chat.messages.count() == 1


def test_deactivated_user_cannot_answer_from_telegram(telegram, post_update, on_commit):
    chat = make_chat()
    link_telegram(chat.influencer, IRA_CHAT)
    notification_id = notify(on_commit, chat, chat.vendor, "hello")
    chat.influencer.is_active = False
    chat.influencer.save(update_fields=["is_active"])

    response = post_update(telegram_update("still here", chat_id=IRA_CHAT, reply_to=notification_id))

    assert response.json()["outcome"] == "not_linked"
    assert chat.messages.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_update_delivered_in_parallel_posts_once(telegram):
    from anwariya.tests.concurrency import run_concurrently

    chat = make_chat()
    link_telegram(chat.influencer, IRA_CHAT)
    services.message_send(chat=chat, sender=chat.vendor, text="hello")
    notification_id = TelegramMessage.objects.get(kind="notification").telegram_message_id
    update = telegram_update("once only", chat_id=IRA_CHAT, reply_to=notification_id)

    results = run_concurrently(
        lambda i: api_client().post(WEBHOOK, update, format="json", HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=SECRET), 8
    )

    assert [response.status_code for response in results] == [200] * 8
    assert sorted(response.json()["outcome"] for response in results) == ["duplicate"] * 7 + ["posted"]
    assert chat.messages.filter(text="once only").count() == 1


def test_odd_updates_get_a_200_never_a_500(telegram, post_update):
    huge_chat = {"update_id": 7001, "message": {"message_id": 1, "chat": {"id": 2**70, "type": "private"}, "text": "x"}}
    assert post_update(huge_chat).json()["outcome"] == "ignored"
    assert post_update({"update_id": 7002, "\u0000": 1}).status_code == 200
    assert TelegramUpdate.objects.get(update_id=7002).kind == "unknown"


@pytest.mark.parametrize("text", ["hello\x00", "hello \ud800"])
def test_reply_with_text_that_cannot_be_stored_gets_a_200_and_is_not_posted(telegram, on_commit, text):
    chat = make_chat()
    link_telegram(chat.influencer, IRA_CHAT)
    notification_id = notify(on_commit, chat, chat.vendor, "hello")

    update = telegram_update(text, chat_id=IRA_CHAT, reply_to=notification_id, update_id=7010)
    # Sent escaped, as Telegram does: the test client cannot encode a lone surrogate itself.
    response = api_client().post(WEBHOOK, json.dumps(update), content_type="application/json", **SECRET_HEADER)

    assert response.status_code == 200
    assert response.json() == {"ok": True, "outcome": "ignored"}
    assert TelegramUpdate.objects.get(update_id=7010).kind == "unknown"
    assert chat.messages.count() == 1


def test_update_nested_too_deep_is_a_400(telegram, post_update):
    nested = current = {}
    for _ in range(40):
        current["reply_to_message"] = current = {}
    assert_error(post_update({"update_id": 7011, "message": nested}), 400, "non_field_errors")
    assert not TelegramUpdate.objects.exists()


def test_a_minimal_update_from_an_unknown_chat_gets_the_how_to(telegram, post_update):
    minimal = {"update_id": 7003, "message": {"message_id": 1, "chat": {"id": 4242}, "text": "hello"}}
    assert post_update(minimal).json()["outcome"] == "not_linked"
    (reply,) = telegram.sent(4242)
    assert "not linked to Anwariya" in reply["text"]
